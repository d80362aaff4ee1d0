"""Step 5 of the runner (to-simplified, simplify-first-characters):
traditional characters back to simplified.

OpenCC's TSCharacters/TSPhrases are the mapping table (see :mod:`zhfix.data.tables`).
The bulk of the text goes through one pass of the table, by zhfix.loops.scan
in C or by ``str.translate`` without the extension; only characters whose
simplified form depends on their neighbours (乾, 於, 著 …) are decided one by
one: by a TSPhrases entry where one matches, else by the word-frequency model.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import List, Optional, Tuple

from ..loops import scan
from .spans import Edit, Findings, Stage
from ..data.tables import t2s


def to_simplified(text: str) -> str:
    """The plain ``str -> str`` fix: ``to_simplified("質量發展") == "质量发展"``."""
    return convert(text)[0]


def convert(text: str, fast: bool = True) -> Tuple[str, List[Tuple[int, str, str]]]:
    """Return (converted text, decisions) where decisions lists
    ``(offset, traditional, chosen)`` for every character decided in context.

    The fast path translates runs between the characters decided in context
    with one pass of the bulk table; ``fast=False`` looks every character up on its
    own: the straightforward reading of the table, kept to test the fast one."""
    if not fast:
        return _convert_plain(text)
    places = scan.positions(text, scan.SPECIAL)
    if not places:
        return _bulk(text), []

    # the bulk table maps one character to one: offsets stay where they were,
    # and the bulk text around a place is its context translated
    return _places_decided(text, _bulk(text), places, False)


def converted(text: str, fast: bool = True) -> Tuple[str, int]:
    """``(convert(text)[0], len(convert(text)[1]))``: the converted text and
    how many characters were decided in context to something else, without a
    record of each (what a repair that does not explain itself needs)."""
    if not fast:
        out, decisions = convert(text, fast=False)
        return out, len(decisions)
    places = scan.positions(text, scan.SPECIAL)
    if not places:
        return _bulk(text), 0
    return _places_decided(text, _bulk(text), places, True)


def _bulk(text: str) -> str:
    """`text` through the bulk table, and a simplified form the standard
    replaced (谘) made the standard one (t2s().replaced: in converted text
    only, not in the readings a misread span is scored by)."""
    return scan.to_simplified_bulk(text, replaced=True)


def _places_decided(text: str, bulk: str, places: list, counted: bool):
    """The bulk translation with each place decided in context (as
    :func:`_decide` decides it): (text, decisions), or (text, how many
    decisions) when `counted`.  Choices of the word model are kept in
    _CHOICES by the seven characters around their place."""
    if len(_CHOICES) >= MAX_CHOICES:
        _CHOICES.clear()
    if scan.COMPILED:
        return _places_decided_c(text, bulk, places, counted)
    return _places_decided_py(text, bulk, places, counted)


def _places_decided_c(text: str, bulk: str, places: list, counted: bool):
    # the C loop zhfix.loops._speedups.t2s_places calls no Python, so it lists
    # the places whose choice is neither given nor in the memo: they are chosen
    # here, then the loop runs again
    tables = t2s()
    cands_of, memo, choose = _candidates(), _CHOICES, _choose()
    n = len(text)
    # the places within three characters of an end have no seven characters
    # to be remembered by, so their choices are given wherever the model decides
    given = {}
    if places and (places[0] < 3 or places[-1] >= n - 3):
        for i in places[:bisect_left(places, 3)] + places[bisect_left(places, n - 3):]:
            if cands_of.get(text[i]):
                given[i] = choose(bulk[max(0, i - 3):i], cands_of[text[i]], bulk[i + 1:i + 4])
    args = (text, bulk, places, tables._phrase_groups, cands_of, tables._defaults, memo, counted)
    out, got = scan._c.t2s_places(*args, given or None)
    if out is None:
        for i in got:
            left, right = bulk[i - 3:i], bulk[i + 1:i + 4]
            given[i] = choice = choose(left, cands_of[text[i]], right)
            if len(memo) < MAX_CHOICES:
                memo[left + text[i] + right] = choice
        out, got = scan._c.t2s_places(*args, given)
    return out, got


def _places_decided_py(text: str, bulk: str, places: list, counted: bool):
    # the fallback of the C loop; only the places whose choice differs from the
    # bulk table's are spliced in
    tables = t2s()
    groups, phrase, defaults = tables._phrase_groups, tables.phrase_choice, tables._defaults
    cands_of, choose, memo = _candidates(), _choose(), _CHOICES
    inner = len(text) - 3  # a place below it, and from 3 on, has its seven characters
    decisions, edits = [], []
    for i in places:
        ch = text[i]
        choice = phrase(text, i) if ch in groups else None
        if choice is None:
            cands = cands_of.get(ch)
            if not cands:
                choice = defaults.get(ch, ch)
            elif 3 <= i < inner:
                left, right = bulk[i - 3:i], bulk[i + 1:i + 4]
                key = left + ch + right
                choice = memo.get(key)
                if choice is None:
                    choice = choose(left, cands, right)
                    if len(memo) < MAX_CHOICES:
                        memo[key] = choice
            else:
                choice = choose(bulk[max(0, i - 3):i], cands, bulk[i + 1:i + 4])
        if choice != ch:
            decisions.append((i, ch, choice))
        if choice != bulk[i]:
            edits.append((i, i + 1, choice))
    out = scan.splice(bulk, edits) if edits else bulk
    return (out, len(decisions)) if counted else (out, decisions)


#: model.choose's choices by the seven characters around a place, three on
#: either side through the bulk table, so that the C loop looks a choice up
#: without calling model.choose.  Emptied at MAX_CHOICES, the size of
#: choose's own cache.
_CHOICES: dict = {}
MAX_CHOICES = 65536


def _convert_plain(text: str):
    tables = t2s()
    out, decisions = [], []
    for i, ch in enumerate(text):
        if tables.special_re.match(ch):
            choice = _decide(text, i, fast=False)
            if choice != ch:
                decisions.append((i, ch, choice))
        else:
            choice = tables.table.get(ord(ch), tables.replaced.get(ord(ch), ch))
        out.append(choice)
    return "".join(out), decisions


def _decide(text: str, i: int, fast: bool = True, bulk: Optional[str] = None) -> str:
    """The simplified form of text[i], a character decided in context.
    `bulk`: the text through the bulk table, where the caller has it (its
    context, already translated)."""
    tables = t2s()
    choice = tables.phrase_choice(text, i) if fast else tables.phrase_choice_plain(text, i)
    if choice is not None:
        return choice
    cands = _candidates().get(text[i])
    if not cands:
        return tables.default(text[i])
    if bulk is None:
        left = scan.to_simplified_bulk_py(text[max(0, i - 3):i], replaced=True)
        right = scan.to_simplified_bulk_py(text[i + 1:i + 4], replaced=True)
    else:
        left, right = bulk[max(0, i - 3):i], bulk[i + 1:i + 4]
    return _choose()(left, cands, right)


@lru_cache(maxsize=None)
def _candidates() -> dict:
    """t2s().candidates with each list as a tuple (model.choose's cache key)."""
    return {ch: tuple(c) for ch, c in t2s().candidates.items()}


@lru_cache(maxsize=None)
def _choose():
    """model.choose (imported on the first decision: start-up stays light)."""
    from .model import choose
    return choose


def count_convertible(text: str, fast: bool = True) -> int:
    """How many characters the bulk table would change (for the report)."""
    if fast:
        return scan.count(text, scan.CONVERT)
    convertible = t2s().convertible
    return sum(1 for ch in text if ch in convertible)


#: The different simplified-only characters of a text that first_characters
#: asks before it looks at a line (text that is clearly simplified).
FIRST_CHARACTERS_LEAST = 10
#: The different simplified-only characters the rest of a line needs for
#: first_characters to look at its first character.
LINE_SIMPLIFIED_LEAST = 3


def first_characters(text: str, simplified_chars: Optional[int] = None):
    """Edits for lines of simplified text whose first character alone is
    traditional (过去 written 過去): only in text that is clearly simplified
    (at least 10 different simplified-only characters), only where the rest of
    the line has simplified-only characters and no traditional-only ones, and
    only where a Han character follows it: the character starts the line's
    first word, while a traditional headword followed by a colon, an arrow
    or a tab is a glossary's (學：学习的学, 書 → 书), written so; and only a
    form a converter writes (_converter_writes).
    `simplified_chars`: how many simplified-only characters the text has, when
    the caller has counted them."""
    if simplified_chars is not None and simplified_chars < FIRST_CHARACTERS_LEAST:
        return []
    if scan.distinct(text, scan.SIMPLIFIED, FIRST_CHARACTERS_LEAST) < FIRST_CHARACTERS_LEAST:
        return []
    edits = []
    for i in _line_starts(text):
        ch = text[i]
        end = text.find("\n", i)
        rest = text[i + 1:] if end == -1 else text[i + 1:end]
        # the rest of the line by its classes (the class table's TRADITIONAL
        # and SIMPLIFIED are t2s().traditional and simplified_only()): no
        # traditional-only character, three different simplified-only ones
        if rest and scan.classes(rest[0]) & scan.HAN and not scan.count(rest, scan.TRADITIONAL) \
                and scan.distinct(rest, scan.SIMPLIFIED, LINE_SIMPLIFIED_LEAST) >= LINE_SIMPLIFIED_LEAST:
            new = convert(ch + rest[:3])[0][0]
            if new != ch and _converter_writes(new, ch):
                edits.append(Edit(i, i + 1, new, "first character of a simplified line"))
    return edits


def _converter_writes(simplified: str, traditional: str) -> bool:
    """Does a converter (s2t, s2tw) write `traditional` for `simplified`, a
    character of everyday simplified text (GB2312)?  Not for a name's own
    form: 滙 (Hong Kong's 滙豐; they write 匯 for 汇), or a rare character's
    (鴜, whose simplified form 𪉈 GB2312 lacks)."""
    try:
        simplified.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return traditional in _converters_forms().get(simplified, ())


@lru_cache(maxsize=1)
def _converters_forms():
    """Each simplified character's traditional forms as OpenCC's s2t and
    s2tw write them (STCharacters, and Taiwan's standard forms of those:
    爲 -> 為, 啓 -> 啟); Hong Kong's (滙) are a name's more often."""
    from ..data.tables import read_dict

    tw = read_dict("TWVariants")
    return {k: set(v) | {tw[f][0] for f in v if f in tw} for k, v in read_dict("STCharacters").items()}


def _line_starts(text: str) -> list:
    r"""The offsets of group 1 of ``re.finditer(r"^[ \t\u3000]*(\S)(.*)$",
    text, re.M)`` whose character is traditional-only, found from those
    characters (zhfix.loops.scan) where the previous one is white space or
    none: a page of Japanese has many lines, few starting so."""
    places = scan.positions(text, scan.TRADITIONAL, scan.SPACE)
    if text and scan.classes(text[0]) & scan.TRADITIONAL:
        places.insert(0, 0)
    out = []
    for i in places:
        start = text.rfind("\n", 0, i) + 1
        if not text[start:i].strip(" \t\u3000"):
            out.append(i)
    return out


def _to_simplified(text: str, ctx) -> Findings:
    fast = ctx.config.fast
    bulk = count_convertible(text, fast)
    after, decisions = convert(text, fast=fast)
    edits = [Edit(off, off + len(old), new, "decided by the words around it") for off, old, new in decisions]
    return Findings(edits, bulk + len(decisions), {"by_table": bulk, "in_context": len(decisions)}, text=after)


def _simplified(text: str, ctx):
    fast = ctx.config.fast
    bulk = count_convertible(text, fast)
    after, in_context = converted(text, fast=fast)
    return after, bulk + in_context, {"by_table": bulk, "in_context": in_context}


def _first_characters(text: str, ctx) -> Findings:
    return Findings(first_characters(text, ctx.known_simplified))


#: The whole document back to simplified, in a document diagnosed as disguised.
TO_SIMPLIFIED = Stage("to-simplified", _to_simplified, _simplified)
#: Lines of simplified text whose first character alone was converted.
SIMPLIFY_FIRST_CHARACTERS = Stage("simplify-first-characters", _first_characters)
