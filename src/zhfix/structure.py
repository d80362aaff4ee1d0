"""What kind of document a text is, and which of its ASCII marks are its
structure rather than prose (issue 14, item 3).

A mirror folds the fullwidth punctuation of Chinese prose to ASCII; undoing it
must not touch marks that are a file's structure: a CSV delimiter, JSON's
``,`` and ``:``, the parentheses of ``f(x)`` in code or of a Markdown link.
The kinds:

* ``text`` -- prose (a web page, an article): every mark may be restored;
* ``markdown`` -- prose, except fenced and indented code blocks, inline
  backtick code, link and image syntax (the brackets and the ``(url)``; the
  link text is prose), autolinks, HTML tags, reference definitions and a
  front-matter block;
* ``html`` -- prose, except tags, comments, entities and the content of
  ``script``, ``style``, ``pre``, ``code`` and ``textarea`` elements (a
  mirror page is often saved as it was served);
* ``code`` -- a source or configuration file: no mark is ever restored, the
  document is not judged as a disguised page (a mirror disguises articles,
  not programs; ``Config(disguised=True)`` still forces it) and no line of it
  is boilerplate;
* ``csv`` / ``tsv`` -- the delimiter (outside quoted fields) is structure; the
  marks inside a field are its prose (a field holding ``,`` is quoted, so a
  prose comma is always inside quotes);
* ``json`` / ``jsonl`` -- only inside string values (not keys) are marks
  prose: the output still parses.

No line of a ``csv``, ``tsv``, ``json``, ``jsonl`` or ``code`` document is
boilerplate (a row or a record is not a footer), nor of ``html`` (a line of
markup is not what the line tests of zhfix.stages.boilerplate read).

``None`` or ``"auto"`` sniffs the content (:func:`sniff`); the command line
takes the kind from a file's extension (:func:`kind_for_path`, one table).
"""
from __future__ import annotations

import bisect
import json
import os
import re
from itertools import accumulate, islice
from typing import List, Optional, Tuple

from . import lazyre
from .loops import scan

#: The kinds a caller may name; ``None`` and ``"auto"`` sniff the content.
KINDS = ("text", "markdown", "html", "code", "csv", "tsv", "json", "jsonl")
AUTO = ("auto", None)

#: Kinds whose lines are records or code, never a page's boilerplate.
#: HTML is among them because its lines are markup, which the line tests
#: do not read.
NO_BOILERPLATE = frozenset(("html", "code", "csv", "tsv", "json", "jsonl"))

#: The kind of a file by its extension (lower case); any other is sniffed.
#: A web page (.html) is prose between tags: a mirror page is often saved as
#: it was served; other markup (.xml, .vue, .svelte) is code.
EXTENSIONS = {
    ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    **{ext: "code" for ext in (
        ".py", ".pyi", ".js", ".mjs", ".cjs", ".ts", ".jsx", ".tsx", ".c", ".h", ".cc", ".cpp", ".cxx",
        ".hpp", ".hh", ".java", ".go", ".rs", ".rb", ".php", ".sh", ".bash", ".zsh", ".swift", ".kt",
        ".kts", ".cs", ".scala", ".lua", ".pl", ".pm", ".r", ".sql", ".yaml", ".yml", ".toml", ".ini",
        ".cfg", ".conf", ".properties", ".css", ".scss", ".less", ".xml",
        ".vue", ".svelte")},
}


def check(kind) -> Optional[str]:
    """`kind` if it is one of KINDS, None for auto; ValueError otherwise."""
    if kind in AUTO:
        return None
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join(KINDS)} (or auto)")
    return kind


def kind_for_path(path) -> Optional[str]:
    """The kind of a file named `path` by its extension; None (sniff) when the
    extension says nothing."""
    return EXTENSIONS.get(os.path.splitext(str(path))[1].lower())


# -- sniffing -----------------------------------------------------------------

#: Lines of a text's start that sniffing reads.
SNIFF_LINES = 60

_FENCE_RE = lazyre.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_LINK_RE = lazyre.compile(r"!?\[([^\[\]\n]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\)")
_INLINE_CODE_RE = scan.INLINE_CODE_RE
#: How a line of code starts: a keyword, an assignment, a call alone on its
#: line; _CODE_ENDS says how one ends.  Tried on lines up to MAX_CODE_LINE
#: only, since a longer one is a paragraph.
_CODE_START_RE = lazyre.compile(
    r"\s*(?:def |class |import |from \S+ import |return\b|elif |else:|try:|except\b|finally:|"
    r"function\b|const |let |var |public |private |protected |static |package |#include|#define|"
    r"using |fn |func |impl |struct |enum |interface |module\.exports|export |if \(|for \(|while \(|"
    r"@\w+|assert |raise |throw |yield |await |"
    r"[A-Za-z_][\w.]*(?:\[[^\]\n]*\])?\s*[-+*/|&]?=(?!=)\s*\S|"  # an assignment
    r"[A-Za-z_][\w.]*\([^\n]*\)\s*;?\s*$)")  # a call alone on its line
#: The characters str.isspace() says are white space: those str.strip() takes away.
SPACE = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                  "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_CODE_ENDS = (";", "{", "}", "):")
_CODE_LAST_OR_SPACE = frozenset(end[-1] for end in _CODE_ENDS) | SPACE
#: How a comment line starts, after white space (str.lstrip's; the regexes'
#: \s agree with it).
_COMMENT_OPENERS = ("#", "//", "/*", "*", "--", '"""', "'''", "<!--")
#: The characters _CODE_START_RE and a comment's opener can start with
#: (after white space); _CODE_FIRST holds both.
_COMMENT_FIRST = frozenset(opener[0] for opener in _COMMENT_OPENERS)
#: The characters _CODE_START_RE alone can match first: a keyword's or a
#: name's letter, "_", "@" and "#" (#include); a list item's "- " is never code.
_START_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_@#")
_CODE_FIRST = _START_FIRST | _COMMENT_FIRST
_CODE_FIRST_OR_SPACE = _CODE_FIRST | SPACE
MAX_CODE_LINE = 200
_SENTENCE_END = lazyre.compile("[。！？]\\s*$")
#: How a web page starts: its doctype or first element, after an XML
#: declaration where it is XHTML (<?xml version="1.0"?>).
_HTML_START_RE = lazyre.compile(r"(?:<\?xml\b[^>]*\?>\s*)?<(?:!doctype\s+html|html|head|body)\b", re.I)


def _head(text: str) -> List[str]:
    """The first SNIFF_LINES lines of `text` that are not blank (among its
    first 4 x SNIFF_LINES lines)."""
    cut = 4 * SNIFF_LINES
    parts = text.split("\n", cut)
    if len(parts) > cut:
        parts.pop()  # the unsplit rest of the text
    out = [line.rstrip("\r") for line in parts if line and not line.isspace()]
    return out[:SNIFF_LINES]


def sniff(text: str) -> str:
    """The kind of `text` by its content (a bounded start of it, and a whole
    JSON document): JSON that parses; JSON lines that parse; rows with one
    delimiter count (tab, comma, semicolon) throughout; code by lines only
    code has; Markdown by a fenced block, inline code or a link.  Unsure:
    ``text`` (where every mark is prose, as before kinds existed)."""
    start = text.lstrip()[:1]
    lines = _head(text)
    if start in ("{", "["):
        try:
            json.loads(text)
            return "json"
        except ValueError:
            pass
        if len(lines) >= 2 and all(_parses(line) for line in lines):
            return "jsonl"
    if start == "<" and _HTML_START_RE.match(text.lstrip()):
        return "html"
    table = _table(lines, '"' in text)
    if table:
        return table
    if _code(lines):
        return "code"
    if _markdown(text, lines):
        return "markdown"
    return "text"


def _parses(line: str) -> bool:
    s = line.strip()
    if s[:1] not in ("{", "["):
        return False
    try:
        json.loads(s)
        return True
    except ValueError:
        return False


def _table(lines: List[str], quoted: bool = True) -> Optional[str]:
    """"tsv" or "csv" when every line has the same number (one or more) of
    one delimiter outside quotes; prose (a line ending a sentence, two
    fields a line: a poem's couplets) is not a table."""
    import csv

    if len(lines) < 3:
        return None
    # `quoted`: may a line hold a quote (False: the text has none, and no line
    # is looked at for one)?
    for delim, kind, least in (("\t", "tsv", 3), (",", "csv", 4), (";", "csv", 4)):
        if len(lines) < least or delim not in lines[0]:
            continue
        first = lines[0].count(delim)
        if any(line.count(delim) != first for line in lines[1:]):
            if quoted:
                quoted = any('"' in line for line in lines)  # asked once, where it matters
            if not quoted:
                continue  # no quoted field can hold a delimiter, so the counts must agree
        try:
            counts = {len(row) for row in csv.reader(lines, delimiter=delim)}
        except csv.Error:
            continue
        if len(counts) != 1:
            continue
        fields = counts.pop()
        if fields < 2:
            continue
        if delim != "\t" and fields == 2 and sum(bool(_SENTENCE_END.search(l)) for l in lines) * 2 > len(lines):
            continue  # clauses of prose, one comma a line
        return kind
    return None


def _code(lines: List[str]) -> bool:
    """Lines only code has (keywords, an assignment, a call alone on its line,
    a line ending in ``;`` ``{`` ``}``), in lines that are mostly ASCII: at
    least three, and two in five of the lines that are not comments."""
    if lines and lines[0].startswith("#!"):
        return True
    # only a line that starts with as code or a comment can, or ends as
    # code does, is looked at line by line: most lines of a page of prose
    # start with a Han character and end with a full stop
    looked = _looked(lines)
    hits, counted = 0, len(lines)
    for line in looked:
        stripped = line.lstrip()
        first = stripped[:1]
        if first in _COMMENT_FIRST and stripped.startswith(_COMMENT_OPENERS):
            counted -= 1  # says nothing either way: "# " is a Markdown heading too
            continue
        if len(line) > MAX_CODE_LINE:
            continue  # a paragraph
        if not (first in _START_FIRST and _CODE_START_RE.match(line) or line.rstrip().endswith(_CODE_ENDS)):
            continue
        # code is mostly ASCII; a character of three UTF-8 bytes counts as one that is not
        if not line.isascii() and (len(line.encode("utf-8", "surrogatepass")) - len(line)) * 5 > len(line) * 4:
            continue
        hits += 1
    return hits >= 3 and hits * 5 >= counted * 2


def _looked(lines: List[str]) -> List[str]:
    """The lines (none blank) that can start as code or a comment does (after
    white space: one of _START_FIRST, or a comment's opener), or that end as
    code does (_CODE_ENDS) before white space: each passed by at once where
    its first and last characters can do neither (and a list item's "- ",
    which opens no comment, by its second).  _code's verdict reads no other
    line."""
    return [line for line in lines
            if line[0] in _CODE_FIRST_OR_SPACE and _may_open(line.lstrip())
            or line[-1] in _CODE_LAST_OR_SPACE and line.rstrip().endswith(_CODE_ENDS)]


def _may_open(s: str) -> bool:
    """Can the line `s` (no white space first) start as code or a comment?"""
    return s[:1] in _START_FIRST or s.startswith(_COMMENT_OPENERS)


def _markdown(text: str, lines: List[str]) -> bool:
    # substring tests first, so that a regex runs only on text it could match
    # (a one-character search first: it is a memchr)
    if "`" not in text and ("~" not in text or "~~~" not in text) and ("]" not in text or "](" not in text):
        return False
    if ("```" in text or "~~~" in text) and next(islice(_FENCE_RE.finditer(text), 1, None), None) is not None:
        # (two fences: the search stops at the second, not at the document's end)
        return True
    head = "\n".join(lines)
    return ("](" in head and _LINK_RE.search(head) is not None) or \
        ("`" in head and _INLINE_CODE_RE.search(head) is not None)


# -- structure ------------------------------------------------------------------

#: The ASCII marks restore-punctuation may change.
MARKS = ",;:!?()"
MARKS_RE = lazyre.compile(f"[{re.escape(MARKS)}]")


def structural_marks(text: str, kind: str) -> List[int]:
    """Offsets of the ASCII marks of `text` (``, ; : ! ? ( )``) that are
    structure in a document of `kind` (text and code: none; code restores no
    mark at all, which its caller decides)."""
    if kind == "markdown":
        spans = markdown_spans(text)
    elif kind == "html":
        spans = html_spans(text)
    elif kind in ("json", "jsonl"):
        spans = json_spans(text)
    elif kind == "csv":
        return csv_delimiters(text, delimiter(text))
    else:
        return []
    # the spans (each kind's in order), each from where the ones before it
    # end: every mark is found once, in order
    return scan.marks_in(text, spans, MARKS)


# JSON: everything outside string values is structure (keys included).
#: (The loop unrolled: a run of plain characters matched by one repeat of a
#: class, not by an alternation tried at each character.)
_JSON_STRING_RE = lazyre.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"(\s*:)?')


def json_spans(text: str) -> List[Tuple[int, int]]:
    """The spans of `text` (JSON or JSON lines) outside its string values."""
    spans, pos = [], 0
    for m in _JSON_STRING_RE.finditer(text):
        if m.group(1) is not None:
            continue  # a key: structure, left in the span
        spans.append((pos, m.start() + 1))
        pos = m.end() - 1
    spans.append((pos, len(text)))
    return spans


def delimiter(text: str) -> str:
    """The delimiter of a CSV: the one of ``,`` ``;`` ``|`` ``\\t`` with the
    same count on most of its first lines (``,`` when none is)."""
    import csv

    lines = _head(text)
    best, score = ",", 0
    for delim in (",", ";", "\t", "|"):
        if not any(delim in l for l in lines):
            continue
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        common = max(set(counts), key=counts.count)
        if common < 2:
            continue
        agree = counts.count(common)
        if agree > score:
            best, score = delim, agree
    return best


def csv_delimiters(text: str, delim: str = ",") -> List[int]:
    """Offsets of the delimiters of a CSV outside quoted fields (a quote
    opens a field only at its start, as the csv module reads it)."""
    if not MARKS_RE.match(delim):
        return []  # a tab or a bar is never a mark restore-punctuation changes
    d = re.escape(delim)
    pattern = re.compile(f'(?:^|(?<=[{d}\\n]))"[^"]*(?:""[^"]*)*"|{d}')  # (unrolled, as _JSON_STRING_RE)
    return [m.start() for m in pattern.finditer(text) if m.group() == delim]


_FENCE_LINE_RE = lazyre.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_INDENTED_RE = lazyre.compile(r"^(?: {4}|\t)")
_LIST_ITEM_RE = lazyre.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_REF_DEF_RE = lazyre.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.M)
_BACKTICKS_RE = lazyre.compile(r"`+")
#: The first characters of a line that a fence or an indent starts with
#: (_FENCE_LINE_RE, _INDENTED_RE).
_BLOCK_FIRST = " \t`~"
#: Those of a list item that starts with no space (_LIST_ITEM_RE), besides a
#: decimal digit (its \d: str.isdecimal).
_ITEM_FIRST = "-*+"
#: The line breaks str.splitlines knows besides "\n".
_OTHER_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
#: A line, after one of those, indented as code.
_INDENTED_AFTER_OTHER_BREAK_RE = lazyre.compile(f"[{_OTHER_BREAKS}](?: {{4}}|\t)")


def _may_have_block(text: str) -> bool:
    """Has `text` what _code_blocks looks for (or more): a fence's three
    marks, a line starting with four spaces or a tab, front matter's first
    line?  Told by substring tests (each a fast search in C), the rare line
    breaks other than "\n" looked after only where there are any."""
    return ("```" in text or "~~~" in text or text.startswith(("    ", "\t", "---", "+++"))
            or "\n    " in text or "\n\t" in text
            # (an indent anywhere first: two searches, where most pages have
            # none, before the ten for the breaks)
            or ("    " in text or "\t" in text) and any(b in text for b in _OTHER_BREAKS)
            and _INDENTED_AFTER_OTHER_BREAK_RE.search(text) is not None)


_AUTOLINK_RE = lazyre.compile(r"<(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>")
_TAG_RE = lazyre.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.S)
_BLANK_RE = lazyre.compile(r"\n[ \t]*\r?\n")


def markdown_spans(text: str) -> List[Tuple[int, int]]:
    """The spans of a Markdown document that are not prose: front matter,
    fenced and indented code blocks, inline code, link and image syntax
    (``[`` and ``](url "title")``; the link text is prose), autolinks, HTML
    tags and comments, reference definitions."""
    blocks = _code_blocks(text)
    spans = list(blocks)
    # inline constructs, in the text between code blocks
    pos = 0
    for a, b in blocks + [(len(text), len(text))]:
        if a > pos:
            spans += _inline_spans(text, pos, a)
        pos = b
    return sorted(spans)


def _code_blocks(text: str) -> List[Tuple[int, int]]:
    """Front matter, fenced and indented code blocks, as spans of whole lines."""
    if not _may_have_block(text):
        return []  # no fence, no line indented as code, no front matter: nothing for the walk below to find
    spans = []
    lines = text.splitlines(keepends=True)
    offsets = list(accumulate(map(len, lines), initial=0))  # (each line's start, summed in C)
    i, n = 0, len(lines)
    if n and lines[0].rstrip() in ("---", "+++"):  # front matter (YAML, TOML)
        close = lines[0].rstrip()
        for j in range(1, n):
            if lines[j].rstrip() in (close, "..."):
                spans.append((0, offsets[j] + len(lines[j])))
                i = j + 1
                break
    previous_blank, in_list = True, False
    while i < n:
        line = lines[i]
        first = line[:1]
        if first not in _BLOCK_FIRST:
            # no fence and no indent starts so (their regexes would fail): the
            # line is blank, a list item, or prose
            if line.isspace():
                previous_blank = True
            else:
                in_list = (first in _ITEM_FIRST or first.isdecimal()) and _LIST_ITEM_RE.match(line) is not None
                previous_blank = False
            i += 1
            continue
        stripped = line.strip()
        fence = _FENCE_LINE_RE.match(line.rstrip("\r\n"))
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            mark = fence.group(1)
            j = i + 1
            while j < n:
                close = _FENCE_LINE_RE.match(lines[j].rstrip("\r\n"))
                if close and close.group(1)[0] == mark[0] and len(close.group(1)) >= len(mark) \
                        and not close.group(2).strip():
                    break
                j += 1
            end = offsets[j] + len(lines[j]) if j < n else len(text)
            spans.append((offsets[i], end))
            i, previous_blank = j + 1, False
            continue
        if stripped and _INDENTED_RE.match(line) and previous_blank and not in_list:
            j = i
            last = i
            while j < n and (not lines[j].strip() or _INDENTED_RE.match(lines[j])):
                if lines[j].strip():
                    last = j
                j += 1
            spans.append((offsets[i], offsets[last] + len(lines[last])))
            i, previous_blank = last + 1, False
            continue
        if stripped:
            if not _INDENTED_RE.match(line):
                in_list = bool(_LIST_ITEM_RE.match(line))
            previous_blank = False
        else:
            previous_blank = True
        i += 1
    return spans


_RAW_ELEMENT_RE = lazyre.compile(r"<(script|style|pre|code|textarea)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_ENTITY_RE = lazyre.compile(r"&#?\w{1,32};")
_DECLARATION_RE = lazyre.compile(r"<![^>]*>|<\?.*?\?>", re.S)


def html_spans(text: str) -> List[Tuple[int, int]]:
    """The spans of an HTML document that are not prose: script, style,
    pre, code and textarea elements whole; tags, comments, declarations and
    entities; in order (they may overlap: a tag inside a raw element)."""
    spans = [m.span() for m in _RAW_ELEMENT_RE.finditer(text)]
    for regex in (_TAG_RE, _DECLARATION_RE, _ENTITY_RE):
        spans += [m.span() for m in regex.finditer(text)]
    return sorted(spans)


def _inline_spans(text: str, start: int, end: int) -> List[Tuple[int, int]]:
    # inline code: a run of backticks closed by the next run of the same
    # length within the paragraph.  Where every backtick is in a pair that
    # _INLINE_CODE_RE finds (one backtick on each side, within a line: most
    # pages' inline code), every run is one backtick and each closes the one
    # before it, on its line: those pairs are the spans (found in C)
    spans = scan.code_pairs(text, start, end)
    if spans is None:
        spans = _code_spans(text, start, end)
    starts = [a for a, _ in spans]  # sorted and not overlapping, so bisect finds the span
    ends = [b for _, b in spans]

    def outside_code(a: int) -> bool:
        k = bisect.bisect_right(starts, a) - 1
        return k < 0 or a >= ends[k]

    # each pattern is looked for only where what all its matches hold is
    # there ("](" of a link, "<" of an autolink or a tag, "]:" of a
    # reference definition): most pages have none of some
    for m in _from_brackets(text, start, end) if text.find("](", start, end) >= 0 else ():
        if outside_code(m.start()):
            spans.append((m.start(), m.start() + 1))  # "[", or the "!" of "!["
            spans.append((m.end(1), m.end()))  # from "](" to the link's closing parenthesis
    angle = text.find("<", start, end) >= 0
    for regex, needed in ((_AUTOLINK_RE, angle), (_TAG_RE, angle), (_REF_DEF_RE, text.find("]:", start, end) >= 0)):
        if not needed:
            continue
        for m in regex.finditer(text, start, end):
            if outside_code(m.start()):
                spans.append(m.span())
    return spans


def _from_brackets(text: str, start: int, end: int):
    """``_LINK_RE.finditer(text, start, end)`` (`start` >= 0), tried only at
    each "[" (found by str.find), or at the "!" right before it: a match
    starts at one of them, and where one from the "!" fails, one from its "["
    fails too (the rest of the pattern reads the same characters).  sre's
    search, which the optional "!" keeps from skipping ahead to a "[", tries
    every character."""
    match, pos = _LINK_RE.match, start
    i = text.find("[", start, end)
    while i >= 0:
        m = match(text, i - 1 if i - 1 >= pos and text[i - 1] == "!" else i, end)
        if m is None:
            i = text.find("[", i + 1, end)
        else:
            yield m
            pos = m.end()
            i = text.find("[", pos, end)


def _code_spans(text: str, start: int, end: int) -> List[Tuple[int, int]]:
    """Inline code between `start` and `end`: each run of backticks closed by
    the next run of the same length within the paragraph (the runs listed
    once: none holds a line break, so none crosses a paragraph's end)."""
    spans = []
    ticks = [m.span() for m in _BACKTICKS_RE.finditer(text, start, end)]
    blanks = [b.start() for b in _BLANK_RE.finditer(text, start, end)] if ticks else []  # where paragraphs end
    i, n = 0, len(ticks)
    while i < n:
        a, b = ticks[i]
        k = bisect.bisect_left(blanks, b)
        stop = blanks[k] if k < len(blanks) else end
        j = i + 1
        while j < n and ticks[j][0] < stop and ticks[j][1] - ticks[j][0] != b - a:
            j += 1
        if j < n and ticks[j][0] < stop:
            spans.append((a, ticks[j][1]))
            i = j + 1
        else:
            i += 1
    return spans
