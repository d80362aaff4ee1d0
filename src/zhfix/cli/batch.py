"""Repairing files, one at a time or in a pool of worker processes.

:func:`process_file` does everything for one file (read, repair, write) and
returns a :class:`FileResult`; it never raises for a problem with the file.
:func:`run` maps it over many files, in this process when the work is small
(a pool's start-up would cost more than it saves: pre-commit runs zhfix on a
few files at a time) and in a process pool otherwise.  Results are handed back
in input order, so output and report do not depend on ``--jobs``.

Ctrl-C: workers ignore SIGINT; while the pool runs, the parent only notes
it, tells the workers to stop after the file each is doing (a shared event),
waits for them and collects every result that came back, so the report names
every file written; the caller then exits with 130.  Every write is atomic, so
even SIGKILL leaves each file either as it was or repaired.  Workers exit when
the parent dies, however it dies (``kill -9``): see :func:`_die_with`.
"""
from __future__ import annotations

import difflib
import json
import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence

from ..config import Config
from ..stages.spans import lines as split_lines

MODES = ("stdout", "in-place", "output-dir", "check")

#: The key :func:`_repair_jsonl` asks :func:`zhfix.repair_record` to put the
#: explanation under; it is removed again before the record is written.
_META = "\x00zhfix-meta"


@dataclass(frozen=True)
class Options:
    mode: str = "stdout"
    config: Config = Config(explain=False)
    diff: bool = False
    explain: bool = False          # return Result.to_dict() for --explain/--json
    assume: str = "auto"           # --assume: the diagnosis, when not "auto", is the user's
    keep_encoding: bool = False
    jsonl: bool = False
    field: str = "text"
    kind: str = "auto"             # --kind: auto = by each file's extension, else sniffed
    cache: bool = False            # compute cache entries for clean files
    max_size: Optional[int] = None  # --max-size: read no more than this from a file
    limit_explicit: bool = True    # ... from files named on the command line too


@dataclass(frozen=True)
class Task:
    index: int
    path: str                      # as shown to the user
    dest: Optional[str] = None     # --output-dir: where the output goes
    explicit: bool = True          # named on the command line (not found in a walk)
    out_root: Optional[str] = None  # --output-dir: the output tree (links must not leave it)


@dataclass
class FileResult:
    index: int
    path: str
    status: str = "unchanged"      # changed | unchanged | skipped | error | cached
    message: str = ""              # reason for skipped / error
    problems: List[str] = field(default_factory=list)  # further errors (bad JSONL lines)
    lossy: bool = False
    lossy_lines: List[int] = field(default_factory=list)
    size: int = 0
    written: bool = False
    output: Optional[bytes] = None    # stdout mode: the bytes to print
    diff: Optional[str] = None
    explain: Optional[dict] = None
    cache_entry: Optional[tuple] = None
    real: Optional[str] = None     # the path on disk when `path` is shown escaped


    @property
    def changed(self) -> bool:
        return self.status == "changed"


class _Skip(Exception):
    pass


class _Fail(Exception):
    pass


# -- one document -----------------------------------------------------------

def config_for(opts: Options, path=None) -> Config:
    """The configuration for one input: its kind is ``--kind``, or (auto) the
    kind its extension names (zhfix.structure.EXTENSIONS), or sniffed.  With
    --jsonl the kind is that of the field's text: the extension says nothing."""
    kind = opts.kind
    if kind == "auto":
        from ..structure import kind_for_path
        kind = kind_for_path(path) if path is not None and not opts.jsonl else None
    return opts.config if kind is None or kind == opts.config.kind else opts.config._replace(kind=kind)


def repair_data(data: bytes, opts: Options, res: FileResult, explicit: bool = True, path=None):
    """Repair `data` (read from `path`, whose extension may name its kind);
    fill `res` (status, lossy, diff, explain).  Return the output bytes, or
    None when the text is unchanged.  Raises _Skip / _Fail."""
    from ..stages.decode import decode, looks_binary
    from ..errors import DecodeError, NotChineseError
    from .output import encode, restore_newlines

    res.size = len(data)
    config = config_for(opts, path)
    if not explicit and looks_binary(data):
        raise _Skip("binary data, not text")
    if opts.jsonl:
        lines = _utf8_lines(data)
        if lines is not None:
            return _finish_jsonl(data, _repair_jsonl_lines(lines, opts, res, config), opts, res)
    try:
        decoded = decode(data)
    except NotChineseError as e:
        # left as it is: skipped in a batch; printed to stdout as it came
        if opts.mode != "stdout":
            raise _Skip(str(e))
        res.status, res.message, res.output = "skipped", str(e), data
        return None
    except DecodeError as e:
        if not explicit and str(e).startswith("binary"):
            raise _Skip(str(e))
        raise _Fail(str(e))
    text = decoded.text
    if opts.jsonl:
        new = _repair_jsonl(text, opts, res, config)
    else:
        import zhfix

        result = zhfix.repair(text, config)
        result.encoding, result.bom = decoded.encoding, decoded.bom
        new = restore_newlines(text, result.text)
        res.lossy = result.lossy
        res.lossy_lines = sorted({n for s in result.steps if s.name.startswith("lossy") and s.count
                                  for n in s.lines})
        if opts.explain:
            res.explain = dict(file=res.path, **result.to_dict())
            if opts.assume != "auto":
                res.explain["diagnosis"]["reason"] = f"set by the user (--assume {opts.assume})"
    if new == text:
        res.status = "unchanged"
        if opts.mode == "stdout":
            if opts.keep_encoding:
                res.output = data
            else:
                res.output = encode(text, data, decoded.encoding, decoded.bom)
        return None
    res.status = "changed"
    if opts.diff:
        res.diff = unified_diff(text, new, res.path)
    from .output import WriteError
    try:
        out = encode(new, data, decoded.encoding, decoded.bom, opts.keep_encoding)
    except WriteError as e:
        raise _Fail(str(e))
    if opts.mode == "stdout":
        res.output = out
    return out


def _utf8_lines(data: bytes) -> Optional[List[object]]:
    """JSON lines are UTF-8: when the file is, except for some lines, the
    lines as text, with each line that is not UTF-8 kept as its bytes.  None
    when the file is valid UTF-8 or reads as another encoding altogether."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    lines: List[object] = []
    readable = False
    for raw in data.splitlines(keepends=True):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            lines.append(raw)
            continue
        readable = readable or not line.isascii()
        lines.append(line)
    # a GBK or Big5 file has next to no non-ASCII line that is valid UTF-8
    return lines if readable else None


def _finish_jsonl(data: bytes, out: List[object], opts: Options, res: FileResult) -> Optional[bytes]:
    """The output of a JSON lines file some of whose lines are not UTF-8."""
    new = b"".join(x if isinstance(x, bytes) else x.encode("utf-8") for x in out)
    if new == data:
        res.status = "unchanged"
        if opts.mode == "stdout":
            res.output = data
        return None
    res.status = "changed"
    if opts.diff:
        before = data.decode("utf-8", "backslashreplace")
        res.diff = unified_diff(before, new.decode("utf-8", "backslashreplace"), res.path)
    if opts.mode == "stdout":
        res.output = new
    return new


def _repair_jsonl(text: str, opts: Options, res: FileResult, config: Config) -> str:
    return "".join(_repair_jsonl_lines(split_lines(text), opts, res, config))


def _repair_jsonl_lines(lines, opts: Options, res: FileResult, config: Config) -> List[object]:
    """Repair each record of `lines` (str; a bytes item is a line that is not
    UTF-8: reported and passed on as it came)."""
    import zhfix

    out: List[object] = []
    for n, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            res.problems.append(f"{res.path}:{n}: not UTF-8; line left as it was")
            out.append(line)
            continue
        body = line.rstrip("\r\n")
        if not body.strip():
            out.append(line)
            continue
        try:
            record = json.loads(body)
        except ValueError as e:
            where = f": column {e.colno}" if isinstance(e, json.JSONDecodeError) else ""
            res.problems.append(f"{res.path}:{n}: invalid JSON ({getattr(e, 'msg', e)}{where}); "
                                "line left as it was")
            out.append(line)
            continue
        if not isinstance(record, dict):
            res.problems.append(f"{res.path}:{n}: not a JSON object; line left as it was")
            out.append(line)
            continue
        try:
            new = zhfix.repair_record(record, opts.field, config, meta_field=_META)
        except Exception as e:  # a bug in a stage must not stop the file
            res.problems.append(f"{res.path}:{n}: internal error: {type(e).__name__}: {e}")
            out.append(line)
            continue
        meta = new.pop(_META, None) or {}
        if any(s["name"].startswith("lossy") and s["count"] for s in meta.get("steps", ())):
            res.lossy = True
            res.lossy_lines.append(n)
        if new == record:
            out.append(line)
        else:
            out.append(json.dumps(new, ensure_ascii=False) + line[len(body):])
    return out


def unified_diff(before: str, after: str, name: str) -> str:
    a = split_lines(before)
    b = split_lines(after)
    lines = []
    for line in difflib.unified_diff(a, b, f"{name}\t(original)", f"{name}\t(repaired)", n=3):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        lines.append(line)
    return "".join(lines)


# -- one file -----------------------------------------------------------------

def process_file(task: Task, opts: Options) -> FileResult:
    """Read, repair and (for --in-place / --output-dir) write one file."""
    from .files import shown

    res = FileResult(task.index, shown(task.path), real=task.path)
    try:
        _process(task, opts, res)
    except _Skip as e:
        res.status, res.message = "skipped", str(e)
    except _Fail as e:
        res.status, res.message = "error", str(e)
    except OSError as e:
        res.status, res.message = "error", _describe(e)
    except Exception as e:  # a bug in a stage: report it, go on with the rest
        res.status, res.message = "error", f"internal error: {type(e).__name__}: {e}"
    if res.status == "error":
        res.output = res.diff = res.explain = None
        res.written = False
    return res


def _process(task: Task, opts: Options, res: FileResult) -> None:
    from ..data.store import atomic_write
    from .output import WriteError, check_writable

    path = task.path
    real = os.path.realpath(path)
    try:
        with open(path, "rb") as f:
            before = os.fstat(f.fileno())
            # the limit applies to what is read: a file may be larger than
            # its size says (/proc files say 0) or grow while being read
            limit = opts.max_size if (opts.limit_explicit or not task.explicit) else None
            data = f.read() if limit is None else f.read(limit + 1)
            if limit is not None and len(data) > limit:
                raise _Skip(f"larger than --max-size (more than {limit} bytes read)")
    except FileNotFoundError:
        if os.path.islink(path):
            raise _Fail("cannot read: dangling symbolic link")
        raise _Fail("cannot read: no such file (vanished?)")
    except IsADirectoryError:
        raise _Fail("cannot read: is a directory")
    except PermissionError:
        raise _Fail("cannot read: permission denied")
    out = repair_data(data, opts, res, task.explicit, path)

    if opts.mode == "in-place":
        if out is None:
            if opts.cache:
                from .cache import entry_for
                res.cache_entry = entry_for(path, data)
            return
        try:
            check_writable(real)
            now = os.stat(real)
        except WriteError as e:
            raise _Fail(str(e))
        except FileNotFoundError:
            raise _Fail("vanished before it could be written; nothing written")
        if (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
            raise _Fail("changed by someone else while being repaired; left alone")
        try:
            atomic_write(real, out)
        except OSError as e:
            raise _Fail(f"cannot write: {_describe(e)}; file left as it was")
        res.written = True
        if opts.cache:
            from .cache import entry_for
            res.cache_entry = entry_for(path, out)
    elif opts.mode == "output-dir":
        dest = task.dest
        parent = os.path.dirname(os.path.abspath(dest))
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as e:
            raise _Fail(f"cannot create {parent}: {_describe(e)}")
        if task.out_root is not None:
            from .files import inside
            if not inside(parent, task.out_root) or (os.path.islink(dest)):
                raise _Fail(f"{dest}: a symbolic link leads out of the output directory; nothing written")
        try:
            atomic_write(dest, data if out is None else out, mode=os.stat(real).st_mode & 0o7777)
        except OSError as e:
            raise _Fail(f"cannot write {dest}: {_describe(e)}")
        res.written = True
    elif opts.mode == "check" and out is None and opts.cache:
        from .cache import entry_for
        res.cache_entry = entry_for(path, data)


def _describe(e: OSError) -> str:
    import errno

    if e.errno == errno.ENOSPC:
        return "no space left on device"
    if e.errno == errno.EROFS:
        return "read-only file system"
    return e.strerror.lower() if e.strerror else str(e)


# -- many files ---------------------------------------------------------------

_OPTS: Optional[Options] = None
_STOP = None  # a multiprocessing Event: set by the parent on Ctrl-C

#: How often a worker looks whether its parent is still there, where
#: PR_SET_PDEATHSIG does not tell it at once.
_WATCH_EVERY = 0.25


def _init_worker(opts: Options, stop=None, parent: Optional[int] = None) -> None:
    global _OPTS, _STOP
    _OPTS, _STOP = opts, stop
    # Ctrl-C goes to the whole process group: let the parent decide, and let
    # a file being written finish.  SIGINT was blocked while the parent
    # started the workers, so none can die of it before this line.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _unblock_sigint()
    if parent is not None:
        _die_with(parent)


def _die_with(parent: int) -> None:
    """Make this worker exit when process `parent` (the zhfix run) dies.

    Otherwise ``kill -9`` of the run leaves its workers waiting for work on
    the task queue forever (they hold its write end themselves).  A worker
    killed while writing leaves its temporary file, never a half-written
    file; the next run removes it (its process is gone).

    Linux: PR_SET_PDEATHSIG, at once.  The kernel sends it when the *thread*
    that forked this process ends, not the process.  Python 3.11 (start
    method fork) forks the workers in ``submit``, in the thread calling
    :func:`run`, which shuts the pool down before it returns; a replacement
    worker forked by the executor's management thread is joined before that
    thread ends.  So the signal never comes early.  With a fork server as the
    parent, or outside Linux, it comes late or not at all: everywhere, a
    daemon thread also looks every :data:`_WATCH_EVERY` seconds whether this
    process was handed to another parent or `parent` is gone.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    first = os.getppid()

    def gone() -> bool:
        from .files import _alive

        return os.getppid() != first or not _alive(parent)

    if gone():  # died before the line above
        os._exit(1)

    def watch() -> None:
        import time

        while not gone():
            time.sleep(_WATCH_EVERY)
        os._exit(1)

    threading.Thread(target=watch, name="zhfix-watch-parent", daemon=True).start()


def _block_sigint() -> None:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _unblock_sigint() -> None:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _run_chunk(tasks: Sequence[Task]) -> List[FileResult]:
    """Process `tasks`, stopping early once the parent saw Ctrl-C: the results
    of the files done (the others are untouched)."""
    results = []
    for t in tasks:
        if _STOP is not None and _STOP.is_set():
            break
        results.append(process_file(t, _OPTS))
    return results


def worth_a_pool(n_files: int, n_bytes: int, jobs: int) -> bool:
    """Is the work big enough for worker processes?  Each needs ~0.3 s to
    start and load the tables; a small file takes well under a millisecond."""
    if jobs <= 1 or n_files < 2:
        return False
    estimate = n_files * 0.0005 + n_bytes / 2_000_000
    return estimate > 0.6


def run(tasks: Sequence[Task], opts: Options, jobs: int, sizes: Sequence[int] = (),
        on_done: Callable[[FileResult], None] = lambda r: None,
        on_ordered: Callable[[FileResult], None] = lambda r: None) -> List[FileResult]:
    """Process `tasks`; call `on_done` as each finishes (for progress) and
    `on_ordered` in input order (for output).  Returns results in input order.

    KeyboardInterrupt propagates after the files being written are finished;
    results of all finished files have been passed to the callbacks by then.
    """
    ordered = _Orderer([t.index for t in tasks], on_ordered)
    if not worth_a_pool(len(tasks), sum(sizes), jobs):
        for t in tasks:
            r = process_file(t, opts)
            on_done(r)
            ordered.put(r)
        return ordered.results

    import multiprocessing
    import queue
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    jobs = min(jobs, len(tasks))
    size = max(1, min(32, len(tasks) // (jobs * 8)))
    chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    context = multiprocessing.get_context()
    stop = context.Event()
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                                   initargs=(opts, stop, os.getpid()))
    futures: dict = {}
    taken = set()

    def take(fut) -> None:
        taken.add(fut)
        try:
            results = fut.result()
        except BrokenProcessPool:
            from .files import shown
            results = [FileResult(t.index, shown(t.path), "error", "worker process died", real=t.path)
                       for t in futures[fut]]
        for r in results:
            on_done(r)
            ordered.put(r)

    with _CtrlC() as ctrl_c:
        try:
            _block_sigint()  # the workers start on the first submit
            try:
                futures = {executor.submit(_run_chunk, c): c for c in chunks}
            finally:
                _unblock_sigint()  # a Ctrl-C that came meanwhile is noted or raised here
            finished: queue.SimpleQueue = queue.SimpleQueue()
            for fut in futures:
                fut.add_done_callback(finished.put)
            left = len(futures)
            while left and not ctrl_c.seen:  # as_completed, but looking at ctrl_c 10 times a second
                try:
                    fut = finished.get(timeout=0.1)
                except queue.Empty:
                    continue
                take(fut)
                left -= 1
            if ctrl_c.seen:
                raise KeyboardInterrupt
        except BaseException:
            # Ctrl-C or a failure here: the workers stop after their current
            # file; every chunk that came back is reported, even those that
            # finished while we waited, so the report names every file written.
            stop.set()
            executor.shutdown(wait=True, cancel_futures=True)
            for fut in futures:
                if fut not in taken and fut.done() and not fut.cancelled():
                    take(fut)
            ordered.drain()  # files finished out of order are reported too
            raise
    executor.shutdown(wait=True)
    return ordered.results


class _CtrlC:
    """While the pool runs, Ctrl-C (SIGINT) only sets :attr:`seen`: a
    KeyboardInterrupt in the middle of handing on a result could lose it, or
    hand it on twice.  Pressed again while the workers finish their file, it
    is noted again (the wait is one file long).  Installed only over Python's
    default handler in the main thread; elsewhere KeyboardInterrupt is raised
    as usual."""

    def __init__(self) -> None:
        self.seen = False
        self.old = None

    def _note(self, signum, frame) -> None:
        self.seen = True

    def __enter__(self) -> "_CtrlC":
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self.old = signal.signal(signal.SIGINT, self._note)
        return self

    def __exit__(self, *exc) -> None:
        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)


class _Orderer:
    """Hand results on in input order as soon as all earlier ones are in."""

    def __init__(self, indexes: Sequence[int], emit: Callable[[FileResult], None]) -> None:
        self.position = {index: i for i, index in enumerate(indexes)}
        self.slots: List[Optional[FileResult]] = [None] * len(indexes)
        self.next = 0
        self.emit = emit

    def put(self, r: FileResult) -> None:
        self.slots[self.position[r.index]] = r
        while self.next < len(self.slots) and self.slots[self.next] is not None:
            self.emit(self.slots[self.next])
            self.next += 1

    def drain(self) -> None:
        """Hand on every result that is in, skipping the gaps (interrupted)."""
        for r in self.slots[self.next:]:
            if r is not None:
                self.emit(r)
        self.next = len(self.slots)

    @property
    def results(self) -> List[FileResult]:
        return [r for r in self.slots if r is not None]
