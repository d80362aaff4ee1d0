"""Damage helpers: make damaged Chinese text the way the web damages it.

These functions produce the *inputs* of the synthetic fixtures
(``fixtures/synthetic/build.py``).  Each one models one layer described in
``damage.md``; none of them repairs anything, and none uses zhfix.  They are
plain functions and deterministic: the same arguments give the same output
(the only randomness is in callers that pass an explicit seed).

Layers, in the order an SEO mirror applies them (:func:`disguise`):

1. :func:`to_traditional` - simplified -> traditional, with the mirror's
   converter quirk 着 -> 著;
2. :func:`annotate_pinyin` - ``網(wǎng)``-style readings after a few characters;
3. :func:`halfwidth_punct` - fullwidth punctuation folded to ASCII.

Then, independently:

- :func:`misalign_gbk` - a GBK byte stream read one byte out of step;
- :func:`gbk_loss` - characters GBK cannot encode saved as ``?``;
- :func:`add_boilerplate` - spam header, site chrome and footer around an article.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import opencc
from pypinyin import Style, pinyin

__all__ = [
    "DEFAULT_CHARS",
    "HALFWIDTH",
    "to_traditional",
    "annotate_pinyin",
    "halfwidth_punct",
    "disguise",
    "misalign_gbk",
    "gbk_loss",
    "add_boilerplate",
]

_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")

#: The characters our made-up mirror annotates with pinyin (traditional forms).
#: 發 is deliberately included: its reading depends on the word (发展 fā, 头发 fà).
DEFAULT_CHARS = "網區發業創聯現協醫監"

#: Fullwidth -> halfwidth punctuation, as the seed's mirror folds it.
#: 。、“”《》 are left alone (the seed keeps them).
HALFWIDTH = {
    "，": ",",
    "（": "(",
    "）": ")",
    "：": ":",
    "；": ";",
    "？": "?",
    "！": "!",
}
_HALFWIDTH_TABLE = str.maketrans(HALFWIDTH)


def to_traditional(text: str) -> str:
    """Convert simplified to traditional as a mirror's converter does.

    OpenCC ``s2t``, then every 着 becomes 著 (OpenCC keeps the particle 着;
    the converters mirrors use do not)::

        >>> to_traditional("随着网络发展")
        '隨著網絡發展'
    """
    return _S2T.convert(text).replace("着", "著")


def _readings(source: str) -> list[str]:
    """One tone-marked, lower-case reading per character of *source*.

    Non-Chinese characters get themselves back (pypinyin's ``errors`` hook
    returns them one by one, so the list lines up with *source*).
    """
    items = pinyin(source, style=Style.TONE, errors=lambda chars: list(chars))
    out = [item[0].lower() for item in items]
    if len(out) != len(source):  # pragma: no cover - pypinyin contract
        raise RuntimeError("pypinyin readings do not line up with the text")
    return out


def annotate_pinyin(text: str, chars: Iterable[str] = DEFAULT_CHARS,
                    source: str | None = None) -> str:
    """Append ``(reading)`` after every character of *text* that is in *chars*.

    The reading is computed by pypinyin in context, on *source* - the
    simplified original of *text*, character for character - so heteronyms
    come out right (发展 ``fā``, 头发 ``fà``).  *chars* may hold traditional
    or simplified forms; only characters of *text* found in it are annotated.
    When *source* is omitted it is ``t2s(text)``, or *text* itself if t2s
    changes the length::

        >>> annotate_pinyin("網絡發展", "網發")
        '網(wǎng)絡發(fā)展'
        >>> annotate_pinyin("网络发展", "网")
        '网(wǎng)络发展'
    """
    chars = set(chars)
    if source is None:
        source = _T2S.convert(text)
        if len(source) != len(text):
            source = text
    if len(source) != len(text):
        raise ValueError("source must match text character for character")
    readings = _readings(source)
    out = []
    for ch, reading in zip(text, readings):
        out.append(ch)
        if ch in chars and reading != ch:
            out.append(f"({reading})")
    return "".join(out)


def halfwidth_punct(text: str) -> str:
    """Fold ``，（）：；？！`` to ASCII ``,():;?!``; leave 。、“”《》 alone.

        >>> halfwidth_punct("本报讯（记者 王明）今天，晴。")
        '本报讯(记者 王明)今天,晴。'
    """
    return text.translate(_HALFWIDTH_TABLE)


def disguise(text: str, chars: Iterable[str] = DEFAULT_CHARS) -> str:
    """Disguise simplified *text* as an SEO mirror does (damage.md section 1).

    Traditional conversion, then pinyin after *chars* (readings taken from the
    simplified original), then halfwidth punctuation::

        >>> disguise("随着网络发展，企业创新。")
        '隨著網(wǎng)絡發(fā)展,企業(yè)創(chuàng)新。'
    """
    trad = to_traditional(text)
    if len(trad) != len(text):  # s2t is character for character in practice
        raise ValueError("traditional conversion changed the length")
    return halfwidth_punct(annotate_pinyin(trad, chars, source=text))


def _gbk_char(pair: bytes) -> str | None:
    """Decode one GBK character from *pair*, or None if it is not valid GBK."""
    try:
        decoded = pair.decode("gbk")
    except UnicodeDecodeError:
        return None
    return decoded if len(decoded) == 1 else None


def misalign_gbk(text: str, start: int, end: int) -> str:
    """Read ``text[start:end]`` as a GBK stream that lost step by one byte.

    Models damage.md section 2.  The span is encoded in GBK; the reader
    decodes its first byte alone (a lead byte without its pair -> ``?``), then
    reads the following bytes in pairs, one byte out of step:

    - a pair that is valid GBK gives that character (the fullwidth ``？！，``
      etc. produced this way are folded to ASCII, as the mirror folds all its
      punctuation - see :func:`halfwidth_punct`);
    - a pair that is not valid GBK (a lead byte followed by an ASCII byte
      below 0x40, user-area bytes ...) gives one ``?`` and consumes both bytes;
    - a single byte that cannot start a pair (0x80, 0xFF) gives ``?``;
    - an ASCII byte read where a pair should start is itself.

    The reader is back in step as soon as it stands on a character boundary
    of the original stream, which happens right after it consumed an ASCII
    byte.  From there the rest of the text decodes normally.  Only the bytes
    of the span are read out of step: if the span ends before an ASCII byte
    put the reader back in step, its last byte is read alone (another ``?``)
    and the text after ``end`` is read in step.  Spans that end with an ASCII
    character (``(`` of a pinyin annotation, a folded ``,``) are the natural
    case, as in the seed.

        >>> t = "打造上海科創(chuàng)中心"
        >>> misalign_gbk(t, 3, 7)
        '打造上??苿?chuàng)中心'
    """
    if not 0 <= start < end <= len(text):
        raise ValueError("need 0 <= start < end <= len(text)")
    if len(text[start].encode("gbk", errors="replace")) != 2:
        raise ValueError("the span must start with a double-byte GBK character")
    data = bytearray()
    boundaries = set()
    pos_of_char = []  # byte offset where each character of text[start:] begins
    for ch in text[start:]:
        pos_of_char.append(len(data))
        boundaries.add(len(data))
        data += ch.encode("gbk", errors="replace")
    boundaries.add(len(data))

    span_end = len(text[start:end].encode("gbk", errors="replace"))
    out = ["?"]  # the lone lead byte
    pos = 1
    while pos < span_end and pos not in boundaries:
        b = data[pos]
        if b < 0x80:  # ASCII where a pair should start: in step after it
            out.append(chr(b))
            pos += 1
        elif not 0x81 <= b <= 0xFE or pos + 1 >= span_end:
            out.append("?")  # a byte that cannot start a pair
            pos += 1
        else:
            ch = _gbk_char(bytes(data[pos:pos + 2]))
            out.append("?" if ch is None else halfwidth_punct(ch))
            pos += 2
    # Back in step on a character boundary: the rest decodes normally.
    consumed = pos_of_char.index(pos) if pos < len(data) else len(pos_of_char)
    return text[:start] + "".join(out) + text[start + consumed:]


def gbk_loss(text: str) -> str:
    """Replace every character GBK cannot encode with ``?``.

    What a page saved as GBK keeps of U+00A0, U+2003, emoji, rare
    extension-B characters::

        >>> gbk_loss("摘要\\u2003目的")
        '摘要?目的'
    """
    out = []
    for ch in text:
        try:
            ch.encode("gbk")
        except UnicodeEncodeError:
            out.append("?")
        else:
            out.append(ch)
    return "".join(out)


_DEFAULT_NOTICE = (
    "凡本站注明“来源：{site}”的文字、图片和音视频稿件，版权均属于{site}，"
    "任何单位或个人未经书面许可不得转载、摘编或以其他方式使用。"
    "经许可使用的，须在许可范围内使用并标明出处。",
    "本站转载的其他媒体稿件，目的在于分享更多信息，并不代表本站赞同其观点。"
    "如涉及版权问题，请在作品发表后三十日内与本站编辑部联系。",
)


def add_boilerplate(article: str, header_words: Sequence[str], site_name: str,
                    footer_lines: Sequence[str], *,
                    sections: Sequence[str] = ("新闻中心",),
                    notice: Sequence[str] | None = None,
                    chrome: Callable[[str], str] | None = None) -> str:
    """Wrap *article* in a spam page, laid out like the seed's page.

    Layout::

        <header_words joined with ", ">      (spam keywords, always simplified)

        <site_name>
        您当前位置: 首页>>新闻中心>>

        <article>                             (its editor credit stays in it)
        最新评论
        声明:

        <notice paragraph 1>

        <notice paragraph 2>

        图片新闻
          • <footer_lines[0]> ...

          • <footer_lines[1]> ...

        最新新闻

    *chrome* (e.g. :func:`disguise`) is applied to every part except the spam
    header and the article - the article is passed in already damaged as the
    caller wants it.  The page ends with a newline exactly when *article*
    does.
    """
    chrome = chrome or (lambda s: s)
    notice = _DEFAULT_NOTICE if notice is None else notice
    body = article.rstrip("\n")
    final_newline = "\n" if article.endswith("\n") else ""
    header = ", ".join(header_words)
    crumbs = ">>".join(["首页", *sections]) + ">>"
    parts = [
        header,
        "",
        chrome(site_name),
        chrome("您当前位置: " + crumbs),
        "",
        body,
        chrome("最新评论"),
        chrome("声明:"),
        "",
        "\n\n".join(chrome(p.format(site=site_name)) for p in notice),
        "",
        chrome("图片新闻"),
        "\n\n".join("  • " + chrome(line) + " ..." for line in footer_lines),
        "",
        chrome("最新新闻"),
    ]
    return "\n".join(parts) + final_newline


# ---------------------------------------------------------------------------
# Mojibake (damage.md section 3): one wrong-codec reading per helper.
#
# Each helper takes clean text and returns what a reader that used the wrong
# codec shows.  The readers behave as real software does:
#
# - "GBK" readers (Windows cp936, browsers) map GBK's user area to the Private
#   Use Area instead of dropping it: Python's ``gb18030`` codec does the same,
#   so it stands for both GBK and GB18030 readers;
# - cp1252 readers keep the five bytes Python's cp1252 rejects (0x81, 0x8D,
#   0x8F, 0x90, 0x9D): ftfy's ``sloppy-windows-1252`` codec;
# - bytes a reader cannot decode become U+FFFD (``errors="replace"``): such
#   damage is lossy, see :func:`mojibake_is_lossless`.
# ---------------------------------------------------------------------------

def _sloppy_codecs() -> None:
    import ftfy.bad_codecs  # noqa: F401  registers sloppy-windows-1252


def _misread(text: str, written: str, read: str) -> str:
    _sloppy_codecs()
    return text.encode(written).decode(read, "replace")


def utf8_as_gbk(text: str) -> str:
    """UTF-8 bytes read as GBK (Windows cp936, browsers' GBK decoder)::

        >>> utf8_as_gbk("你好")
        '浣犲ソ'
    """
    return _misread(text, "utf-8", "gb18030")


def utf8_as_gb18030(text: str) -> str:
    """UTF-8 bytes read as GB18030.  For UTF-8 input this is the same reading
    as :func:`utf8_as_gbk` (a four-byte GB18030 sequence needs ASCII digits at
    its second and fourth byte, which UTF-8 multi-byte characters never
    provide), kept as its own helper so the matrix names both readers."""
    return _misread(text, "utf-8", "gb18030")


def utf8_as_big5(text: str) -> str:
    """UTF-8 bytes read as Big5; bytes 0x80-0xA0 cannot start a Big5 pair,
    so this reading almost always loses bytes (U+FFFD)."""
    return _misread(text, "utf-8", "big5")


def utf8_as_cp1252(text: str) -> str:
    """UTF-8 bytes read as Windows-1252::

        >>> utf8_as_cp1252("中文")
        'ä¸\\xadæ–‡'
    """
    return _misread(text, "utf-8", "sloppy-windows-1252")


def utf8_as_latin1(text: str) -> str:
    """UTF-8 bytes read as Latin-1 (C1 controls included)."""
    return _misread(text, "utf-8", "latin-1")


def utf8_as_cp1252_twice(text: str) -> str:
    """Mojibake of mojibake: UTF-8 read as cp1252, saved as UTF-8, read as
    cp1252 again."""
    return utf8_as_cp1252(utf8_as_cp1252(text))


def gbk_as_latin1(text: str) -> str:
    """GBK bytes read as Latin-1::

        >>> gbk_as_latin1("中文")
        'ÖÐÎÄ'
    """
    return _misread(text, "gbk", "latin-1")


def gbk_as_cp1252(text: str) -> str:
    """GBK bytes read as Windows-1252 (sloppy: 0x81 etc. kept)."""
    return _misread(text, "gbk", "sloppy-windows-1252")


def gbk_as_big5(text: str) -> str:
    """GBK bytes read as Big5::

        >>> gbk_as_big5("中文")
        '笢恅'
    """
    return _misread(text, "gbk", "big5")


def big5_as_gbk(text: str) -> str:
    """Big5 bytes (of traditional text) read as GBK, the Windows way (user
    area -> PUA)::

        >>> big5_as_gbk("中文")
        'いゅ'
    """
    return _misread(text, "big5", "gb18030")


def replacement_char(text: str) -> str:
    """GBK bytes decoded as UTF-8 with ``errors="replace"``: nearly every
    character becomes one or more U+FFFD (a few GBK pairs happen to be valid
    UTF-8 and become some unrelated character).  The bytes are gone."""
    return text.encode("gbk").decode("utf-8", "replace")


def kunkao(text: str) -> str:
    """The classic ``锟斤拷``: GBK bytes decoded as UTF-8 with
    ``errors="replace"`` (:func:`replacement_char`), saved as UTF-8, then read
    as GBK - every two U+FFFD (``ef bf bd ef bf bd``) become ``锟斤拷``::

        >>> kunkao("中文")
        '锟斤拷锟斤拷'
    """
    return _misread(replacement_char(text), "utf-8", "gb18030")


def damage_span(text: str, start: int, end: int, fn: Callable[[str], str]) -> str:
    """Apply the damage *fn* to ``text[start:end]`` only (partial damage)::

        >>> damage_span("甲,中文,乙", 2, 4, gbk_as_latin1)
        '甲,ÖÐÎÄ,乙'
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError("need 0 <= start <= end <= len(text)")
    return text[:start] + fn(text[start:end]) + text[end:]


#: name -> (helper, codec the bytes were written in, codec they were read as,
#: times applied).  Undoing a lossless reading is ``encode(read)`` then
#: ``decode(written)``, *times* times (see :func:`undo_mojibake`).
MOJIBAKE = {
    "utf8-as-gbk": (utf8_as_gbk, "utf-8", "gb18030", 1),
    "utf8-as-gb18030": (utf8_as_gb18030, "utf-8", "gb18030", 1),
    "utf8-as-big5": (utf8_as_big5, "utf-8", "big5", 1),
    "utf8-as-cp1252": (utf8_as_cp1252, "utf-8", "sloppy-windows-1252", 1),
    "utf8-as-latin1": (utf8_as_latin1, "utf-8", "latin-1", 1),
    "utf8-as-cp1252-twice": (utf8_as_cp1252_twice, "utf-8", "sloppy-windows-1252", 2),
    "gbk-as-latin1": (gbk_as_latin1, "gbk", "latin-1", 1),
    "gbk-as-cp1252": (gbk_as_cp1252, "gbk", "sloppy-windows-1252", 1),
    "gbk-as-big5": (gbk_as_big5, "gbk", "big5", 1),
    "big5-as-gbk": (big5_as_gbk, "big5", "gb18030", 1),
}

#: lossy damage: the bytes are gone, a careful tool only reports it
LOSSY_DAMAGE = {
    "kunkao": kunkao,
    "replacement-char": replacement_char,
}


def undo_mojibake(name: str, damaged: str) -> str:
    """Invert the reading *name* of :data:`MOJIBAKE` (strict; raises
    ``UnicodeError`` where bytes were lost)."""
    _sloppy_codecs()
    _, written, read, times = MOJIBAKE[name]
    for _ in range(times):
        damaged = damaged.encode(read).decode(written)
    return damaged


def mojibake_is_lossless(name: str, text: str) -> bool:
    """Can *text* damaged by the reading *name* be turned back exactly?

    False when *text* cannot be written in that codec at all, when the reader
    replaced bytes with U+FFFD, or when the strict round trip differs.
    """
    fn = MOJIBAKE[name][0]
    try:
        damaged = fn(text)
    except UnicodeEncodeError:
        return False
    if "\ufffd" in damaged and "\ufffd" not in text:
        return False
    try:
        return undo_mojibake(name, damaged) == text
    except UnicodeError:
        return False


__all__ += [
    "utf8_as_gbk", "utf8_as_gb18030", "utf8_as_big5", "utf8_as_cp1252",
    "utf8_as_latin1", "utf8_as_cp1252_twice", "gbk_as_latin1", "gbk_as_cp1252",
    "gbk_as_big5", "big5_as_gbk", "replacement_char", "kunkao", "damage_span",
    "MOJIBAKE", "LOSSY_DAMAGE", "undo_mojibake", "mojibake_is_lossless",
]
