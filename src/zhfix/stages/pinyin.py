"""Step 4 of the runner (remove-pinyin, remove-glued-pinyin): remove pinyin
annotations glued after characters: 網(wǎng) -> 網.

An annotation is removed only where it is the reading of the characters
before it, by pypinyin's table of readings (loaded only when a candidate is
present).  Shapes seen on mirror sites: ``網(wǎng)``, ``網（wǎng）``, tone
numbers ``網(wang3)``, the neutral tone without a mark ``的(de)``, any case,
and several syllables for a word ``企業(qǐ yè)`` / ``企業(qǐyè)``.  Every other
parenthesis — ``(次)``, ``(GDP)``, ``(2022)``, ``(記者 霍一夫)`` — stays.
"""
from __future__ import annotations

import importlib.util
import os
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from typing import Dict, List, NamedTuple, Optional, Tuple

from .. import lazyre
from ..data.chars import HAN, HAN_RE, LETTERS
from ..loops import scan
from .spans import Edit, Findings, Stage, new_edit

#: The letters of a pinyin syllable (a regex class body).
_SYL = f"[{LETTERS}]{{1,7}}[0-5]?"
#: A Han character followed by syllable-shaped words in parentheses.
CANDIDATE_RE = lazyre.compile(f"([{HAN}])[(（]\\s?({_SYL}(?:[ '’]?{_SYL}){{0,3}})\\s?[)）]")

_MARKED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_TONE_MARKS = str.maketrans(_MARKED, "aaaaeeeeiiiioooouuuuüüüünnnm")
_TONE_OF = {c: "1234"[i % 4] for i, c in enumerate(_MARKED[:24])}
_TONE_OF.update({"ń": "2", "ň": "3", "ǹ": "4", "ḿ": "2"})


@lru_cache(maxsize=None)
def readings() -> Dict[int, str]:
    """pypinyin's code point -> "reading,reading" table.

    Loaded straight from its module file: importing the pypinyin package also
    builds its phrase tables, which zhfix does not need; then kept in the
    user cache directory.
    """
    from ..data.store import derived

    spec = importlib.util.find_spec("pypinyin")
    base = spec.submodule_search_locations[0]
    path = base + "/pinyin_dict.py"

    def load():
        mod_spec = importlib.util.spec_from_file_location("_zhfix_pinyin_dict", path)
        module = importlib.util.module_from_spec(mod_spec)
        mod_spec.loader.exec_module(module)
        return module.pinyin_dict

    # kept in the user cache directory, so that pypinyin's JSON is not parsed
    # on every start
    return derived("pinyin-readings", base + "/pinyin_dict.json", load)


def _norm(syllable: str) -> str:
    return unicodedata.normalize("NFC", syllable.lower()).replace("v", "ü").replace("u:", "ü")


def toneless(syllable: str) -> str:
    if syllable.isascii():
        # what _norm and the tone marks' table leave of ASCII letters (no
        # normal form to take, no mark to drop): the common case, English
        # in parentheses after Chinese ((dry-run)), asked first sight
        s = syllable.lower()
        if "v" in s or "u:" in s:
            s = s.replace("v", "ü").replace("u:", "ü")
        return s.rstrip("012345")
    return _norm(syllable).translate(_TONE_MARKS).rstrip("012345")


def numbered(syllable: str) -> str:
    """``wǎng`` -> ``wang3``; ``de`` -> ``de`` (neutral: no number)."""
    syl = _norm(syllable)
    tone = next((_TONE_OF[c] for c in syl if c in _TONE_OF), "")
    return syl.translate(_TONE_MARKS) + tone


@lru_cache(maxsize=4096)
def _forms(char: str) -> frozenset:
    """Every way an annotation may write a reading of `char`."""
    known = readings().get(ord(char))
    if not known:
        return frozenset()
    forms = set()
    for r in known.split(","):
        forms.add(_norm(r))  # wǎng
        forms.add(numbered(r))  # wang3
    return frozenset(forms)


@lru_cache(maxsize=4096)
def _toneless_forms(char: str) -> frozenset:
    """The letters of each reading of `char`, without its tone (toneless of
    each of _forms)."""
    return frozenset(map(toneless, _forms(char)))


@lru_cache(maxsize=None)
def _syllables() -> frozenset:
    """The letters of every reading pypinyin has, without its tone
    (:func:`toneless`; the keys of _reading_index's toneless forms): a
    syllable outside them reads no character, which is told without the
    readings of the character before it (most words in parentheses after
    Chinese are English: ``（root）``)."""
    return frozenset(_reading_index()[1])


@lru_cache(maxsize=65536)
def _syllable_ok(char: str, syl: str) -> bool:
    if toneless(syl) not in _syllables():
        return False  # (each of the forms below is one of these letters)
    s = _norm(syl)
    forms = _forms(char)
    if not forms:
        return False
    if s in forms:
        return True
    plain = s.translate(_TONE_MARKS)
    if plain == s and not s[-1:].isdigit() or s[-1:] in "05":
        # neutral tone, no mark or 0 or 5: any reading with these letters
        return plain.rstrip("05") in _toneless_forms(char)
    return False


def is_reading(char: str, syllable: str) -> bool:
    """Is `syllable` a reading of `char`?  Toneless matches any tone's letters
    only when it carries no mark itself (the neutral tone)."""
    return _syllable_ok(char, syllable)


@lru_cache(maxsize=4096)
def chars_read_as(syllable: str) -> frozenset:
    """Every character of which `syllable` is a reading: the characters `c`
    with ``is_reading(c, syllable)``, from an index of all of pypinyin's
    readings by the way an annotation may write them (built once, kept in
    the user cache directory), not by a test of each character."""
    s = _norm(syllable)
    exact, neutral = _reading_index()
    found = exact.get(s, "")
    plain = s.translate(_TONE_MARKS)
    if plain == s and not s[-1:].isdigit() or s[-1:] in "05":
        found += neutral.get(plain.rstrip("05"), "")  # the neutral tone, as _syllable_ok reads it
    return frozenset(found)


@lru_cache(maxsize=None)
def _reading_index() -> tuple:
    """({form: characters}, {toneless form: characters}) over every character
    pypinyin reads: _forms(c) inverted, and each form's toneless letters."""
    from ..data.store import derived

    spec = importlib.util.find_spec("pypinyin")
    source = spec.submodule_search_locations[0] + "/pinyin_dict.json"

    def build() -> tuple:
        exact: Dict[str, list] = {}
        neutral: Dict[str, list] = {}
        for cp in sorted(readings()):
            ch = chr(cp)
            forms = _forms.__wrapped__(ch)
            for f in sorted(forms):
                exact.setdefault(f, []).append(ch)
            for base in sorted({toneless(f) for f in forms}):
                neutral.setdefault(base, []).append(ch)
        return ({k: "".join(v) for k, v in exact.items()}, {k: "".join(v) for k, v in neutral.items()})

    return derived("pinyin-forms", [source, _SOURCE], build,
                   check=lambda v: isinstance(v, tuple) and len(v) == 2)


#: This module's source (where the build compiled it, __file__ is the
#: extension, which each build makes anew): the key of what it builds.
_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pinyin.py")
if not os.path.isfile(_SOURCE):
    _SOURCE = __file__


def _split(content: str, chars: str) -> bool:
    """Can `content` be read as the readings of `chars`, in order (with or
    without spaces between the syllables)?"""
    if not chars:
        return not content
    content = content.lstrip(" '’")
    ch = chars[0]
    for n in range(min(7, len(content)), 0, -1):
        head = content[:n]
        if n < len(content) and content[n].isdigit():
            continue  # a tone number belongs to the syllable
        if _syllable_ok(ch, head) and _split(content[n:], chars[1:]):
            return True
    return False


class Shape(NamedTuple):
    """What an annotation string (``網(wǎng)``: a character, the parenthesised
    syllables) is, wherever it stands; computed once per string."""

    whole: str  # the match of CANDIDATE_RE: character, parentheses, content
    char: str  # the character before the parenthesis
    content: str  # the syllables inside
    single: bool  # the mirror's own shape: ASCII parentheses, one syllable
    read: bool  # ... and that syllable is a reading of the character
    one: bool  # the content, as one syllable, reads the character


#: Where a Shape holds its string and whether it is one syllable, as indices
#: because zhfix.loops.scan reads them by position.
_WHOLE, _ONE = Shape._fields.index("whole"), Shape._fields.index("one")
_SINGLE_READ = (Shape._fields.index("single"), Shape._fields.index("read"))


def _shape(s: str) -> Optional[Shape]:
    m = CANDIDATE_RE.fullmatch(s)
    if m is None:
        return None
    char, content = m.group(1), m.group(2)
    single = s[1] == "(" and _SYL_RE.fullmatch(content) is not None
    one = content.lstrip(" '’")
    return Shape(s, char, content, single, single and _syllable_ok(char, content),
                 len(one) <= 7 and _syllable_ok(char, one))


def covered(text: str, start: int, shape: Shape) -> int:
    """How many Han characters before the annotation (`shape`, its character
    at `start`) it reads (0: not a reading)."""
    if shape.one:
        # one syllable for the character before it, the common case: what
        # _split(content, that character) would decide
        return 1
    content = shape.content
    end = start + 1
    for k in range(1, 5):
        chars = text[max(0, end - k):end]
        if len(chars) < k or not _HAN_ONLY.fullmatch(chars):
            break
        if _split(content, chars):
            return k
    return 0


_HAN_ONLY = lazyre.compile(f"[{HAN}]+")


def find_annotations(text: str, memo: Optional["Annotations"] = None) -> List[Edit]:
    """Edits removing every verified annotation."""
    found = _found(text, memo)
    # one syllable read as the character before it is removed at once, its
    # edit made in zhfix.loops.scan; the rest as far as they read the characters
    edits, rest = scan.annotation_edits(found, Edit, _WHOLE, _ONE)
    more = [new_edit(Edit, (start + 1, start + len(shape.whole), "", shape.whole))
            for start, shape in rest if covered(text, start, shape)]
    return sorted(edits + more) if more else edits


def annotations_removed(text: str, memo: Optional["Annotations"] = None) -> Tuple[str, int]:
    """(`text` with :func:`find_annotations`' edits applied, how many there
    are), without an edit object each where every candidate is one
    syllable (what a repair that does not explain itself needs)."""
    new, count, rest = scan.annotation_splice(text, _found(text, memo), _WHOLE, _ONE)
    if rest:  # syllables that may read several characters need find_annotations' search
        from .spans import apply

        edits = find_annotations(text, memo)
        return apply(text, edits), len(edits)
    return new, count


_SYL_RE = lazyre.compile(_SYL)

#: Farther from its opening parenthesis than CANDIDATE_RE can match: a space,
#: four syllables of 8 with 3 separators, a space and the closing one make 39.
LONGEST = 48


def candidates(text: str, memo: Optional["Annotations"] = None):
    """``CANDIDATE_RE.finditer(text)`` as (start, Shape) pairs, looked for only at the
    opening parentheses between a Han character and a letter or a space
    (zhfix.loops.scan finds them in one pass): a match starts one character before
    its parenthesis, holds no other parenthesis and ends at the first closing
    one, so each is the match of that stretch alone (and the same stretch,
    wherever it stands, is looked at once)."""
    return iter(_found(text, memo))


class Annotations:
    """The candidates found in the text a repair's stages last asked about
    (the diagnosis, then the removal, ask about the same text): one per
    repair, carried by its context (zhfix.runner), so that nothing is shared
    between repairs or threads."""

    __slots__ = ("text", "found")

    def __init__(self) -> None:
        self.text: Optional[str] = None
        self.found: list = []


#: An annotation's parenthesis stands after a Han character and before a
#: letter or a space: the only places candidates are looked for (zhfix.runner
#: tells a page without one by the same classes).
OPENS_AFTER = scan.HAN
OPENS_BEFORE = scan.LETTER | scan.SPACE


def _found(text: str, memo: Optional[Annotations] = None) -> list:
    """What :func:`candidates` yields, as a list (kept in `memo`)."""
    if memo is None:
        memo = Annotations()
    if memo.text is not text:
        prev, kept, first = memo.text, [], 0
        if prev is not None and 0 < len(prev) < len(text) and text.startswith(prev):
            # the last text was this one's start, as where the diagnosis read
            # the start of a long document: what it found there stands, but for
            # openings whose closing parenthesis it may have looked for past its end
            first = max(1, len(prev) - LONGEST)
            kept = memo.found[:bisect_left(memo.found, (first - 1,))]
        memo.found = kept + scan.enclosed_at(text, scan.PAREN, OPENS_AFTER, OPENS_BEFORE, ")）",
                                             LONGEST, _SHAPES, _learn, first)
        memo.text = text
    return memo.found


def _learn(stretch: str) -> Optional[Shape]:
    """What a stretch not met before is (zhfix.loops.scan keeps it in _SHAPES)."""
    if len(_SHAPES) >= 8192:
        _SHAPES.clear()
    # a Shape holds strings and flags and its class lives as long as the
    # module, so scan.freeze may keep it from the cyclic GC, and with it each
    # pair (start, shape) holding it, one per annotation
    shape = _shape(stretch)
    return shape if shape is None else scan.freeze(shape)


#: What each stretch from a character to a closing parenthesis is, for the
#: stretches met so far: a Shape, or None where it is not an annotation.
_SHAPES: Dict[str, Optional[Shape]] = {}

def carry(memo: Annotations, old: str, new: str, edits) -> None:
    """`edits` (zhfix.stages.spans.Edit, not overlapping) made `new` of `old`: if
    `memo` holds what was found in `old`, it is carried over to `new` — kept
    before the first edit and shifted after the last, looked for again in
    between (from LONGEST before the first edit: an annotation that starts
    earlier closes before it) — rather than found anew."""
    if memo.text is not old or not edits:
        return
    edits = sorted(edits)
    first, final = edits[0], edits[-1]
    delta = len(new) - len(old)
    # openings, each "(" after an annotated character, looked at again: [lo, hi)
    # of `new`; before lo the text is as it was, from hi on it has moved by delta
    lo = max(1, first.start - LONGEST)
    hi_old = final.end + 1
    hi = hi_old + delta
    if hi - lo > len(new) // 2:  # most of it changed: dropped, to be looked for anew when asked, once
        memo.text, memo.found = None, []
        return
    # the pairs (start, shape) are in the order of their starts, so they are cut by bisection
    found = memo.found
    kept = found[:bisect_left(found, (lo - 1,))]
    moved = found[bisect_left(found, (hi_old - 1,)):]
    if delta:
        moved = [(start + delta, shape) for start, shape in moved]
    opening = [lo - 1 + i for i in scan.positions(new[lo - 1:hi + 1], scan.PAREN, OPENS_AFTER, OPENS_BEFORE)]
    opening = [i for i in opening if lo <= i < hi]
    again = scan.enclosed(new, opening, ")）", LONGEST, _SHAPES, _learn)
    memo.text, memo.found = new, kept + again + moved


def has_candidates(text: str, memo: Optional[Annotations] = None) -> bool:
    return bool(_found(text, memo))


def count_annotations(text: str, memo: Optional[Annotations] = None) -> Tuple[int, int]:
    """(candidates, verified) of the mirror's own shape — one syllable in
    ASCII parentheses glued after a character — evidence for the diagnosis."""
    # Shape.read implies Shape.single, so the verified ones of the single
    # shape are those read
    return scan.flag_counts(_found(text, memo), _SINGLE_READ)


def strip_annotations(text: str) -> str:
    """The plain ``str -> str`` fix: ``strip_annotations("網(wǎng)站") == "網站"``."""
    from .spans import apply
    return apply(text, find_annotations(text))


_HAN_AT = HAN_RE
MIN_HAN_GLUED = 10


def find_glued(text: str, memo: Optional[Annotations] = None) -> List[Edit]:
    """Outside a disguised document, annotations are removed only where every
    one in the text is a verified one-syllable reading glued inside running
    text (``发(fā)展``, ``头发(fà)，``).  A lesson that shows readings
    (``一(yī) 二(èr)``, ``你好(nǐ hǎo)``) has annotations followed by a space or
    the end of a line, or over whole words, and keeps all of them; so does a
    text whose annotation reads a rare character (``蘧(qú)伯玉``): a
    reader's aid, where a mirror annotates the characters of its list."""
    if scan.count(text[:2000], scan.HAN) < MIN_HAN_GLUED:  # scan.HAN: the class of HAN_RE's characters
        return []  # a title or a file name: too little to go on
    edits = []
    for start, shape in candidates(text, memo):
        end = start + len(shape.whole)
        nxt = text[end] if end < len(text) else ""
        glued = bool(nxt) and (_HAN_AT.match(nxt) is not None or nxt in "，。、；：！？”）")
        if not glued or not shape.read or scan.classes(shape.char) & scan.UNUSUAL:
            return []
        edits.append(Edit(start + 1, end, "", shape.whole))
    return edits


def _remove(text: str, ctx) -> Findings:
    return Findings(find_annotations(text, ctx.found) if has_candidates(text, ctx.found) else [])


def _removed(text: str, ctx):
    if not has_candidates(text, ctx.found):
        return text, 0, None
    new, count = annotations_removed(text, ctx.found)
    return new, count, None


def _remove_glued(text: str, ctx) -> Findings:
    return Findings(find_glued(text, ctx.found) if has_candidates(text, ctx.found) else [])


#: Every verified annotation, in a document diagnosed as disguised.
REMOVE_PINYIN = Stage("remove-pinyin", _remove, _removed)
#: Annotations glued inside running simplified text (a partial disguise).
REMOVE_GLUED_PINYIN = Stage("remove-glued-pinyin", _remove_glued)
