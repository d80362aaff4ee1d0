"""Regular expressions compiled where they are first used, not at import.

zhfix's modules hold some 75 patterns, many of them classes of Han characters
(``[\\u3400-\\u4dbf\\u4e00-\\u9fff...]``): ``re`` builds such a class by
visiting each of its ~28,000 code points in Python, 2-7 ms a pattern, and a
process does it again each time it starts.  A page that needs only some of
them (a clean file through the CLI, a shell one-liner) should not pay for
all of them: :func:`compile` returns a :class:`Lazy` that compiles on the
first use of any of its attributes, and from then on answers ``search``,
``match`` and the other methods with the compiled pattern's own (bound
methods put in the instance's dict, found there as any attribute is).
"""
from __future__ import annotations

import re

#: the compiled pattern's attributes a Lazy keeps once compiled
_KEPT = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
         "flags", "groups", "groupindex")


class Lazy:
    """``re.compile(pattern, flags)``, made at the first use of an attribute
    other than `pattern` (the source, read without compiling)."""

    def __init__(self, pattern, flags: int = 0):
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name):
        # (called only for what the instance does not hold yet)
        if name.startswith("__"):
            raise AttributeError(name)  # (copy, pickle and the like probe for these)
        compiled = re.compile(self.pattern, self._flags)
        kept = self.__dict__
        for attr in _KEPT:
            kept[attr] = getattr(compiled, attr)
        kept["compiled"] = compiled
        return kept[name] if name in kept else getattr(compiled, name)

    def __reduce__(self):
        return Lazy, (self.pattern, self._flags)  # (copied or pickled as it was made)

    def __repr__(self) -> str:
        return f"lazyre.compile({self.pattern!r}, {self._flags!r})"


def compile(pattern, flags: int = 0) -> Lazy:  # noqa: A001 (re.compile's name, as a drop-in)
    return Lazy(pattern, flags)
