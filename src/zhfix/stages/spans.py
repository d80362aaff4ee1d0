"""Edits against a text, and where they are (line, column) for the explanation."""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
import re
from typing import Iterable, List, NamedTuple

from ..loops import scan


_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")


def lines(text: str) -> List[str]:
    """`text` cut after each "\\n", line endings kept.  Unlike str.splitlines
    this never cuts at U+0085, U+2028, form feeds or lone "\\r": those are
    characters of a line (and of mojibake), not line ends, for every tool that
    counts lines the way zhfix's explanation does."""
    return _LINE_RE.findall(text)


class Edit(NamedTuple):
    start: int
    end: int
    new: str
    note: str = ""


#: ``new_edit(Edit, (start, end, new, note))`` is ``Edit(start, end, new,
#: note)`` without NamedTuple's Python-level __new__ (for the loops that make
#: an edit per annotation or per mark).
new_edit = tuple.__new__


def apply(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (any order) to `text`."""
    if type(edits) is not list or not scan.ordered(edits):
        edits = sorted(edits)  # (the stages make theirs in order: no sort of millions of edits)
    return scan.splice(text, edits)


class LineIndex:
    """Offset -> (1-based line, 1-based column) in one text."""

    def __init__(self, text: str) -> None:
        # where each line starts: the running sum of the lines' lengths (each
        # with its "\n"), all in C (split, map, accumulate)
        starts = list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
        starts.pop()
        self.starts = starts

    def locate(self, offset: int):
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)
