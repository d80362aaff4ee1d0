"""Stage 6: strip what a web page wraps around the article.

Lines are judged by what they are, never by a site's exact strings:

* **spam header** — at the top, a run of short comma-separated keyword phrases,
  no sentences, sharing (almost) no words with the article below it;
* **site chrome** — between the top and the article: a breadcrumb (``>>``,
  ``当前位置``), a site name (a short line ending in 网/网站/频道…, or a domain),
  a navigation bar of short items;
* **footer** — from the end upwards, while lines are a notice (two or more
  copyright/reprint phrases), a list item (a bullet, or a headline cut with
  ``...``), or a short heading (最新评论, 图片新闻, 相关新闻…).  The first line
  that is none of these (the source line, the editor credit) ends the footer.

The stage runs on text already turned back into simplified Chinese.
"""
from __future__ import annotations

import re
from typing import List, NamedTuple

from . import scan, spans
from .chardata import HAN_RE

_HAN_RE = HAN_RE
_SENTENCE_END = re.compile("[。！？!?]")
_LIST_SEP = re.compile(r"\s*[,，、|｜;；]\s*")

_BREADCRUMB_RE = re.compile(r">>|》》|»|→|>[^>\n]{1,30}>|当前位置|您的位置|所在位置|现在位置|首页\s*[>/》]")
_SITE_SUFFIX_RE = re.compile(r"(网|网站|频道|在线|门户|官网|论坛|新闻网|之家|网络台|电视台)$")
_DOMAIN_RE = re.compile(r"^(https?://)?(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+/?$", re.I)
_BULLET_RE = re.compile(r"^\s*[•·●▪■◆►▶○◇□※\-\*]\s*\S")
_CUT_RE = re.compile(r"(\.\.\.|…|\.\.|……)\s*$")
#: A stripped line starts with one of these and has more: a list item
#: (_BULLET_RE); it ends with one of these: a cut headline (_CUT_RE).
_BULLETS = "•·●▪■◆►▶○◇□※-*"
_CUTS = ("..", "…")
_HEADING_WORDS = re.compile(
    "评论|新闻|推荐|相关|热点|热门|阅读|图片|声明|排行|专题|分享|上一篇|下一篇|返回|打印|关闭|顶部|视频|"
    "猜你喜欢|友情链接|网友|留言|投稿|关于我们|联系我们|广告"
)
#: Words of a copyright or reprint notice.  Chinese ones (and ©) have no
#: case; the English ones are matched ignoring case, looked for only where one
#: can start (what re.IGNORECASE matches for c, a and i: a case-insensitive
#: scan of a Chinese line is several times slower than these two).
_NOTICE_ZH = re.compile(
    "版权|转载|授权|声明|未经|追究|法律责任|不代表|仅供参考|摘编|本网|本站|侵权|删除|来源|"
    "免责|著作权|知识产权|许可|©"
)
_NOTICE_EN = re.compile("copyright|all rights reserved|ICP备", re.I)
_EN_START = re.compile("[ACIaciİı]")
#: One of these makes a line a notice (so does any English notice word).
_STRONG_NOTICE_ZH = re.compile("版权所有|不得转载|转载请注明|免责声明|未经.{0,12}(授权|许可|同意)|©")
_CREDIT_RE = re.compile(r"(责任编辑|编辑|记者|作者|来源)\s*[:：]")


class Removal(NamedTuple):
    kind: str  # "header" | "chrome" | "footer"
    lines: List[int]  # 0-based line indices


_DATA_RE = re.compile(r"[\"'{}\[\]=<>]|\w:\s|^\s*#")
#: _DATA_RE's parts, each looked for on its own (one pattern of three
#: branches tries all three at every character: several times slower)
_DATA_CHARS = re.compile(r"[\"'{}\[\]=<>]")
_DATA_COLON = re.compile(r"\w:\s")
#: Mean length of a spam header's keyword phrases at the least.
MIN_PHRASE = 4
#: Han characters an article under a spam header has at the least.
MIN_BODY = 40
#: Longer lines are article text, never boilerplate (and keep the checks linear).
MAX_LINE = 2000


def _phrases(line: str):
    """The keyword phrases of a line shaped like a spam header, else None
    (what can be told from the line alone)."""
    s = line.strip()
    if not s or len(s) > MAX_LINE or _SENTENCE_END.search(s):
        return None
    phrases = [p for p in _LIST_SEP.split(s) if p]
    if len(phrases) < 4:
        return None
    lengths = [len(p) for p in phrases]
    if max(lengths) > 30 or not MIN_PHRASE <= sum(lengths) / len(lengths) <= 18:
        return None  # keyword phrases, not the short words of a table header
    return phrases


def has_spam_header(text: str) -> bool:
    """``bool(find(text, chrome=False, footer=False))``, reading only the first
    non-blank line unless it is shaped like a spam header."""
    line = _first_line(text)
    return bool(line) and _phrases(line) is not None and bool(find(text, chrome=False, footer=False))


def is_spam_header(line: str, body: str) -> bool:
    s = line.strip()
    phrases = _phrases(s)
    return phrases is not None and _spam_header(s, phrases, body)


def _is_data(s: str) -> bool:
    """``_DATA_RE.search(s)``: JSON, code, a CSV with quoted fields."""
    return (_DATA_CHARS.search(s) is not None or (":" in s and _DATA_COLON.search(s) is not None)
            or s.lstrip().startswith("#"))


def _spam_header(s: str, phrases: list, body: str) -> bool:
    """is_spam_header for the stripped line `s`, whose keyword phrases
    (_phrases) are `phrases`."""
    following = _first_line(body)
    if len(_LIST_SEP.findall(following)) >= len(phrases) - 1:
        return False  # the next line has as many fields: a CSV header
    if scan.count(s, scan.HAN) < len(phrases):  # mostly non-Chinese: a CSV row, a list of names…
        return False
    if _is_data(s):
        return False  # JSON, code, a CSV with quoted fields: data, not spam
    if scan.count(body, scan.HAN) < MIN_BODY:
        return False  # nothing under it: no article for the keywords to hide
    # the header's pairs of Han characters (next to each other once the rest
    # is gone), and how many of them the body has
    grams, shared = scan.common_pairs(scan.select(s, scan.HAN), body, scan.HAN)
    if not grams:
        return False
    return shared / grams <= 0.15


def _first_line(text: str) -> str:
    """The first line of `text` that is not blank ("" if none)."""
    pos, n = 0, len(text)
    while pos < n:
        end = text.find("\n", pos)
        end = n if end < 0 else end
        if text[pos:end].strip():
            return text[pos:end]
        pos = end + 1
    return ""


def is_chrome(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > MAX_LINE:
        return False
    if _BREADCRUMB_RE.search(s) and not _SENTENCE_END.search(s):
        return True
    if len(s) <= 16 and not re.search(r"[，。、：；“”！？,.:;]", s) and (_SITE_SUFFIX_RE.search(s) or _DOMAIN_RE.match(s)):
        return True
    items = s.split()
    if len(items) >= 4 and all(len(i) <= 5 for i in items) and not _SENTENCE_END.search(s):
        return True
    return False


def is_footer_line(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > MAX_LINE:
        return False
    if len(s) < 40 and _CREDIT_RE.search(s):
        return False  # the editor credit belongs to the article
    if s.startswith("《") and s.endswith("》"):
        return False  # a source line
    # (on a stripped line: what _BULLET_RE.match and _CUT_RE.search say)
    if (len(s) > 1 and s[0] in _BULLETS) or (len(s) <= 40 and s.endswith(_CUTS)):
        return True
    if len(s) <= 12 and _HEADING_WORDS.search(s) and not _SENTENCE_END.search(s):
        return True
    return is_notice(s)


def is_notice(s: str) -> bool:
    """Is the line `s` a copyright or reprint notice: one strong phrase or
    English notice word, or three different Chinese notice words?"""
    # (an English notice word starts at one of _EN_START's letters: tried
    # there alone, not by a case-insensitive scan of the whole line)
    if any(_NOTICE_EN.match(s, m.start()) for m in _EN_START.finditer(s)) or _STRONG_NOTICE_ZH.search(s):
        return True
    return len(set(_NOTICE_ZH.findall(s))) >= 3  # (no English one here)


def find(text: str, header: bool = True, chrome: bool = True, footer: bool = True, lines=None) -> List[Removal]:
    """`lines`: ``spans.lines(text)``, where the caller has it."""
    lines = spans.lines(text) if lines is None else lines
    n = len(lines)
    removals: List[Removal] = []
    top = 0
    while top < n and not lines[top].strip():
        top += 1
    head_lines = []
    if header:
        while top < n:
            s = lines[top].strip()
            phrases = _phrases(s)
            # (the lines below it: the rest of the text)
            if phrases is None or not _spam_header(s, phrases, text[sum(map(len, lines[:top + 1])):]):
                break
            head_lines.append(top)
            top += 1
            while top < n and not lines[top].strip():
                top += 1
    if head_lines:
        removals.append(Removal("header", head_lines))
    if chrome:
        chrome_lines = []
        i = top
        while i < n and (not lines[i].strip() or is_chrome(lines[i])) and i - top < 8:
            if lines[i].strip():
                chrome_lines.append(i)
            i += 1
        if chrome_lines and i < n:
            removals.append(Removal("chrome", chrome_lines))
            top = i
    if footer:
        foot = []
        i = n - 1
        # a whole page keeps its first line (the title); a page's last chunk
        # (streaming: no header, no chrome asked for) may be footer throughout
        floor = top if (header or chrome) else -1
        while i > floor:
            if not lines[i].strip():
                i -= 1
                continue
            if not is_footer_line(lines[i]):
                break
            foot.append(i)
            i -= 1
        if foot:
            removals.append(Removal("footer", sorted(foot)))
    return removals


def strip(text: str, removals: List[Removal], lines=None) -> str:
    """Drop the removed lines, and the blank lines they leave at either edge
    (`lines`: ``spans.lines(text)``, where the caller has it)."""
    gone = {i for r in removals for i in r.lines}
    if not gone:
        return text
    lines = spans.lines(text) if lines is None else lines
    kept = [l for i, l in enumerate(lines) if i not in gone]
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    if kept and not kept[-1].endswith(("\n", "\r")):
        # the last kept line had lost its line ending to a removed line after it
        nl = "\r\n" if "\r\n" in text else "\n"
        kept[-1] += nl if text.endswith(("\n", "\r")) or len(kept) < len(lines) else ""
    return "".join(kept)


def strip_boilerplate(text: str) -> str:
    """The plain ``str -> str`` fix."""
    return strip(text, find(text))
