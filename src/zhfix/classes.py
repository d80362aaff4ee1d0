"""The class table: 32 bits for every code point (30 used), saying which classes of
character it belongs to (traditional-only, simplified-only, everyday, the
letters of pinyin, ...), built once from the data layer (OpenCC's
dictionaries, the everyday character sets, zhfix's own sets) and kept in the
user cache directory.  The loops (zhfix.loops) scan text against it.
"""
from __future__ import annotations

from functools import lru_cache

#: Class bits.
TRADITIONAL = 1  # traditional-only characters: t2s changes them, the diagnosis counts them
UNUSUAL = 2  # outside everyday text (mojibake.everyday()): a misreading may be here
QUESTION = 4  # "?": a misread GBK span or a lost character may be here
LOSSY = 8  # U+FFFD, 锟: a lossy reading
PAREN = 16  # an opening parenthesis, half- or fullwidth: a pinyin annotation may follow
SIMPLIFIED = 32  # simplified-only characters
CONVERT = 64  # characters the bulk t2s table changes
SPECIAL = 128  # characters whose simplified form is decided in context
HAN = 256  # CJK ideographs (chardata.HAN)
LETTER = 512  # the letters of pinyin
SPACE = 1024  # white space (str.isspace)
HALF = 2048  # halfwidth ,;:!?, what a converter folds fullwidth punctuation to
FULL = 4096  # fullwidth ，；：！？
FORM = 8192  # a converter's character forms (tables.converter_forms)
CHINESE = 16384  # Han characters, CJK and fullwidth punctuation, curly quotes (chardata.CJK_PUNCT)
TERM = 32768  # first characters of the mainland / Taiwan terms (tables.mainland_taiwan_terms)
KANA_HANGUL = 1 << 16  # Japanese kana and Korean letters (chars.KANA_HANGUL)
MISREAD = 1 << 17  # what only a misreading leaves: the Private Use Area, U+FFFD, C1 controls (chars.MISREAD)
LATIN_LEAD = 1 << 18  # U+00C2-U+00F4, what a Latin-1 reading of UTF-8 starts with (chars.LATIN_LEADS)
BADNESS = 1 << 19  # characters one of which every match of ftfy's badness pattern holds (chars.badness_set; all but ASCII where it cannot say)
#: One bit for each script of chars.SCRIPTS (Greek, Cyrillic, box drawing,
#: kana, Bopomofo, Hangul), in the order of chars.SCRIPT_NAMES.
SCRIPT_BITS = tuple(1 << (20 + k) for k in range(6))
SCRIPTS = sum(SCRIPT_BITS)
KANA = 1 << 26  # hiragana and katakana letters (chars.KANA): the diagnosis counts them
#: Characters the Japanese cp932 (Shift_JIS), or the Korean cp949, cannot
#: encode: a run of Han characters on a page of Japanese or Korean is its
#: own where one of them encodes it whole (decide.why_plausible).
NOT_CP932 = 1 << 27
NOT_CP949 = 1 << 28
LATIN = 1 << 29  # beyond ASCII, what a Latin-1 or cp1252 reading of bytes gives (chars.LATIN)
ALL = (1 << 30) - 1

@lru_cache(maxsize=None)
def table() -> bytes:
    """Class bits of every code point: 0x110000 native-endian uint32, as bytes.

    Built from OpenCC's dictionaries, Python's GB2312/Big5 codecs and zhfix's
    own sets, then kept in the user cache directory
    (:func:`zhfix.data.tables.static`).
    Clean text needs nothing else."""
    from .data.chars import badness_source
    from .data.tables import static

    # ftfy's badness pattern is read for the BADNESS bit, so its module is one of the sources
    return static("class-table", _build_table, check=lambda v: isinstance(v, bytes) and len(v) == 0x110000 * 4,
                  sources=[badness_source()])


def _build_table() -> bytes:
    from array import array

    from .data.chars import (CJK_PUNCT, HAN as HAN_RANGES, KANA as KANA_RANGES, KANA_HANGUL as KANA_HANGUL_RANGES,
                             LATIN as LATIN_RANGES, LATIN_LEADS, LETTERS,
                             MISREAD as MISREAD_RANGES, SCRIPT_NAMES, SCRIPTS as SCRIPT_RANGES, badness_set, everyday)
    from .data.tables import converter_forms, mainland_taiwan_terms, simplified_only, t2s

    t = t2s()
    bits = array("I", [UNUSUAL]) * 0x110000
    assert bits.itemsize == 4
    for lo, hi in _ranges(HAN_RANGES):
        bits[lo:hi + 1] = array("I", [UNUSUAL | HAN | CHINESE]) * (hi + 1 - lo)
    for ch in everyday():
        bits[ord(ch)] &= ~UNUSUAL
    # only code points below U+3001 are tried: every white-space character is
    # below it, as tests/test_speedups.py checks
    space = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    for members, bit in ((t.traditional, TRADITIONAL), (simplified_only(), SIMPLIFIED),
                         (t.convertible, CONVERT), (t.special, SPECIAL),
                         ("?", QUESTION), ("\ufffd锟", LOSSY), ("(（", PAREN),
                         (_expand(LETTERS), LETTER), (space, SPACE), (",;:!?", HALF),
                         ("，；：！？", FULL), (converter_forms(), FORM), (_expand(CJK_PUNCT), CHINESE),
                         ({t[0] for terms in mainland_taiwan_terms() for t in terms}, TERM)):
        for ch in members:
            bits[ord(ch)] |= bit
    for spec, bit in ((KANA_HANGUL_RANGES, KANA_HANGUL), (MISREAD_RANGES, MISREAD), (LATIN_LEADS, LATIN_LEAD),
                      (KANA_RANGES, KANA), (LATIN_RANGES, LATIN)):
        for lo, hi in _ranges(spec):
            for c in range(lo, hi + 1):
                bits[c] |= bit
    for lo, hi, name in SCRIPT_RANGES:
        for c in range(lo, hi + 1):
            bits[c] |= SCRIPT_BITS[SCRIPT_NAMES.index(name)]
    bad = badness_set()
    if bad is None:
        # ftfy's pattern is not one zhfix can read: any character but ASCII may
        # be what a match holds, so no text of another script is calm at once
        bad = map(chr, range(0x80, 0x110000))
    for ch in bad:
        bits[ord(ch)] |= BADNESS
    # ASCII encodes in both, and nothing beyond the BMP in either
    for c in range(0x80, 0x110000):
        bits[c] |= NOT_CP932 | NOT_CP949
    for codec, bit in (("cp932", NOT_CP932), ("cp949", NOT_CP949)):
        for c in range(0x80, 0x10000):
            try:
                chr(c).encode(codec)
            except UnicodeEncodeError:
                continue
            bits[c] &= ~bit
    return bits.tobytes()


def _ranges(spec: str):
    """"a-zA-Z…" (a regex class body of single characters and ranges) as (lo, hi) pairs."""
    i, out = 0, []
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.append((ord(spec[i]), ord(spec[i + 2])))
            i += 3
        else:
            out.append((ord(spec[i]), ord(spec[i])))
            i += 1
    return out


def _expand(spec: str) -> str:
    return "".join(chr(c) for lo, hi in _ranges(spec) for c in range(lo, hi + 1))


