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
