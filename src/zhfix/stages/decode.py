"""Before the runner: bytes to text.  BOM and strict UTF-8 first (the fast path;
7-bit HZ and ISO-2022 are looked for only in ASCII text holding "~{" or ESC),
then charset-normalizer's whole judgment, weighed against the best Chinese
reading (see :func:`_guess`).  Bytes read as another language (Korean,
Japanese, Cyrillic...) raise :class:`NotChineseError`: zhfix leaves them alone."""
from __future__ import annotations

import codecs
from typing import List, NamedTuple, Optional, Tuple

from .. import lazyre
from ..data.chars import CJK_PUNCT
from ..errors import DecodeError, NotChineseError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


class Decoded(NamedTuple):
    text: str
    encoding: str
    bom: bool


def decode(data: bytes) -> Decoded:
    """Decode `data`; raise :class:`DecodeError` if it is binary or undecodable,
    :class:`NotChineseError` (a DecodeError) if it reads as another language."""
    if not data:
        return Decoded("", "utf-8", False)
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name, True)
            except UnicodeDecodeError as e:
                raise DecodeError(f"starts with a {name} byte-order mark but does not decode ({e.reason})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" in text:
            raise DecodeError("binary data (NUL bytes)")
        # 7-bit encodings are valid UTF-8: HZ (GB2312 between ~{ and ~}) and
        # ISO-2022 (escape sequences).
        if text.isascii() and ("~{" in text or "\x1b" in text):
            return _seven_bit(data, text)
        return Decoded(text, "utf-8", False)
    return _guess(data)


def _seven_bit(data: bytes, text: str) -> Decoded:
    """ASCII bytes with "~{" or ESC: HZ when they decode as HZ into everyday
    Chinese; ISO-2022-JP/KR (not Chinese) when charset-normalizer reads them
    so; else ASCII text as it is."""
    if "\x1b" in text:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding.startswith("iso2022_"):
            raise NotChineseError(best.encoding)
    if "~{" in text:
        try:
            hz = data.decode("hz")
        except UnicodeDecodeError:
            hz = None
        if hz is not None and hz != text and _everyday(hz) >= EVERYDAY:
            return Decoded(hz, "hz", False)
    return Decoded(text, "utf-8", False)


#: What charset-normalizer may name that zhfix reads as Chinese.
_CHINESE_NAMES = frozenset(["gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "hz"])
#: A Chinese reading is everyday Chinese when at least this share of its
#: letters beyond ASCII are GB2312 level 1 / Big5 level 1 characters.
#: Measured: GBK and Big5 lines of everyday sentences read right score 1.0;
#: read with the wrong Chinese codec, 0.2-0.8.
EVERYDAY = 0.9
#: Korean: at least this share of Hangul syllables, and words spaced: at least
#: KOREAN_SPACES spaces between two letters beyond ASCII per such letter.
#: Korean prose has about 0.15-0.25, Chinese none.
KOREAN, KOREAN_SPACES = 0.5, 0.05
#: Korean, where charset-normalizer names no encoding (_home_reading): at
#: most this share of Hanja (ideographs) beside the Hangul.
#: Korean prose has almost none (0-1 % in chardet's EUC-KR pages; 20 % in
#: CPython's cp949 sample, which plays with them); GB Chinese read as Korean
#: leaves 38-46 % (KS X 1001's rows of ideographs take many of GB2312's
#: common characters), beside its "Hangul".
KOREAN_HANJA = 0.3
#: Korean without spaces between its letters (a table of Hangul) is told
#: from GB Chinese read as Korean by its Hanja: at most this share.
KOREAN_TABLE_HANJA = 0.02
#: ... over this many letters at the least (a short Big5 or GBK string reads
#: as a few Hangul syllables as easily).
KOREAN_TABLE = 100
#: Japanese: at least this share of kana, over at least JAPANESE_LETTERS letters.
JAPANESE, JAPANESE_LETTERS = 0.2, 10
#: Bytes judged; the decoding itself is of the whole input.
SAMPLE = 1 << 16


def _guess(data: bytes) -> Decoded:
    if looks_binary(data):
        raise DecodeError("binary data, not text")
    from charset_normalizer import from_bytes, is_binary  # imported only off the fast path

    sample = _sample(data)
    # charset-normalizer's whole judgment: every encoding it knows.  UTF-16
    # and UTF-32 without a NUL byte (not one ASCII character) are short
    # texts of another encoding they happen to decode: passed over.
    nul = b"\x00" in sample
    best = next((m for m in from_bytes(sample) if nul or not m.encoding.startswith(("utf_16", "utf_32"))),
                None)
    zh = _chinese_reading(sample)
    name = best.encoding if best is not None else None
    if name is None:
        # nothing it knows reads these bytes well: a text of odd symbols, or binary
        other = _home_reading(sample)
        if other is not None:
            raise NotChineseError(other)
        if zh is not None and zh[1] >= EVERYDAY:
            return _whole(data, zh[0])
        if is_binary(data):
            raise DecodeError("binary data, not text")
        raise DecodeError("no encoding plausible for Chinese text (UTF-8, GB18030/GBK, Big5, UTF-16) explains these bytes")
    if name.startswith(("utf_16", "utf_32")):
        return _whole(data, name)
    if name in _CHINESE_NAMES:
        return _whole(data, zh[0] if zh is not None else name)
    if zh is not None and zh[1] >= EVERYDAY and not _other_language(name, str(best)):
        # a short Chinese text: charset-normalizer's choice between CJK codecs
        # is weak there (Korean, Japanese, Latin readings tie at no chaos)
        return _whole(data, zh[0])
    if zh is not None and best.language == "Unknown" and not _multibyte(name):
        # a single-byte reading in no language it knows (a Latin-2 guess for
        # Big5-HKSCS's rare characters): the Chinese reading
        return _whole(data, zh[0])
    raise NotChineseError(name)


def _whole(data: bytes, encoding: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise DecodeError(f"reads as {encoding} at first, but not further in ({e.reason})")
    if "\x00" in text:
        raise DecodeError("binary data (NUL characters after decoding)")
    return Decoded(text, encoding, False)


def _sample(data: bytes) -> bytes:
    """SAMPLE bytes from the line of the first byte beyond ASCII on (a long
    ASCII preamble says nothing of the encoding), ending at a line break (or
    a byte below "0", never inside a character of the codecs judged) when one
    is in the second half."""
    if len(data) <= SAMPLE:
        return data
    if b"\x00" not in data[:SAMPLE]:  # not UTF-16/32, so lines are byte-aligned
        first = _BEYOND_ASCII.search(data)
        if first is not None and first.start() > SAMPLE // 2:
            data = data[data.rfind(b"\n", 0, first.start()) + 1:]
            if len(data) <= SAMPLE:
                return data
    head = data[:SAMPLE]
    cut = head.rfind(b"\n") + 1
    if cut < SAMPLE // 2:
        cut = max(head.rfind(bytes([c])) for c in range(0x30)) + 1
    return head[:cut] if cut >= SAMPLE // 2 else head


def _letters(text: str) -> List[str]:
    return [c for c in text if c > "\x7f" and c.isalpha()]


def _everyday(text: str) -> float:
    """The share of `text`'s characters beyond ASCII (but spaces) that are
    everyday Chinese characters or CJK punctuation."""
    from ..data.chars import common_chars

    chars = [c for c in text if c > "\x7f" and not c.isspace()]
    if not chars:
        return 0.0
    common = common_chars()
    return sum(c in common or _PUNCT.match(c) is not None for c in chars) / len(chars)


def _chinese_reading(data: bytes) -> Optional[Tuple[str, float]]:
    """The Chinese codec that reads `data` best (strictly) and the share of
    everyday characters in its reading; None when none reads it.  Ties go
    to GB18030, unless less than half of its reading is in GB2312 (a GBK
    text made of its extension's rare characters is unlikely; Big5-HKSCS's
    extension is Hong Kong's own characters)."""
    best = None
    for rank, name in enumerate(("gb18030", "big5", "big5hkscs")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        share = _everyday(text)
        tie = 2 - rank
        if name == "gb18030":
            letters = _letters(text)
            inside = sum(_in_gb2312(c) for c in letters)
            if letters and inside * 2 < len(letters):
                tie = -1
        key = (share, tie)
        if best is None or key > best[0]:
            best = (key, name, share)
    return None if best is None else (best[1], best[2])


def _in_gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _script_share(text: str, lo: str, hi: str) -> Tuple[float, int]:
    letters = _letters(text)
    if not letters:
        return 0.0, 0
    return sum(lo <= c <= hi for c in letters) / len(letters), len(letters)


def _spaced(text: str) -> float:
    letters = len(_letters(text)) or 1
    return len(_SPACED.findall(text)) / letters


_PUNCT = lazyre.compile(f"[{CJK_PUNCT}]")
_BEYOND_ASCII = lazyre.compile(rb"[\x80-\xff]")
_SPACED = lazyre.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
_KOREAN_CODECS = ("cp949", "euc_kr", "johab", "iso2022_kr")
_JAPANESE_CODECS = ("euc_jp", "euc_jis_2004", "euc_jisx0213", "shift_jis", "shift_jis_2004",
                    "shift_jisx0213", "cp932", "iso2022_jp")


def _other_language(name: str, text: str) -> bool:
    """Does charset-normalizer's non-Chinese reading `text` (with `name`) show
    its language beyond doubt?  Korean: Hangul, words spaced, or a table of
    Hangul (_korean_table); Japanese: kana in a text long enough; other
    scripts: yes (they fall to the rules below)."""
    if name.startswith(_KOREAN_CODECS):
        share, _ = _script_share(text, "\uac00", "\ud7a3")
        return share >= KOREAN and _spaced(text) >= KOREAN_SPACES or _korean_table(text)
    if name.startswith(_JAPANESE_CODECS):
        share, n = _script_share(text, "\u3040", "\u30ff")
        return share >= JAPANESE and n >= JAPANESE_LETTERS
    return False


def _multibyte(name: str) -> bool:
    return name.startswith(_KOREAN_CODECS + _JAPANESE_CODECS)


def _home_reading(data: bytes) -> Optional[str]:
    """When charset-normalizer reads nothing well: a Korean or Japanese codec
    whose strict reading is made of its own script (at least half Hangul,
    or JAPANESE kana)."""
    for name, lo, hi, least in (("cp949", "\uac00", "\ud7a3", KOREAN), ("johab", "\uac00", "\ud7a3", KOREAN),
                                ("euc_jis_2004", "\u3040", "\u30ff", JAPANESE),
                                ("shift_jis_2004", "\u3040", "\u30ff", JAPANESE)):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        share, n = _script_share(text, lo, hi)
        if share >= least and n >= JAPANESE_LETTERS \
                and (name not in _KOREAN_CODECS or _script_share(text, "\u4e00", "\u9fff")[0] <= KOREAN_HANJA):
            return name
    return None


def _korean_table(text: str) -> bool:
    """Is `text` a table of Hangul: KOREAN_TABLE letters or more, half of
    them Hangul syllables or letters (ㄱ ㄴ ㄷ), no Hanja (KOREAN_TABLE_HANJA),
    whatever its spaces?"""
    letters = _letters(text)
    if len(letters) < KOREAN_TABLE:
        return False
    hangul = sum("\uac00" <= c <= "\ud7a3" or "\u3131" <= c <= "\u318e" for c in letters)
    hanja = sum("\u4e00" <= c <= "\u9fff" for c in letters)
    return hangul >= KOREAN * len(letters) and hanja <= KOREAN_TABLE_HANJA * len(letters)


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """NUL bytes or many C0 control bytes in the first `sample` bytes."""
    head = data[:sample]
    if b"\x00" in head:
        # UTF-16/32 without a BOM has NULs too, but only in the high bytes of
        # its code units: one byte column of width 2 or 4 is (nearly) free of
        # them, and charset-normalizer judges the rest.  A binary format (an
        # executable, a table of lengths) has NULs in every column.
        for width in (2, 4):
            n = len(head) // width
            if any(head[i::width].count(0) <= n // 100 for i in range(width)):
                return False
        return True
    text_controls = (9, 10, 12, 13, 27)
    if b"\x1b$)C" in head:  # ISO-2022-KR: shifts out (SO) and in (SI) of Korean
        text_controls += (14, 15)
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in text_controls)
    return controls > max(4, len(head) // 100)
