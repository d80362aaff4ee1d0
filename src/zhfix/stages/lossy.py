"""Step 7 of the runner (lossy, a report): places where bytes were lost,
reported, never guessed (docs/damage.md §1, §3).

* ``锟斤拷`` — two U+FFFD marks saved as UTF-8 and read as GBK;
* ``\\ufffd`` — a lossy decode's replacement character;
* a ``?`` glued to Chinese where no question is asked (``摘要? 目的?``) — a
  character GBK lacks, lost when the page was saved in GBK.
"""
from __future__ import annotations

from typing import List, Tuple

from .. import lazyre
from ..loops import scan
from ..data.chars import HAN
from .punct import is_question
from .spans import Findings, Stage

_KUNKAO_RE = lazyre.compile("(?:锟斤拷)+|\ufffd+")
_CN = f"{HAN}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019"
#: a "?" with Chinese on both sides; a space may stand between it and the next
_QMARK_RE = lazyre.compile(f"(?<=[{_CN}])\\?(?= ?[{_CN}])|(?<=[：，、；（])\\?")


def find(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, kind) of every lossy place."""
    # The patterns are tried only where zhfix.loops.scan finds their first
    # character; skipping a run once matched gives finditer's matches.
    out = []
    end = 0
    for i in scan.positions(text, scan.LOSSY):
        if i >= end:
            m = _KUNKAO_RE.match(text, i)
            if m is not None:
                kind = "replacement-char" if m.group(0)[0] == "\ufffd" else "kunkao"
                out.append((m.start(), m.end(), kind))
                end = m.end()
    for i in scan.positions(text, scan.QUESTION, scan.CHINESE):  # every mark _QMARK_RE wants before it is CHINESE
        if _QMARK_RE.match(text, i) is not None and not is_question(text, i):
            out.append((i, i + 1, "lost-char"))
    return out


def _lossy(text: str, ctx) -> Findings:
    places = find(text)
    if not places:
        return Findings([])
    evidence = {}
    for _, _, kind in places:  # counted as collections.Counter would, in the order met
        evidence[kind] = evidence.get(kind, 0) + 1
    return Findings([], reports=(("lossy", places, evidence),))


#: Places where bytes were lost: reported, never changed.
LOSSY = Stage("lossy", _lossy)
