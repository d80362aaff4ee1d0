"""Where zhfix keeps what it derives from its data (the class table, t2s's
tables, the word index): the user cache directory, values kept there by a key
made of their sources, and the atomic write every file zhfix writes goes
through.
"""
from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Optional

#: The file name of a temporary file zhfix writes, before its rename:
#: ``.zhfix-<pid>-<name>.tmp`` (a later run removes those whose process is gone).
TEMP_PREFIX = ".zhfix-"


def user_cache_dir() -> Path:
    env = os.environ.get("ZHFIX_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~/AppData/Local")
        return Path(base) / "zhfix" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "zhfix"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "zhfix"


def derived(prefix: str, sources, build, extra: str = "", check=lambda value: True):
    """A value derived by ``build()`` from the files `sources` (a path or a
    list of paths), kept (marshal) in the user cache directory under a name
    made from their sizes and modification times and `extra`, so that later
    processes load it instead of building it.  A cached value that fails
    `check` is built again; where the directory cannot be written the value
    is built each time.  The newest KEEP_DERIVED files of a prefix are kept."""
    import marshal

    path = None
    try:
        path = user_cache_dir() / f"{prefix}-{_key(sources, extra)}.marshal"
        value = marshal.loads(path.read_bytes())
        if check(value):
            return value
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = build()
    _keep(path, lambda: marshal.dumps(value), f"{prefix}-*.marshal")
    return value


def _keep(path: Optional[Path], data, pattern: str) -> None:
    """Write `data()` to the cache file `path` (None: no cache directory),
    then prune the older files of `pattern`; a failure is no error (the next
    run builds the value again)."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(str(path), data())
        prune(path, pattern)
    except (OSError, ValueError):
        pass


def _key(sources, extra: str) -> str:
    """The part of a cache file's name that stands for its sources (their
    paths, sizes and modification times) and `extra`."""
    parts = [extra]
    for source in [sources] if isinstance(sources, str) else sources:
        st = os.stat(source)
        parts.append(f"{source}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def mapped(prefix: str, sources, build, extra: str = "", check=lambda value: True):
    """:func:`derived` for bytes that a C loop reads as they are: the file
    holds them unchanged (``<prefix>-<key>.bin``) and is mapped into memory
    read-only, so that loading costs no read of the whole (a process touches
    only the pages it needs) and processes share one copy.  Returns the mmap
    of the file, or the bytes ``build()`` made (the process that builds them,
    or any where the directory cannot be written); `check` is given the mmap
    (one that fails it is built again)."""
    import mmap

    path = None
    try:
        path = user_cache_dir() / f"{prefix}-{_key(sources, extra)}.bin"
        with open(path, "rb") as f:
            if hasattr(mmap, "MAP_POPULATE"):
                # (Linux) its pages mapped at once, from the page cache: a
                # C loop touching them one by one would take a page fault
                # each (~16 ms for 8 MB here, against ~0.5 ms)
                value = mmap.mmap(f.fileno(), 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
            else:
                value = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if check(value):
            return value
        value.close()
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = build()
    _keep(path, lambda: value, f"{prefix}-*.bin")
    return value


#: Files of one prefix that derived() keeps: several environments may share
#: the cache directory, each with its own sources.
KEEP_DERIVED = 3


def prune(path: Path, pattern: str, keep: int = KEEP_DERIVED) -> None:
    """Delete the files of `path`'s directory that match `pattern`, but for
    `path` and the newest others, `keep` in all."""
    others = []
    for p in path.parent.glob(pattern):
        if p != path:
            try:
                others.append((p.stat().st_mtime, p))
            except OSError:
                pass
    for _, old in sorted(others, reverse=True)[keep - 1:]:
        try:
            old.unlink()
        except OSError:
            pass


def atomic_write(path: str, data: bytes, mode: Optional[int] = None) -> None:
    """Replace `path` with `data` atomically: a temporary file
    ``.zhfix-<pid>-*.tmp`` beside it, fsynced, given the permission bits and
    renamed over it, so that a reader (or a crash, or SIGKILL) sees the old
    file or the new one, never half of either.

    `mode` gives the permission bits; by default those of the file being
    replaced (or 0o666 less the umask for a new file).
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = None
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            _write_all(f, data)
            f.flush()
            os.fsync(f.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_all(f, data: bytes) -> None:
    """Write `data` to `f` (a seam for tests that simulate a full disk)."""
    f.write(data)


