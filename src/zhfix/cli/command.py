"""The ``zhfix`` command: a thin layer over discovery (files), repair (batch),
output and the report.  Only click is imported at start-up; everything else
when it is needed, so ``zhfix --version`` and pre-commit runs start fast.
"""
from __future__ import annotations

import os
import sys
import time

import click

from .. import build_info
from .._version import __version__
from ..config import FIXES, PARTIAL
from ..structure import KINDS

EPILOG = """\
\b
Examples:
  zhfix page.txt > clean.txt          repaired text on stdout (UTF-8)
  zhfix < page.txt > clean.txt        the same from stdin (or: zhfix -)
  zhfix --explain page.txt            what was found and done
  zhfix -i corpus/                    repair a tree in place
  zhfix -o clean/ corpus/             repaired copy of a tree
  zhfix --check --diff corpus/        what would change; exit 1 if anything
  zhfix --jsonl --field text a.jsonl  repair one field of JSON lines

\b
Exit codes:
  0    nothing to do, or everything repaired
  1    --check: something would be repaired; or --fail-on lossy triggered
  2    usage error, or an error with at least one input (the others are
       still processed; one line on stderr for each)
  130  interrupted (Ctrl-C); finished files are complete, others untouched
  141  output pipe closed early (zhfix big.txt | head)

Defaults can be set in [tool.zhfix] of pyproject.toml (or --config FILE);
flags on the command line win.  Shell completion: see click's docs, e.g.
eval "$(_ZHFIX_COMPLETE=bash_source zhfix)".
"""


def _read_settings(ctx: click.Context, param: click.Parameter, value):
    """Load [tool.zhfix] (or --config FILE) into the defaults of the options
    processed after this one (all the non-eager ones)."""
    from pathlib import Path

    from . import settings

    try:
        if value:
            path = Path(value)
            values = settings.read_config(path, explicit=True)
        else:
            path = settings.find_config(ctx.params.get("src") or ())
            if path is None:
                return value
            values = settings.read_config(path)
        defaults = settings.default_map(values, ctx.command.params, path)
    except settings.SettingsError as e:
        raise click.BadParameter(str(e), ctx=ctx, param=param)
    if defaults:
        ctx.default_map = {**(ctx.default_map or {}), **defaults}
    return value


def _size(ctx, param, value):
    from .report import parse_size

    try:
        return parse_size(value)
    except ValueError as e:
        raise click.BadParameter(str(e), ctx=ctx, param=param)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@click.command(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.argument("src", nargs=-1, type=click.Path(allow_dash=True, readable=False), is_eager=True, metavar="[PATH|-]...")
@click.option("-i", "--in-place", is_flag=True, help="Rewrite repaired files in place (atomically).")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Write every text file found, repaired, into a mirror tree under DIR.")
@click.option("--check", is_flag=True, help="Change nothing; list files that would be repaired; exit 1 if any.")
@click.option("--diff", is_flag=True, help="Print a unified diff of each repair instead of the text; write nothing.")
@click.option("--explain", is_flag=True, help="Print what was found and done instead of the text.")
@click.option("--json", "as_json", is_flag=True, help="Like --explain, as one JSON object per file (a line each).")
@click.option("--keep-encoding", is_flag=True,
              help="Write in the input's encoding (GBK, Big5, ...) instead of UTF-8; a character that "
                   "does not fit is an error for that file.")
@click.option("--keep-boilerplate", is_flag=True,
              help="Do not strip web page headers, chrome and footers (--skip of the three strip steps).")
@click.option("--assume", type=click.Choice(["auto", "disguised", "clean"]), default="auto", show_default=True,
              help="Overrule the diagnosis.  disguised: repair every input as a disguise (remove-pinyin, "
                   "to-simplified, restore-punctuation), whatever it looks like.  clean: the input is not "
                   "disguised, not even in part: no disguise step and no partial fix (remove-glued-pinyin, "
                   "simplify-first-characters) runs, so Chinese characters, pinyin and punctuation stay as "
                   "they are; encoding repairs (fix-mojibake, reread-gbk) and a spam-headed page's "
                   "stripping still run (--skip them too if need be).")
@click.option("--skip", multiple=True, type=click.Choice(FIXES), metavar="STEP",
              help="Do not run this step (repeatable): its changes are not made, it is not reported.  "
                   "STEP is one of " + ", ".join(FIXES) + ".")
@click.option("--kind", type=click.Choice(("auto",) + KINDS), default="auto", show_default=True,
              help="What the input is, for every file.  auto: by each file's extension (.md markdown; .csv, "
                   ".tsv; .json; .jsonl/.ndjson jsonl; .py .js .c .go .html .yaml ... code), sniffed from "
                   "the content otherwise (stdin).  Punctuation is restored only in prose (never in code, "
                   "a Markdown code block or link target, a CSV delimiter, JSON structure); boilerplate is "
                   "stripped only from text and markdown; code is not diagnosed as a disguise.  With "
                   "--jsonl: the kind of the field's text.")
@click.option("--jsonl", is_flag=True, help="Input is JSON lines: repair one field of each record.")
@click.option("--field", default="text", show_default=True, metavar="NAME", help="The field --jsonl repairs.")
@click.option("--include", multiple=True, metavar="GLOB",
              help="Files to take from directories (repeatable; replaces the default text-like "
                   "patterns *.txt *.md *.csv *.json *.html ...).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Files or directories to leave out (repeatable; added to .git, node_modules, "
                   "virtualenvs, __pycache__ ...).  A pattern with / matches the path below the directory given.")
@click.option("--max-size", default="50MB", show_default=True, callback=_size, metavar="SIZE",
              help="Skip files larger than this (0: no limit).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes [default: all cores; small batches run in one process].")
@click.option("--fail-on", type=click.Choice(["lossy", "never"]), default="never", show_default=True,
              help="Exit 1 when a file has lossy places (bytes lost before zhfix saw them).")
@click.option("--report", "report_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Form of the summary after --in-place, --output-dir, --check.")
@click.option("--report-file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the summary there instead of stderr.")
@click.option("--no-cache", is_flag=True, help="Do not skip files a previous run found clean.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (and the output asked for).")
@click.option("-v", "--verbose", is_flag=True, help="Also name unchanged, cached and skipped files.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), is_eager=True,
              callback=_read_settings, expose_value=False, metavar="FILE",
              help="Read defaults from FILE instead of [tool.zhfix] in pyproject.toml.")
@click.version_option(__version__, "-V", "--version", prog_name="zhfix", message=f"%(prog)s %(version)s ({build_info()})")
@click.pass_context
def cli(ctx, src, in_place, output_dir, check, diff, explain, as_json, keep_encoding, keep_boilerplate,
        assume, skip, kind, jsonl, field, include, exclude, max_size, jobs, fail_on, report_format, report_file, no_cache,
        quiet, verbose):
    """Repair damaged Chinese text: disguised traditional characters, pinyin
    annotations, misaligned GBK, mojibake, web boilerplate.

    PATH is a file or a directory (walked recursively); "-" or no PATH reads
    stdin.  By default the repaired text goes to stdout as UTF-8.
    """
    def usage(msg):
        raise click.UsageError(msg, ctx)

    if in_place and output_dir:
        usage("--in-place and --output-dir cannot be combined")
    if (in_place or output_dir) and (check or diff):
        usage("--check and --diff write nothing; do not combine them with --in-place or --output-dir")
    if explain and as_json:
        usage("choose one of --explain and --json")
    if (explain or as_json) and diff:
        usage("--explain/--json and --diff cannot be combined")
    if not jsonl and ctx.get_parameter_source("field") == click.core.ParameterSource.COMMANDLINE:
        usage("--field chooses the field of --jsonl records; add --jsonl")
    if jsonl and (explain or as_json):
        usage("--explain/--json are not available with --jsonl (repair_record's meta_field is the way)")

    if not src:
        if _stdin_is_tty():
            usage("no input: give files or directories, or pipe text on stdin (zhfix < page.txt)")
        src = ("-",)
    if "-" in src:
        if len(src) > 1:
            usage('"-" (stdin) cannot be combined with other paths')
        if in_place or output_dir:
            usage("--in-place and --output-dir need files, not stdin")

    from .batch import Options
    from ..config import Config

    mode = "in-place" if in_place else "output-dir" if output_dir else \
        "check" if (check or diff or explain or as_json) else "stdout"
    # in the pipeline's order, each once, so that the same options make the
    # same cache key
    skipped = tuple(name for name in FIXES if name in skip or (assume == "clean" and name in PARTIAL))
    opts = Options(
        mode=mode,
        config=Config(strip_boilerplate=not keep_boilerplate, explain=bool(explain or as_json),
                      disguised={"auto": None, "disguised": True, "clean": False}[assume],
                      skip=skipped),
        assume=assume,
        diff=diff,
        explain=bool(explain or as_json),
        keep_encoding=keep_encoding,
        jsonl=jsonl,
        field=field,
        kind=kind,
    )
    run = Run(ctx, opts, check=check, quiet=quiet, verbose=verbose, explain=explain, as_json=as_json,
              fail_on_lossy=fail_on == "lossy", report_format=report_format, report_file=report_file)
    if src == ("-",):
        code = run.stdin()
    else:
        code = run.files(src, include, exclude, max_size, jobs or _cores(), output_dir,
                         use_cache=not no_cache and mode in ("in-place", "check")
                         and not (diff or explain or as_json))
    ctx.exit(code)


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


class Run:
    """One invocation: writes results out as they come, counts them."""

    def __init__(self, ctx, opts, *, check, quiet, verbose, explain, as_json, fail_on_lossy,
                 report_format, report_file):
        from .report import Report

        self.ctx = ctx
        self.opts = opts
        self.quiet = quiet
        self.verbose = verbose and not quiet
        self.explain = explain
        self.as_json = as_json
        self.check = check
        self.report_format = report_format
        self.report_file = report_file
        self.report = Report(mode="check" if check else opts.mode, check=check,
                             fail_on_lossy=fail_on_lossy)
        self.stdout = _binary("stdout")
        self.batch_mode = opts.mode in ("in-place", "output-dir") or check
        self.explain_all = not self.batch_mode

    # -- output --------------------------------------------------------------
    def write(self, data: bytes) -> None:
        try:
            _write_all(self.stdout, data)
        except BrokenPipeError:
            _pipe_closed()

    def flush(self) -> None:
        try:
            self.stdout.flush()
        except BrokenPipeError:
            _pipe_closed()

    def err(self, msg: str) -> None:
        click.echo(f"zhfix: error: {msg}", err=True)

    def note(self, msg: str) -> None:
        if not self.quiet:
            click.echo(msg, err=True)

    def emit(self, r) -> None:
        """Everything about one finished file, in input order."""
        from .report import lossy_note

        self.report.add(r)
        if r.status == "error":
            self.err(f"{r.path}: {r.message}")
            return
        for p in r.problems:
            self.err(p)
        if r.status == "skipped":
            if self.verbose or r.message.startswith("larger"):
                self.note(f"skipped {r.path}: {r.message}")
            if r.output is not None and self.opts.mode == "stdout" and not (self.explain or self.as_json):
                self.write(r.output)  # not Chinese: printed as it came
            return
        if r.lossy and (self.batch_mode or self.report.fail_on_lossy):
            self.note(lossy_note(r.path, r.lossy_lines))
        if r.explain is not None and (self.explain_all or r.changed):
            if self.as_json:
                from .explain import to_json
                self.write((to_json(r.explain) + "\n").encode("utf-8"))
            else:
                from .explain import render_text
                self.write(render_text([r.explain], color=_isatty(self.stdout)).encode("utf-8"))
        if r.diff:
            self.write(_color_diff(r.diff) if _isatty(self.stdout) else r.diff.encode("utf-8"))
        if r.output is not None and self.opts.mode == "stdout" and not (self.explain or self.as_json):
            self.write(r.output)
        if r.changed:
            if self.opts.mode == "in-place":
                self.note(f"repaired {r.path}")
            elif self.opts.mode == "output-dir" and self.verbose:
                self.note(f"repaired {r.path}")
            elif self.check:
                self.note(f"would repair {r.path}")
        elif self.verbose and self.batch_mode:
            self.note(f"{'cached, ' if r.status == 'cached' else ''}unchanged {r.path}")

    # -- stdin ---------------------------------------------------------------
    def stdin(self) -> int:
        from .batch import FileResult, _Fail, _Skip, repair_data

        from .. import stream

        source = _binary("stdin")
        data = source.read(stream.STREAM_AT + 1)
        if len(data) > stream.STREAM_AT and self._streamable():
            return self._stream(source, "<stdin>", data)
        data += source.read()
        r = FileResult(0, "<stdin>")
        try:
            repair_data(data, self.opts, r, explicit=True)
        except _Skip as e:  # not Chinese, with --check or --diff
            r.status, r.message = "skipped", str(e)
        except _Fail as e:
            r.status, r.message = "error", str(e)
        except Exception as e:  # a bug in a stage
            r.status, r.message = "error", f"internal error: {type(e).__name__}: {e}"
        if r.explain is not None:
            r.explain["file"] = None
        self.emit(r)
        self.flush()
        if self.batch_mode:
            self.summary(0.0)
        return self.report.exit_code

    # -- inputs too large to hold ---------------------------------------------
    def _streamable(self) -> bool:
        """Plain repair to stdout: nothing needs the whole text at once."""
        o = self.opts
        return (o.mode == "stdout" and not (o.diff or o.explain or o.jsonl or o.keep_encoding
                                            or self.check or self.explain or self.as_json))

    def _stream(self, source, name: str, first: bytes = b"", path=None) -> int:
        from ..errors import NotChineseError, ZhfixError
        from ..stream import repair_stream
        from .batch import config_for

        try:
            result = repair_stream(source, _StreamOut(_binary("stdout")), config_for(self.opts, path),
                                   first=first)
        except BrokenPipeError:
            _pipe_closed()
        except NotChineseError as e:  # copied to stdout as it came
            self.report.skip(name, str(e))
            if self.verbose:
                self.note(f"skipped {name}: {e}")
            return self.report.exit_code
        except ZhfixError as e:
            self.report.error(name, str(e))
            self.err(f"{name}: {e}")
            return self.report.exit_code
        from .batch import FileResult

        r = FileResult(0, name, "changed" if result.changed else "unchanged")
        r.lossy = result.lossy
        r.lossy_lines = sorted({n for st in result.steps if st.name.startswith("lossy") for n in st.lines})
        self.report.add(r)
        return self.report.exit_code

    # -- files ---------------------------------------------------------------
    def files(self, src, include, exclude, max_size, jobs, output_dir, use_cache) -> int:
        from . import batch, files
        from .. import stream

        start = time.perf_counter()
        # printing to stdout, a file named on the command line is never too big:
        # a large one is streamed
        found = files.discover(src, include or files.DEFAULT_INCLUDES, exclude, max_size,
                               size_limit_explicit=not self._streamable())
        import dataclasses
        self.opts = dataclasses.replace(self.opts, max_size=max_size, limit_explicit=not self._streamable())
        if (len(found.sources) == 1 and not found.errors and self._streamable()
                and found.sources[0].size > stream.STREAM_AT):
            with open(found.sources[0].path, "rb") as f:
                return self._stream(f, files.shown(found.sources[0].path), path=found.sources[0].path)
        for path, msg in found.errors:
            path = files.shown(path)
            self.report.error(path, msg)
            self.err(f"{path}: {msg}")
        for path, reason in found.skipped:
            path = files.shown(path)
            self.report.skip(path, reason)
            if self.verbose or reason.startswith("larger"):
                self.note(f"skipped {path}: {reason}")

        out_root = None
        if output_dir:
            out_root = os.path.abspath(output_dir)
            for root in found.roots:
                if files.inside(out_root, root):
                    raise click.UsageError(
                        f"--output-dir {output_dir} is inside the input tree {root}: "
                        "it would be read as input", self.ctx)

        if self.opts.mode == "in-place":
            files.clean_temp_files(found.roots)
            files.clean_temp_files_beside([s.path for s in found.sources if s.root is None])
        elif out_root:
            files.clean_temp_files([out_root])

        cache = None
        if use_cache:
            from .cache import Cache, options_key
            cache = Cache(options_key(config=list(self.opts.config), keep_encoding=self.opts.keep_encoding,
                                      jsonl=self.opts.jsonl, field=self.opts.field, kind=self.opts.kind))
            import dataclasses
            self.opts = dataclasses.replace(self.opts, cache=True)

        tasks, sizes, pre = [], [], {}
        dests = {}
        for s in found.sources:
            index = len(tasks) + len(pre)
            if cache is not None and cache.is_clean(s.path):
                pre[index] = batch.FileResult(index, files.shown(s.path), "cached", size=s.size)
                continue
            dest = None
            if out_root:
                rel = os.path.relpath(s.path, s.root) if s.root is not None else os.path.basename(s.path)
                dest = os.path.join(out_root, rel)
                if os.path.realpath(dest) == os.path.realpath(s.path):
                    pre[index] = batch.FileResult(index, files.shown(s.path), "error",
                                                  f"the output would overwrite the input ({files.shown(dest)})")
                    continue
                if dest in dests:
                    pre[index] = batch.FileResult(index, files.shown(s.path), "error",
                                                  f"output {files.shown(dest)} already written for "
                                                  f"{files.shown(dests[dest])}")
                    continue
                dests[dest] = str(s.path)
            tasks.append(batch.Task(index, str(s.path), dest, s.root is None, out_root))
            sizes.append(s.size)

        # Results come back in input order; cached and refused files slot in.
        order = _Merge(pre, self.emit)
        progress = self._progress(len(tasks), sum(sizes))
        interrupted = False
        results = []
        try:
            with progress as bar:
                results = batch.run(tasks, self.opts, jobs, sizes,
                                    on_done=bar.advance, on_ordered=order.put)
            order.finish()
        except KeyboardInterrupt:
            interrupted = True
            self.report.interrupted = True
        finally:
            if cache is not None:
                for r in results or order.seen:
                    if r.cache_entry is not None:
                        cache.add(r.real or r.path, r.cache_entry)
                cache.save()
        self.flush()
        if interrupted:
            click.echo("zhfix: interrupted; files finished so far are complete, the rest untouched",
                       err=True)
        if self.batch_mode or interrupted:
            self.summary(time.perf_counter() - start)
        elif self.report_file or self.report_format == "json":
            self.summary(time.perf_counter() - start)
        return self.report.exit_code

    def _progress(self, n_files: int, n_bytes: int):
        if (self.quiet or n_files < 2 or not self.batch_mode or os.environ.get("CI")
                or not _isatty(sys.stderr) or os.environ.get("TERM") == "dumb"):
            return _NoProgress()
        return _Progress(n_files, n_bytes)

    def summary(self, seconds: float) -> None:
        self.report.seconds = seconds
        if self.report_format == "json":
            import json
            text = json.dumps(self.report.to_dict(), ensure_ascii=False, indent=2) + "\n"
            if self.report_file:
                _write_report(self.report_file, text)
            else:
                click.echo(text, err=True, nl=False)
            return
        if self.report_file:
            import io

            from rich.console import Console
            buf = io.StringIO()
            self.report.render(Console(file=buf, force_terminal=False, no_color=True, width=100))
            _write_report(self.report_file, buf.getvalue())
            return
        if self.quiet:
            return
        from rich.console import Console
        self.report.render(Console(stderr=True, highlight=False))


class _Merge:
    """Interleave results decided before the run (cached files, refused
    outputs) with the run's results, keeping input order."""

    def __init__(self, pre: dict, emit) -> None:
        self.pre = dict(pre)
        self.emit = emit
        self.next = 0
        self.seen = []

    def _flush_pre(self):
        while self.next in self.pre:
            r = self.pre.pop(self.next)
            self.seen.append(r)
            self.emit(r)
            self.next += 1

    def put(self, r) -> None:
        self._flush_pre()
        self.seen.append(r)
        self.emit(r)
        self.next = r.index + 1
        self._flush_pre()

    def finish(self) -> None:
        self._flush_pre()


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def advance(self, r) -> None:
        pass


class _Progress:
    """A rich progress bar on stderr: files, bytes, rate, time left."""

    def __init__(self, n_files: int, n_bytes: int) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn,
                                   TimeRemainingColumn, TransferSpeedColumn)

        self.n_files = n_files
        self.done = 0
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
            TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self.task = self.progress.add_task(self._desc(), total=max(n_bytes, 1))

    def _desc(self) -> str:
        return f"{self.done}/{self.n_files} files"

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()
        return False

    def advance(self, r) -> None:
        self.done += 1
        self.progress.update(self.task, advance=r.size, description=self._desc())


def _binary(name: str):
    """The buffered binary stream under sys.stdout / sys.stdin.  (click's
    get_binary_stream gives the raw file, whose write() may write only part
    of a large block to a pipe.)"""
    stream = getattr(getattr(sys, name), "buffer", None)
    return stream if stream is not None else click.get_binary_stream(name)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _color_diff(diff: str) -> bytes:
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            line = f"\033[1m{line.rstrip(chr(10))}\033[0m\n"
        elif line.startswith("@@"):
            line = f"\033[36m{line.rstrip(chr(10))}\033[0m\n"
        elif line.startswith("+"):
            line = f"\033[32m{line.rstrip(chr(10))}\033[0m\n"
        elif line.startswith("-"):
            line = f"\033[31m{line.rstrip(chr(10))}\033[0m\n"
        out.append(line)
    return "".join(out).encode("utf-8")


def _write_report(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        click.echo(f"zhfix: error: {path}: cannot write the report: {e.strerror or e}", err=True)


#: Bytes handed to stdout at a time.
PIECE = 1 << 20


def _write_all(stream, data: bytes) -> None:
    """Write all of `data`.  A buffered stream's write() to a pipe whose
    reader leaves in the middle returns a short count without an error, the
    rest lost, so the rest is written again, which raises BrokenPipeError."""
    view = memoryview(data)
    while len(view):
        n = stream.write(view[:PIECE])
        if n is None:  # a raw stream that would block, which stdout's is not
            n = min(len(view), PIECE)
        if n <= 0:
            raise BrokenPipeError("nothing written")
        view = view[n:]


class _StreamOut:
    """stdout for a streamed repair: every chunk written out whole before the
    next one is repaired, and a reader that went away (``zhfix big.txt |
    head``) noticed before repairing anything more."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.poll = None
        try:
            import select
            poll = select.poll()
            poll.register(stream.fileno(), 0)  # no events asked for: POLLERR and POLLHUP are always reported
            self.poll = poll
        except (AttributeError, OSError, ValueError, ImportError):
            pass  # no poll on this platform, or no file under the stream

    def reader_gone(self) -> bool:
        """On Linux, the write end of a pipe whose reader closed it polls as
        POLLERR (a file or a terminal never does)."""
        if self.poll is None:
            return False
        import select
        try:
            return any(ev & select.POLLERR for _, ev in self.poll.poll(0))
        except OSError:
            return False

    def write(self, data: bytes) -> int:
        if self.reader_gone():
            _pipe_closed()
        try:
            for i in range(0, len(data), PIECE):
                _write_all(self.stream, data[i:i + PIECE])
                self.stream.flush()
                if self.reader_gone():
                    _pipe_closed()
        except BrokenPipeError:
            _pipe_closed()
        return len(data)

    def flush(self) -> None:
        if self.reader_gone():
            _pipe_closed()
        try:
            self.stream.flush()
        except BrokenPipeError:
            _pipe_closed()


def _pipe_closed() -> None:
    """The reader went away (``zhfix big.txt | head``): stop quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    sys.exit(141)


def main(argv=None) -> None:
    """Console-script entry point (``zhfix``, ``python -m zhfix``)."""
    try:
        code = cli.main(args=argv, prog_name="zhfix", standalone_mode=False)
    except click.ClickException as e:
        e.show()
        code = e.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("zhfix: interrupted", err=True)
        code = 130
    except BrokenPipeError:
        _pipe_closed()
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
