"""Step 6 of the runner (restore-punctuation): restore the fullwidth
punctuation a mirror folded to ASCII.

Only in text diagnosed as disguised, and only where the mark sits in Chinese:
``企业,又有`` -> ``企业，又有``; ``(记者 霍一夫)`` -> ``（记者 霍一夫）``;
``声明:`` -> ``声明：``.  ``11:28:52``, ``3,000`` and English stay as they are.
A ``?`` becomes ``？`` only where a question is asked (吗, 呢, 什么 …); a ``?``
glued to Chinese with no question is the mark of a lost character (reported
by :mod:`zhfix.stages.lossy`, never changed).
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from .. import lazyre
from ..loops import scan
from ..structure import structural_marks
from ..data.chars import CJK_PUNCT, FULLWIDTH, HAN, HAN_RE
from .spans import Edit, Findings, Stage

_CN = f"{HAN}{CJK_PUNCT}"
_MARK_RE = lazyre.compile(r"[,;:!?]")
_PAREN_RE = lazyre.compile(r"\(([^()\n]{1,80})\)")
_HAN_RE = HAN_RE
_CN_RE = lazyre.compile(f"[{_CN}]")
#: Words that make a clause a question.
QUESTION_RE = lazyre.compile("[吗嗎呢么麼谁誰哪几幾怎何啥否]|什么|什麼|多少|难道|難道|为何|為何")
_CLAUSE_START = lazyre.compile(r"[。！？!?；;\n]")


def find_marks(text: str) -> List[Edit]:
    # the marks that sit in Chinese, as zhfix.loops.scan.marks finds them with
    # its CHINESE class standing for the characters of _CN: a comma with
    # Chinese on either side, not between ASCII letters or digits; a semicolon
    # likewise; a colon or an exclamation mark after Chinese; a question mark
    # after Chinese where is_question says a question is asked
    return scan.substitutions(text, scan.marks(text), FULLWIDTH, Edit, "?", is_question)[0]


def is_question(text: str, i: int) -> bool:
    """Does the clause ending at `i` ask something?  (A question word within
    the 40 characters before `i` with no clause start between it and `i`:
    each word found, the next stop after it is looked for, and the search
    goes on past it.  :func:`is_question_plain` cuts the clause first.)"""
    pos = max(0, i - 40)
    while True:
        word = QUESTION_RE.search(text, pos, i)
        if word is None:
            return False
        stop = _CLAUSE_START.search(text, word.end(), i)
        if stop is None:
            return True
        pos = stop.end()


def is_question_plain(text: str, i: int) -> bool:
    """:func:`is_question`, the clause cut at its last start, then searched."""
    start = max(0, i - 40)
    clause = text[start:i]
    cut = [m.end() for m in _CLAUSE_START.finditer(clause)]
    if cut:
        clause = clause[cut[-1]:]
    return QUESTION_RE.search(clause) is not None


def _paren_places(text: str) -> list:
    """Where each pair of parentheses around or beside Chinese opens and closes."""
    places = []
    for m in _PAREN_RE.finditer(text):
        s, e = m.span()
        prev = text[s - 1] if s else ""
        nxt = text[e] if e < len(text) else ""
        if _HAN_RE.search(m.group(1)) or _HAN_RE.match(prev or " ") or _HAN_RE.match(nxt or " "):
            places += (s, e - 1)
    return places


def find_parens(text: str) -> List[Edit]:
    places = _paren_places(text)
    return scan.substitutions(text, places, FULLWIDTH, Edit, "")[0] if places else []


def find_all(text: str) -> List[Edit]:
    """The edits of :func:`find_marks` and :func:`find_parens`, in the order
    of the text (made in one pass: no sort of a long document's edits)."""
    return scan.substitutions(text, _places(text), FULLWIDTH, Edit, "?", is_question)[0]


def restored(text: str) -> Tuple[str, int]:
    """(`text` with :func:`find_all`'s edits applied, how many there are),
    without an edit object each (what a repair that does not explain
    itself needs)."""
    return scan.substitute_in_chinese(text, FULLWIDTH, "?", is_question)


def _places(text: str) -> list:
    """Where find_all() looks: the marks in Chinese and the parentheses
    (those of find_marks and find_parens, in one scan)."""
    return scan.punct_places(text)


def restore_fullwidth(text: str) -> str:
    """The plain ``str -> str`` fix."""
    from .spans import apply
    return apply(text, find_all(text))


#: Stands in for a mark that is a document's structure while the others are
#: restored: a Unicode noncharacter, neither Chinese nor a mark.
_HELD = "\ufdd1"


def _held(text: str, ctx) -> Optional[List[int]]:
    """Where the marks of `text` that are its structure are (zhfix.structure,
    by the repair's kind); None: restore none (code)."""
    kind = "text" if ctx is None else ctx.kind
    if kind == "code":
        return None
    if kind in ("text", "tsv"):
        return []
    return structural_marks(text, kind)


def _mask(text: str, held: List[int]) -> str:
    """`text` with _HELD at the offsets `held` (in order; same length)."""
    return scan.splice(text, [(i, i + 1, _HELD) for i in held])


def _unmask(new: str, text: str, held: List[int]) -> str:
    """`new` (of `text` masked, the same length) with `text`'s own characters
    back at the offsets `held` (in order)."""
    return scan.splice(new, [(i, i + 1, text[i]) for i in held])


#: A colon that ends a line, as a list item's lead-in does (列出所有 issue:),
#: and the Han characters its line must hold to be Chinese prose.  One right
#: after Chinese is find_marks's, so the regex passes it by.
_LINE_END_COLON = lazyre.compile(f":(?<![{_CN}]:)[ \\t]*$", re.M)
LINE_HAN = 2


def line_end_colons(text: str) -> List[int]:
    """Offsets of the colons that end a line of Chinese prose whatever stands
    before them (an English word, inline code, a closing parenthesis): a
    converter folded ``：`` there; the marks after Chinese are found by
    :func:`find_marks` already."""
    out = []
    for m in _LINE_END_COLON.finditer(text):
        i = m.start()
        j = i - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j < 0 or text[j].isspace() or text[j] in ":/":
            continue  # a line of a colon; a URL's or a time's colon
        if _han_at_least(text, text.rfind("\n", 0, i) + 1, i, LINE_HAN):
            out.append(i)
    return out


def _han_at_least(text: str, start: int, end: int, least: int) -> bool:
    """Does text[start:end] hold `least` Han characters?  Searched one by
    one up to `least`, not all listed (a long line of prose holds hundreds)."""
    search = _HAN_RE.search
    for _ in range(least):
        m = search(text, start, end)
        if m is None:
            return False
        start = m.end()
    return True


def _find(text: str, ctx) -> Findings:
    held = _held(text, ctx)
    if held is None:
        return Findings([])
    # the held marks are masked, not removed, so the edits keep the offsets of
    # `text` and none lands on a held mark
    masked = _mask(text, held) if held else text
    edits = find_all(masked)
    colons = line_end_colons(masked)
    if colons:
        at = {e.start for e in edits}
        edits = sorted(edits + [Edit(i, i + 1, "：") for i in colons if i not in at])
    return Findings(edits)


def _restored(text: str, ctx):
    held = _held(text, ctx)
    if held is None:
        return text, 0, None
    masked = _mask(text, held) if held else text
    new, count = restored(masked)
    colons = [(i, i + 1, "：") for i in line_end_colons(masked) if new[i] == ":"]
    if colons:
        # spliced in one pass (a list of the text's characters would cost a
        # str object for each Chinese one)
        new, count = scan.splice(new, colons), count + len(colons)
    if held and count:
        new = _unmask(new, text, held)
    return (new if count else text), count, None


#: Fullwidth punctuation back where halfwidth marks sit in Chinese prose,
#: never in code, nor where a mark is a document's structure.
RESTORE_PUNCTUATION = Stage("restore-punctuation", _find, _restored)
