"""The character sets zhfix's decisions rest on: the ranges of Han characters
and CJK punctuation, the letters of pinyin, the everyday characters of GB2312
and Big5 level 1, what clean text is made of."""
from __future__ import annotations

import re
from functools import lru_cache

#: CJK ideographs: URO, extension A, compatibility, and the supplementary planes.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN}]")
#: A halfwidth mark right after a Han character, or a comma right before one
#: (更多信息:<https…>, 活動: at a line's end): a converter's fold of fullwidth
#: punctuation; Chinese writing puts fullwidth marks there (tldr's zh and
#: zh_TW pages: 99 % of the time).  zhfix.loops.scan counts its matches.
HALF_AFTER_HAN_RE = re.compile(f"[{HAN}][,;:!?]|,[{HAN}]")
#: Fullwidth/CJK punctuation that sits inside Chinese text.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"

#: Halfwidth punctuation an SEO mirror produces, and its fullwidth original.
FULLWIDTH = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"}

#: The letters of pinyin (a regex class body).
LETTERS = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"


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
