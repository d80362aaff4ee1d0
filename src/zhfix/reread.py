"""Stage 5: re-read spans garbled by a GBK stream read one byte out of step.

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
from typing import List, NamedTuple, Optional

from .chardata import HAN, HALFWIDTH, FULLWIDTH
from .spans import Edit

#: Characters a misaligned GBK reading produces inside a garbled span.
_GARBLE = f"?？{HAN}\uff01-\uff5e\u3000-\u303f!,:;"
_GARBLE_RE = re.compile(f"[{_GARBLE}]")
_HAN1 = re.compile(f"[{HAN}]")
#: The rest of a pinyin annotation whose "(" a garbled pair swallowed.
_TAIL_RE = re.compile(r"[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_ANNOT_RE = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")

MAX_SPAN = 16
#: How much more likely (natural log) a decided slot must be than the runner-up.
SLOT_MARGIN = 2.3
#: How much more likely the re-read text must be than the garbled one.
SPAN_MARGIN = 6.0

U = None  # an unknown byte in a template


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


def _char_bytes(ch: str) -> List[list]:
    """The byte sequences one garbled (non-"?") character can have come from."""
    options = []
    full = FULLWIDTH.get(ch)
    if full:  # the mirror folded a fullwidth character to ASCII
        options.append(list(full.encode("gbk")))
        return options
    try:
        b = ch.encode("gbk")
    except UnicodeEncodeError:
        return []
    if len(b) == 2:
        options.append(list(b))
    return options


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


def _slot_candidates(slot) -> List[str]:
    lead, trail = slot
    if lead is not None and trail is not None:
        ch = _decode_pair(lead, trail)
        return [ch] if ch else []
    if lead is None and trail is None:
        return []  # both bytes lost: nothing to go on
    if lead is None:
        pairs = ((b, trail) for b in _lead_range())
    else:
        pairs = ((lead, b) for b in _trail_range())
    out = []
    for l, t in pairs:
        ch = _decode_pair(l, t)
        if ch and re.match(f"[{HAN}]", ch):
            out.append(ch)
    return out


def _one_per_simplified(cands: List[str], table) -> List[str]:
    """Variants that simplify alike (刱 剏 創 -> 创) are one candidate: the
    standard traditional form (s2t's first choice) stands for them."""
    from .tables import read_dict

    st = read_dict("STCharacters")
    groups: dict = {}
    for c in cands:
        groups.setdefault(c.translate(table), []).append(c)
    out = []
    for simp, members in groups.items():
        standard = st.get(simp, [simp])[0]
        out.append(standard if standard in members else members[0])
    return out


#: Weight of the document's own bigrams (a cache model: the same words recur).
ECHO_WEIGHT = 2.0
ECHO_WINDOW = 20000


def _echo(text: str, at: int, before, cand: str, after) -> float:
    """How often the candidate's bigrams occur elsewhere in the document:
    ``上海`` recurring around ``上?`` speaks for 海."""
    import math

    lo, hi = max(0, at - ECHO_WINDOW), at + ECHO_WINDOW
    window = text[lo:hi]
    n = 0.0
    if before:
        n += math.log1p(window.count(before + cand))
    if after:
        n += math.log1p(window.count(cand + after))
    return ECHO_WEIGHT * n


def find(text: str, readings=None) -> List[Outcome]:
    """Every garbled span found in `text`, repaired or (replacement None) not."""
    outcomes: List[Outcome] = []
    for s0, e0 in _runs(text):
        # a span starts at a "?" right after an in-step Han character and ends
        # at a "?" that swallowed the "(" of the annotation after it
        starts = [i for i in range(s0, e0) if text[i] == "?" and i > 0 and _HAN1.match(text, i - 1)]
        ends = [i for i in range(s0, e0) if text[i] == "?" and _TAIL_RE.match(text, i + 1)]
        best = None
        for a in starts:
            for b in ends:
                if a < b < a + MAX_SPAN:
                    found = _reread(text, a, b + 1)
                    if found and (best is None or found[0] > best[0]):
                        best = found
        if best:
            outcomes.append(best[1])
    return outcomes


def _runs(text: str):
    """Stretches of garble-shaped characters around each "?", at most
    MAX_SPAN wide on either side (linear: no regex backtracking)."""
    garble = _GARBLE_RE.match
    i = text.find("?")
    while i != -1:
        s0 = i
        while s0 > 0 and i - s0 < MAX_SPAN and garble(text, s0 - 1):
            s0 -= 1
        e0 = i + 1
        last_q = i
        while e0 < len(text) and e0 - last_q <= MAX_SPAN and garble(text, e0):
            if text[e0] == "?":
                last_q = e0
            e0 += 1
        e0 = last_q + 1
        yield s0, e0
        i = text.find("?", e0)


def _reread(text: str, start: int, end: int):
    """Try to re-read text[start:end] (first and last characters are "?")."""
    from . import model
    from .pinyin import is_reading
    from .tables import t2s

    table = t2s().table
    span = text[start:end]
    tail = _TAIL_RE.match(text, end)
    if not tail:
        return None  # the swallowed byte cannot be known: see module docstring
    # first "?": a lead byte read alone; last "?": a lead byte + the swallowed "(".
    middle = span[1:-1]
    choices = []
    for ch in middle:
        if ch == "?":
            choices.append([list("？".encode("gbk")), [U, U]])
        else:
            opts = _char_bytes(ch)
            if not opts:
                return None
            choices.append(opts)
    syllable = tail.group(0)[:-1]
    left = text[max(0, start - 4):start].translate(table)
    right = text[tail.end():tail.end() + 4].translate(table)
    results = []
    for combo in itertools.product(*choices):
        template = [U] + [b for part in combo for b in part] + [U, ord("(")]
        slots = _parse(template)
        if not slots or slots[-1] != ord("("):
            continue
        chars = slots[:-1]
        decided = []
        ok = True
        for k, slot in enumerate(chars):
            cands = _slot_candidates(slot)
            if k == len(chars) - 1:
                cands = [c for c in cands if is_reading(c, syllable)]
            if not cands:
                ok = False
                break
            decided.append(cands)
        if not ok:
            continue
        # decide unknown slots one at a time, with known neighbours in place
        text_chars = [c[0] if len(c) == 1 else None for c in decided]
        margin_ok = True
        # most constrained first, so that later slots see their neighbours
        for k in sorted(range(len(decided)), key=lambda k: len(decided[k])):
            cands = decided[k]
            if len(cands) == 1:
                continue
            scored = []
            for c in _one_per_simplified(cands, table):
                trial = [x if x is not None else "，" for x in text_chars]
                trial[k] = c
                s = left + "".join(trial).translate(table) + right
                before = text_chars[k - 1] if k else text[start - 1]
                after = text_chars[k + 1] if k + 1 < len(text_chars) else None
                scored.append((model.score(s) + _echo(text, start, before, c, after), c))
            scored.sort(reverse=True)
            if len(scored) > 1 and scored[0][0] - scored[1][0] < SLOT_MARGIN:
                margin_ok = False
            text_chars[k] = scored[0][1]
        if not margin_ok:
            results.append((float("-inf"), None))
            continue
        repaired = "".join(text_chars)
        s_new = model.score(left + repaired.translate(table) + right)
        results.append((s_new, repaired))
    if not results:
        return None
    results.sort(key=lambda r: r[0], reverse=True)
    s_best, repaired = results[0]
    replace_end = end  # the "?" that swallowed "(" becomes the character + "("
    if repaired is None:
        return (float("-inf"), Outcome(start, end, None, "no reading clearly best"))
    s_old = model.score(left + span.translate(table).replace("?", "，") + right)
    if s_best - s_old < SPAN_MARGIN:
        return (s_best, Outcome(start, end, None, "re-reading not clearly more likely"))
    return (s_best, Outcome(start, replace_end, repaired + "(", f"{span} -> {repaired}"))


def find_edits(text: str) -> tuple:
    """(edits for repaired spans, outcomes left undecided)."""
    edits, undecided = [], []
    for o in find(text):
        if o.replacement is None:
            undecided.append(o)
        else:
            edits.append(Edit(o.start, o.end, o.replacement, o.note))
    return edits, undecided
