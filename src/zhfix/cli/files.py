"""Finding the files a command line names: directories walked, filters applied,
each file once.

Only the standard library is imported here: discovery runs before any repair
module is loaded.

Rules:

* A file named on the command line is always taken (``--include`` and
  ``--exclude`` choose among files *found in directories*); it can still be
  skipped for its size, or reported as binary when it is read.
* A directory is walked recursively.  Directories matching an exclude pattern
  (``.git``, ``node_modules``, virtual environments, ...) are not entered.
* Symbolic links met in a walk are followed only when they point to a file
  inside the same tree; links to directories are never followed, links out of
  the tree are skipped.  A file reached twice (named twice, named and inside a
  named directory, or through a link) is processed once.
* Leftover temporary files of an interrupted run (``.zhfix-<pid>-*.tmp``) are
  never taken as input; :func:`clean_temp_files` removes those whose process
  is gone.
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

from .. import lazyre


#: Files taken from directories unless ``--include`` says otherwise.
DEFAULT_INCLUDES: Tuple[str, ...] = (
    "*.txt", "*.text", "*.md", "*.markdown", "*.rst", "*.csv", "*.tsv", "*.json", "*.jsonl",
    "*.ndjson", "*.html", "*.htm", "*.xhtml", "*.xml", "*.srt", "*.ass", "*.ssa", "*.vtt",
    "*.lrc", "*.yaml", "*.yml", "*.toml", "*.ini", "*.cfg", "*.tex", "*.org", "*.py",
    "*.js", "*.ts", "*.css", "*.sql", "*.properties", "*.po",
)

#: Never entered or taken from directories (``--exclude`` adds to these).
DEFAULT_EXCLUDES: Tuple[str, ...] = (
    ".git", ".hg", ".svn", ".bzr", "_darcs", ".jj",
    ".venv", "venv", ".env", "env", ".tox", ".nox", ".eggs", "*.egg-info",
    "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".hypothesis", ".ipynb_checkpoints", "site-packages",
)

TEMP_RE = lazyre.compile(r"^\.zhfix-(\d+)-[^/\\]*\.tmp$")


@dataclass
class Source:
    """One file to process."""

    path: Path                    # as the user will see it in messages
    root: Optional[Path] = None   # the named directory it was found in (None: named itself)
    size: int = 0
    explicit: bool = True         # named on the command line

    @property
    def display(self) -> str:
        return str(self.path)


@dataclass
class Discovery:
    sources: List[Source] = field(default_factory=list)
    skipped: List[Tuple[str, str]] = field(default_factory=list)  # path, reason
    errors: List[Tuple[str, str]] = field(default_factory=list)   # path, message
    roots: List[Path] = field(default_factory=list)               # directories named


def _match(patterns: Sequence[str], name: str, rel: str) -> bool:
    """A pattern without ``/`` matches the file name, one with ``/`` the path
    relative to the named directory (``*`` then crosses ``/`` too)."""
    for p in patterns:
        if "/" in p:
            if fnmatch.fnmatchcase(rel, p.strip("/")) or fnmatch.fnmatchcase(rel, p.strip("/") + "/*"):
                return True
        elif fnmatch.fnmatchcase(name, p):
            return True
    return False


def is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def discover(
    paths: Iterable[str],
    include: Sequence[str] = DEFAULT_INCLUDES,
    exclude: Sequence[str] = (),
    max_size: Optional[int] = None,
    size_limit_explicit: bool = True,
) -> Discovery:
    """Expand `paths` (files and directories) into the sources to process, in
    a stable order: arguments in the order given, each directory sorted."""
    include = tuple(include) or DEFAULT_INCLUDES
    excludes = DEFAULT_EXCLUDES + tuple(exclude)
    out = Discovery()
    seen: set = set()

    def add(path: Path, root: Optional[Path], explicit: bool, st: Optional[os.stat_result] = None) -> None:
        try:
            if st is None:
                st = os.stat(path)
        except OSError as e:
            out.errors.append((str(path), "cannot read: " + _oserror(e, path)))
            return
        if not _is_regular(st):
            # a FIFO would block for ever waiting for a writer, a device
            # (/dev/zero) may never end: only regular files are read
            out.errors.append((str(path), f"not a regular file ({_kind(st)}); pipe it in: zhfix < FILE"))
            return
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        if max_size is not None and st.st_size > max_size and (size_limit_explicit or not explicit):
            out.skipped.append((str(path), f"larger than --max-size ({st.st_size} bytes)"))
            return
        out.sources.append(Source(path, root, st.st_size, explicit))

    for arg in paths:
        if not str(arg):  # Path("") would be the current directory
            out.errors.append(("''", "cannot read: empty path"))
            continue
        p = Path(arg)
        if p.is_dir():
            real_root = os.path.realpath(p)
            if real_root in seen:
                continue
            seen.add(real_root)
            out.roots.append(p)
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                rel_dir = os.path.relpath(dirpath, p)
                rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
                keep = []
                for d in sorted(dirnames):
                    full = os.path.join(dirpath, d)
                    if os.path.islink(full):
                        continue  # links to directories are never followed
                    if _match(excludes, d, rel_dir + d) or is_virtualenv(full):
                        continue
                    if os.path.realpath(full) in seen:  # a named directory met again
                        continue
                    keep.append(d)
                dirnames[:] = keep
                for name in sorted(filenames):
                    rel = rel_dir + name
                    if TEMP_RE.match(name):
                        continue
                    if _match(excludes, name, rel) or not _match(include, name, rel):
                        continue
                    full = Path(dirpath) / name
                    st = None
                    if full.is_symlink():
                        target = os.path.realpath(full)
                        if not _inside(target, real_root):
                            out.skipped.append((str(full), "symbolic link out of the tree"))
                            continue
                        if not os.path.isfile(target):
                            continue
                    else:
                        try:
                            st = os.lstat(full)
                        except OSError as e:
                            out.errors.append((str(full), _oserror(e, full)))
                            continue
                        if not _is_regular(st):
                            continue
                    add(full, p, False, st)
        else:
            if TEMP_RE.match(p.name):
                continue
            add(p, None, True)
    return out


def _is_regular(st: os.stat_result) -> bool:
    import stat
    return stat.S_ISREG(st.st_mode)


def _inside(path: str, root: str) -> bool:
    """Is real path `path` inside (or equal to) real path `root`?"""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False


def inside(path, root) -> bool:
    """Is `path` inside (or equal to) `root`, after resolving links?"""
    return _inside(os.path.realpath(path), os.path.realpath(root))


def _oserror(e: OSError, path=None) -> str:
    import errno

    if e.errno == errno.ELOOP:
        return "symbolic link loop"
    if e.errno == errno.ENOENT and path is not None and os.path.islink(path):
        return "dangling symbolic link"
    return e.strerror.lower() if e.strerror else str(e)


def _kind(st: os.stat_result) -> str:
    import stat

    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(st.st_mode):
            return name
    return "not a file"


def shown(path) -> str:
    """`path` as printed in messages, reports and JSON: a name that is not
    valid UTF-8 (or holds control characters) is escaped (``bad\\xff.txt``),
    as ls and git do, instead of failing to print."""
    text = str(path)
    if text.isprintable():
        return text
    raw = os.fsencode(text).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in raw)


def clean_temp_files(dirs: Iterable[Path]) -> List[str]:
    """Remove leftover ``.zhfix-<pid>-*.tmp`` files in `dirs` (recursively,
    with the same pruning as :func:`discover`) whose process is gone."""
    removed = []
    for top in dirs:
        if not os.path.isdir(top):
            continue
        for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
            dirnames[:] = [d for d in dirnames if not _match(DEFAULT_EXCLUDES, d, d)]
            removed += _remove_stale(dirpath, filenames)
    return removed


def clean_temp_files_beside(files: Iterable[Path]) -> List[str]:
    """Like :func:`clean_temp_files` for the directories holding `files`
    (not recursive)."""
    removed = []
    for d in sorted({os.path.dirname(os.path.abspath(f)) for f in files}):
        try:
            names = os.listdir(d)
        except OSError:
            continue
        removed += _remove_stale(d, names)
    return removed


def _remove_stale(directory: str, names: Iterable[str]) -> List[str]:
    """Delete the temporary files among `names` whose writer is gone."""
    removed = []
    for name in names:
        m = TEMP_RE.match(name)
        if m and not _alive(int(m.group(1))):
            path = os.path.join(directory, name)
            try:
                os.unlink(path)
                removed.append(path)
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    """Is process `pid` still running (so its temporary file may be in use)?"""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # no cheap, harmless probe: leave the file alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    try:  # a zombie (killed, not yet reaped) is not writing anything
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True
