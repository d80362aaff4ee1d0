"""Step 1 of the runner (fix-mojibake): wrong-codec readings, repaired span by
span (docs/damage.md §3).

A span of text that was decoded with the wrong codec is encoded back with
that codec and decoded with the right one.  ASCII survives every one of these
misreadings, so a damaged span is a run of non-ASCII characters (GBK/Big5
trail bytes in the ASCII range may sit inside it).  For each span and each
(reader, source) pair the round trip is tried; it is kept only where it is
strict (or loses bytes only where the reader already lost them) and the result
is clearly more Chinese than the span under the likelihood model
(:mod:`zhfix.stages.model`).  The UTF-8 <-> Latin-1/cp1252 family is left to ftfy,
with every one of its other fixes switched off.

Windows readers map bytes Python's codecs reject: cp1252's 0x81/0x8D/…
(ftfy's ``sloppy-windows-1252`` codec keeps them) and GBK's user area (Python's
gb18030 maps it to the Private Use Area and back), so both are used to
encode the misread text back into its bytes.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from typing import List, NamedTuple, Optional

from .. import lazyre
from ..data.chars import HAN_RE, KANA as _KANA_CLASS, big5_level1, common_chars, everyday, gb2312_level1  # noqa: F401
from . import decide, spans
from ..loops import scan
from .spans import Edit, Findings, Stage

#: The misreadings tried, each as the pair: how the bytes were read, what
#: they really were.
PAIRS = [
    ("latin-1", "utf-8"),  # UTF-8 read as Latin-1 (C1 controls kept): ftfy first, this when it stops short
    ("sloppy-windows-1252", "utf-8"),  # UTF-8 read as cp1252, likewise
    ("gb18030", "utf-8"),  # UTF-8 read as GBK/GB18030 (cp936 user area -> PUA)
    ("big5", "utf-8"),  # UTF-8 read as Big5
    ("sloppy-windows-1252", "gb18030"),  # GBK read as cp1252 (as Windows does)
    ("latin-1", "gb18030"),  # GBK read as Latin-1
    ("big5", "gb18030"),  # GBK read as Big5
    ("gb18030", "big5"),  # Big5 read as GBK
]

SPAN_RE = lazyre.compile(r"[^\x00-\x7f](?:[^\x00-\x7f]|[\x40-\x7e](?=[^\x00-\x7f]))*")
_LATIN_MOJI_RE = lazyre.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")
_HAN_RE = HAN_RE
#: Longest misread field looked for inside a run of other text.
MAX_FIELD = 400

#: decide's patterns of what only a misreading leaves, and of Japanese kana
#: and Korean letters: in a run with those, clusters of unusual characters may
#: be a language, so only the run as a whole is tried.
_LOST_RE = decide._MISREAD
_KANA_HANGUL = decide._KANA_HANGUL


class Found(NamedTuple):
    start: int
    end: int
    new: str
    note: str
    lossy: bool


def _ensure_codecs(name: str) -> None:
    if name.startswith("sloppy"):
        import ftfy.bad_codecs  # noqa: F401  registers sloppy-windows-1252


@lru_cache(maxsize=None)
def _ftfy_config():
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_encoding=True,
        restore_byte_a0=True, replace_lossy_sequences=False, decode_inconsistent_utf8=True,
        fix_c1_controls=False, fix_latin_ligatures=False, fix_character_width=False,
        uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=False,
        remove_control_chars=False, normalization=None, explain=False,
    )


def per_char(text: str) -> float:
    from . import model
    from ..data.tables import t2s

    if not text:
        return 0.0
    return model.score(text.translate(t2s().table)) / len(text)


#: Bytes Windows' decoders map where Python's codecs differ: cp936 (GBK) reads
#: a lone 0x80 as €, which gb18030 would encode as a2 e3.
_WINDOWS_BYTES = {"gb18030": {"€": b"\x80"}}


def _encode(text: str, reader: str) -> bytes:
    """`text` back into the bytes `reader` made it from, as Windows reads them."""
    extra = _WINDOWS_BYTES.get(reader)
    if extra and any(ch in text for ch in extra):
        return b"".join(extra.get(ch) or ch.encode(reader) for ch in text)
    return text.encode(reader)


@lru_cache(maxsize=None)
def _incremental(source: str):
    """The incremental decoder class of codec `source` (looked up once)."""
    return codecs.getincrementaldecoder(source)


#: The first characters of a span that _round_trip tries before the rest.
_HEAD = 24


def _round_trip(span: str, reader: str, source: str) -> Optional[tuple]:
    """(repaired, lossy) or None."""
    _ensure_codecs(reader)
    if "\ufffd" not in span and len(span) <= _HEAD:
        # the whole span is its head: one encoding, one strict decoding
        try:
            return _encode(span, reader).decode(source), False
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None
    head = span[:_HEAD]
    if "\ufffd" not in head:  # cheap rejection on the first characters
        try:
            raw = _encode(head, reader)  # (encoded first: most spans fail here, before a decoder is made)
            _incremental(source)().decode(raw, final=False)
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None
    return _whole(span, reader, source)


def _whole(span: str, reader: str, source: str) -> Optional[tuple]:
    """_round_trip of the whole span, its pieces between U+FFFD joined by a
    byte no reading keeps: (repaired, lossy) or None."""
    pieces = span.split("\ufffd")
    try:
        raw = b"\xff".join(_encode(p, reader) for p in pieces)
    except UnicodeEncodeError:
        return None
    lossy = len(pieces) > 1
    try:
        return raw.decode(source), lossy
    except UnicodeDecodeError:
        if not lossy:
            return None
    fixed = raw.decode(source, errors="replace")
    return re.sub("\ufffd+", "\ufffd", fixed), True


def commonness(text: str) -> float:
    """Share of the Han characters that are everyday ones (1.0 with none)."""
    han = len(_HAN_RE.findall(text))
    if not han:
        return 1.0
    common = common_chars()
    return sum(1 for ch in text if ch in common) / han


NOT_CHINESE = "another misreading, of text that is not Chinese (ftfy reads it so): left as it is"


def _other_text_misread(span: str) -> bool:
    """Is `span` (no Han characters) what ftfy reads back, whole, as text that
    is not Chinese (┬ó┬ó, UTF-8 ¢¢ read as cp437)?  Then no Chinese reading of it
    is the repair; it is not zhfix's to repair."""
    from ftfy import fix_encoding
    from ftfy.badness import is_bad

    fixed = fix_encoding(span)
    # every character of a UTF-8 reading takes two or more of the misread
    # text, so a fix that kept more is ftfy's guess at part of it
    return (2 * len(fixed) <= len(span) and not is_bad(fixed) and not _HAN_RE.search(fixed)
            and not _CJK_MARKS.search(fixed))


#: CJK punctuation, kana, fullwidth forms: what a Chinese reading would hold.
_CJK_MARKS = lazyre.compile("[\u3000-\u30ff\uff00-\uffef]")


def _judge(span: str, fixed: str) -> Optional[float]:
    """zhfix.stages.decide's verdict on the round trip `fixed` of `span`."""
    return decide.mojibake_gain(span, fixed, per_char, commonness)


def find(text: str, runs: Optional[list] = None, left: Optional[list] = None,
         han: Optional[bool] = None, kana: Optional[bool] = None, mask: Optional[int] = None) -> List[Found]:
    """Every span one wrong-codec round trip makes clearly more Chinese.
    `left`, where given, gets (start, end, why) of each span left alone
    because it is plausible as it stands.  `han`: whether `text` has a Han
    character, `kana` whether it is a page of Japanese or Korean
    (decide.kana_page), `mask` its classes, where the caller knows."""
    out: List[Found] = []
    runs = long_runs(text) if runs is None else runs
    if not runs:
        return out
    # questions of the page, asked once, and only where a span needs them
    kana_page = _once(lambda: decide.kana_page(text), kana)
    # a page of Japanese or Korean, or one with a run of their prose beside
    # Han characters (a list of words: 発表 on a line of its own, 引き換え on
    # another); such runs are never calm, so every caller's `runs` hold them
    kanji_page = _once(lambda: kana_page() or any(decide.prose(text[a:b]) for a, b in runs
                                                  if _KANA_HANGUL.search(text, a, b) and _HAN_RE.search(text, a, b)))
    accented_page = _once(lambda: decide.accented_page(text))

    if runs and not (_HAN_RE.search(text) if han is None else han):
        why = _judged_whole(text)
        if why is not None:
            # a page of Russian, Greek, kana...: every span of it is plausible, so it is judged at once
            if left is not None:
                left += [(a, b, why) for a, b in runs]
            return out
    # where no reason is asked for, a span of kana or Hangul beside Han
    # characters on a page of them is plausible whichever of its two reasons
    # decide.why_plausible would give, so it is passed without counting letters
    kana_spans = left is None and not (scan.classes(text) if mask is None else mask) & scan.MISREAD
    refused = 0  # readings between GBK and Big5 refused for reading as no words
    for start, end in runs:
        span = text[start:end]
        if quoted(text, start, end) or not span.strip("\ufffd"):
            continue  # a quotation, or bytes lost and nothing else, which the lossy step reports
        if kana_spans and _KANA_HANGUL.search(span) and _HAN_RE.search(span) and kana_page():
            continue
        why = decide.why_plausible(span, kana_page, kanji_page=kanji_page, accented_page=accented_page)
        if why is not None:  # Russian, Greek, a tree listing, Japanese prose: text, as it stands
            if left is not None:
                left.append((start, end, why))
            continue
        if not _HAN_RE.search(span) and _other_text_misread(span):
            if left is not None:
                left.append((start, end, NOT_CHINESE))
            continue
        hits = scan.positions(span, scan.UNUSUAL)  # UNUSUAL: the characters outside everyday()
        if len(span) <= MAX_FIELD or len(hits) * 4 >= len(span) or _LOST_RE.search(span):
            # a field-sized run, or one dense with unusual characters or with
            # what only a misreading leaves: it may be misread as a whole
            found = _best(span)
            # a few accented letters (a regex's class, [ÂÃÎÐ]) whose reading
            # as GBK is no word; Han characters and kana (a list of classical
            # words: 倛醜; a Japanese label: 続ける) whose reading between GBK
            # and Big5 is none either
            why = found and (LETTERS if _few_letters(span, found[0]) and not _reads_as_words(found[0])
                             else _no_word_read(span, found[1], found[0]))
            refused += why in _NO_WORD
            if why:
                if left is not None:
                    left.append((start, end, why))
                continue
            if found:
                out.append(Found(start, end, *found))
                continue
        # damage inside a run of clean Chinese (备注：鎴戜滑…): trim the run to
        # its unusual characters, give or take a few on either side
        if len(hits) < 2 or len(hits) * 2 > len(span) and len(span) > MAX_FIELD:
            continue  # a rare name in clean text; or a long run of rare text (a character table)
        # the unusual characters in clusters: a misread field is dense with
        # them, while a rare character of the clean text beside it stands apart
        clusters, group = [], [hits[0]]
        for h in hits[1:]:
            if h - group[-1] > 2:
                clusters.append(group)
                group = []
            group.append(h)
        clusters.append(group)
        cores = [(hits[0], hits[-1] + 1)] + [
            (g[0], g[-1] + 1) for g in clusters
            if len(clusters) > 1 and not _KANA_HANGUL.search(span)]
        for first, last in cores:
            if quoted(text, start + first, start + last):
                continue
            why = decide.why_plausible(span[first:last], kana_page, kanji_page=kanji_page,
                                       accented_page=accented_page)
            if why is not None:
                if left is not None:
                    left.append((start + first, start + last, why))
                continue
            hit = _trim(span, first, last, text, start)
            if hit and hit.note in _DOUBLE_BYTE and not hit.lossy:
                hit = _extend(text, hit, start, end)
            if hit and _rare_han(text[hit.start:hit.end], hit.note):
                if left is not None:
                    left.append((hit.start, hit.end, RARE_HAN))
                continue
            why = hit and _no_word_read(text[hit.start:hit.end], hit.note, hit.new)
            if why:
                refused += 1
                if left is not None:
                    left.append((hit.start, hit.end, why))
                continue
            if hit and not any(f.start < hit.end and hit.start < f.end for f in out):
                out.append(hit)
                if (first, last) == cores[0]:
                    break
    if refused >= MIN_REFUSED:
        out = _without_chance_readings(out, refused, left)
    return _same_reading_nearby(text, out)


def _once(ask, known: Optional[bool] = None):
    """`ask` (a question of a page), answered at its first call only; `known`:
    the answer, where the caller has it."""
    answer = [] if known is None else [known]

    def asked() -> bool:
        if not answer:
            answer.append(ask())
        return answer[0]

    return asked


def _without_chance_readings(found: List[Found], refused: int, left: Optional[list]) -> List[Found]:
    """`found` without its readings between GBK and Big5 where the `refused`
    ones (_no_word_read) on the same page are CHANCE_RATIO times more: a page
    of rare characters (a dictionary of classical words, a table) whose few
    runs that happen to read as words (芃芃 -> 刷刷, 眑眑 -> 彬彬) are
    chance; a page misread between the two reads as words nearly
    everywhere.  Those taken out go to `left`."""
    double = [f for f in found if f.note in _DOUBLE_BYTE]
    if not double or len(double) * CHANCE_RATIO > refused:
        return found
    if left is not None:
        left += [(f.start, f.end, CHANCE) for f in double]
    return [f for f in found if f.note not in _DOUBLE_BYTE]


#: Refused readings between GBK and Big5 from which a page's other such
#: readings may be chance (_without_chance_readings), and how many times
#: more than those found they must be (a table of misread names and cities
#: refuses the names, no words, as often as it reads the cities).
MIN_REFUSED = 2
CHANCE_RATIO = 2
CHANCE = ("plausible as it stands: rare Han characters that read as words between GBK and Big5 by chance, "
          "on a page where such readings are mostly no words")


#: Han characters in a row that a GBK/Big5 confusion inside clean Chinese
#: must reach before it is believed.
MIN_DOUBLE_BYTE_CORE = 4
RARE_HAN = "plausible as it stands: rare Han characters inside clean Chinese"
_DOUBLE_BYTE = {"gb18030 read as big5", "big5 read as gb18030"}


def _rare_han(before: str, note: str) -> bool:
    """Is `before`, a few Han characters inside a run of clean Chinese whose
    reading between GBK and Big5 is more Chinese, more likely rare
    characters (a name in classical text: 郤芮) than a misread field?  The
    clean text around it went through the same double-byte decoder, so a
    GBK/Big5 confusion there would have garbled it too; a short field pasted
    from the other codec is possible but rarer than a rare name.  (UTF-8 read
    as GBK is not judged so: such a field (鎴戜滑) is a common paste.)"""
    return (note in _DOUBLE_BYTE and len(before) < MIN_DOUBLE_BYTE_CORE
            and len(_HAN_RE.findall(before)) == len(before))


def _no_word_read(before: str, note: str, after: str) -> Optional[str]:
    """Why the reading `after` of `before` between GBK and Big5 (`note`) is
    refused, or None: less than half of what the reading changes stands in
    words of the word model's dictionary (_reads_as_words).  A misread stretch
    of Chinese reads as words; a table of characters (博簙鎛餺 -> 痔漢熡繖),
    classical words (蒹葭) or a Japanese label (続ける -> 適仃月) read as
    none.  Kana beside Cyrillic or box drawing is judged so only where the
    reading is MIN_DOUBLE_BYTE_CORE characters or more (にほんごРусский ->
    卞幻氏仍妓批扼扼抗我抄): in a field of two or three (みм -> 心技), scripts
    mixed inside a word are a misreading's own shape."""
    if note not in _DOUBLE_BYTE:
        return None
    kana = mixed = False
    for ch in before:
        if ch.isascii() or _HAN_RE.match(ch) or ch == "\ufffd" or unicodedata.category(ch)[0] in "PZ":
            continue  # (bytes lost, punctuation: neither one script nor another)
        if _KANA_RE.match(ch):
            kana = True
        else:
            mixed = True  # Cyrillic, box drawing beside them
    a, b = _changed(before, after)
    changed = after[a:len(after) - b]
    # (a character read as one, the same character read the same: the
    # repetition in a word of one character repeated, 刷刷 read from 芃芃,
    # is the source's, no sign of a misreading)
    source = before[a:len(before) - b] if len(before) == len(after) else None
    if mixed and len(changed) < MIN_DOUBLE_BYTE_CORE or _reads_as_words(changed, source):
        return None
    return NO_WORDS if mixed else KANA_NO_WORD if kana else RARE_HAN


KANA_NO_WORD = "plausible as it stands: Han characters and kana whose reading between GBK and Big5 is no word"
NO_WORDS = "plausible as it stands: its reading between GBK and Big5 is no words"
#: The reasons _no_word_read gives.
_NO_WORD = (KANA_NO_WORD, NO_WORDS, RARE_HAN)
_KANA_RE = lazyre.compile(f"[{_KANA_CLASS}]")


def _few_letters(before: str, after: str) -> bool:
    """Is `before` capitals alone (ÂÃÎÐ, no symbol: GBK read as Latin-1
    leaves ¹, ², », £ in most fields, and mixes cases: ÁõÑó), read as fewer than
    MIN_DOUBLE_BYTE_CORE Han characters `after`?  Accented letters in such
    a run are as likely a word, an abbreviation or a regex's class of the
    text's own language; only a reading of words outweighs that."""
    return len(after) < MIN_DOUBLE_BYTE_CORE and before.isalpha() and before.isupper() and not _HAN_RE.search(before)


LETTERS = "plausible as it stands: accented letters whose reading as misread Chinese is no word"


def _in_words(text: str, source: Optional[str] = None) -> int:
    """How many characters of `text` (simplified, or traditional read as
    simplified) stand in a word of two characters or more of the word
    model's dictionary: most of a misread stretch of Chinese's reading
    (显示安卓的: 3 of 5, 的 being one of the commonest words of one
    character), a few of a chance reading of a table of characters
    (擦中州盅治才猜衷肿材踩种忠舟亨: 2 of 15).  With `source`, what `text`
    reads character for character (the same length), a word of one
    character repeated counts as one character where `source` repeats one
    character there too: a reading of each character as one makes any
    repetition a repetition, so 刷刷 read from 芃芃 says no more than 刷
    alone (谢谢大家: 3 of 4; 刷刷俚倦: 1 of 4)."""
    from . import model
    from ..data.tables import t2s

    text = text.translate(t2s().table)
    covered = [False] * len(text)
    for word, freq in model.words_made_of(set(text)):
        if len(word) == 1 and freq < FUNCTION_WORD:
            continue  # a character alone is a word only if it is 的, 了, 是...
        # (where `source` repeats one character too, only the first counts)
        repeated = source is not None and len(word) > 1 and word == word[0] * len(word)
        at = text.find(word)
        while at >= 0:
            if repeated and source[at:at + len(word)] == source[at] * len(word):
                covered[at] = True
            else:
                covered[at:at + len(word)] = [True] * len(word)
            at = text.find(word, at + 1)
    return sum(covered)


#: The dictionary's count from which a character alone is a word for
#: _in_words (的, 了, 是, 在 and some 90 more).
FUNCTION_WORD = 50000


def _reads_as_words(text: str, source: Optional[str] = None) -> bool:
    """Does more than half of `text` (its first WORDS_SAMPLE characters)
    stand in words (_in_words, `source` passed on), its U+FFFD (bytes lost)
    and punctuation left out of the count, or half of four letters or more
    (多个星标。: 2 of 4)?  Nothing at all reads as words."""
    text = text[:WORDS_SAMPLE]
    if source is not None:
        source = source[:WORDS_SAMPLE]
    letters = sum(1 for ch in text if ch != "\ufffd" and unicodedata.category(ch)[0] not in "PZ")
    if not letters:
        return True
    covered = _in_words(text, source) * 2
    # half is enough from four letters on (多个星标); below, one 的 or 才 is not
    return covered > letters or covered == letters >= MIN_DOUBLE_BYTE_CORE


#: What of a reading _reads_as_words judges: enough to tell words from
#: chance, and the cost of a long reading's look-ups bounded.
WORDS_SAMPLE = 64


#: Characters a misread field found by its unusual ones is extended by, at most.
MAX_EXTEND = 12


def _extend(text: str, hit: Found, run_start: int, run_end: int) -> Found:
    """`hit`, a GBK/Big5 confusion found by its unusual characters, extended
    over the everyday characters the same misreading left at its edges
    (芞抎…肵餅掛: 餅掛 is 绘本 misread, common as it looks): one character at
    a time while the round trip stays strict and the repaired stretch is
    more probable than the repair so far followed (or preceded) by the
    characters as they stand.  Both readings have the same length, so their
    likelihoods compare directly."""
    source, reader = hit.note.split(" read as ")
    for step in (1, -1):
        best = hit
        lo, hi = (hit.end + 1, min(run_end, hit.end + MAX_EXTEND)) if step == 1 else \
            (max(run_start, hit.start - MAX_EXTEND), hit.start - 1)
        edges = range(lo, hi + 1) if step == 1 else range(hi, lo - 1, -1)
        for edge in edges:
            a, b = (best.start, edge) if step == 1 else (edge, best.end)
            tried = _round_trip(text[a:b], reader, source)
            if not tried or tried[1] or len(tried[0]) != b - a:
                break
            kept = best.new + text[best.end:b] if step == 1 else text[a:best.start] + best.new
            if per_char(tried[0]) > per_char(kept):
                best = Found(a, b, tried[0], hit.note, False)
        hit = best
    return hit


@lru_cache(maxsize=None)
def _plain_for(source: str) -> frozenset:
    """Clean text beside a field misread from `source` bytes: everyday text
    of the same script (a GB line's short runs are simplified, a Big5
    line's traditional, a UTF-8 line's either)."""
    ascii_ = frozenset(map(chr, range(128)))
    if source.startswith("gb"):
        return gb2312_level1() | ascii_
    if source.startswith("big5"):
        return big5_level1() | ascii_
    return common_chars() | ascii_


#: Runs this short are read back only beside a longer run misread the same way.
SHORT = 6


def _trim(span: str, first: int, last: int, text: str, offset: int):
    """The best round trip of span[first:last], give or take a few characters
    on either side, as a Found (offsets in `text`), or None."""
    tried = set()
    for k in range(4):
        for j in range(4):
            a, b = max(0, first - k), min(len(span), last + j)
            if (a, b) in tried or (a, b) == (0, len(span)) or b - a < 2:
                continue
            tried.add((a, b))
            if quoted(text, offset + a, offset + b):
                continue
            found = _best(span[a:b])
            if found:
                return Found(offset + a, offset + b, *found)
    return None


def _same_reading_nearby(text: str, found: List[Found]) -> List[Found]:
    """Short runs cut off by digits or ASCII (``18µã45`` in a line read as
    Latin-1) are too short to judge on their own; on a line where a longer
    span was shown to be misread one way, they are read back the same way
    when that round trip is strict and gives only everyday characters.
    Each line is walked once for each reading found on it (a name beside a
    misread city: the spans refused on their own are read so too, and
    drop out of the left-alone list)."""
    if not found:
        return found
    usual = everyday()
    spans_found = sorted((f.start, f.end) for f in found)
    starts = [a for a, _ in spans_found]
    walks = {}
    for f in found:
        if f.lossy or " read as " not in f.note:
            continue
        ls = text.rfind("\n", 0, f.start) + 1
        le = text.find("\n", f.end)
        walks.setdefault((ls, len(text) if le == -1 else le, f.note), None)
    extra, taken = [], set()
    for (ls, le, note) in walks:
        source, reader = note.split(" read as ")
        plain = _plain_for(source)
        for m in SPAN_RE.finditer(text, ls, le):
            a, b = m.span()
            if b - a > SHORT or a in taken:
                continue  # longer runs were judged on their own
            i = bisect_right(starts, b - 1)  # the found spans are disjoint, so only the last to start before b can overlap
            if i and spans_found[i - 1][1] > a:
                continue
            tried = _round_trip(m.group(0), reader, source)
            if not tried or tried[1]:
                continue
            fixed = tried[0]
            if set(m.group(0)) <= plain:
                continue  # 成都 beside a misread field is just 成都
            if fixed and set(fixed) <= usual and _HAN_RE.search(fixed):
                extra.append(Found(a, b, fixed, note, False))
                taken.add(a)
    return sorted(found + extra)


@lru_cache(maxsize=8192)
def _best(span: str):
    """(repaired, note, lossy) of the round trip that gains most, or None:
    a function of the span alone, so kept for the spans met last (the same
    words of Japanese kanji recur from page to page)."""
    best = None
    for reader, source in PAIRS:
        tried = _round_trip(span, reader, source)
        if not tried:
            continue
        fixed, lossy = tried
        gain = _judge(span, fixed)
        if gain is not None and (best is None or gain > best[0]):
            best = (gain, fixed, f"{source} read as {reader}", lossy)
    return best[1:] if best else None


_OPEN_Q = "“‘「『\"'`《（("
_CLOSE_Q = "”’」』\"'`》）)"


def quoted(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a quotation inside clean Chinese (a sentence that
    talks about mojibake: 乱码“ä¸­æ–‡”的成因)?  Then it is left as written."""
    if start == 0 or end >= len(text):
        return False
    if text[start - 1] not in _OPEN_Q or text[end] not in _CLOSE_Q:
        return False
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le == -1 else le
    outside = text[ls:start - 1] + text[end + 1:le]
    return len(_HAN_RE.findall(outside)) >= 4


def long_runs(text: str) -> list:
    """The runs around unusual characters that hold two characters or more
    (what find() and find_latin() look at: a caller asking both may pass
    them): the matches of SPAN_RE that hold a character outside everyday
    text, found from those characters (zhfix.loops.scan.runs) rather than by
    running SPAN_RE over the text."""
    return scan.runs(text, scan.UNUSUAL, 2)


#: Past this many runs, find_latin searches the text once rather than run by run.
_FEW_RUNS = 8


def find_latin(text: str, runs: Optional[list] = None) -> List[Edit]:
    """UTF-8 read as Latin-1/cp1252 (once or twice), line by line, by ftfy."""
    # a match is a character of U+00C2-U+00F4, all unusual, then one of
    # U+0080 or above, so it lies in a run of two or more around an unusual
    # character: it is looked for only in those runs
    search = _LATIN_MOJI_RE.search
    runs = long_runs(text) if runs is None else runs
    if not (has_latin_moji(text) if len(runs) > _FEW_RUNS else any(search(text, a, b) for a, b in runs)):
        # with many runs the text is searched once, which gives the same answer
        return []
    from ftfy import fix_text

    edits = []
    pos = 0
    for line in spans.lines(text):
        if _LATIN_MOJI_RE.search(line):
            fixed = fix_text(line, _ftfy_config())
            a, b = _changed(line, fixed)
            if fixed != line and not _LATIN_MOJI_RE.search(fixed) \
                    and _judge(line[a:len(line) - b], fixed[a:len(fixed) - b]) is not None:
                if not quoted(text, pos + a, pos + len(line) - b):
                    edits.append(Edit(pos, pos + len(line), fixed, "utf-8 read as latin-1/cp1252 (ftfy)"))
        pos += len(line)
    return edits


def _changed(a: str, b: str):
    """(common prefix length, common suffix length) of two strings."""
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    j = 0
    while j < min(len(a), len(b)) - i and a[-1 - j] == b[-1 - j]:
        j += 1
    return i, j


#: A page without Han characters is judged as it stands by this much of it.
PAGE_SAMPLE = 65536


def _judged_whole(text: str, mask: Optional[int] = None) -> Optional[str]:
    """``decide.why_plausible`` of a page without Han characters, by its
    sample (`mask`: the page's classes, which are the sample's where the
    sample is the whole page)."""
    sample = _sample(text)
    if "\ufffd" in sample and not _KANA_HANGUL.search(sample):
        # bytes lost (the lossy step reports them) say nothing of the script
        # the rest is in: a page of Belarusian with a lost letter is Belarusian
        # (not kana: Big5 read as GBK leaves them with U+FFFD as often)
        sample, mask = sample.replace("\ufffd", ""), None
    return decide.why_plausible(sample, mask=mask if sample is text else None)


def has_latin_moji(text: str) -> bool:
    """``_LATIN_MOJI_RE.search(text) is not None``, tried where a match can
    start, at the few characters of its first class (LATIN_LEAD): sre has no
    fast search for a pattern that starts with a class of non-ASCII
    characters, and walks a long page at ~1 ns a character."""
    places = scan.positions(text, scan.LATIN_LEAD)
    if len(places) > _FEW_LEADS:  # French, say: one search
        return _LATIN_MOJI_RE.search(text) is not None
    match = _LATIN_MOJI_RE.match
    return any(match(text, i) for i in places)


#: Past this many characters that may start a match, has_latin_moji searches once.
_FEW_LEADS = 64


def _sample(text: str) -> str:
    """What a page without Han characters is judged by: its start.  ftfy's
    model of mojibake is slow, and a page of Russian, Greek or box drawing
    is one script throughout."""
    if len(text) <= PAGE_SAMPLE:
        return text
    cut = text.rfind("\n", 0, PAGE_SAMPLE)
    return text[:cut if cut > 0 else PAGE_SAMPLE]


#: The runs untouched leaves unlisted: calm ones; on a page of kana or
#: Hangul, also those with kana or Hangul beside Han characters.
_CALM_RUNS = decide.CALM_RUNS
_CALM_RUNS_ON_KANA_PAGE = decide.CALM_RUNS_ON_KANA_PAGE


def untouched(text: str, mask: Optional[int] = None, counted: Optional[tuple] = None) -> bool:
    """Does the step leave `text` as it is (no reasons asked for)?  What
    zhfix.runner's fast path asks of a clean page in another script.
    `mask`: ``scan.classes(text)``, `counted`: ``scan.census(text)``, where
    the caller has them."""
    if mask is None:
        mask = scan.classes(text)
    elif mask & scan.RUNS_CALM:
        return True  # scan.page found no run the check below would list
    han = bool(mask & scan.HAN)
    if not han and decide.calm_mask(mask):
        return True  # a page of another script (Hangul, kana...): every span of it is plausible (below)
    # runs that find() would pass at once are not even listed: those of one
    # script and nothing else why_plausible looks for, or of no script and
    # nothing of Latin-1 or cp1252 either (Arabic, Thai); on a page of Japanese
    # or Korean, those with kana or Hangul beside Han characters (find's
    # kana_spans).  Neither holds the start of a Latin-1 reading of UTF-8,
    # so find_latin, which looks only in the runs, finds the same.
    settled = _CALM_RUNS
    if not mask & scan.KANA_HANGUL:
        kana = False  # no kana or Hangul: no page of them
    elif han and not mask & scan.MISREAD:
        kana = decide.kana_page(text, counted)
        if kana:
            settled = _CALM_RUNS_ON_KANA_PAGE
    else:
        kana = None  # asked by find, where a span needs it
    runs = scan.runs(text, scan.UNUSUAL, decide.MIN_RUN, settled)
    if not runs:
        return True  # none, or none find() would not pass: a lone unusual character (ß, é) is no misreading
    if not han and (not (mask & scan.LATIN_LEAD and has_latin_moji(text))
                    and _judged_whole(text, mask) is not None):
        # find_latin would find nothing in any run, and find judges a text
        # without Han characters whole, found plausible here: no run needs finding
        return True
    return not ((mask & scan.LATIN_LEAD and find_latin(text, runs)) or find(text, runs, None, han, kana, mask))


def _fix(text: str, ctx) -> Findings:
    """One layer of mojibake undone (the runner asks again, for mojibake of
    mojibake)."""
    runs = long_runs(text)  # found once: both checks look at them
    if not runs:
        return Findings([])  # pinyin's tone letters alone, say: neither check has anything to look at
    left = [] if ctx.config.explain else None  # the spans left alone are named only where asked
    edits = find_latin(text, runs)
    if not edits:
        edits = [Edit(f.start, f.end, f.new, f.note + (" (bytes lost)" if f.lossy else ""))
                 for f in find(text, runs, left)]
    edited = [(e.start, e.end) for e in edits]
    left = [(a, b, why) for a, b, why in left or () if not any(s < b and a < e for s, e in edited)]
    return Findings(edits, reports=(("left-alone", left, {}),) if left else ())


#: Spans read with the wrong codec, read back with the right one.
FIX_MOJIBAKE = Stage("fix-mojibake", _fix)
