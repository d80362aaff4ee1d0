"""Edits against a text, where they are (line, column) for the explanation,
and the interface every stage has (:class:`Stage`, :class:`Findings`)."""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Callable, Iterable, List, NamedTuple, Optional

from ..loops import scan


def lines(text: str) -> List[str]:
    """`text` cut after each "\\n", line endings kept.  Unlike str.splitlines
    this never cuts at U+0085, U+2028, form feeds or lone "\\r": those are
    characters of a line (and of mojibake), not line ends, for every tool that
    counts lines the way zhfix's explanation does."""
    parts = text.split("\n")  # each line's "\n" put back below
    last = parts.pop()
    out = [part + "\n" for part in parts]
    if last:
        out.append(last)
    return out


class Edit(NamedTuple):
    start: int
    end: int
    new: str
    note: str = ""


#: ``new_edit(Edit, (start, end, new, note))`` is ``Edit(start, end, new,
#: note)`` without NamedTuple's Python-level __new__, for the loops that make
#: an edit per annotation or per mark.
new_edit = tuple.__new__


def apply(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (any order) to `text`."""
    return scan.splice(text, in_order(edits))


def in_order(edits: Iterable[Edit]) -> list:
    """`edits` as a list in the order sorted() puts them in: the list itself
    where it is in that order already (the stages make theirs in order, so a
    long document's edits are not sorted)."""
    return edits if type(edits) is list and scan.ordered(edits) else sorted(edits)


class LineIndex:
    """Offset -> (1-based line, 1-based column) in one text."""

    def __init__(self, text: str) -> None:
        # where each line starts: the running sum of the lines' lengths, each
        # with its "\n", built with no Python loop over the lines
        starts = list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
        starts.pop()
        self.starts = starts

    def locate(self, offset: int):
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)


class Findings(NamedTuple):
    """What a stage found in the text it was given.

    `edits` undo the damage (placed in that text, not overlapping); `count`
    is how many changes the step reports (one an edit when None); `evidence`
    is the step's; `reports` are places found and left as they were, each
    group ``(step name, [(start, end, note)], evidence)``; `text`, where
    given, is the text after the stage, whose edits then list only the
    changes it decided (the bulk conversion changes more characters than
    an explanation lists one by one)."""

    edits: list
    count: Optional[int] = None
    evidence: Optional[dict] = None
    reports: tuple = ()
    text: Optional[str] = None


class Stage(NamedTuple):
    """One step of the repair, as zhfix.runner runs it.

    ``find(text, ctx) -> Findings``; ``apply(text, ctx) -> (text, count,
    evidence)``, where a stage has it, makes the same changes without an edit
    object each; a repair that does not explain itself runs it, as it is
    faster on long documents.  `ctx` is the repair's zhfix.runner.Context."""

    name: str
    find: Callable
    apply: Optional[Callable] = None
