"""One pass over a text's characters: which classes of character it uses.

Every stage of the pipeline first asks whether the text can need it at all
(clean text needs none of them).  The answer comes from one table lookup per
character: ``table[code point]`` holds 16 class bits, and the text's
classes are those OR-ed together.  The table is built once, lazily,
from the same sets the stages use (OpenCC's dictionaries, the everyday
characters of GB2312/Big5 level 1).

The loops are in C (``zhfix.loops._speedups``, compiled when zhfix is installed
with a C compiler at hand); without it, or with ``ZHFIX_PURE=1`` in the
environment, the pure-Python fallbacks below give the same answers, more
slowly (tests/test_speedups.py compares each loop with its fallback).  The C
loops call no Python code: where a decision needs it (a model's choice, a
score, whether a "?" asks), the loop lists what it could not decide, and the
function here supplies it and asks again.  (zhfix.fix_text's shortcut,
``_speedups.Fixer``, is no loop: it calls the Python functions it stands for,
once its scan of a page is done.)  What has no loop over characters
(the edits of an explained repair) is plain Python, with no C.
"""
from __future__ import annotations

import os
import re
import struct
from functools import lru_cache
from itertools import groupby

from .. import lazyre
from ..classes import (  # noqa: F401  (the class bits, and the table the loops read)
    ALL, BADNESS, CHINESE, CONVERT, FORM, FULL, HALF, HAN, KANA, KANA_HANGUL, LATIN, LATIN_LEAD, LETTER, LOSSY, MISREAD, PAREN,
    QUESTION, SCRIPT_BITS, SCRIPTS, SIMPLIFIED, SPACE, SPECIAL, TERM, TRADITIONAL, UNUSUAL, NOT_CP932, NOT_CP949, table,
)

_why_pure = None
if os.environ.get("ZHFIX_PURE"):
    _c = None
    _why_pure = "ZHFIX_PURE is set"
else:
    import importlib

    try:
        _c = importlib.import_module(__package__ + "._speedups")
    except ModuleNotFoundError:  # built without a C compiler: the fallbacks below
        _c = None
        _why_pure = "no C extension was built"
    except ImportError as e:  # built, but it does not load here: perhaps another Python's build
        _c = None
        _why_pure = f"the C extension did not load ({e})"

#: True when the C loops are in use.
COMPILED = _c is not None


def build_info() -> str:
    """Which build of zhfix's per-character loops is in use: ``"compiled"``
    for the C extension zhfix.loops._speedups, or ``"pure Python: "``, why,
    and how much slower their pure-Python fallbacks are, with the same
    results.  ``zhfix --version`` prints it."""
    if _c is not None:
        return "compiled"
    if _why_pure == "no C extension was built":
        return ("pure Python: no C extension was built; 45-155x slower"
                " - install a wheel, or reinstall with a C compiler")
    return f"pure Python: {_why_pure}; 45-155x slower"


#: The class table, once a loop has asked for it: read from a global by each
#: call, not through table()'s cache (a call less in every scan of a page).
_TABLE = None


def _table():
    global _TABLE
    _TABLE = table()
    return _TABLE


def classes(text: str) -> int:
    """The class bits of every character of `text`, OR-ed together."""
    if _c is not None:
        return _c.classes(text, (_TABLE or _table()))
    return classes_py(text)


def classes_placed(text: str, placed: int, before: int, after: int) -> int:
    """``classes(text)`` without the `placed` bits where no character of
    `text` has them between a character with `before` and one with `after`
    (``positions(text, placed, before, after)`` is empty; 0 asks nothing of
    that side, as there), in one call."""
    if _c is not None:
        return _c.classes(text, (_TABLE or _table()), placed, before, after)
    return classes_placed_py(text, placed, before, after)


#: Facts of a page above its class bits, set by :func:`page` where they
#: hold (no class table entry has them; ALL has none, so that a mask made
#: without them asks every question again):
#: no spam header can start the page (its first line is too short, or the
#: first line that is not blank holds no Han character);
HEADLESS = 1 << 34
#: no run of unusual characters is left for the mojibake check to look at;
RUNS_CALM = 1 << 35
#: a page of Japanese, by the diagnosis's count of kana and traditional
#: characters (decide._japanese), with fewer simplified-only characters
#: than a line of simplified text needs, or no line that opens as one
#: whose first character alone is traditional (convert.first_characters);
JAPANESE = 1 << 36
#: no stretch after an ASCII parenthesis where an annotation can open holds
#: only what an annotation holds (pinyin.CANDIDATE_RE): no candidate of the
#: mirror's shape (one after a fullwidth parenthesis never is);
NO_ANNOTATION = 1 << 37
#: a traditional page without the counted signs of a disguise: (almost) no
#: simplified-only characters, and not more halfwidth marks after Han
#: characters than fullwidth ones can stand beside (decide.undisguisable).
TAIWAN = 1 << 33
#: no "?" stands right after a Chinese character (a CHINESE one): none is
#: a lost character (zhfix.stages.lossy) nor a misread GBK span's start
#: (zhfix.stages.reread, which looks after Han characters, all CHINESE).
#: (Every fact lies above the class table's 32 bits: the C loop returns 64.)
QUESTIONS_APART = 1 << 32
FACTS = HEADLESS | RUNS_CALM | JAPANESE | NO_ANNOTATION | TAIWAN | QUESTIONS_APART
assert not FACTS & ALL, "a fact's bit is a class's"

#: The fields of :func:`page_facts`, in the order of the C loop's ``enum``.
PAGE_FIELDS = (
    "placed", "before", "after", "within", "headless", "min_body",
    "unusual", "kana_hangul", "han", "misread", "kana_least", "kana_ratio", "min_len", "up_to", "runs_calm",
    "traditional", "kana", "simplified", "japanese_least", "japanese_ratio", "simplified_least",
    "japanese",
    "full", "half", "form", "simplified_most", "half_per_full", "taiwan",
    "limit", "open", "close", "close_wide", "inside", "quote", "quote_curly", "digit_low", "digit_high", "no_annotation",
    "question", "question_after", "questions_apart",
    "uncalm", "line_simplified", "annotation", "scripts", "uncalm_run",
)


def page_facts(plain: tuple, on_kana: tuple, **fields: int) -> bytes:
    """The `facts` :func:`page` reads: the PAGE_FIELDS by name, then the
    flat (need, reject) pairs of `plain` and `on_kana` (at most 16 each):
    the fields and the two counts as native uint64s (a fact's bit may lie
    above bit 31), the pairs (class bits) as native uint32s; the C loop
    reads them as they are, with no parsing."""
    values = [fields.pop(name) for name in PAGE_FIELDS]
    if fields:
        raise TypeError(f"unknown page facts {sorted(fields)}")
    if len(plain) % 2 or len(on_kana) % 2 or len(plain) > 32 or len(on_kana) > 32:
        raise ValueError("plain and on_kana are at most 16 pairs (need, reject), flat")
    values += [len(plain) // 2, len(on_kana) // 2]
    pairs = (*plain, *on_kana)
    return struct.pack(f"={len(values)}Q{len(pairs)}I", *values, *pairs)


@lru_cache(maxsize=8)
def _page_fields(facts: bytes):
    k = len(PAGE_FIELDS)
    values = struct.unpack(f"={k + 2}Q", facts[:8 * (k + 2)])
    pairs = struct.unpack(f"={(len(facts) - 8 * (k + 2)) // 4}I", facts[8 * (k + 2):])
    named = dict(zip(PAGE_FIELDS, values))
    n_plain = values[k]
    return named, pairs[:2 * n_plain], pairs[2 * n_plain:]


def page(text: str, facts: bytes) -> int:
    """``classes_placed(text, placed, before, after)`` and, in the same
    call, facts of the page as the bits above its classes that hold, for a
    clean page's fast path (zhfix.runner.PAGE_FACTS makes `facts` with
    :func:`page_facts`):

    - HEADLESS, told only of a page with `han` characters: the first
      character is no white space and a line break comes within the first
      `within` characters; or the first line that is not blank holds no
      `han` character; or (a page of at most `up_to` characters) fewer
      than `min_body` `han` characters follow that line's line break (none
      follows: a line alone);
    - RUNS_CALM, told only of a page of at most `up_to` characters with
      `unusual` characters, unless it has one of `scripts` alone and none
      of `uncalm_run` (its classes tell the mojibake check's answer):
      ``runs(text, unusual, min_len, settled)`` is empty, `settled` being
      `on_kana` on a page of kana or Hangul (`han` and `kana_hangul`
      characters, no `misread` ones, at least `kana_least` of
      `kana_hangul` and `kana_ratio` times as many as of `han`) and
      `plain` on any other;
    - QUESTIONS_APART, told only of a page of at most `up_to` characters
      with `question` and `question_after` characters: no `question` one
      stands right after a `question_after` one
      (``positions(text, question, question_after)`` is empty);

    JAPANESE, TAIWAN and NO_ANNOTATION, which only a calm page's verdict
    reads, are not told of a page with any of `uncalm`, nor of one with
    `question` and `question_after` characters unless QUESTIONS_APART is
    told; JAPANESE and TAIWAN not of a page with all of `annotation`
    unless NO_ANNOTATION is told (no such page is calm):

    - JAPANESE, told only of a page of at most `up_to` characters with
      `traditional` and `kana` characters: at least `japanese_least` of
      `kana` and `japanese_ratio` times as many as of `traditional`, and
      fewer than `simplified_least` of `simplified` or no line that opens,
      after blanks (space, tab, U+3000), with a `traditional` character and
      a `han` one and has no other `traditional` one and at least
      `line_simplified` different `simplified` ones (of LINE_DISTINCT at
      most) up to its line feed;
    - TAIWAN, told only of a page of at most `up_to` characters with
      `traditional` characters and `simplified` or `half` ones (else its
      classes tell), no `form` ones, not found JAPANESE: at most
      `simplified_most` of `simplified`,
      and no more marks with `half` right after `han` characters (or a
      comma before one: :func:`marks_after_han`) than `half_per_full`
      times as many as of `full`;
    - NO_ANNOTATION, told only of a page of at most `up_to` characters
      whose `placed` bit is kept: no placed character that is `open` is
      followed, less than `limit` characters on, by `close` or `close_wide` with only
      characters of the `inside` classes, `quote`, `quote_curly` and
      `digit_low` to `digit_high` between (code points)."""
    if _c is not None:
        return _c.page(text, (_TABLE or _table()), facts)
    return page_py(text, facts)


def count(text: str, bits: int) -> int:
    """How many characters of `text` have any of `bits`."""
    if _c is not None:
        return _c.count(text, (_TABLE or _table()), bits)
    return count_py(text, bits)


def marks_after_han(text: str) -> int:
    """``len(chars.HALF_AFTER_HAN_RE.findall(text))``: the halfwidth
    marks right after a Han character, or a comma before one (the
    diagnosis's evidence of a converter's fold)."""
    if _c is not None:
        return _c.marks_after_han(text, (_TABLE or _table()), HALF, HAN)
    return marks_after_han_py(text)


def marks_after_han_py(text: str, half: int = HALF, han: int = HAN) -> int:
    # the regex's matches, left to right: a mark after a Han character the
    # previous match left free, else a comma before one (tests compare it
    # with chars.HALF_AFTER_HAN_RE)
    tab = table_list()
    found = free_at = 0
    for i, ch in enumerate(text):
        if not tab[ord(ch)] & half:
            continue
        if i - 1 >= free_at and tab[ord(text[i - 1])] & han:
            found += 1
            free_at = i + 1
        elif ch == "," and i + 1 < len(text) and tab[ord(text[i + 1])] & han:
            found += 1
            free_at = i + 2
    return found


def counts(text: str, masks: tuple) -> tuple:
    """``tuple(count(text, m) for m in masks)`` (at most 8 masks), in one pass."""
    if _c is not None:
        return _c.counts(text, (_TABLE or _table()), masks)
    return counts_py(text, masks)


#: The classes a page's census counts (:func:`census`), in this order.
CENSUS = (TRADITIONAL, SIMPLIFIED, FULL, FORM, UNUSUAL, KANA, KANA_HANGUL, HAN)


def census(text: str) -> tuple:
    """``counts(text, CENSUS)``: one pass for what the diagnosis and the
    mojibake check (decide.kana_page) both count of a page."""
    return counts(text, CENSUS)


def positions(text: str, bits: int, before: int = 0, after: int = 0) -> list:
    """The offsets of the characters of `text` that have any of `bits`; with
    `before` (`after`), only those whose previous (next) character has any of
    these."""
    if _c is not None:
        return _c.positions(text, (_TABLE or _table()), bits, before, after)
    return positions_py(text, bits, before, after)


def marks(text: str) -> list:
    """The offsets of the halfwidth marks that sit in Chinese, by
    zhfix.stages.punct's rules (a "?" after Chinese: whether it asks is the caller's
    to say)."""
    return marks_py(text)


def punct_places(text: str) -> list:
    r""":func:`marks` and the offsets of the parentheses zhfix.stages.punct restores
    (each pair of ``re.finditer(r"\(([^()\n]{1,80})\)", text)`` with a Han
    character between them, before the "(" or after the ")"), in one list
    in the order of the text."""
    if _c is not None:
        return _c.punct_places(text, (_TABLE or _table()), HALF, CHINESE, HAN)
    return punct_places_py(text)


def enclosed(text: str, starts: list, close: str, limit: int, known: dict, make=None) -> list:
    """For each offset i >= 1 of `starts` where a character of `close`
    follows less than `limit` after it (at j, the first): (i - 1, v), v being
    ``known[text[i-1:j+1]]`` where `known` has that string, else the string.
    With `make`: a string not in `known` is put there as ``make(string)``,
    and the pairs whose v is None are left out."""
    loop = _c.enclosed if _c is not None else enclosed_py
    if make is None:
        return loop(text, starts, close, limit, known)
    return _learning(lambda k, missing: loop(text, starts, close, limit, k, missing), known, make)


def enclosed_at(text: str, bits: int, before: int, after: int, close: str, limit: int, known: dict,
                make=None, first: int = 0) -> list:
    """``enclosed(text, positions(text, bits, before, after), close, limit,
    known, make)``, the starts found as the C loop goes (no list of them);
    only the starts from `first` on."""
    if _c is not None:
        missing = None if make is None else []
        out = _c.enclosed(text, None, close, limit, known, missing, (_TABLE or _table()), bits, before, after, first)
        return _patched(out, missing, known, make)
    starts = [i for i in positions_py(text, bits, before, after) if i >= first]
    if make is None:
        return enclosed_py(text, starts, close, limit, known)
    return _learning(lambda k, missing: enclosed_py(text, starts, close, limit, k, missing), known, make)


def _learning(loop, known: dict, make) -> list:
    """``loop(known, missing)`` with every string it lists in `missing` put
    in `known` as make(string) (:func:`_patched`)."""
    missing = []
    return _patched(loop(known, missing), missing, known, make)


def _patched(out: list, missing, known: dict, make) -> list:
    """The pairs `out` of a loop given `known` and `missing` (None: nothing
    to make), each string it listed in `missing` made (``make(string)``, put in `known`) and given to
    its pair (None: the pair left out).  The loops call no Python code, so
    they keep a string they do not know in its pair, the same object as
    listed: it is made here, once, with no second pass over the text."""
    if not missing:
        return out
    made = {}
    for piece in missing:
        if piece not in made:
            made[piece] = known[piece] = make(piece)  # (`make` may empty `known`, a bounded cache)
    pieces = {id(piece): made[piece] for piece in missing}
    return [(at, pieces.get(id(v), v)) for at, v in out if id(v) not in pieces or pieces[id(v)] is not None]


def runs(text: str, bits: int, min_len: int = 1, settled: tuple = ()) -> list:
    """[(start, end)] of the runs around the characters of `text` with any of
    `bits`, in order, those of at least `min_len` characters.  A run is
    non-ASCII characters, and an ASCII one of @-~ where a non-ASCII one
    follows it, at its widest (a match of zhfix.stages.mojibake.SPAN_RE).
    `settled`: pairs (need, reject) of class bits, flat (at most 16 pairs); a
    run whose characters' classes, OR-ed, have all of a pair's need and none
    of its reject is left out."""
    if _c is not None:
        return _c.runs(text, (_TABLE or _table()), bits, min_len, settled)
    return runs_py(text, bits, min_len, settled)


def splice(text: str, edits: list) -> str:
    """`text` with the edits (tuples (start, end, new, ...), sorted) applied
    in turn: ``text[pos:start] + new``, then ``pos = end``."""
    if _c is not None:
        return _c.splice(text, edits)
    return splice_py(text, edits)


def common_pairs(a: str, b: str, bits: int = 0) -> tuple:
    """(how many different pairs of neighbouring characters `a` has, how many
    of them `b` has too); with `bits`, the pairs of ``select(b, bits)``,
    read from `b` as it is (no copy of a document's characters made)."""
    if _c is not None:
        return _c.common_pairs(a, b, (_TABLE or _table()), bits) if bits else _c.common_pairs(a, b)
    return common_pairs_py(a, select_py(b, bits) if bits else b)


def select(text: str, bits: int) -> str:
    """The characters of `text` that have any of `bits`, in order."""
    if _c is not None:
        return _c.select(text, (_TABLE or _table()), bits)
    return select_py(text, bits)


def runs_holding(text: str, bits: int, need: int) -> str:
    """The longest runs of characters of `text` that have any of `bits`
    holding a character with any of `need`, in order, joined by "\\n"."""
    if _c is not None:
        return _c.runs_holding(text, (_TABLE or _table()), bits, need)
    return runs_holding_py(text, bits, need)


def distinct(text: str, bits: int, limit: int) -> int:
    """How many different characters of `text` have any of `bits`, counted
    up to `limit` (at most 64)."""
    if _c is not None:
        return _c.distinct(text, (_TABLE or _table()), bits, limit)
    return distinct_py(text, bits, limit)


def term_counts(text: str, bits: int, pairs: bytes, groups: tuple, split=None):
    """{term: occurrences} of the terms in `groups` (groups[j]: a tuple of the
    terms that start with the j-th pair of :func:`sorted_pairs`), found where
    text[i] has any of `bits`; each term counted left to right without
    overlapping itself (as str.count counts).  With `split` (a set), two
    such dicts: of the terms in it, of the others, each in term order."""
    if _c is not None:
        if split is None:
            return _c.term_counts(text, (_TABLE or _table()), bits, pairs, groups)
        return _c.term_counts(text, (_TABLE or _table()), bits, pairs, groups, split)
    return term_counts_py(text, bits, pairs, groups, split)


def pair_counts(text: str):
    """How often each pair of neighbouring characters occurs in `text`
    (overlapping: ``aaa`` has ``aa`` twice), for :func:`slot_best`: a table
    of the C loops, or a Counter of the pairs without them."""
    if _c is not None:
        return _c.pair_counts(text)
    return pair_counts_py(text)


def pair_counts_py(text: str):
    from collections import Counter

    return Counter(map(str.__add__, text, text[1:]))


def slot_best(head: str, simps, tail: str, score, before, cands, after, pairs, window: str,
              weight: float, memo=None, scores=None) -> list:
    """The two highest of the pairs ``(score(head + simp + tail) + weight *
    echo, cand)`` (fewer when there are fewer candidates), highest first, as
    ``sorted(pairs, reverse=True)[:2]`` orders them; one pair for each
    candidate `cand` of a slot and its simplified form `simp` (`simps`: a str
    of one character each, or a sequence).  The echo is the sum of
    ``log1p(occurrences in window)`` of the pairs ``before + cand`` and
    ``cand + after`` (a neighbour None or "" adds nothing; `pairs`, from
    :func:`pair_counts` of the window, counts its pairs of two different
    characters).  A score that is not a number is an error.  `memo`, a dict
    kept for this `head` and `tail`, holds ``score(head + simp + tail)`` by
    `simp`: a score found there is not asked for, one asked for is put there.
    `scores`, where given, is asked for the missing ones at once, as
    ``scores(head, simps, tail)``: the same values as `score` gives each."""
    # the loop reads the scores from the memo and lists those it lacks: they
    # are asked for here (Python code), then the loop runs again
    if memo is None:
        memo = {}
    if type(simps) is not str:
        simps = tuple(simps)
    cands = cands if type(cands) is tuple else tuple(cands)
    loop = _c.slot_best if _c is not None else slot_best_py
    missing = []
    best = loop(simps, memo, before, cands, after, pairs, window, weight, missing)
    if best is None:
        if scores is not None:
            todo = [simp for simp in dict.fromkeys(missing) if memo.get(simp) is None]
            memo.update(zip(todo, scores(head, todo, tail)))
        else:
            for simp in missing:
                if memo.get(simp) is None:
                    memo[simp] = score(head + simp + tail)
        best = loop(simps, memo, before, cands, after, pairs, window, weight, [])
    return best


def pick(cands, simps: str, near: str, limit: int) -> tuple:
    """The candidates ``cands[i]`` whose simplified form ``simps[i]`` (one
    character each) is one of the characters of `near`, in order, at most
    `limit` of them: a lost character's candidates that make a word with
    its neighbours (zhfix.stages.reread)."""
    if _c is not None:
        return _c.pick(cands, simps, near, limit)
    return pick_py(cands, simps, near, limit)


def pick_py(cands, simps: str, near: str, limit: int) -> tuple:
    if len(simps) != len(cands):
        raise ValueError("pick: simps must have one character per candidate")
    chars = set(near)
    return tuple([c for c, s in zip(cands, simps) if s in chars][:max(limit, 0)])


def marks_in(text: str, spans: list, chars: str) -> list:
    """The offsets of the characters of `chars` in ``text[a:b]`` for each
    ``(a, b)`` of `spans` (a list of pairs, in the order of their starts,
    which may overlap), each offset once, in order."""
    if _c is not None:
        return _c.marks_in(text, spans, chars)
    return marks_in_py(text, spans, chars)


def marks_in_py(text: str, spans: list, chars: str) -> list:
    out, seen = [], 0
    for a, b in spans:
        if b > seen:
            out += [i for i in range(max(a, seen, 0), min(b, len(text))) if text[i] in chars]
            seen = b
    return out


#: Inline code as most Markdown pages write it: a backtick not right after
#: another, text within a line, a backtick not followed by another.
INLINE_CODE_RE = lazyre.compile(r"`(?<!``)[^`\n]+`(?!`)")


def code_pairs(text: str, start: int, end: int):
    """The spans (a, b) of INLINE_CODE_RE's matches in ``text[start:end]``
    (found as ``finditer(text, start, end)`` finds them), or None where a
    backtick there is in none of them."""
    if _c is not None:
        return _c.code_pairs(text, start, end)
    return code_pairs_py(text, start, end)


def code_pairs_py(text: str, start: int, end: int):
    start = max(start, 0)
    end = max(start, min(end, len(text)))  # (as a regex's pos and endpos: no count from the end)
    spans = [m.span() for m in INLINE_CODE_RE.finditer(text, start, end)]
    return spans if 2 * len(spans) == text.count("`", start, end) else None


def best_routes(head: str, middles, tail: str, words: bytes) -> list:
    """``[best_route(head + m + tail, words) for m in middles]`` (`middles`: a
    list or a tuple of str), the texts put together in the C loop: the C
    loop only, as for best_route."""
    return _c.best_routes(head, middles, tail, words)


def best_route(text: str, words: bytes) -> float:
    """log P(text) under jieba's best segmentation, over `words`, the table
    zhfix.stages.model.route_table builds: the C loop only (its pure-Python
    twin, zhfix.stages.model._best_route, walks jieba's FREQ as a dict)."""
    return _c.best_route(text, words)


def substitutions(text: str, places: list, mapping: dict, cls, skip: str, ask=None) -> tuple:
    """(edits ``cls(i, i + 1, mapping[c], c)`` for the character c at each
    offset i of `places`, the offsets whose character is one of `skip`),
    each in the order of `places`; `cls` is a NamedTuple class such as
    zhfix.stages.spans.Edit.  With `ask`, a character of `skip` gets its edit where
    ``ask(text, i)`` is true (and the offsets skipped are not listed)."""
    edits, skipped = [], []
    make = tuple.__new__
    for i in places:
        if not 0 <= i < len(text):
            raise IndexError("a place outside the text")
        c = text[i]
        if c in skip:
            if ask is None:
                skipped.append(i)
                continue
            if not ask(text, i):
                continue
        edits.append(make(cls, (i, i + 1, mapping[c], c)))
    return edits, skipped


def substitute(text: str, places: list, mapping: dict, skip: str, ask=None) -> tuple:
    """(`text` with the edits :func:`substitutions` makes applied, how many
    there are) without making them (`places` increasing)."""
    loop = _c.substitute if _c is not None else substitute_py
    new, count, skipped = loop(text, places, mapping, skip)
    if ask is None or not skipped:
        return new, count
    return _asked(loop, text, places, mapping, ask, new, count, skipped)


def substitute_in_chinese(text: str, mapping: dict, skip: str, ask=None) -> tuple:
    """``substitute(text, punct_places(text), mapping, skip, ask)``, the
    places found and changed in one C call (no list of them)."""
    if _c is None:
        return substitute(text, punct_places_py(text), mapping, skip, ask)
    new, count, skipped = _c.substitute(text, None, mapping, skip, (_TABLE or _table()), HALF, CHINESE, HAN)
    if ask is None or not skipped:
        return new, count
    return _asked(_c.substitute, text, None, mapping, ask, new, count, skipped)


def _asked(loop, text, places, mapping, ask, new, count, skipped) -> tuple:
    # the loop changed every place but those of `skip`, which it listed; those
    # `ask` says yes to are changed by a second call: in the new text where
    # each change keeps the length (a mapping of one character to one, as
    # punct's), else in the text from the start, the others left out
    yes = [i for i in skipped if ask(text, i)]
    if not yes:
        return new, count
    if all(len(v) == 1 for v in mapping.values()):  # then `new` has the offsets of `text`
        new, more, _ = loop(new, yes, mapping, "")
        return new, count + more
    if places is None:
        places = punct_places(text)
    no = set(skipped).difference(yes)
    return loop(text, [i for i in places if i not in no], mapping, "")[:2]


def annotation_splice(text: str, found: list, whole_at: int, flag_at: int) -> tuple:
    """(`text` with the edits of :func:`annotation_edits` applied, how many
    there are, the other pairs) without making them (`found` in the order of
    the text)."""
    if _c is not None:
        return _c.annotation_splice(text, found, whole_at, flag_at)
    return annotation_splice_py(text, found, whole_at, flag_at)


def annotation_edits(found: list, cls, whole_at: int, flag_at: int) -> tuple:
    """(edits ``cls(start + 1, start + len(whole), "", whole)`` for the pairs
    (start, shape) of `found` whose ``shape[flag_at]`` is true, whole being
    ``shape[whole_at]``; the other pairs), each in the order of `found`."""
    edits, rest = [], []
    make = tuple.__new__
    for start, shape in found:
        if shape[flag_at]:
            whole = shape[whole_at]
            edits.append(make(cls, (start + 1, start + len(whole), "", whole)))
        else:
            rest.append((start, shape))
    return edits, rest


def script_lines(text: str, simp_bits: int, trad_bits: int, prose: str) -> tuple:
    """(lines with at least three different characters of `simp_bits` and
    none of `trad_bits`, lines with three of `trad_bits` and none of
    `simp_bits`), counting only the lines (text.split("\\n")) that hold a
    character of `prose`."""
    if _c is not None:
        return _c.script_lines(text, (_TABLE or _table()), simp_bits, trad_bits, prose)
    return script_lines_py(text, simp_bits, trad_bits, prose)


def flag_counts(found: list, fields: tuple) -> tuple:
    """For each index in `fields`, how many pairs (start, shape) of `found`
    have ``shape[index]`` true."""
    if _c is not None:
        return _c.flag_counts(found, fields)
    if any(f < 0 for f in fields):
        raise IndexError("no such field in a shape")
    return tuple(sum(1 for _, shape in found if shape[f]) for f in fields)


def explain(text: str, edits: list, cls, limit: int) -> tuple:
    """(changes, lines) for `edits` (tuples (start, end, new, note, ...) in
    `text`, their starts in order): each edit's 1-based line in `lines`,
    and for the first `limit` edits ``cls(line, column, text[start:end], new,
    note)`` in `changes`, column 1-based -- made as the dataclass `cls`
    (zhfix.result.Change, whose fields are those five) would make it,
    its instance's __dict__ filled without a call of its __init__."""
    names = _fields(cls)
    if _c is not None:
        return _c.explain(text, edits, cls, names, limit)
    return explain_py(text, edits, cls, names, limit)


@lru_cache(maxsize=None)
def _fields(cls) -> tuple:
    import dataclasses

    names = tuple(f.name for f in dataclasses.fields(cls))
    if len(names) != 5:
        raise TypeError("cls must be a dataclass of five fields")
    return names


def freeze(record):
    """`record` (a tuple, or an instance of a NamedTuple class without a
    __dict__ that lives as long as the program, such as a module's own)
    kept out of the cyclic garbage collector's sight when its items are
    strings, numbers, None or such records: it can be in no reference cycle
    then, and neither can a plain tuple holding it (the C loops leave such
    tuples out too; a long document makes millions).  Without the C loops,
    `record` as it is."""
    if _c is not None:
        return _c.freeze(record)
    return record


def ordered(edits: list) -> bool:
    """Do the edits' starts (ints) strictly increase?  Then `edits` is in the
    order sorted() would put it in (each edit's start alone decides)."""
    if _c is not None:
        return _c.ordered(edits)
    return ordered_py(edits)


def ordered_py(edits: list) -> bool:
    if not all(isinstance(e, tuple) and e and type(e[0]) is int for e in edits):
        return False
    return all(a[0] < b[0] for a, b in zip(edits, edits[1:]))


def explain_py(text: str, edits: list, cls, names: tuple, limit: int) -> tuple:
    if len(names) != 5 or not all(type(name) is str for name in names):
        raise TypeError("names must be a tuple of five str")
    if cls.__new__ is not object.__new__ or not cls.__dictoffset__:
        raise TypeError("cls must make its instances with object.__new__ and keep a __dict__")
    changes, lines = [], []
    line, line_start, pos = 1, 0, 0
    for e in edits:
        if not isinstance(e, tuple) or len(e) < 4:
            raise TypeError("each edit must be a tuple (start, end, new, note, ...)")
        start, end = e[0].__index__(), e[1].__index__()
        if not pos <= start <= end <= len(text):
            raise ValueError("edits must lie in the text, their starts in order")
        breaks = text.count("\n", pos, start)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", pos, start) + 1
        pos = start
        lines.append(line)
        if len(changes) < limit:
            change = object.__new__(cls)
            change.__dict__.update(zip(names, (line, start - line_start + 1, text[start:end], e[2], e[3])))
            changes.append(change)
    return changes, lines


def sorted_pairs(pairs) -> list:
    """The pairs in the order :func:`pair_table` numbers them."""
    return sorted(set(pairs))


_EMPTY = 2 ** 64 - 1
_KEY_MASK = 2 ** 42 - 1
_GOLDEN = 0x9E3779B97F4A7C15


def pair_table(pairs) -> bytes:
    """Two-character strings as the hash table term_counts takes: open
    addressing, at most a quarter full, then a filter of four bits a slot,
    laid out as _speedups.c describes.  The j-th of :func:`sorted_pairs` is
    pair j."""
    from array import array

    ordered = sorted_pairs(pairs)
    bits = 3
    while (1 << bits) < 4 * len(ordered):
        bits += 1
    size = 1 << bits
    slots = array("Q", [_EMPTY]) * size
    filter_ = bytearray(size // 2)
    for j, p in enumerate(ordered):
        key = ord(p[0]) << 21 | ord(p[1])
        product = (key * _GOLDEN) & _EMPTY
        f = product >> (62 - bits)
        filter_[f >> 3] |= 1 << (f & 7)
        h = product >> (64 - bits)
        while slots[h] != _EMPTY:
            h = (h + 1) & (size - 1)
        slots[h] = key | j << 42
    return slots.tobytes() + bytes(filter_)


def _pair_numbers(pairs: bytes) -> dict:
    """{key: pair number} of a :func:`pair_table`."""
    from array import array

    slots = array("Q")
    slots.frombytes(pairs[:len(pairs) * 16 // 17])
    return {s & _KEY_MASK: s >> 42 for s in slots if s != _EMPTY}


# The pure-Python fallbacks, used without the C module; tests compare the two.

def punct_places_py(text: str) -> list:
    import re

    tab = table_list()
    parens = []
    for m in re.finditer(r"\(([^()\n]{1,80})\)", text):
        s, e = m.span()
        if any(tab[ord(c)] & HAN for c in text[max(0, s - 1):e + 1]):
            parens += (s, e - 1)
    return sorted(marks_py(text) + parens)


def marks_py(text: str) -> list:
    tab = table_list()
    n = len(text)
    out = []
    for i in positions_py(text, HALF):
        ch = text[i]
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        cn_prev = bool(prev) and bool(tab[ord(prev)] & CHINESE)
        cn_next = bool(nxt) and bool(tab[ord(nxt)] & CHINESE)
        if ch == ",":
            ok = (cn_prev or cn_next) and not (prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum())
        elif ch == ";":
            ok = cn_prev or cn_next
        else:  # ":", "!", "?"
            ok = cn_prev
        if ok:
            out.append(i)
    return out


def enclosed_py(text: str, starts: list, close: str, limit: int, known: dict, missing=None) -> list:
    out = []
    for i in starts:
        if not 1 <= i < len(text):
            continue
        for j in range(i + 1, min(len(text), i + limit)):
            if text[j] in close:
                piece = text[i - 1:j + 1]
                if missing is None:
                    out.append((i - 1, known.get(piece, piece)))
                elif piece not in known:
                    missing.append(piece)
                    out.append((i - 1, piece))
                elif known[piece] is not None:
                    out.append((i - 1, known[piece]))
                break
    return out


def runs_py(text: str, bits: int, min_len: int = 1, settled: tuple = ()) -> list:
    # around each such character: left over non-ASCII characters, and over one
    # of @-~ that has a non-ASCII character before it; right over non-ASCII
    # characters, and over one of @-~ that has a non-ASCII character after it
    n = len(text)
    out = []
    end = 0
    for p in positions_py(text, bits):
        if p < end:
            continue  # inside the run just found
        start = p
        while start > 0:
            c = text[start - 1]
            if c >= "\x80":
                start -= 1
            elif "\x40" <= c <= "\x7e" and start > 1 and text[start - 2] >= "\x80":
                start -= 2
            else:
                break
        end = p
        while end < n and (text[end] >= "\x80" or "\x40" <= text[end] <= "\x7e" and end + 1 < n
                           and text[end + 1] >= "\x80"):
            end += 1
        if end - start >= min_len and not (settled and _settled_py(classes_py(text[start:end]), settled)):
            out.append((start, end))
    return out


def _settled_py(mask: int, settled: tuple) -> bool:
    return any(mask & need == need and not mask & reject for need, reject in zip(settled[::2], settled[1::2]))


def splice_py(text: str, edits: list) -> str:
    out, pos = [], 0
    for e in edits:
        start, end, new = e[0], e[1], e[2]
        if start < 0 or end < 0:
            raise ValueError("edit offsets must not be negative")
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def common_pairs_py(a: str, b: str) -> tuple:
    pairs = {a[i:i + 2] for i in range(len(a) - 1)}
    in_b = {b[i:i + 2] for i in range(len(b) - 1)}
    return len(pairs), len(pairs & in_b)


def select_py(text: str, bits: int) -> str:
    tab = table_list()
    return "".join(ch for ch in text if tab[ord(ch)] & bits)


def runs_holding_py(text: str, bits: int, need: int) -> str:
    tab = table_list()
    runs = ("".join(run) for inside, run in groupby(text, lambda ch: bool(tab[ord(ch)] & bits)) if inside)
    return "\n".join(run for run in runs if any(tab[ord(ch)] & need for ch in run))


def distinct_py(text: str, bits: int, limit: int) -> int:
    if not 0 <= limit <= 64:
        raise ValueError("limit must be 0..64")
    tab = table_list()
    return min(limit, sum(1 for ch in set(text) if tab[ord(ch)] & bits))


def term_counts_py(text: str, bits: int, pairs: bytes, groups: tuple, split=None):
    if split is not None and not isinstance(split, (set, frozenset)):
        raise TypeError("split must be a set or frozenset")
    number = _pair_numbers(pairs)
    counts, ends = {}, {}
    for i in _pair_positions_py(text, bits, pairs):
        for term in groups[number[ord(text[i]) << 21 | ord(text[i + 1])]]:
            if term and i >= ends.get(term, 0) and text.startswith(term, i):
                ends[term] = i + len(term)
                counts[term] = counts.get(term, 0) + 1
    if split is None:
        return counts
    found = sorted(counts.items())
    return {t: n for t, n in found if t in split}, {t: n for t, n in found if t not in split}


def _pair_positions_py(text: str, bits: int, pairs: bytes) -> list:
    wanted = _pair_numbers(pairs)
    tab = table_list()
    return [i for i in range(len(text) - 1)
            if tab[ord(text[i])] & bits and (ord(text[i]) << 21 | ord(text[i + 1])) in wanted]


def slot_best_py(simps, memo, before, cands, after, pairs, window, weight, missing) -> list:
    from math import isnan, log1p

    def occurrences(p):
        return window.count(p) if len(p) != 2 or p[0] == p[1] else pairs.get(p, 0)

    if len(simps) != len(cands):
        raise ValueError("one simplified form per candidate")
    scores = [memo.get(simp) for simp in simps]
    missing += [simp for simp, total in zip(simps, scores) if total is None]
    if None in scores:
        return None
    out = []
    for total, c in zip(scores, cands):
        if isnan(total):
            raise ValueError("a score is not a number")
        e = 0.0
        if before:
            e = log1p(occurrences(before + c))
        if after:
            e += log1p(occurrences(c + after))
        out.append((total + weight * e, c))
    return sorted(out, reverse=True)[:2]


def substitute_py(text, places, mapping, skip) -> tuple:
    if places is None:
        places = punct_places_py(text)
    edits, skipped = substitutions(text, places, mapping, tuple, skip)
    if any(a[0] >= b[0] for a, b in zip(edits, edits[1:])):
        raise ValueError("places must increase")
    return splice_py(text, edits), len(edits), skipped


def annotation_splice_py(text, found, whole_at, flag_at) -> tuple:
    edits, rest = annotation_edits(found, tuple, whole_at, flag_at)
    if any(e[0] < 1 or a[0] >= e[0] for a, e in zip([(0,)] + edits, edits)):
        raise ValueError("found must be in the order of the text")
    return splice_py(text, edits), len(edits), rest


def script_lines_py(text, simp_bits, trad_bits, prose) -> tuple:
    simp_lines = trad_lines = 0
    marks = set(prose)
    for line in text.split("\n"):
        if marks.isdisjoint(line):
            continue
        s = distinct_py(line, simp_bits, 3)
        if s >= 3:
            if not distinct_py(line, trad_bits, 1):
                simp_lines += 1
        elif not s and distinct_py(line, trad_bits, 3) >= 3:
            trad_lines += 1
    return simp_lines, trad_lines


def classes_py(text: str) -> int:
    tab = table_list()
    acc = 0
    for ch in set(text):
        acc |= tab[ord(ch)]
    return acc


def classes_placed_py(text: str, placed: int, before: int, after: int) -> int:
    acc = classes_py(text)
    if acc & placed and (before and not acc & before or after and not acc & after
                         or not positions_py(text, placed, before, after)):
        acc &= ~placed
    return acc


def page_py(text: str, facts: bytes) -> int:
    f, plain, on_kana = _page_fields(facts)
    acc = classes_placed_py(text, f["placed"], f["before"], f["after"])
    if not acc & f["han"]:
        pass  # (not asked: no header's phrases without Han characters)
    elif text and not text[0].isspace() and "\n" in text[:f["within"]]:
        acc |= f["headless"]
    else:
        pos = 0
        while pos < len(text):
            end = text.find("\n", pos)
            line = text[pos:] if end < 0 else text[pos:end]
            if not line.isspace() and line:
                if not count_py(line, f["han"]) or len(text) <= f["up_to"] and (
                        end < 0 or count_py(text[end + 1:], f["han"]) < f["min_body"]):
                    acc |= f["headless"]
                break
            pos = len(text) if end < 0 else end + 1
    scripts = acc & f["scripts"]
    calm_classes = scripts and not scripts & (scripts - 1) and not acc & f["uncalm_run"]
    runs = acc & f["unusual"] and not calm_classes and len(text) <= f["up_to"]
    kana = runs and acc & f["han"] and acc & f["kana_hangul"] and not acc & f["misread"]
    questions = acc & f["question"] and acc & f["question_after"]
    if questions and len(text) <= f["up_to"] and not positions_py(text, f["question"], f["question_after"]):
        acc |= f["questions_apart"]
    calm_may = not acc & f["uncalm"] and (not questions or acc & f["questions_apart"])
    if calm_may and acc & f["placed"] and len(text) <= f["up_to"] and not _annotation_can_follow_py(text, f):
        acc |= f["no_annotation"]
    annotated = acc & f["annotation"] == f["annotation"] and not acc & f["no_annotation"]
    counted = calm_may and not annotated and acc & f["traditional"] and len(text) <= f["up_to"]
    japanese = counted and acc & f["kana"]
    taiwan = counted and acc & (f["simplified"] | f["half"]) and not acc & f["form"]
    if kana or japanese or taiwan:
        nk, nh, kana_, traditional, simplified, full = counts_py(
            text, (f["kana_hangul"], f["han"], f["kana"], f["traditional"], f["simplified"], f["full"]))
        kana = kana and nk >= f["kana_least"] and nk * f["kana_ratio"] >= nh
        if japanese and kana_ >= f["japanese_least"] and kana_ * f["japanese_ratio"] >= traditional \
                and (simplified < f["simplified_least"] or not _line_may_open_py(text, f)):
            acc |= f["japanese"]
        if taiwan and not acc & f["japanese"] and simplified <= f["simplified_most"] and (
                not acc & f["half"] or marks_after_han_py(text, f["half"], f["han"]) <= f["half_per_full"] * full):
            acc |= f["taiwan"]
    if runs and not runs_py(text, f["unusual"], f["min_len"], on_kana if kana else plain):
        acc |= f["runs_calm"]
    return acc


#: The most different `simplified` characters page()'s line test tells apart
#: in a line (a larger `line_simplified` is taken as this).
LINE_DISTINCT = 16


def _line_may_open_py(text: str, f: dict) -> bool:
    want = min(f["line_simplified"], LINE_DISTINCT)
    tab = table_list()
    for line in text.split("\n"):
        line = line.lstrip(" \t\u3000")
        if len(line) > 1 and tab[ord(line[0])] & f["traditional"] and tab[ord(line[1])] & f["han"] \
                and not count_py(line[1:], f["traditional"]) and distinct_py(line[1:], f["simplified"], want) >= want:
            return True
    return False


def _annotation_can_follow_py(text: str, f: dict) -> bool:
    tab = table_list()
    closing = (f["close"], f["close_wide"])
    held = (f["quote"], f["quote_curly"])
    for i in positions_py(text, f["placed"], f["before"], f["after"]):
        if ord(text[i]) != f["open"]:
            continue
        for j in range(i + 1, min(len(text), i + f["limit"])):
            c = ord(text[j])
            if c in closing:
                return True
            if not tab[c] & f["inside"] and c not in held and not f["digit_low"] <= c <= f["digit_high"]:
                break
    return False


def count_py(text: str, bits: int) -> int:
    tab = table_list()
    return sum(1 for ch in text if tab[ord(ch)] & bits)


def counts_py(text: str, masks: tuple) -> tuple:
    if len(masks) > 8:
        raise ValueError("at most 8 masks")
    return tuple(count_py(text, m) for m in masks)


def positions_py(text: str, bits: int, before: int = 0, after: int = 0) -> list:
    tab = table_list()
    n = len(text)
    return [i for i, ch in enumerate(text) if tab[ord(ch)] & bits
            and (not before or i and tab[ord(text[i - 1])] & before)
            and (not after or i + 1 < n and tab[ord(text[i + 1])] & after)]


def to_simplified_bulk_py(text: str, replaced: bool = False) -> str:
    from ..data.tables import t2s

    out = text.translate(t2s().table)
    return out.translate(t2s().replaced) if replaced else out


@lru_cache(maxsize=None)
def table_list():
    """The table as an array of ints (for lookups from Python)."""
    from array import array

    t = array("I")
    t.frombytes(table())
    return t


@lru_cache(maxsize=None)
def _t2s_maps(replaced: bool = False):
    from array import array

    from ..data.tables import t2s

    mapping = t2s().table
    if replaced:
        mapping = {**mapping, **t2s().replaced}
    bmp = array("I", range(0x10000))
    astral = {}
    for k, v in mapping.items():
        if k < 0x10000:
            bmp[k] = ord(v)
        else:
            astral[k] = v
    return bmp.tobytes(), astral


def to_simplified_bulk(text: str, replaced: bool = False) -> str:
    """``text.translate(t2s().table)``: every character through the bulk
    table (and, with `replaced`, the simplified forms the standard replaced
    made the standard ones: t2s().replaced)."""
    if _c is not None:
        bmp, astral = _t2s_maps(replaced)
        return _c.translate(text, bmp, astral)
    return to_simplified_bulk_py(text, replaced)
