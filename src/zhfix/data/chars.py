"""The character sets zhfix's decisions rest on: the ranges of Han characters
and CJK punctuation, the letters of pinyin, the everyday characters of GB2312
and Big5 level 1, what clean text is made of."""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Optional

from .. import lazyre

#: CJK ideographs: URO, extension A, compatibility, and the supplementary planes.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = lazyre.compile(f"[{HAN}]")
#: A halfwidth mark right after a Han character, or a comma right before one
#: (更多信息:<https…>, 活動: at a line's end): a converter's fold of fullwidth
#: punctuation; Chinese writing puts fullwidth marks there (tldr's zh and
#: zh_TW pages: 99 % of the time).  zhfix.loops.scan counts its matches.
HALF_AFTER_HAN_RE = lazyre.compile(f"[{HAN}][,;:!?]|,[{HAN}]")
#: Fullwidth/CJK punctuation that sits inside Chinese text.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"

#: Halfwidth punctuation an SEO mirror produces, and its fullwidth original.
FULLWIDTH = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"}

#: The letters of pinyin (a regex class body).
LETTERS = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"

#: What only a misreading leaves (a regex class body): the Private Use Area
#: (a GBK user-area pair), U+FFFD, C1 controls.
MISREAD = "\ue000-\uf8ff\ufffd\x80-\x9f"
#: Hiragana and katakana letters, with their halfwidth forms (a regex class
#: body): the diagnosis's evidence of Japanese.
KANA = "\u3041-\u3096\u30a1-\u30fa\u30fc\u31f0-\u31ff\uff66-\uff9d"
#: Japanese kana and Korean letters (a regex class body).
KANA_HANGUL = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
#: What a Latin-1 or cp1252 reading of UTF-8 starts with (a regex class body):
#: the first class of zhfix.stages.mojibake's pattern of it, which must stay the same.
LATIN_LEADS = "\u00c2-\u00f4"
#: What a Latin-1 or cp1252 reading of bytes gives beyond ASCII (a regex
#: class body): a run of these alone is judged by its shape as a word
#: (zhfix.stages.decide.why_plausible), not by ftfy's model.
LATIN = ("\x80-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
         "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122")

#: The scripts GBK and Big5 hold beside Chinese, by their code point ranges.
SCRIPTS = ((0x0370, 0x03FF, "greek"), (0x0400, 0x052F, "cyrillic"), (0x2500, 0x259F, "box"),
            (0x3040, 0x30FF, "kana"), (0x3100, 0x312F, "bopomofo"), (0x3130, 0x318F, "hangul"),
            (0x31A0, 0x31BF, "bopomofo"), (0x31F0, 0x31FF, "kana"), (0xAC00, 0xD7AF, "hangul"),
            (0xFF66, 0xFF9F, "kana"))
#: Their names, in the order of the class table's script bits (zhfix.classes).
SCRIPT_NAMES = tuple(dict.fromkeys(n for _, _, n in SCRIPTS))


@lru_cache(maxsize=None)
def gb2312_level1() -> frozenset:
    """The 3755 commonest simplified characters (GB2312 level 1)."""
    pairs = [bytes((lead, trail)) for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF)]
    return frozenset(b"".join(pairs).decode("gb2312", errors="ignore"))


@lru_cache(maxsize=None)
def common_chars() -> frozenset:
    """The characters of everyday Chinese: GB2312 level 1 (3755 simplified)
    and Big5 level 1 (5401 traditional), read from the codecs themselves
    (kept in the user cache directory: tables.static)."""
    from .tables import static

    return static("common-chars", lambda: frozenset(c for c in gb2312_level1() | big5_level1()
                                                    if HAN_RE.match(c)),
                  check=lambda v: isinstance(v, frozenset))


@lru_cache(maxsize=None)
def big5_level1() -> frozenset:
    """The 5401 commonest traditional characters (Big5 level 1)."""
    chars = set()
    for lead in range(0xA4, 0xC7):
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


@lru_cache(maxsize=None)
def everyday() -> frozenset:
    """ASCII, everyday Chinese characters, every character OpenCC converts
    either way (a converter's output is text, not a misreading), CJK
    punctuation, fullwidth forms, general punctuation and white space: what
    clean text is made of (kept in the user cache directory: tables.static)."""
    from .tables import static

    return static("everyday", _everyday, check=lambda v: isinstance(v, frozenset))


def _everyday() -> frozenset:
    from .tables import simplified_only, t2s

    chars = set(map(chr, range(128))) | common_chars() | t2s().traditional | simplified_only()
    for lo, hi in ((0x3000, 0x303F), (0xFF01, 0xFF5E), (0x2010, 0x2027)):
        chars.update(map(chr, range(lo, hi + 1)))
    chars.update("\u00b7\u00a0\u2028\u2029\u3000\x85")
    return frozenset(chars)


@lru_cache(maxsize=None)
def badness_set():
    """The characters one of which every match of ftfy's badness pattern
    holds, else None (the class table's BADNESS bit; zhfix.stages.decide.is_bad
    looks around them): :func:`badness_facts`."""
    chars = badness_facts()[0]
    return None if chars is None else frozenset(chars)


@lru_cache(maxsize=None)
def badness_facts() -> tuple:
    """(the characters of :func:`badness_set` as a str, or None; the longest
    match of ftfy's badness pattern where a search of a window of the text
    answers as a search of the whole does, else None; :func:`badness_branches`'s
    list, or None), read from ftfy's own pattern, whatever its version, and
    kept in the user cache directory (reading it takes re's parser ~10 ms;
    ftfy's module is the source)."""
    import os

    from .store import derived

    return tuple(derived("ftfy-badness", [badness_source(), os.path.abspath(__file__)], _read_badness,
                         extra=sys.version, check=lambda v: isinstance(v, (list, tuple)) and len(v) == 3))


def badness_branches():
    """[(source, needed)] of each branch of ftfy's badness pattern, in its
    order: the branch's own source (a pattern of its own, with the same
    flags, that matches what the branch matches) and the characters one of
    which every match of it holds (:func:`badness_set` is all of them
    together); or None where the pattern's source does not split so.
    zhfix.stages.decide.is_bad searches a text with the branches its
    characters allow only: a box-drawing tree allows a few of 37."""
    branches = badness_facts()[2]
    return None if branches is None else [tuple(b) for b in branches]


def badness_source() -> str:
    """The path of ftfy's module of its badness pattern, what the facts read
    from it are kept under (found without importing ftfy, which clean text
    never needs)."""
    import os
    from importlib.util import find_spec

    return os.path.join(os.path.dirname(find_spec("ftfy").origin), "badness.py")


def _read_badness() -> tuple:
    from ftfy.badness import BADNESS_RE

    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover  (3.8-3.10)
        import sre_parse
    try:
        tree = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    except Exception:  # a pattern this reading does not know: no shortcut
        return None, None, None
    return (_needed_chars(BADNESS_RE, tree, sre_parse), _width(BADNESS_RE, tree, sre_parse),
            _branch_sources(BADNESS_RE, tree, sre_parse))


def _needed_chars(pattern, tree, sre_parse) -> Optional[str]:
    """Each branch of the pattern has a character class (or a character) it
    must match, of non-ASCII characters only; the smallest such class of
    each branch, together.  Where some branch has none (a later ftfy's
    pattern could), or the pattern has flags that change what a class
    matches, None: no shortcut."""
    needs = _branch_needs(pattern, tree, sre_parse)
    if needs is None:
        return None
    return "".join(map(chr, sorted(set().union(*needs))))


def _branches_of(tree, sre_parse) -> list:
    """The top-level alternatives of a parsed pattern, or [the pattern]."""
    items = list(tree)
    return items[0][1][1] if len(items) == 1 and items[0][0] == sre_parse.BRANCH else [tree]


def _branch_needs(pattern, tree, sre_parse) -> Optional[list]:
    """[the smallest class of non-ASCII characters each branch must match
    (a set of code points)], or None (:func:`_needed_chars`)."""
    if pattern.flags & (re.IGNORECASE | re.LOCALE):
        return None
    try:
        needs = []
        for branch in _branches_of(tree, sre_parse):
            best = None
            for op, av in branch:  # the branch's elements in sequence: each must match once
                if op == sre_parse.LITERAL:
                    members = {av}
                elif op == sre_parse.IN and all(o in (sre_parse.LITERAL, sre_parse.RANGE) for o, _ in av):
                    members = set()
                    for o, a in av:
                        members.update([a] if o == sre_parse.LITERAL else range(a[0], a[1] + 1))
                else:
                    continue  # a repeat, a group, an anchor, \s, \w, a negated class: not looked into
                if members and min(members) >= 0x80 and (best is None or len(members) < len(best)):
                    best = members
            if best is None:
                return None
            needs.append(best)
    except Exception:  # a pattern this reading does not know: no shortcut
        return None
    return needs


def _branch_sources(pattern, tree, sre_parse) -> Optional[list]:
    """[[source, needed]] of each branch (:func:`badness_branches`): the
    pattern's source cut at each "|" outside any group and class, each
    piece checked to parse, with the pattern's flags, as the branch it
    stands for parses (else None: no shortcut)."""
    needs = _branch_needs(pattern, tree, sre_parse)
    source = pattern.pattern
    if needs is None or not isinstance(source, str):
        return None
    verbose = bool(pattern.flags & re.VERBOSE)
    pieces, start, depth, in_class, i = [], 0, 0, False, 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1 + (source[i + 1:i + 2] == "^")
            i += source[i:i + 1] == "]"  # (a "]" first in a class is one of its characters)
            continue
        elif verbose and c == "#":
            end = source.find("\n", i)
            i = len(source) if end < 0 else end
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            pieces.append(source[start:i])
            start = i + 1
        i += 1
    pieces.append(source[start:])
    try:
        branches = _branches_of(tree, sre_parse)
        if len(pieces) != len(branches) or any(
                _dump(sre_parse.parse(piece, pattern.flags), sre_parse) != _dump(branch, sre_parse)
                for piece, branch in zip(pieces, branches)):
            return None
    except Exception:  # a piece that does not parse alone: no shortcut
        return None
    return [[piece, "".join(map(chr, sorted(need)))] for piece, need in zip(pieces, needs)]


def _dump(item, sre_parse):
    """A parsed pattern as nested tuples, to be compared."""
    if isinstance(item, sre_parse.SubPattern):
        return ("sub",) + tuple(_dump(i, sre_parse) for i in item.data)
    if isinstance(item, (list, tuple)):
        return tuple(_dump(i, sre_parse) for i in item)
    return item


def _width(pattern, tree, sre_parse) -> Optional[int]:
    """The longest match of the pattern (as re's parser reads it), or None
    where a search of a window of the text could answer otherwise than a
    search of the whole: a look-ahead or -behind, an anchor other than the
    text's start, MULTILINE, an unbounded repeat."""
    if pattern.flags & re.MULTILINE:
        return None
    allowed = {sre_parse.BRANCH, sre_parse.IN, sre_parse.ANY, sre_parse.LITERAL, sre_parse.NOT_LITERAL,
               sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.SUBPATTERN}

    def plain(sub) -> bool:
        for op, av in sub:
            if op == sre_parse.AT and av == sre_parse.AT_BEGINNING:
                continue
            if op not in allowed:
                return False
            inner = av if isinstance(av, (tuple, list)) else (av,)
            for a in inner:
                parts = a if isinstance(a, list) else [a]
                if any(isinstance(b, sre_parse.SubPattern) and not plain(b) for b in parts):
                    return False
        return True

    try:
        width = tree.getwidth()[1]
        return width if plain(tree) and width < 64 else None
    except Exception:  # a pattern this reading does not know: no shortcut
        return None
