"""Remember files that are already clean, so ``--check`` and ``--in-place`` over
a tree skip them next time (as black does).

One cache file per zhfix version and set of options, in the user cache
directory (``$ZHFIX_CACHE_DIR`` overrides it).  An entry is the file's size,
modification time and SHA-256: size and mtime equal means clean; size equal
but mtime different is settled by the hash (after a ``touch`` or a checkout
the file is read and hashed, but not repaired again).  Entries are computed in
the worker that read the file (:func:`entry_for`) and merged here.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Dict, Optional, Tuple

from ..data.store import atomic_write, user_cache_dir

Entry = Tuple[int, int, str]  # size, mtime_ns, sha256


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Cache:
    def __init__(self, key: str, directory: Optional[Path] = None) -> None:
        from .._version import __version__

        digest = hashlib.sha256(f"{__version__}\0{key}".encode()).hexdigest()[:16]
        self.directory = directory or user_cache_dir()
        self.path = self.directory / f"cache.{__version__}.{digest}.json"
        self.entries: Dict[str, Entry] = {}
        self._new: Dict[str, Entry] = {}
        self._gone: set = set()
        try:
            with open(self.path, "r", encoding="utf-8") as f:
                raw = json.load(f)
            self.entries = {k: tuple(v) for k, v in raw.items()}
        except (OSError, ValueError, TypeError, AttributeError):
            self.entries = {}

    @staticmethod
    def _key(path) -> str:
        return os.path.realpath(path)

    def is_clean(self, path) -> bool:
        """Was `path` clean, as it is now, when zhfix last looked?"""
        entry = self.entries.get(self._key(path))
        if entry is None:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        size, mtime, digest = entry
        if st.st_size != size:
            return False
        if st.st_mtime_ns == mtime:
            return True
        try:
            with open(path, "rb") as f:
                return file_hash(f.read()) == digest
        except OSError:
            return False

    def add(self, path, entry: Optional[Entry]) -> None:
        """Record `path` as clean (`entry` from :func:`entry_for`)."""
        if entry is not None:
            self._new[self._key(path)] = tuple(entry)
            self._gone.discard(self._key(path))

    def forget(self, path) -> None:
        self._gone.add(self._key(path))

    def save(self) -> None:
        """Merge what this run learnt into the cache file (atomically)."""
        if not self._new and not self._gone:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            try:  # another run may have saved meanwhile: merge, do not clobber
                with open(self.path, "r", encoding="utf-8") as f:
                    merged = {k: tuple(v) for k, v in json.load(f).items()}
            except (OSError, ValueError, TypeError, AttributeError):
                merged = dict(self.entries)
            for k in self._gone:
                merged.pop(k, None)
            merged.update(self._new)

            atomic_write(str(self.path), json.dumps(merged).encode("utf-8"))
        except OSError:
            pass  # not an error: the files are judged again next run


def entry_for(path, data: bytes) -> Optional[Entry]:
    """The cache entry for `path`, whose content is now `data` (None if the
    file changed meanwhile: zhfix does not vouch for content it has not seen)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_size != len(data):
        return None
    return (st.st_size, st.st_mtime_ns, file_hash(data))


def options_key(**options) -> str:
    return json.dumps(options, sort_keys=True, default=str)
