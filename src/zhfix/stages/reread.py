"""Step 3 of the runner (reread-gbk): re-read spans garbled by a GBK stream
read one byte out of step.

damage.md §2: ``上海科創(`` is ``c9cf baa3 bfc6 8493 28`` in GBK.  A reader that
fell out of step after 上 decoded ``ba`` alone (``?``), then the shifted pairs
``a3bf`` (``？``, folded to ``?`` by the mirror), ``c684`` (``苿``), ``93 28``
(invalid: one ``?`` that swallowed the ``(``), and fell back in step at the next
ASCII byte: ``上??苿?chuàng)``.

To undo it, each garbled character is turned back into the bytes it can have
come from (a known character gives its GBK bytes; a ``?`` gives an unknown
byte, the folded ``？``, or an unknown lead byte plus a swallowed ASCII byte),
and the bytes are read again in step.  Unknown bytes leave a slot with a set of
candidate characters; each slot is decided by the likelihood model and, for the
character before a pinyin annotation, by its reading.  Where any slot has no
clearly best candidate, the span is left as it was and reported.
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import List, NamedTuple, Optional, Sequence

from .. import lazyre
from . import model
from ..loops import scan
from ..data.chars import FULLWIDTH, HAN, HAN_RE
from .pinyin import chars_read_as, is_reading
from .spans import Edit, Findings, Stage
from ..data.tables import t2s

#: Characters a misaligned GBK reading produces inside a garbled span.
_GARBLE = f"?？{HAN}\uff01-\uff5e\u3000-\u303f!,:;"
_HAN1 = HAN_RE
#: The rest of a pinyin annotation whose "(" a garbled pair swallowed.
_SYLLABLE = "[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}"
_TAIL_RE = lazyre.compile(_SYLLABLE + r"\)")
_ANNOT_RE = lazyre.compile(r"\(" + _SYLLABLE + r"\)")

MAX_SPAN = 16
#: How much more likely (natural log) a decided slot must be than the runner-up.
SLOT_MARGIN = 2.3
#: How much more likely the re-read text must be than the garbled one.
SPAN_MARGIN = 6.0

U = None  # an unknown byte in a template
#: Candidates of one slot scored with the full model (more are narrowed first).
MAX_SCORED = 60


class Outcome(NamedTuple):
    start: int
    end: int
    replacement: Optional[str]  # None: undecided, left as it was
    note: str


def _lead_range():
    return range(0x81, 0xFF)


def _trail_range():
    return [b for b in range(0x40, 0xFF) if b != 0x7F]


def _decode_pair(lead: int, trail: int) -> Optional[str]:
    try:
        ch = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return ch


#: The bytes a "?" of a span can have come from: the folded ？, or two unknown
#: bytes (tuples, as _char_bytes gives, shared by every span).
_QUESTION_BYTES = (tuple("？".encode("gbk")), (U, U))


@lru_cache(maxsize=4096)
def _char_bytes(ch: str) -> tuple:
    """The byte sequences one garbled (non-"?") character can have come from."""
    full = FULLWIDTH.get(ch)
    if full:  # the mirror folded a fullwidth character to ASCII
        return (tuple(full.encode("gbk")),)
    try:
        b = ch.encode("gbk")
    except UnicodeEncodeError:
        return ()
    return (tuple(b),) if len(b) == 2 else ()


def _parse(template: list):
    """Read a byte template in step: a list of slots, each (lead, trail) with
    None for unknown bytes, or an ASCII byte (int) alone."""
    slots = []
    i = 0
    while i < len(template):
        b = template[i]
        if b is not None and b < 0x80:
            slots.append(b)
            i += 1
            continue
        if i + 1 >= len(template):
            return None
        slots.append((b, template[i + 1]))
        i += 2
    return slots


@lru_cache(maxsize=1024)
def _slot_choices(slot, syllable: Optional[str] = None) -> tuple:
    """The candidates of a slot (those that read as `syllable`, when given:
    the annotation after a span's last character), variants that simplify
    alike made one; the same tuple each time a slot recurs, which later
    caches know by identity."""
    if not syllable:
        return _slot_table()[slot]
    cands = _slot_candidates_of(*slot)
    read = chars_read_as(syllable)
    cands = tuple(c for c in cands if c in read)
    return _one_per_simplified_t2s(cands) if len(cands) > 1 else cands


@lru_cache(maxsize=None)
def _slot_table() -> dict:
    """_slot_choices(slot) of every slot with an unknown byte ((lead, None),
    (None, trail), (None, None)) and no syllable: built once and kept in the
    user cache directory, since the candidates of a slot and their grouping
    by simplified form are the same in every process."""
    from ..data.store import derived
    from ..data.tables import _static_sources

    def build() -> dict:
        slots = [(lead, None) for lead in _lead_range()] + [(None, t) for t in _trail_range()] + [(None, None)]
        out = {}
        for slot in slots:
            cands = _slot_candidates_of(*slot)
            out[slot] = tuple(_group_variants(cands, t2s().table)) if len(cands) > 1 else cands
        return out

    import sys as _sys
    table = derived("gbk-slots", _static_sources() + [__file__], build, extra=_sys.version,
                    check=lambda v: isinstance(v, dict) and (None, None) in v)
    return _SlotTable(table)


class _SlotTable(dict):
    """(_slot_table) a known pair of bytes is its one character, looked up as needed."""

    def __missing__(self, slot):
        cands = _slot_candidates_of(*slot)
        value = self[slot] = _one_per_simplified_t2s(cands) if len(cands) > 1 else cands
        return value


@lru_cache(maxsize=1024)
def _slot_candidates_of(lead, trail) -> tuple:
    if lead is not None and trail is not None:
        ch = _decode_pair(lead, trail)
        return (ch,) if ch else ()
    if lead is None and trail is None:
        return tuple(_everyday())  # both bytes lost: only the model can say
    if lead is None:
        pairs = ((b, trail) for b in _lead_range())
    else:
        pairs = ((lead, b) for b in _trail_range())
    out = []
    for l, t in pairs:
        ch = _decode_pair(l, t)
        if ch and HAN_RE.match(ch):
            out.append(ch)
    return tuple(out)


@lru_cache(maxsize=None)
def _common_chars() -> frozenset:
    """zhfix.data.chars.common_chars (imported on first use)."""
    from .mojibake import common_chars

    return common_chars()


@lru_cache(maxsize=None)
def _everyday() -> List[str]:
    """Everyday characters (GB2312/Big5 level 1) that GBK can encode."""
    chars = sorted(_common_chars())
    out = []
    for ch in chars:
        try:
            if len(ch.encode("gbk")) == 2:
                out.append(ch)
        except UnicodeEncodeError:
            pass
    return out


def _one_per_simplified(cands: List[str], table) -> Sequence[str]:
    """Variants that simplify alike (刱 剏 創 -> 创) are one candidate: the
    standard traditional form (s2t's first choice) stands for them.  With
    t2s's table the same candidates give the same tuple each time, because
    the caches of a slot's simplified forms and cover know them by identity."""
    if table is t2s().table:
        return _one_per_simplified_t2s(tuple(cands))
    return _group_variants(cands, table)


@lru_cache(maxsize=256)
def _one_per_simplified_t2s(cands: tuple) -> tuple:
    return tuple(_group_variants(cands, t2s().table))


def _group_variants(cands, table) -> List[str]:
    from ..data.tables import read_dict

    st = read_dict("STCharacters")
    groups: dict = {}
    for c, simp in zip(cands, _simplified_each(cands, table)):
        groups.setdefault(simp, []).append(c)
    out = []
    for simp, members in groups.items():
        standard = st.get(simp, [simp])[0]
        out.append(standard if standard in members else members[0])
    return out


def _simplified_each(chars: List[str], table) -> str:
    """``[c.translate(table) for c in chars]`` for single characters, in one
    pass (the bulk table maps one character to one)."""
    joined = "".join(chars)
    if table is t2s().table and len(joined) == len(chars):
        return scan.to_simplified_bulk(joined)
    return [c.translate(table) for c in chars]


#: Weight of the document's own bigrams (a cache model: the same words recur).
ECHO_WEIGHT = 2.0
ECHO_WINDOW = 20000


class _Bigrams:
    """The window of text around a place and how often each pair of
    neighbouring characters occurs in it (zhfix.loops.scan.pair_counts: one pass
    over the window; a doubled character, whose occurrences may overlap, is
    counted by str.count itself)."""

    def __init__(self, window: str) -> None:
        self.window = window
        self.counts = scan.pair_counts(window)


def _window_bigrams(text: str, at: int) -> _Bigrams:
    lo, hi = max(0, at - ECHO_WINDOW), at + ECHO_WINDOW
    return _bigrams_of(text[lo:hi])


@lru_cache(maxsize=4)
def _bigrams_of(window: str) -> _Bigrams:
    """(the spans of one document mostly share a window; the cache keeps
    windows, never whole documents)"""
    return _Bigrams(window)


@lru_cache(maxsize=1024)
def _near(left: str, right: str) -> str:
    """Where a wholly lost character between `left` and `right` most likely
    comes from: the characters that make a word with them, and the commonest
    (a string, in which a character may recur; one per pair of neighbours:
    later caches know it by identity)."""
    return model.neighbour_chars(left, right) + model.commonest_chars()


def _near_candidates(cands, near: str, table) -> Sequence[str]:
    """The candidates whose simplified form is in `near`, at most MAX_SCORED * 4,
    in their order."""
    if table is not t2s().table:
        return _near_filtered(cands, near, table)
    # memoised by identity: the thousands of candidates of a wholly lost
    # character are one tuple from _slot_choices, and `near` is one string
    # per pair of neighbours from _near
    return _by_identity(_NEAR, 64, cands, near, _nearest, table)


def _nearest(cands, near: str, table) -> tuple:
    """(_near_candidates, computed for t2s's table: its simplified forms are
    one character each, the candidates' kept as one string, and each
    candidate is looked for in `near` by zhfix.loops.scan.pick)"""
    if type(cands) is tuple:
        simps = _by_identity(_SIMPLIFIED_STR, 256, cands, table, _simplified_str)
    else:
        simps = _simplified_str(cands, table)
    if len(simps) != len(cands):  # a candidate of more than one character: none comes from a GBK pair
        return _near_filtered(cands, near, table)
    return scan.pick(cands, simps, near, MAX_SCORED * 4)


def _near_filtered(cands, near: str, table) -> tuple:
    """(_near_candidates, by each candidate's simplified form through any
    `table`, looked for among the characters of `near`)"""
    chars = frozenset(near)
    return tuple([c for c, simp in zip(cands, _simplified_each(cands, table)) if simp in chars][:MAX_SCORED * 4])


def _simplified_str(cands, table) -> str:
    """The simplified forms of `cands` (single characters) through t2s's
    table (`table`, which _by_identity keys the memo by), as one string."""
    return scan.to_simplified_bulk("".join(cands))


_NEAR: dict = {}
_SIMPLIFIED_STR: dict = {}


def _simplified_of(cands, table):
    """``_simplified_each(cands, table)``, kept, as a tuple of one-character
    strings, for the tuples of candidates that recur (_slot_choices,
    _near_candidates): the same string objects each time, whose hashes the
    memo of scores by character (_scores_around) has computed already."""
    if type(cands) is not tuple:
        return _simplified_each(cands, table)
    return _by_identity(_SIMPLIFIED, 256, cands, table, _simplified_tuple)


def _simplified_tuple(cands, table) -> tuple:
    return tuple(_simplified_each(cands, table))


_SIMPLIFIED: dict = {}


def _by_identity(cache: dict, limit: int, a, b, compute, *more):
    """``compute(a, b, *more)``, kept in `cache` under the identities of `a`
    and `b` (large tuples that recur as the same objects: not hashed at each
    look-up).  The cache holds `a` and `b` too, so no other object can take
    their ids while their entry is there; at `limit` entries it is emptied."""
    key = (id(a), id(b))
    hit = cache.get(key)
    if hit is not None:
        return hit[2]
    value = compute(a, b, *more)
    if len(cache) >= limit:
        cache.clear()
    cache[key] = (a, b, value)
    return value


def find(text: str) -> List[Outcome]:
    """Every garbled span found in `text`, repaired or (replacement None) not.

    A span starts at a "?" right after an in-step Han character (the lead
    byte read alone).  The reader falls back in step at an ASCII byte, so a
    span ends either at a "?" that swallowed an ASCII byte (``?chuàng)``: the
    "(" of an annotation; ``?最高``: a comma), or just before an ASCII byte
    that was the trail byte of the last character (``娋W(wǎng)``: 網 is
    ``be 57``).
    """
    outcomes: List[Outcome] = []
    if not any(_may_end(text, a) for a in scan.positions(text, scan.QUESTION, scan.HAN)):
        # no "?" after a Han character with a span's end in reach: no span
        # anywhere (a question mark in Chinese, pinyin after its "(")
        return outcomes
    prior = None
    for s0, e0 in _runs(text):
        starts = []  # each "?" of the run right after a Han character
        q = text.find("?", s0, e0)
        while q != -1:
            if q > 0 and _HAN1.match(text, q - 1):
                starts.append(q)
            q = text.find("?", q + 1, e0)
        if not starts:
            continue
        ends = _ends(text, starts[0] + 1, min(e0 + 1, starts[-1] + MAX_SPAN))
        found_any = []
        for a in starts:
            for b, shape in ends:
                if a < b - 1 < a + MAX_SPAN:
                    if shape == "swallowed" and not _TAIL_RE.match(text, b) and prior is None:
                        prior = _swallowed_prior(text)
                    found = _reread(text, a, b, shape, prior)
                    if found:
                        found_any.append(found[1])
        if found_any:
            outcomes.append(_best_in_window(text, found_any))
    return outcomes


def _may_end(text: str, a: int) -> bool:
    """Can a span starting at the "?" text[a] end anywhere (find's a < b - 1 <
    a + MAX_SPAN): at a "?" after it, or at an ASCII letter after a garbled
    non-ASCII character (what _ends takes for one)?"""
    return text.find("?", a + 1, a + MAX_SPAN) != -1 or _TRAIL_END.search(text, a + 1, a + MAX_SPAN + 1) is not None


def _ends(text: str, lo: int, hi: int) -> list:
    """Where a span starting before `lo` (> 0) may end, up to `hi`: after a
    "?" that swallowed a byte, or before an ASCII letter read alone after a
    garbled non-ASCII character; (end, shape) in the order of the text,
    looked for only at a "?" or an ASCII letter (_END)."""
    ends = []
    for m in _END.finditer(text, lo, hi):
        i = m.start()
        if text[i] == "?":
            ends.append((i + 1, "swallowed"))
        elif _TRAIL_END.match(text, i - 1):
            ends.append((i, "ascii-trail"))
    return ends


def _best_in_window(text: str, outcomes: List[Outcome]) -> Outcome:
    """Readings of different spans compared fairly: each scored over the same
    window of text (whatever garble a shorter reading leaves counts against it)."""
    repaired = [o for o in outcomes if o.replacement is not None]
    if not repaired:
        return min(outcomes, key=lambda o: o.start)
    table = t2s().table
    lo = max(0, min(o.start for o in repaired) - 4)
    hi = max(o.end for o in repaired) + 8

    def window(o: Outcome) -> float:
        s = text[lo:o.start] + o.replacement + text[o.end:hi]
        s = _ANNOT_RE.sub("", s)  # annotations are not words
        return model.score(s.translate(table))

    return max(repaired, key=window)


def _in_step_after(text: str, i: int) -> bool:
    """Is text[i:] read in step again (two everyday characters follow)?"""
    common = _common_chars()
    nxt = text[i:i + 2]
    return len(nxt) == 2 and all(c in common for c in nxt)


def _marks_between_han(text: str) -> str:
    """``"".join(re.findall("(?<=[HAN])([,:;!.])(?=[HAN])", text))``, from the
    marks zhfix.loops.scan finds between Han characters (its ,;:!? less the
    "?"), each "." looked for as a "," in a copy of the text where every "."
    is one (the same length: the places are the text's)."""
    marked = text.replace(".", ",") if "." in text else text
    marks = "".join(map(text.__getitem__, scan.positions(marked, scan.HALF, scan.HAN, scan.HAN)))
    return marks.replace("?", "") if "?" in marks else marks


def _swallowed_prior(text: str) -> Optional[str]:
    """The ASCII mark a garbled pair most likely swallowed, by the document's
    own habits: its commonest halfwidth mark between Chinese characters,
    when that mark is at least 80 % of them (a mirror folds every ， to ,)."""
    marks = _marks_between_han(text)
    if not marks:
        return ""
    # each mark counted by str.count, in the order first met, so that max()
    # picks the first met of the commonest
    counts = {m: marks.count(m) for m in dict.fromkeys(marks)}
    top = max(counts, key=counts.__getitem__)
    return top if counts[top] >= 0.8 * len(marks) else ""


#: Where a span can end: a "?" that swallowed a byte, or an ASCII letter that
#: is a trail byte read alone; a span needs one within MAX_SPAN after its first "?".
_END = lazyre.compile("[?A-Za-z]")


def _runs(text: str):
    """Stretches of garble-shaped characters around each "?", at most
    MAX_SPAN wide on either side, found in linear time where one regex
    would backtrack."""
    i = text.find("?")
    while i != -1:
        if not _END.search(text, i + 1, i + MAX_SPAN):
            # a "?" with no other "?" and no ASCII letter in reach is a question
            # mark of the text: no span can end after it, and none goes on
            i = text.find("?", i + 1)
            continue
        # left: the garble just before it, at most MAX_SPAN characters; right:
        # the garble after it, while no MAX_SPAN of it pass without a "?"
        s0 = _GARBLE_BEFORE.search(text, max(0, i - MAX_SPAN), i).start()
        e0 = _GARBLE_AFTER.match(text, i + 1).end()
        yield s0, e0
        i = text.find("?", text.rfind("?", i, e0) + 1)


_GARBLE_NO_Q = _GARBLE.replace("?", "", 1)
#: An ASCII letter after a garbled non-ASCII character: a span's end (_ends,
#: and _may_end, which looks for one ahead).
_TRAIL_END = lazyre.compile(f"[{_GARBLE_NO_Q.replace('!,:;', '')}][A-Za-z]")
#: For _runs: the garble at the end of a stretch; the garble after a "?" where
#: each "?" lets it go on for MAX_SPAN more characters.
_GARBLE_BEFORE = lazyre.compile(f"[{_GARBLE}]*\\Z")
_GARBLE_AFTER = lazyre.compile(f"(?:[{_GARBLE_NO_Q}]{{0,{MAX_SPAN - 1}}}\\?)*[{_GARBLE_NO_Q}]{{0,{MAX_SPAN}}}")



def _reread(text: str, start: int, end: int, shape: str, prior):
    """Try to re-read text[start:end] in step.  Returns (score, Outcome) or None."""
    table = t2s().table
    span = text[start:end]
    if shape == "swallowed":
        tail = _TAIL_RE.match(text, end)
        swallowed = "(" if tail else prior
        if not swallowed:
            return None  # the swallowed byte cannot be known
        if not tail and not _in_step_after(text, end):
            return None  # what follows is garble too: the span goes on
        middle = span[1:-1]
        closing = [None, ord(swallowed)]
        syllable = tail.group(0)[:-1] if tail else None
        after = tail.end() if tail else end
        replace_end = end
    else:  # "ascii-trail": text[end] is the trail byte of the last character
        middle = span[1:]
        closing = [ord(text[end])]
        annot = _ANNOT_RE.match(text, end + 1)
        syllable = annot.group(0)[1:-1] if annot else None
        after = annot.end() if annot else end + 1
        replace_end = end + 1
        swallowed = ""
    choices = []
    for ch in middle:
        if ch == "?":
            choices.append(_QUESTION_BYTES)
        else:
            opts = _char_bytes(ch)
            if not opts:
                return None
            choices.append(opts)
    left = text[max(0, start - 4):start].translate(table)
    right = text[after:after + 4].translate(table)
    results = []
    for combo in itertools.product(*choices):
        template = [U] + [b for part in combo for b in part] + closing
        slots = _parse(template)
        if not slots:
            continue
        if shape == "swallowed":
            if slots[-1] != closing[-1]:
                continue
            slots = slots[:-1]
        if slots.count((U, U)) > 1:
            continue  # two characters wholly lost: too much to guess
        decided = []
        for k, slot in enumerate(slots):
            if isinstance(slot, int):
                cands = [chr(slot)]
            else:
                # the lines below decide among these; kept per slot and syllable
                cands = _slot_choices(slot, syllable if k == len(slots) - 1 else None)
                if not cands:
                    break
                decided.append(cands)
                continue
            if k == len(slots) - 1 and syllable:
                cands = [c for c in cands if is_reading(c, syllable)]
            if not cands:
                break
            decided.append(_one_per_simplified(cands, table) if len(cands) > 1 else cands)
        else:
            chosen = _decide(text, start, decided, left, right, table)
            if chosen is None:
                results.append((float("-inf"), None))
            else:
                repaired = "".join(chosen)
                results.append((model.score(left + repaired.translate(table) + right), repaired))
    if not results:
        return None
    results.sort(key=lambda r: r[0], reverse=True)
    s_best, repaired = results[0]
    if repaired is None:
        return (float("-inf"), Outcome(start, replace_end, None, "no reading clearly best"))
    s_old = model.score(left + span.translate(table).replace("?", "，") + right)
    if s_best - s_old < SPAN_MARGIN:
        return (float("-inf"), Outcome(start, replace_end, None, "re-reading not clearly more likely"))
    return (s_best, Outcome(start, replace_end, repaired + swallowed, f"{text[start:replace_end]} -> {repaired + swallowed}"))


def _decide(text, start, decided, left, right, table):
    """Choose one character per slot: most constrained slots first, then a
    second pass with every neighbour in place; None if a slot has no clear
    winner (by SLOT_MARGIN) in that second pass."""
    chars = [c[0] if len(c) == 1 else None for c in decided]
    decided = list(decided)
    for k, cands in enumerate(decided):
        if len(cands) > MAX_SCORED:  # a wholly lost character: it makes a word with a neighbour
            before = chars[k - 1] if k and chars[k - 1] else text[start - 1]
            after = chars[k + 1] if k + 1 < len(chars) and chars[k + 1] else ""
            near = _near(before.translate(table), after.translate(table))
            decided[k] = _near_candidates(cands, near, table)
            if not decided[k]:
                return None
    chars = [c[0] if len(c) == 1 else None for c in decided]
    model.prepare(left + right + "，", decided, table)
    open_slots = sorted((k for k, c in enumerate(decided) if len(c) > 1), key=lambda k: len(decided[k]))
    counts = _window_bigrams(text, start) if open_slots else None
    # the trial reading around a slot: each character chosen so far, or a "，"
    # where none is yet, through the table one by one; str.translate maps each
    # character alone, so the parts around the slot may be translated apart
    simple = [("，" if x is None else x).translate(table) for x in chars]
    done = {}  # the second pass, where a slot's neighbours are as they were in the first
    for final in (False, True):
        for k in open_slots:
            head = left + "".join(simple[:k])
            tail = "".join(simple[k + 1:]) + right
            before = chars[k - 1] if k else text[start - 1]
            after = chars[k + 1] if k + 1 < len(chars) else None
            key = (k, head, tail, before, after)
            scored = done.get(key)
            if scored is None:
                # each candidate's score with its echo, paired with it (zhfix.loops.scan)
                simps = _simplified_of(decided[k], table)
                # only the best two: all the choice needs
                scored = done[key] = scan.slot_best(head, simps, tail, model.score, before, decided[k], after,
                                                    counts.counts, counts.window, ECHO_WEIGHT,
                                                    _scores_around(head, tail), model.scores)
            if final and len(scored) > 1 and scored[0][0] - scored[1][0] < SLOT_MARGIN:
                return None
            chars[k] = scored[0][1]
            simple[k] = chars[k].translate(table)
    return chars


def _scores_around(head: str, tail: str) -> dict:
    """model.score of ``head + simp + tail`` by `simp`, kept per `head` and
    `tail` (zhfix.loops.scan.slot_best reads and fills it: a slot's hundreds of
    candidates are looked up by their one character, not each by a reading
    built and hashed).  The same scores as model.score gives (slot_best asks
    model.scores for the missing ones at once); at MAX_AROUND pairs of head
    and tail it is emptied."""
    key = (head, tail)
    memo = _AROUND.get(key)
    if memo is None:
        if len(_AROUND) >= MAX_AROUND:
            _AROUND.clear()
        memo = _AROUND[key] = {}
    return memo


_AROUND: dict = {}
MAX_AROUND = 256


def find_edits(text: str) -> tuple:
    """(edits for repaired spans, outcomes left undecided)."""
    edits, undecided = [], []
    for o in find(text):
        if o.replacement is None:
            undecided.append(o)
        else:
            edits.append(Edit(o.start, o.end, o.replacement, o.note))
    return edits, undecided


def _stage_find(text: str, ctx) -> Findings:
    edits, undecided = find_edits(text)
    reports = ()
    if undecided:
        reports = (("lossy-misaligned", [(o.start, o.end, o.note) for o in undecided], {}),)
    return Findings(edits, reports=reports)


#: Spans of a GBK stream read one byte out of step, read again in step;
#: reported, and left, where no reading is clearly best.
REREAD_GBK = Stage("reread-gbk", _stage_find)
