"""Step 8 of the runner (strip-header, strip-chrome, strip-footer): strip what
a web page wraps around the article.

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

Two bounds hold whatever the lines look like:

* **the title stays**: the first line of the page that is not blank is never
  site chrome (only a spam header, whose keywords share nothing with the
  article under it, can be stripped above the title);
* **never most of a page**: chrome and footer together never take more than
  half (:data:`MAX_SHARE`) of the characters of the page below its spam
  header, copyright and reprint notices aside (a notice is boilerplate by its
  words, whatever its length); past it, neither is stripped: an index page
  is a list of links from top to bottom, none of it a footer.  The bound
  counts characters, not lines: a mirror's chrome and footer are short lines
  (a site name, a breadcrumb, bullets, headings), most of the *lines* of our
  mirror pages (54-65 %) but 9-44 % of their characters once the notices
  are set aside.
"""
from __future__ import annotations

from typing import List, NamedTuple

from . import spans
from .decide import first_line, is_chrome, is_footer_line, is_notice, phrases, spam_header  # the line tests belong to the decisions layer

#: The share of a page's characters (below its spam header, notices aside)
#: that its chrome and footer may take at most.
MAX_SHARE = 1 / 2


class Removal(NamedTuple):
    kind: str  # "header" | "chrome" | "footer"
    lines: List[int]  # 0-based line indices


def has_spam_header(text: str) -> bool:
    """``bool(find(text, chrome=False, footer=False))``, reading only the first
    non-blank line unless it is shaped like a spam header."""
    line = first_line(text)
    return bool(line) and phrases(line) is not None and bool(find(text, chrome=False, footer=False))


def find(text: str, header: bool = True, chrome: bool = True, footer: bool = True, lines=None,
         prior: int = 0, own_commas: bool = True) -> List[Removal]:
    """`lines`: ``spans.lines(text)``, where the caller has it; `prior`: the
    characters (:func:`size`) of the page before `text` (a streamed page's
    earlier chunks), counted for the bound on chrome and footer;
    `own_commas`: False where restore-punctuation has run on `text` (its
    fullwidth commas may be ones it restored: decide.spam_header)."""
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
            found = phrases(s)
            # the text after this line is what the header is judged against
            if found is None or not spam_header(s, found, text[sum(map(len, lines[:top + 1])):], own_commas):
                break
            head_lines.append(top)
            top += 1
            while top < n and not lines[top].strip():
                top += 1
    if head_lines:
        removals.append(Removal("header", head_lines))
    if chrome:
        chrome_lines = []
        # without a spam header the first line is the page's title, never chrome
        i = top if head_lines or not header else top + 1
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
        # a whole page keeps its first line, the title; a page's last chunk,
        # streamed with no header and no chrome asked for, may be footer throughout
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
    return _bounded(removals, lines, prior)


def size(lines) -> int:
    """The characters of `lines` that show (each line stripped)."""
    return sum(map(len, map(str.strip, lines)))


def _bounded(removals: List[Removal], lines, prior: int = 0) -> List[Removal]:
    """`removals`, without chrome and footer when they would take more than
    MAX_SHARE of the page below its header, the notices they hold aside."""
    edges = [r for r in removals if r.kind != "header"]
    if not edges:
        return removals
    header = {i for r in removals if r.kind == "header" for i in r.lines}
    removed = [lines[i] for r in edges for i in r.lines]
    gone = size(removed)
    page = prior + size(lines) - size(lines[i] for i in header)
    if gone <= MAX_SHARE * page:
        # within the bound with the notices counted; setting them aside takes
        # as much from the page as from what is gone, so it stays within it
        return removals
    notices = size(line for line in removed if is_notice(line.strip()))
    if gone - notices <= MAX_SHARE * (page - notices):
        return removals
    return [r for r in removals if r.kind == "header"]


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
