"""The decisions: is this document disguised, is this span mojibake, is this
line boilerplate?  The stages gather the evidence (zhfix.stages.diagnose counts
signals, zhfix.stages.mojibake scores round trips, zhfix.stages.boilerplate walks a page's
lines); the verdicts, with their weights and thresholds, are here, in one
place, where they can be read, measured and changed together.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, List, Optional, Tuple

from .. import lazyre
from ..loops import scan
from ..data.chars import (HAN_RE, KANA_HANGUL as _KANA_HANGUL_CLASS, LATIN as _LATIN_CLASS, MISREAD as _MISREAD_CLASS,
                          badness_branches, badness_facts, badness_set)

# -- is this traditional document a disguise? ---------------------------------

#: Below this many traditional-only characters nothing is decided at all, so
#: that short strings are never repaired on weak evidence, unless the text has
#: a parenthesis, where an annotation may be.
MIN_TRADITIONAL = 4

#: A document is disguised when its signals weigh this much.
DISGUISED_AT = 2


def enough_to_judge(n_traditional: int, text: str) -> bool:
    """Are there enough traditional-only characters in `text` to judge it?"""
    return n_traditional >= MIN_TRADITIONAL or (n_traditional > 0 and "(" in text)


def signals(ev: dict) -> List[Tuple[str, int]]:
    """The signals of a disguise in the evidence `ev` (what zhfix.stages.diagnose
    counted), each with its weight."""
    out = []
    verified = ev["pinyin_annotations"]
    if verified:
        out.append((PINYIN, 2 if verified >= 2 else 1))
    found_m = ev.get("mainland_terms")
    if found_m:
        n_m, n_t = sum(found_m.values()), sum(ev["taiwan_terms"].values())
        if n_m >= 2 and n_m > 2 * n_t:
            # weak alone: Taiwan writes some mainland words too (文件)
            out.append((VOCABULARY, 1))
    half = ev["halfwidth_punct_in_chinese"]
    if half and half > HALF_PER_FULL * ev["fullwidth_punct"] and (verified or not ev.get("single_line")):
        out.append((HALFWIDTH, 1))
    if ev["converter_forms"]:
        out.append((FORMS, 1))
    if len(ev.get("converter_leftovers", ())) >= MIN_LEFTOVERS:
        out.append((LEFTOVERS, 1))
    if ev["simplified_lines"] and ev.get("traditional_lines") and any(
            name in (FORMS, LEFTOVERS) for name, _ in out):
        # whole paragraphs of each: a partial conversion -- or a page quoting
        # the other script, so only where the traditional text bears a
        # converter's marks
        out.append((MIXED, 1))
    return out


HALFWIDTH = "halfwidth punctuation"
#: The halfwidth marks after Han characters make the signal where they are
#: more than this many times the page's fullwidth marks.
HALF_PER_FULL = 2
#: Halfwidth marks after Han characters that make the signal in a text of
#: one line (a field: ev["single_line"], see note_single_line): one alone
#: there is a label's colon (類型:) or a list's comma, which Taiwan types
#: too, unless the mirror's pinyin is beside it (發(fā)佈暴雨藍色預警,提醒…).
#: On a page of lines, one mark and no fullwidth one is a fold (更多信息:).
MIN_HALFWIDTH = 2
VOCABULARY = "mainland vocabulary"
PINYIN = "pinyin annotations"
FORMS = "a converter's character forms"
LEFTOVERS = "a converter's leftovers"
MIXED = "simplified lines beside traditional"
#: Distinct leftover words that make the signal: one alone may be a word
#: boundary, as 包括發展 holds 括發.
MIN_LEFTOVERS = 2
#: Without a mirror's own traces, which are pinyin, halfwidth punctuation and
#: a partial conversion, the signals must weigh this much: vocabulary and a
#: converter's marks alone are also what a Taiwan site shows that published
#: converted text as it is, with its fullwidth punctuation, and such a site is
#: left alone.
DISGUISED_WITHOUT_TRACES = 3


def note_single_line(ev: dict, text: str) -> None:
    """Mark the evidence `ev` of `text` as a text of one line where its one
    halfwidth mark is all the signal could stand on (MIN_HALFWIDTH)."""
    if 0 < ev["halfwidth_punct_in_chinese"] < MIN_HALFWIDTH and len(text.strip().splitlines()) <= 1:
        ev["single_line"] = True


#: The most simplified-only characters a page without a line of simplified
#: text can hold (undisguisable: a line has three).
FEW_SIMPLIFIED_CHARS = 2

#: Simplified-only characters per traditional-only one from which a page is
#: simplified text, not a disguise.
SIMPLIFIED_PAGE = 10

#: Kana per traditional character from which a document is Japanese.
JAPANESE_KANA = 0.5


def disguise(ev: dict) -> Tuple[bool, str, List[str]]:
    """(disguised, the reason in words, the names of the signals seen)."""
    return _verdict(ev)


def settled_disguise(ev: dict, pending=None) -> Optional[Tuple[bool, str, List[str]]]:
    """``disguise(ev)`` where the verdict is made whatever the searches of
    `pending` find (:func:`settled`), else None: the test and the verdict
    from one reading of the evidence."""
    return _verdict(ev, _PENDING if pending is None else pending)


def _verdict(ev: dict, pending=()) -> Optional[Tuple[bool, str, List[str]]]:
    """disguise(ev); with `pending`, None where their searches could still
    change it."""
    why = _not_a_chinese_page(ev)
    if why is not None:
        return False, why, []
    found = signals(ev)
    enough = _enough(found)
    if pending and not enough and _enough(found + _could_add(ev, found, pending)):
        return None  # what the searches find could make it a disguise
    if not found:
        return False, "genuine traditional text: left alone", []
    names = sorted({name for name, _ in found})
    if enough and PINYIN not in names:
        if VOCABULARY in pending:
            return None  # the vocabulary could show a page of Taiwan's own words
        if _taiwan_words(ev):
            return (False, "traditional text in Taiwan's own vocabulary (" + ", ".join(names) + " besides): left alone",
                    names)
    if enough:
        return True, "simplified text disguised as traditional: " + ", ".join(names), names
    return False, "traditional text with one weak sign of a disguise (" + found[0][0] + "): left alone", names


def undisguisable(mask: int, counted: tuple, whole: bool = True, annotations: Optional[int] = None,
                  text: Optional[str] = None) -> bool:
    """Is a page whose characters have the classes `mask` no disguise
    whatever else the diagnosis would find?  `counted`: the page's
    ``scan.counts`` of the first four classes of ``scan.CENSUS``, or its
    census; `whole`: whether they count all the diagnosis reads (else only
    what holds of any part of the page is asked); `annotations`: its verified
    annotations (``pinyin.count_annotations(text)[1]``), where the caller
    has counted them on the whole page; `text`: the page, whose halfwidth
    marks after Han characters are counted where nothing else decides.

    A page of kana (Japanese), or of simplified text with a stray
    traditional character, is none (_not_a_chinese_page).  A page with
    fewer than three simplified-only characters has no line of simplified
    text; without annotations (none can be without a parenthesis and
    letters), a fold of its punctuation (none without halfwidth marks) or a
    converter's forms it has none of the signals the counts tell, and only
    the searches of the vocabulary and the leftovers are left, which make no
    disguise alone (a genuine Taiwan page)."""
    traditional, simplified, full, forms = counted[:4]
    if whole and (len(counted) > 5 and _japanese(traditional, counted[5]) or _simplified_page(traditional, simplified)):
        return True
    if simplified > FEW_SIMPLIFIED_CHARS or _SEARCHES_ALONE:
        return False
    if annotations is None or not whole:
        if mask & _ANNOTATION_CLASSES == _ANNOTATION_CLASSES:
            return False
        annotations = 0
    if annotations or forms:
        return False  # a signal already (signals(): pinyin, a converter's forms)
    if not mask & scan.HALF:
        return True
    if text is None or not whole:
        return False
    # signals only add up: the halfwidth marks are counted last, where the
    # page has no other signal (a disguised page is told before this scan);
    # no more than twice its fullwidth ones make no signal (signals())
    half = scan.marks_after_han(text)
    if half <= HALF_PER_FULL * full:
        return True
    ev = {"pinyin_annotations": 0, "halfwidth_punct_in_chinese": half,
          "fullwidth_punct": full, "converter_forms": 0, "simplified_lines": 0}
    note_single_line(ev, text)
    return not signals(ev)


#: What an annotation needs besides the Han character before it.
_ANNOTATION_CLASSES = scan.PAREN | scan.LETTER
#: The classes of the characters the counted signals count: simplified-only
#: ones (a page of simplified text, lines of it), halfwidth marks, a
#: converter's forms.
_SIGNAL_CLASSES = scan.SIMPLIFIED | scan.HALF | scan.FORM


def undisguisable_classes(mask: int) -> bool:
    """:func:`undisguisable` told from the classes alone, whatever the
    counts: a page with none of the characters a counted signal needs (nor
    an annotation's parenthesis and letters) is no disguise."""
    return not (_SEARCHES_ALONE or mask & _SIGNAL_CLASSES
                or mask & _ANNOTATION_CLASSES == _ANNOTATION_CLASSES)


def undisguisable_facts(mask: int) -> bool:
    """:func:`undisguisable` of a whole page without an annotation's
    classes or any candidate of the mirror's shape (NO_ANNOTATION: none
    that count_annotations counts), told from ``scan.page``'s
    TAIWAN fact (its simplified-only characters, halfwidth and fullwidth
    marks counted) and its classes (no converter's forms)."""
    return bool(mask & scan.TAIWAN) and not (
        _SEARCHES_ALONE or mask & scan.FORM
        or mask & _ANNOTATION_CLASSES == _ANNOTATION_CLASSES and not mask & scan.NO_ANNOTATION)


def japanese_at(n_traditional: int) -> float:
    """The kana that make a document of `n_traditional` traditional
    characters Japanese."""
    return max(MIN_TRADITIONAL, JAPANESE_KANA * n_traditional)


def _not_a_chinese_page(ev: dict) -> Optional[str]:
    """Why the document of evidence `ev` is no disguised Chinese page
    whatever its signals, or None."""
    if _japanese(ev["traditional_chars"], ev.get("kana", 0)):
        # Japanese writes kanji in forms OpenCC calls traditional, and never a
        # disguised Chinese page's kana: it is Japanese, as it stands
        return "Japanese text (kana beside the kanji): left alone"
    if _simplified_page(ev["traditional_chars"], ev["simplified_chars"]):
        # a simplified page with a stray traditional character (a typo, a
        # name): not a disguise, whatever its vocabulary or punctuation
        return "simplified text with a few traditional characters: left alone"
    if ("simplified_in_traditional_lines" in ev or "listed_lines_of_each_script" in ev) \
            and not ev.get("pinyin_annotations"):
        # (noted by zhfix.stages.diagnose where it is so; data holds no mirror's pinyin)
        return "both scripts side by side in its lines or a list (character data, a word list, a table): left alone"
    return None


def _taiwan_words(ev: dict) -> bool:
    """Is the page of evidence `ev` written in Taiwan's own vocabulary
    (金鑰, 伺服器, 快取: terms whose simplified form mainland text hardly
    writes, tables.taiwan_own_terms)?  A converter turns a mainland text's
    words into their characters, not into Taiwan's words (密钥 -> 密鑰, not
    金鑰), so a page with many of them and few mainland ones is Taiwan's
    own writing, whose punctuation and stray character forms (a translation
    typed with halfwidth commas) make no disguise.  Only a mirror's pinyin
    outweighs it."""
    taiwan = ev.get("taiwan_terms")
    if not taiwan or sum(taiwan.values()) < MIN_TAIWAN_TERMS:
        return False
    from ..data.tables import taiwan_own_terms

    own = taiwan_own_terms()
    n_t = sum(n for term, n in taiwan.items() if term in own)
    return n_t >= MIN_TAIWAN_TERMS and n_t >= TAIWAN_PAGE * sum(ev["mainland_terms"].values())


#: Taiwan terms on a page, at the least, and per mainland term, from which it
#: is written in Taiwan's own vocabulary (_taiwan_words).
MIN_TAIWAN_TERMS = 10
TAIWAN_PAGE = 4


def _japanese(traditional: int, kana: int) -> bool:
    return kana >= japanese_at(traditional)


def _simplified_page(traditional: int, simplified: int) -> bool:
    return simplified >= SIMPLIFIED_PAGE * traditional


def _enough(found: List[Tuple[str, int]]) -> bool:
    """Do the signals `found` (name, weight) make a disguise?"""
    total, traces = 0, False
    for name, weight in found:
        total += weight
        traces = traces or name in _TRACES
    return total >= (DISGUISED_AT if traces else DISGUISED_WITHOUT_TRACES)


#: The signals only a mirror leaves (see DISGUISED_WITHOUT_TRACES).
_TRACES = frozenset((PINYIN, HALFWIDTH, MIXED))


def leftovers_matter(ev: dict) -> bool:
    """Is a converter's leftovers worth looking for in the document whose
    other evidence is `ev`, where every signal is to be named (an
    explanation): is it disguised already, or could they make it so?  A
    genuine Taiwan page, with no other sign, is spared the search."""
    if _not_a_chinese_page(ev) is not None:
        return False
    found = signals(ev)
    return _enough(found) or _enough(found + _could_add(ev, found, (LEFTOVERS,)))


def settled(ev: dict, pending=None) -> bool:
    """Is the verdict on the evidence `ev` made whatever the searches not
    made yet find (`pending`: the signals they could add, each of weight 1)?
    Signals only add up, so a page disguised without them stays disguised
    (unless the vocabulary is pending and could show Taiwan's own words,
    _taiwan_words), and one that they could not make disguised stays
    genuine: zhfix.stages.diagnose
    searches a page's vocabulary and a converter's leftovers only where they
    can decide, unless an explanation names every signal (a genuine Taiwan
    page with no other sign is spared both, a page with pinyin and halfwidth
    punctuation too; the evidence then leaves them out)."""
    return settled_disguise(ev, pending) is not None


#: The searches diagnose makes last (their signals, each of weight 1).
_PENDING = (VOCABULARY, LEFTOVERS)
#: Whether their signals alone make a disguise (they do not: no trace of a mirror).
_SEARCHES_ALONE = _enough([(name, 1) for name in _PENDING])


def _could_add(ev: dict, found: List[Tuple[str, int]], pending) -> List[Tuple[str, int]]:
    """The signals the searches of `pending` could add to `found`: their own,
    and the partial conversion's where the page has lines of both scripts
    and no other mark of a converter had let that one count."""
    added = [(name, 1) for name in pending]
    if LEFTOVERS in pending and ev["simplified_lines"] and ev.get("traditional_lines") \
            and not any(name == MIXED for name, _ in found):
        added.append((MIXED, 1))
    return added


# -- is this round trip the repair of a misread span? ------------------------------

#: nats per character the repair must gain over the damaged span
MIN_GAIN = 2.0
#: nats per character a repair may not fall below (plain Chinese is about -7)
MIN_LEVEL = -11.5
#: Han characters a repair holds at the least.
MIN_HAN = 2
#: Share of everyday characters a repair has at the least, and how much more
#: of them than the span where the span has Han characters.
MIN_COMMON = 0.85
COMMON_GAIN = 0.15
#: At most one character in this many of a repair may be U+FFFD.
LOSS_RATIO = 6
#: What a repair may not hold: the Private Use Area, C0/C1 controls.
_BAD_RE = lazyre.compile("[\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


#: What only a misreading leaves: the Private Use Area (a GBK user-area pair),
#: U+FFFD, C1 controls.
_MISREAD = lazyre.compile(f"[{_MISREAD_CLASS}]")
#: Japanese kana and Korean letters.
_KANA_HANGUL = lazyre.compile(f"[{_KANA_HANGUL_CLASS}]")


#: A page of kana or Hangul (kana_page): at least this many of them, and at
#: least 1/KANA_PAGE_RATIO as many as its Han characters.
KANA_PAGE_LEAST = 10
KANA_PAGE_RATIO = 5


def kana_page(text: str, counted: Optional[tuple] = None) -> bool:
    """Is `text` Japanese or Korean writing: kana or Hangul at least a fifth as
    many as its Han characters?  (Chinese has none; a misread Chinese field
    has a kana here and there.)  `counted`: ``scan.census(text)``, where the
    caller has it."""
    if counted is None:
        kana, han = scan.counts(text, (scan.KANA_HANGUL, scan.HAN))
    else:
        kana, han = counted[6:8]
    return kana >= KANA_PAGE_LEAST and kana * KANA_PAGE_RATIO >= han


assert scan.CENSUS[6:8] == (scan.KANA_HANGUL, scan.HAN)


def why_plausible(span: str, kana_page: Callable[[], bool] = lambda: False,
                  mask: Optional[int] = None, kanji_page: Optional[Callable[[], bool]] = None,
                  accented_page: Optional[Callable[[], bool]] = None) -> Optional[str]:
    """Is `span` (a run of non-ASCII text) probable as it stands, in its own
    script, so that no reading of it as misread Chinese is tried?

    Russian, Greek, Zhuyin, a box-drawing tree, kana words: a span without Han
    characters that has letters or symbols beyond Latin-1 and cp1252 (what
    GBK or Big5 read as Latin-1 or cp1252 leaves) is judged by ftfy's model
    of mojibake (``ftfy.badness.is_bad``: the sequences a wrong codec leaves
    and clean text does not).  A span within Latin-1 is not judged so (short
    misread fields such as ``Èí¼þ`` pass that model): it is plausible when it
    has the shape of a word, letters in lowercase after the first.  A
    span with Han characters is plausible where kana or Hangul make at least
    two fifths of its letters: Japanese or Korean prose (UTF-8 Chinese read as
    GBK leaves a kana here and there among rare Han characters, far fewer).
    What only a misreading leaves (the Private Use Area, U+FFFD, C1 controls)
    is never plausible.  On a page of Japanese or Korean (`kana_page()`, asked
    only when needed), a span with any kana or Hangul is plausible too; and
    on a page that writes Japanese or Korean (`kanji_page()`, by default
    `kana_page()`), a span of Han characters that a Japanese or Korean codec
    writes (発表).  On a page written with accented Latin letters
    (`accented_page()`: Danish, Estonian), a span of such letters alone is
    a word of it (ÅÅÅÅ for a year, ÕÄÖÜ).  Returns why it is plausible, or
    None.  `mask`:
    ``scan.classes(span)``, where the caller has it."""
    if mask is None:
        mask = scan.classes(span)
    if calm_mask(mask):
        # one script of chars.SCRIPTS and nothing that would make it implausible:
        # the tests below would conclude the same, so one scan answers
        return _NO_SIGN
    if mask & scan.MISREAD:
        if not mask & scan.HAN and "\ufffd" in span:
            # a word of one script with a letter lost (българ�ки): the lost
            # bytes are the lossy step's to report, the word is its own
            # (kana with U+FFFD are Big5 read as GBK with bytes lost as often)
            rest = span.replace("\ufffd", "")
            if len(rest) > 1 and not _KANA_HANGUL.search(rest) and why_plausible(rest) is not None:
                return LOST_LETTER
        return None
    if not mask & scan.HAN:
        if not _BEYOND_LATIN.search(span):
            # Latin-1 letters: a word's shape (lowercase, or capitalised:
            # café, Élève, éé) as it stands; GBK read as Latin-1 mixes cases
            # and symbols (ÄãºÃ, Èí¼þ)
            word = span.rstrip("\u2026")  # a word and its ellipsis (mëmë…)
            if word[1:].isalpha() and word[1:].islower() and word[0].isalpha():
                return "plausible as it stands: a word"
            if len(span) > 2 and span.isalpha() and span == span[0] * len(span):
                # one letter repeated: a format's placeholder (ÅÅÅÅ-MM-DD);
                # GBK read so would be a character of two equal bytes, twice
                return "plausible as it stands: one letter repeated"
            if accented_page is not None and span.isalpha() and accented_page():
                return ACCENTED_LETTERS
            return None
        scripts = mask & scan.SCRIPTS
        if scripts & (scripts - 1):
            return None  # kana beside Cyrillic, box drawing beside kana: what a GBK reading of Big5 leaves
        return None if is_bad(span) else _NO_SIGN
    scripts = len(_KANA_HANGUL.findall(span))
    if prose(span, scripts):
        return "plausible as it stands: Japanese or Korean prose"
    if kana_page():
        if scripts:
            return "plausible as it stands: Japanese or Korean words on a page of them"
        if _japanese_or_korean_codec(span):
            # Han characters alone on a page of Japanese or Korean (a list of
            # words, a heading: 発表): the kanji or hanja that page's own
            # codecs write; a GBK/Big5 confusion there would be a Chinese
            # field misread inside Japanese or Korean, too rare to guess at
            return KANJI_ON_KANA_PAGE
    elif kanji_page is not None and _japanese_word(span) and kanji_page():
        # a page with too few kana to be a page of them, but with Japanese
        # prose (a list of kanji-heavy words): a word with a kanji only
        # Japanese writes (発, 絵, 続) is one of them.  No reading of GBK as
        # Big5 has that kanji, which Big5 lacks: a page of Chinese quoting a
        # Japanese sentence keeps that repair.
        return JAPANESE_WORD
    return None


LOST_LETTER = "plausible as it stands: a word of one script with a letter lost to U+FFFD"
ACCENTED_LETTERS = "plausible as it stands: accented letters, on a page whose words hold such letters alone"
KANJI_ON_KANA_PAGE = "plausible as it stands: Han characters that Japanese or Korean writes, on a page of them"
JAPANESE_WORD = "plausible as it stands: a Japanese word (a kanji neither Big5 nor GB2312 has), on a page with Japanese prose"


def accented_page(text: str) -> bool:
    """Is `text` written with accented Latin letters standing alone inside
    its words (Udløbsdato, ändern: after two ASCII letters, before a
    lowercase one), MIN_ACCENTED times at the least?  GBK or Big5 read as
    Latin-1 or cp1252 leaves each Chinese character as two characters, the
    first above ASCII and the second mostly so: two ASCII letters, one such
    character and a lowercase ASCII letter in a row are rare there (none in
    tldr's zh or zh_TW pages read so).  Such
    a page is in a language written with those letters, whose runs of them
    (ÅÅÅÅ-MM-DD) are its own."""
    found = 0
    for _ in _ACCENTED_ALONE.finditer(text):
        found += 1
        if found >= MIN_ACCENTED:
            return True
    return False


MIN_ACCENTED = 2
_ACCENTED_ALONE = lazyre.compile("(?<=[A-Za-z]{2})[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161"
                                 "\u0178\u017d\u017e](?=[a-z])")


def _japanese_word(span: str) -> bool:
    """Does Shift_JIS (cp932) write `span`, and does it hold a kanji that
    neither Big5 nor GB2312 has (a Japanese form: 発, 絵, 続, 稲)?"""
    return _encodes(span, "cp932") and any(_japanese_only_char(ch) for ch in span if _HAN_RE.match(ch))


@lru_cache(maxsize=4096)
def _japanese_only_char(ch: str) -> bool:
    return not _encodes(ch, "big5") and not _encodes(ch, "gb2312")


def prose(span: str, scripts: Optional[int] = None) -> bool:
    """Is `span`, a run with Han characters, Japanese or Korean prose: kana or
    Hangul (`scripts` of them, where counted) at least two fifths of its
    letters?"""
    if scripts is None:
        scripts = len(_KANA_HANGUL.findall(span))
    # four letters at least, because Big5 read as GBK turns a two- or
    # three-character field into kana as often as not (the letters counted
    # only where there are kana or Hangul to weigh: a run of rare Han
    # characters may be a whole document long)
    if scripts < 2:
        return False
    letters = sum(1 for ch in span if ch.isalpha())
    return letters >= 4 and scripts * 5 >= 2 * letters


def _japanese_or_korean_codec(span: str) -> bool:
    """Does `span` encode in Shift_JIS (cp932) or in the Korean cp949: is
    every character of it one that Japanese or Korean text writes?"""
    return _encodes(span, "cp932") or _encodes(span, "cp949")


def _encodes(text: str, codec: str) -> bool:
    """Does `codec` write every character of `text`?"""
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


_NO_SIGN = "plausible as it stands: no sign of a wrong codec (ftfy)"


#: The classes of what keeps a span of one script from being plausible at
#: once (with the other scripts): what only a misreading leaves, Han
#: characters, the characters ftfy's badness needs, and the first letters of
#: a Latin-1 reading of UTF-8 (so that a text mojibake.find_latin could
#: match is never calm).
UNCALM = scan.MISREAD | scan.HAN | scan.BADNESS | scan.LATIN_LEAD


def calm_mask(mask: int) -> bool:
    """Do characters of these classes (`mask`: ``scan.classes(text)``) make
    a calm text: the letters of exactly one script of chars.SCRIPTS (Hangul,
    kana...), none of UNCALM (what why_plausible judges a span by, the
    start of a Latin-1 reading of UTF-8)?  Then why_plausible(text) finds it
    plausible, and so does every span of it.  (False: not told at once.)"""
    scripts = mask & scan.SCRIPTS
    # (where ftfy's pattern cannot be read, every character but ASCII has the
    # BADNESS bit: nothing is calm, no shortcut; ftfy, slow to import, is not
    # imported to ask)
    return scripts != 0 and not scripts & (scripts - 1) and not mask & UNCALM


#: Pairs (need, reject) of classes for scan.runs: a calm run is plausible
#: as it stands (why_plausible's first test), told from its classes.
CALM_RUNS = tuple(x for bit in scan.SCRIPT_BITS for x in (bit, UNCALM | (scan.SCRIPTS & ~bit)))
#: ... and runs of no script of chars.SCRIPTS, none of UNCALM and nothing
#: of Latin-1 or cp1252 (Arabic, Hebrew, Devanagari, Thai, an emoji):
#: beyond Latin-1 and cp1252, so why_plausible asks ftfy's model, which
#: finds nothing without a BADNESS character.
CALM_RUNS += (0, UNCALM | scan.SCRIPTS | scan.LATIN)
#: On a page of kana or Hangul (kana_page), also runs with kana or Hangul
#: beside Han characters, and runs with Han characters that cp932 or cp949
#: encodes whole (why_plausible's tests on such a page: _japanese_or_korean_codec,
#: told by the characters that one of them cannot encode).
CALM_RUNS_ON_KANA_PAGE = CALM_RUNS + (scan.KANA_HANGUL | scan.HAN, scan.LATIN_LEAD,
                                      scan.HAN, scan.LATIN_LEAD | scan.NOT_CP932,
                                      scan.HAN, scan.LATIN_LEAD | scan.NOT_CP949)
#: The shortest run of unusual characters the mojibake check looks at: a
#: lone one (ß, é) is no misreading.
MIN_RUN = 2


def is_bad(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``, answered at once where `text` holds none
    of the characters without which ftfy's pattern cannot match
    (the class table's BADNESS bit, :func:`zhfix.data.chars.badness_set`): a
    page of Korean or Japanese is one scan of its classes instead of
    ftfy's pattern of 37 branches tried at every character.  Where it
    holds some, the pattern is tried around them only, and, once a process
    has searched enough text that allows the same few branches, with those
    branches alone (:func:`_search_for`)."""
    from ftfy.badness import BADNESS_RE, is_bad as ftfy_is_bad

    width = _badness_width()
    if badness_set() is None or width is None:
        return ftfy_is_bad(text)
    # a match holds one of those characters and is at most `width` long, so
    # it is looked for around each of them, a few, rather than at every
    # character of a long page; "^" matches at the text's start only, as in
    # one search of the whole
    places = scan.positions(text, scan.BADNESS)
    if not places:
        return False
    # the windows around them, those that overlap joined: each stretch of
    # the text is searched once, however dense the characters (a box-drawing
    # tree), and the prose between them not at all.  The first window is
    # searched with the whole pattern before anything else (a misread page
    # is found bad there, before its other characters are even looked at);
    # the others with the branches the text's characters allow
    whole = BADNESS_RE.search
    search = None
    n = len(text)
    lo = hi = 0
    for at in places:
        start = at - width + 1
        if start > hi:
            if hi:
                if search is None:
                    if whole(text, lo, hi):
                        return True
                    # (at most this many characters in the windows)
                    size = min(n, len(places) * (2 * width - 1))
                    search = _search_for(set(map(text.__getitem__, places)), whole, size)
                elif search(text, lo, hi):
                    return True
            lo = start
        hi = min(n, at + width)
    return (search or whole)(text, lo, hi) is not None


def _search_for(chars, whole, size: int):
    """The search to make at most `size` characters of windows of a text whose
    characters of badness_set are `chars` with: each branch of ftfy's
    pattern needs one of its own (chars.badness_branches), so only the
    branches that `chars` allow can match; a box-drawing tree allows one of
    37, which sre then tries at each character instead of all 37.  Such a
    pattern of a few branches takes ~0.5-1 ms to compile, what the whole
    pattern takes to search ~3,000 characters: it is compiled once a
    process has searched COMPILE_AFTER characters with the whole pattern
    for texts that allow the same branches (a crawl meets a few dozen
    such combinations, and each again and again); until then, and for
    texts that allow more than SUB_BRANCHES branches (or where the pattern
    does not split), `whole` (the whole pattern's search)."""
    of = _branch_bits()
    if of is None:
        return whole
    bits = 0
    for c in chars:
        bits |= of.get(c, 0)
    search = _BRANCH_SEARCHES.get(bits)
    if search is not None:
        return search
    if not bits or bin(bits).count("1") > SUB_BRANCHES:
        return whole
    spent = _SEARCHED_WHOLE.get(bits, 0) + size
    if spent < COMPILE_AFTER:
        if len(_SEARCHED_WHOLE) >= 4096:
            _SEARCHED_WHOLE.clear()  # (a bound: a crawl meets a few dozen combinations)
        _SEARCHED_WHOLE[bits] = spent
        return whole
    if len(_BRANCH_SEARCHES) >= 256:
        _BRANCH_SEARCHES.clear()  # (a bound; those met again are compiled again at once)
    search = _BRANCH_SEARCHES[bits] = _branches_search(bits)
    return search


#: The most branches of ftfy's pattern searched as a pattern of their own;
#: more: the whole.
SUB_BRANCHES = 4
#: Characters searched with the whole pattern, for texts that allow the
#: same branches, before those branches are compiled as a pattern of their own.
COMPILE_AFTER = 3000
#: {branch bits: the search of those branches alone}, and {branch bits:
#: characters searched with the whole pattern so far}: _search_for's.
_BRANCH_SEARCHES: dict = {}
_SEARCHED_WHOLE: dict = {}


@lru_cache(maxsize=None)
def _branch_bits() -> Optional[dict]:
    """{character: the bits (1 << i) of the branches i of ftfy's pattern that
    need it}, or None (chars.badness_branches)."""
    branches = badness_branches()
    if branches is None:
        return None
    of: dict = {}
    for i, (_, needed) in enumerate(branches):
        for c in needed:
            of[c] = of.get(c, 0) | 1 << i
    return of


def _branches_search(bits: int):
    from ftfy.badness import BADNESS_RE

    sources = [source for i, (source, _) in enumerate(badness_branches()) if bits >> i & 1]
    return re.compile("|".join(sources), BADNESS_RE.flags).search


def _badness_width() -> Optional[int]:
    """The longest match of ftfy's badness pattern, where a search of a
    window of the text answers as a search of the whole (zhfix.data.chars
    reads it from ftfy's pattern), else None."""
    return badness_facts()[1]






#: A character neither Latin-1 nor one of cp1252's, which a Latin-1 or cp1252
#: reading of bytes cannot give.
_BEYOND_LATIN = lazyre.compile(f"[^\x00-\x7f{_LATIN_CLASS}]")


def mojibake_gain(span: str, fixed: str, per_char: Callable[[str], float],
                  commonness: Callable[[str], float]) -> Optional[float]:
    """How much more Chinese `fixed` is than `span` (nats per character
    under `per_char`, the likelihood model), or None when `fixed` is not a
    repair of `span` (`commonness`: the share of everyday characters)."""
    if fixed == span or _BAD_RE.search(fixed):
        return None
    n_han = len(_HAN_RE.findall(fixed))
    if n_han < MIN_HAN or fixed.count("\ufffd") * LOSS_RATIO > max(len(fixed), LOSS_RATIO):
        return None
    c_new = commonness(fixed)
    if c_new < MIN_COMMON or c_new < commonness(span) + COMMON_GAIN and _HAN_RE.search(span):
        return None
    new = per_char(fixed.replace("\ufffd", ""))
    if new < MIN_LEVEL:
        return None
    gain = new - per_char(span.replace("\ufffd", ""))
    return gain if gain >= MIN_GAIN else None


# -- is this line of a mirror page boilerplate? -------------------------------------

_HAN_RE = HAN_RE
_SENTENCE_END = lazyre.compile("[。！？!?]")
#: What separates the phrases of a list (white space around it is not part
#: of a phrase): looked for as one character, where a pattern starting with
#: white space would be tried at every character.
_LIST_SEP = lazyre.compile("[,，、|｜;；]")
#: The start of an item of a Markdown or reStructuredText list.
_LIST_ITEM = lazyre.compile(r"(?:[-*+•]|\d{1,3}[.)])\s")

_BREADCRUMB_RE = lazyre.compile(r">>|》》|»|→|>[^>\n]{1,30}>|当前位置|您的位置|所在位置|现在位置|首页\s*[>/》]")
_SITE_SUFFIX_RE = lazyre.compile(r"(网|网站|频道|在线|门户|官网|论坛|新闻网|之家|网络台|电视台)$")
_DOMAIN_RE = lazyre.compile(r"^(https?://)?(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+/?$", re.I)
_BULLET_RE = lazyre.compile(r"^\s*[•·●▪■◆►▶○◇□※\-\*]\s*\S")
_CUT_RE = lazyre.compile(r"(\.\.\.|…|\.\.|……)\s*$")
#: A stripped line starts with one of these and has more: a list item
#: (_BULLET_RE); it ends with one of these: a cut headline (_CUT_RE).
_BULLETS = "•·●▪■◆►▶○◇□※-*"
_CUTS = ("..", "…")
_HEADING_WORDS = lazyre.compile(
    "评论|新闻|推荐|相关|热点|热门|阅读|图片|声明|排行|专题|分享|上一篇|下一篇|返回|打印|关闭|顶部|视频|"
    "猜你喜欢|友情链接|网友|留言|投稿|关于我们|联系我们|广告"
)
#: Words of a copyright or reprint notice.  The Chinese ones and © have no
#: case; the English ones (copyright, all rights reserved, ICP备) are
#: matched ignoring case.  Their first letter is a class of what
#: re.IGNORECASE matches for c, a and i, the rest ignores case: a pattern
#: that starts with a class keeps the regex engine's first-character
#: filter, which one ignoring case throughout loses.
_NOTICE_ZH = lazyre.compile(
    "版权|转载|授权|声明|未经|追究|法律责任|不代表|仅供参考|摘编|本网|本站|侵权|删除|来源|"
    "免责|著作权|知识产权|许可|©"
)
_NOTICE_EN = lazyre.compile("[ACIaciİı](?:(?<=[Cc])(?i:opyright)|(?<=[Aa])(?i:ll rights reserved)|(?<=[Iiİı])(?i:CP备))")
#: One of these makes a line a notice, as does any English notice word.
_STRONG_NOTICE_ZH = lazyre.compile("版权所有|不得转载|转载请注明|免责声明|未经.{0,12}(?:授权|许可|同意)|©")
#: A strong phrase or a notice word, in one scan of a line.  Where a strong
#: phrase matches, the line is a notice, whatever it takes from the words;
#: elsewhere the words are found as _NOTICE_ZH finds them (at each place the
#: strong phrases are tried first, then the words in their order).  A match
#: is a strong phrase when it is no word, or ©.  (No group in it: a pattern
#: starting with one loses the regex engine's first-character filter.)
_NOTICE_ANY = lazyre.compile(f"{_STRONG_NOTICE_ZH.pattern}|{_NOTICE_ZH.pattern}")
_NOTICE_WORDS = frozenset(_NOTICE_ZH.pattern.split("|")) - {"©"}
_CREDIT_RE = lazyre.compile(r"(责任编辑|编辑|记者|作者|来源)\s*[:：]")



#: The signs of data in JSON, code or a CSV with quoted fields, each looked
#: for on its own: one pattern of three branches would try all three at every
#: character.
_DATA_CHARS = lazyre.compile(r"[\"'{}\[\]=<>]")
_DATA_COLON = lazyre.compile(r"\w:\s")
#: Mean length of a spam header's keyword phrases at the least.
MIN_PHRASE = 4
#: Han characters an article under a spam header has at the least.
MIN_BODY = 40
#: Longer lines are article text, never boilerplate; the bound also keeps the
#: checks linear.
MAX_LINE = 2000


def phrases(line: str):
    """The keyword phrases of a line shaped like a spam header, else None
    (what can be told from the line alone)."""
    s = line.strip()
    if not s or len(s) > MAX_LINE or _SENTENCE_END.search(s) or _LIST_ITEM.match(s):
        return None  # (an item of a Markdown or reST list is a document's own line)
    phrases = [p for p in map(str.strip, _LIST_SEP.split(s)) if p]
    if len(phrases) < 4:
        return None
    lengths = [len(p) for p in phrases]
    if max(lengths) > 30 or min(lengths) < 2 or not MIN_PHRASE <= sum(lengths) / len(lengths) <= 18:
        # keyword phrases, not the short words of a table header, nor a
        # wrapped sentence whose line ends inside a word (…下划线、句)
        return None
    if sum(1 for p in phrases if not HAN_RE.search(p)) > 1:
        return None  # a header's keywords are Chinese, all but one at most (iPhone 15): not (0, 1, 2, ...)
    return phrases


def _is_data(s: str) -> bool:
    """Does `s` look like data: JSON, code, a CSV with quoted fields?"""
    return (_DATA_CHARS.search(s) is not None or (":" in s and _DATA_COLON.search(s) is not None)
            or s.lstrip().startswith("#"))


def spam_header(s: str, phrases: list, body: str, own_commas: bool = True) -> bool:
    """Is the stripped line `s`, whose keyword phrases (phrases()) are
    `phrases`, a spam header above `body`, the text after it?
    `own_commas`: are the fullwidth commas of `s` the page's own (not
    restore-punctuation's, which turns a mirror's halfwidth ones back)?"""
    if own_commas and "，" in s and _runs_on(s, body):
        return False  # a wrapped sentence or a verse: its next line goes on (…潭中之云影，⏎草际之烟光…)
    following = first_line(body)
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


def _runs_on(s: str, body: str) -> bool:
    """Does the paragraph of the line `s` go on in `body`, the text after
    it: a next line, not blank and no site chrome?  A line of phrases joined
    by the fullwidth comma of prose that runs on so is one line of a wrapped
    paragraph or a verse (…潭中之云影，⏎草际之烟光…); a mirror's keywords sit
    above a blank line or the site's name.  (The width of the next line
    says nothing: a paragraph's last line is short, a title under a header
    of its width.)"""
    end = body.find("\n")
    line = (body if end < 0 else body[:end]).strip()
    return bool(line) and not is_chrome(line)


def first_line(text: str) -> str:
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
    # (a sentence's end, found early in a line of prose, is looked for first)
    if not _SENTENCE_END.search(s) and _BREADCRUMB_RE.search(s):
        return True
    if len(s) <= 16 and not re.search(r"[，。、：；“”！？,.:;]", s) and (_SITE_SUFFIX_RE.search(s) or _DOMAIN_RE.match(s)):
        return True
    items = s.split()
    if len(items) >= 4 and all(len(i) <= 5 for i in items) and not _SENTENCE_END.search(s) \
            and not _TABLE_RULE.match(s):
        # a menu, a pager; not a Markdown table's rule (| --- | --- |), which
        # keeps the table's first row, the page's title, company
        return True
    return False


_TABLE_RULE = lazyre.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?$")


def is_footer_line(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > MAX_LINE:
        return False
    if len(s) < 40 and _CREDIT_RE.search(s):
        return False  # the editor credit belongs to the article
    if s.startswith("《") and s.endswith("》"):
        return False  # a source line
    # on a stripped line this says what _BULLET_RE.match and _CUT_RE.search say
    if (len(s) > 1 and s[0] in _BULLETS) or (len(s) <= 40 and s.endswith(_CUTS)):
        return True
    if len(s) <= 12 and _HEADING_WORDS.search(s) and not _SENTENCE_END.search(s):
        return True
    return is_notice(s)


def is_notice(s: str) -> bool:
    """Is the line `s` a copyright or reprint notice: one strong phrase or
    English notice word, or three different Chinese notice words?"""
    if _NOTICE_EN.search(s) is not None:
        return True
    words = set()
    for m in _NOTICE_ANY.finditer(s):
        word = m.group()
        if word not in _NOTICE_WORDS:
            return True  # a strong phrase
        words.add(word)
    return len(words) >= 3  # no English one here


