"""Which of zhfix's modules run compiled.

The modules of :data:`COMPILED` are plain Python.  Where Cython and a C
compiler are at hand, the build also compiles each of them, as it is, into
an extension module beside its source, and records the SHA-256 of the
source it compiled (``zhfix/_compiled.json``, written by setup.py).  Python
imports an extension in preference to its source.  The source is imported
instead:

* where ``ZHFIX_PURE`` is set (every compiled part of zhfix off: the
  pure-Python build, which gives the same results);
* where the source is not the one its extension was compiled from (edited
  after the build, or while it ran; no record of it): the extension would
  run other code.

The two builds run the same code, so they repair alike
(tests/test_speedups.py repairs every fixture both ways).
"""
from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from functools import lru_cache

#: The modules the build compiles with Cython (setup.py reads this tuple):
#: those every repaired page runs through, whose time is mostly the
#: interpreter's.
COMPILED = (
    "zhfix.runner",
    "zhfix.structure",
    "zhfix.stages.boilerplate",
    "zhfix.stages.convert",
    "zhfix.stages.decide",
    "zhfix.stages.diagnose",
    "zhfix.stages.pinyin",
    "zhfix.stages.punct",
    "zhfix.stages.spans",
)

_WATCHED = frozenset(COMPILED)
#: Where the build's record of the compiled sources is: beside this module.
RECORD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_compiled.json")
#: {module: why its source is imported instead of its extension}
interpreted: dict = {}


def _files(name: str, path) -> tuple:
    """(the module's source, its extension or None) in the package's `path`."""
    leaf = name.rpartition(".")[2]
    for entry in path or ():
        source = os.path.join(entry, leaf + ".py")
        if not os.path.isfile(source):
            continue
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            ext = os.path.join(entry, leaf + suffix)
            if os.path.isfile(ext):
                return source, ext
        return source, None
    return None, None


@lru_cache(maxsize=None)
def _record() -> dict:
    """The build's {module: SHA-256 of the source compiled} ({} if none),
    read once."""
    try:
        with open(RECORD, encoding="utf-8") as f:
            record = json.load(f)
        return record if isinstance(record, dict) else {}
    except (OSError, ValueError):
        return {}


def why_source(name: str, source: str) -> str:
    """Why the source of module `name` is imported rather than its extension
    ("" where it is not)."""
    if os.environ.get("ZHFIX_PURE"):
        return "ZHFIX_PURE is set"
    compiled = _record().get(name)
    if compiled is None:
        return "no record of the source its build compiled"
    with open(source, "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != compiled:
            return "its source differs from the one its build compiled"
    return ""


class SourceFirst:
    """A meta path finder: a module of COMPILED is imported from its source
    where :func:`why_source` says so, else as Python would (its extension)."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in _WATCHED:
            return None
        source, ext = _files(name, path)
        if source is None or ext is None:
            return None  # no extension built: Python imports the source anyway
        why = why_source(name, source)
        if not why:
            return None
        interpreted[name] = why
        return importlib.util.spec_from_file_location(name, source)


def install() -> None:
    """Put :class:`SourceFirst` first on ``sys.meta_path`` (once)."""
    if not any(f is SourceFirst for f in sys.meta_path):
        sys.meta_path.insert(0, SourceFirst)


def status() -> str:
    """"" where every module of COMPILED runs compiled; else which run
    interpreted and why: as imported, for those imported so far; as they
    would be, for the others."""
    base = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    why = {}
    for name in COMPILED:
        module = sys.modules.get(name)
        if module is not None:
            if (getattr(module, "__file__", None) or "").endswith(".py"):
                why[name] = interpreted.get(name, "not compiled")
            continue
        source, ext = _files(name, [os.path.join(base, *name.split(".")[:-1])])
        reason = "not compiled" if ext is None else why_source(name, source)
        if reason:
            why[name] = reason
    if not why:
        return ""
    if len(why) == len(COMPILED) and len(set(why.values())) == 1:
        return f"its Python modules interpreted ({why[COMPILED[0]]})"
    return "interpreted: " + ", ".join(f"{name} ({reason})" for name, reason in why.items())
