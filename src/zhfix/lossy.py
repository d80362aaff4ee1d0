"""Places where bytes were lost: reported, never guessed (damage.md §1, §3).

* ``锟斤拷`` — two U+FFFD marks saved as UTF-8 and read as GBK;
* ``\\ufffd`` — a lossy decode's replacement character;
* a ``?`` glued to Chinese where no question is asked (``摘要? 目的?``) — a
  character GBK lacks, lost when the page was saved in GBK.
"""
from __future__ import annotations

import re
from typing import List, Tuple

from .chardata import HAN
from .punct import is_question

_KUNKAO_RE = re.compile("(?:锟斤拷)+|\ufffd+")
_CN = f"{HAN}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019"
#: a "?" with Chinese on both sides (a space may stand between it and the next)
_QMARK_RE = re.compile(f"(?<=[{_CN}])\\?(?= ?[{_CN}])|(?<=[：，、；（])\\?")


def find(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, kind) of every lossy place."""
    out = []
    for m in _KUNKAO_RE.finditer(text):
        kind = "replacement-char" if m.group(0)[0] == "\ufffd" else "kunkao"
        out.append((m.start(), m.end(), kind))
    if "?" in text:
        for m in _QMARK_RE.finditer(text):
            if not is_question(text, m.start()):
                out.append((m.start(), m.end(), "lost-char"))
    return out
