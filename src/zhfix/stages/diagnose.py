"""Step 2 of the runner (the diagnosis): is this simplified text disguised as
traditional?

Signals (damage.md §1), each counted as evidence:

* annotations — ``字(zì)`` where the syllable is a real reading of the character;
* mainland vocabulary written in traditional characters (數據, 軟件, 網絡: the
  keys of OpenCC's TWPhrases) outnumbering Taiwan's (資料, 軟體, 網路);
* halfwidth punctuation glued between Chinese characters (a converter's
  fullwidth-to-halfwidth fold) where fullwidth commas are rare;
* the character forms of OpenCC-style converters that neither Taiwan's nor
  Hong Kong's standard uses (爲, 衆, 僞 …: keys of both TWVariants and
  HKVariants);
* a character converter's leftovers: words it wrote wrongly where a
  simplified character has several traditional forms (之后, 聯系, 注冊 where
  Taiwan and Hong Kong write 之後, 聯繫, 註冊; tables.converter_leftovers);
* simplified lines beside traditional ones (a partial conversion, or a
  simplified spam header over a "traditional" page).

Genuine Taiwan / Hong Kong text has none of these (or just one) and is left
alone.  What each signal weighs, and what makes a disguise, is decided in
:mod:`zhfix.stages.decide`.  The vocabulary and the leftovers are searched
last, and only where what they find could change the verdict
(:func:`zhfix.stages.decide.settled`); elsewhere the evidence leaves them out.
"""
from __future__ import annotations

from functools import lru_cache

from .. import lazyre
from . import decide, pinyin
from ..loops import scan
from ..data import tables
from ..data.chars import HALF_AFTER_HAN_RE, HAN, KANA as _KANA_CLASS
from ..result import Diagnosis

MIN_TRADITIONAL = decide.MIN_TRADITIONAL
#: A line of prose has one of these; a keyword list or a title has none.
_PROSE_MARKS = "。，！？；"
_PROSE = lazyre.compile(f"[{_PROSE_MARKS}]")
_FULL_COMMA = lazyre.compile("[，；：！？]")


#: What the fast path counts: traditional-only, simplified-only, fullwidth
#: marks, a converter's forms (four: one pass of zhfix.loops.scan.counts;
#: the first four of a census).
_COUNTED = scan.CENSUS[:4]
assert scan.CENSUS[4:6] == (scan.UNUSUAL, scan.KANA)  # (what a census counts next)
#: What it counts of a page with unusual characters, where a repair that
#: does not explain itself reads unusual ones and kana too: six in one pass.
_COUNTED_UNUSUAL = scan.CENSUS[:6]


def counted_classes(mask: int, complete: bool) -> tuple:
    """The classes :func:`diagnose` counts of a page whose classes are
    `mask` (the `counted` a caller makes for it): the first four of a
    census, six where a repair that does not explain itself reads unusual
    characters and kana too."""
    return _COUNTED if complete or not mask & scan.UNUSUAL else _COUNTED_UNUSUAL

#: What an annotation needs besides the Han character it follows.
_ANNOTATION = scan.PAREN | scan.LETTER

#: The diagnosis reads at most this much of a document (its start).
SAMPLE = 200_000


def diagnose(text: str, alphabet=None, fast: bool = True, mask: int = None, found=None,
             complete: bool = True, counted: tuple = None) -> Diagnosis:
    """The evidence of a disguise in `text` (its first :data:`SAMPLE`
    characters), and zhfix.stages.decide's verdict on it.  `alphabet` (the set of
    the text's characters) and `mask` (its :func:`zhfix.loops.scan.classes`) may be
    passed when the caller has them; `found` (a :class:`zhfix.stages.pinyin.Annotations`)
    keeps the annotations found for the stages after the diagnosis.
    ``fast=False`` counts everything the straightforward way (the reference
    the fast counts are tested against).  ``complete=False`` (a repair that
    does not explain itself) searches the vocabulary and the leftovers only
    where they can change the verdict.  `counted`: ``scan.census(text)``,
    where the caller has it."""
    if fast:
        if mask is None:
            mask = scan.classes(text)
        if not mask & scan.TRADITIONAL:
            return Diagnosis(False, "no traditional characters", {"traditional_chars": 0})
    if len(text) > SAMPLE:
        text = text[:SAMPLE]
        alphabet = counted = None
        mask = scan.classes(text) if fast else None
    ev, verdict = _evidence(text, mask, found, complete, counted) if fast else _evidence_plain(text, alphabet, found, complete)
    if len(ev) == 1:  # only the count of traditional characters: too few to go on
        return Diagnosis(False, "too few traditional characters to say", ev)
    disguised, reason, names = verdict or decide.disguise(ev)
    ev["signals"] = names
    return Diagnosis(disguised, reason, ev)


def _evidence(text: str, mask: int, found, complete: bool = True, counted: tuple = None):
    """The evidence, counted by class in zhfix.loops.scan's loops; only the count
    of traditional characters where it is too low to judge by; and the
    verdict where the evidence made it on the way (else None)."""
    if counted is None:
        counted = scan.counts(text, counted_classes(mask, complete))
    n_trad, n_simp, full, forms = counted[:4]
    ev = {"traditional_chars": n_trad}
    if not decide.enough_to_judge(n_trad, text):
        return ev, None
    ev["simplified_chars"] = n_simp
    # kana are outside everyday Chinese: none to count without unusual
    # characters; a repair that does not explain itself counts them only
    # where they can be enough to make the page Japanese, and first: a page
    # with that many is Japanese whatever else it has (decide's first test)
    if not complete and mask & scan.UNUSUAL:
        unusual, kana = counted[4:6] if len(counted) > 4 else scan.counts(text, (scan.UNUSUAL, scan.KANA))
        if unusual >= decide.japanese_at(n_trad):
            if kana:
                ev["kana"] = kana
            if kana >= decide.japanese_at(n_trad):
                return ev, None
    # an annotation needs a parenthesis and a letter, so one is looked for
    # only where the text has both
    ev["pinyin_annotations"] = pinyin.count_annotations(text, found)[1] if mask & _ANNOTATION == _ANNOTATION else 0
    much = _much_simplified(n_trad, n_simp)
    part = _traditional_part(text) if much else text
    if much:
        _mixed_lines(ev, part, scan.count(part, scan.SIMPLIFIED), n_trad)
    if part is not text:
        full = scan.count(part, scan.FULL)
    ev["halfwidth_punct_in_chinese"] = scan.marks_after_han(part) if mask & scan.HALF else 0
    decide.note_single_line(ev, text)
    ev["fullwidth_punct"] = full
    # Lines of each script, since the signal needs lines of both: counted only
    # where a line can have three different simplified-only characters.
    # Elsewhere there are no simplified lines, and the traditional ones go
    # uncounted, leaving "traditional_lines" out of the evidence.
    if n_simp >= 3 and scan.distinct(text, scan.SIMPLIFIED, 3) >= 3:
        ev["simplified_lines"], ev["traditional_lines"] = _script_lines_by_class(text)
    else:
        ev["simplified_lines"] = 0
    if much:
        _listed(ev, text)
    ev["converter_forms"] = forms
    if complete and mask & scan.UNUSUAL:
        _kana(text, ev)
    elif "kana" in ev:  # counted above, too few: kept last, where the explained evidence has them
        ev["kana"] = ev.pop("kana")
    return ev, _search_last(ev, complete, lambda: _terms_at_pairs(part),
                            lambda: _leftovers(_converted_runs(text, n_simp)))


def _search_last(ev: dict, complete: bool, terms, leftovers):
    """The vocabulary (`terms()`: mainland and Taiwan counts) and a converter's
    leftovers (`leftovers()`) into `ev`, searched last: where they could
    change the verdict, or, `complete`, for every page the explanation
    names them of (the leftovers where they matter; none found otherwise).
    Returns decide.disguise(ev) where it was made before any search, else None."""
    if not complete:
        verdict = decide.settled_disguise(ev)
        if verdict is not None:
            return verdict
    ev["mainland_terms"], ev["taiwan_terms"] = _apart(*terms())
    if decide.leftovers_matter(ev) if complete else not decide.settled(ev, (decide.LEFTOVERS,)):
        ev["converter_leftovers"] = leftovers()
    elif complete:
        ev["converter_leftovers"] = {}


def _apart(mainland: dict, taiwan: dict):
    """The counts of the terms of each side (the vocabulary search's), the
    mainland ones less their occurrences inside a Taiwan term found in the
    text: 算子 inside 運算子 is Taiwan's term, not a mainland one beside it.
    (Not the other way: a Taiwan term inside a mainland one, 尼日 in 尼日爾,
    still counts, so that the rule only ever weakens the mainland side.)"""
    return _less(mainland, taiwan), taiwan


def _less(counts: dict, other: dict) -> dict:
    out = {}
    for term, n in counts.items():
        n -= sum(k for longer, k in other.items() if term in longer and term != longer)
        if n > 0:
            out[term] = n
    return out


def _kana(text: str, ev: dict, fast: bool = True) -> None:
    """Japanese kana, counted where there are any (the evidence of Japanese):
    the fast count by their class (zhfix.loops, one pass)."""
    if fast:
        kana = scan.count(text, scan.KANA)
    else:
        kana = len(_KANA.findall(text))
    if kana:
        ev["kana"] = kana


#: Hiragana and katakana, with their halfwidth forms.
_KANA = lazyre.compile(f"[{_KANA_CLASS}]")


def _evidence_plain(text: str, alphabet, found, complete: bool = True):
    """:func:`_evidence`, counted character by character and by regex."""
    alphabet = set(text) if alphabet is None else alphabet
    t2s, simplified = tables.t2s(), tables.simplified_only()
    n_trad = count_in(text, alphabet, t2s.traditional)
    ev = {"traditional_chars": n_trad}
    if not decide.enough_to_judge(n_trad, text):
        return ev, None
    ev["simplified_chars"] = count_in(text, alphabet, simplified)
    ev["pinyin_annotations"] = pinyin.count_annotations(text, found)[1]
    much = _much_simplified(n_trad, ev["simplified_chars"])
    part = _traditional_part(text) if much else text
    if much:
        _mixed_lines(ev, part, sum(1 for ch in part if ch in simplified), n_trad)
    ev["halfwidth_punct_in_chinese"] = len(HALF_AFTER_HAN_RE.findall(part))
    decide.note_single_line(ev, text)
    ev["fullwidth_punct"] = len(_FULL_COMMA.findall(part))
    if len(alphabet & simplified) >= 3:
        ev["simplified_lines"], ev["traditional_lines"] = _script_lines(text, simplified, t2s.traditional)
    else:
        ev["simplified_lines"] = 0
    if much:
        _listed(ev, text)
    ev["converter_forms"] = len(tables.converter_forms_re().findall(text))
    _kana(text, ev, fast=False)
    return ev, _search_last(ev, complete,
                            lambda: tuple(_terms(part, terms, alphabet) for terms in tables.mainland_taiwan_terms()),
                            lambda: _terms(_converted_runs(text, len(alphabet & simplified), fast=False),
                                           tables.converter_leftovers(), alphabet))


def _script_lines(text: str, simplified, traditional):
    """(lines of simplified prose, lines of traditional prose): three distinct
    characters of one script and none of the other."""
    simp_lines = trad_lines = 0
    for line in text.split("\n"):
        if not _PROSE.search(line):
            continue  # keyword lists, titles: a simplified spam header says nothing
        chars = set(line)  # distinct characters of each kind
        s, t = len(chars & simplified), len(chars & traditional)
        if s >= 3 and t == 0:
            simp_lines += 1
        elif t >= 3 and s == 0:
            trad_lines += 1
    return simp_lines, trad_lines


def _script_lines_by_class(text: str):
    """:func:`_script_lines`, each line's characters looked up in zhfix.loops.scan's
    table (no set of each line), in one pass."""
    return scan.script_lines(text, scan.SIMPLIFIED, scan.TRADITIONAL, _PROSE_MARKS)


def _terms_at_pairs(text: str):
    """(mainland terms, Taiwan terms) as :func:`_terms` counts them, looked
    for only where zhfix.loops.scan finds a term's first two characters; each term
    counted left to right without overlaps, as str.count does."""
    keys, groups, mainland = _term_pairs()
    return scan.term_counts(text, scan.TERM, keys, groups, mainland)


@lru_cache(maxsize=1)
def _term_pairs():
    """(the pair table of the terms' first two characters, the terms of each
    pair as a tuple of tuples, the mainland terms)."""
    mainland, taiwan = tables.mainland_taiwan_terms()
    return (*_pairs_of(mainland | taiwan), mainland)


def _pairs_of(terms):
    """(the pair table of the terms' first two characters, the terms of each
    pair as a tuple of tuples): what zhfix.loops.scan.term_counts takes."""
    by_pair = {}
    for term in sorted(terms):
        by_pair.setdefault(term[:2], []).append(term)
    return scan.pair_table(by_pair), tuple(tuple(by_pair[p]) for p in scan.sorted_pairs(by_pair))


def _much_simplified(traditional_chars: int, simplified_chars: int) -> bool:
    """Does a page hold much simplified text beside its traditional: a
    simplified-only character for every four traditional-only ones or more?
    (A mirror page's simplified header or footer is far less.)"""
    return simplified_chars > 0 and simplified_chars * 4 >= traditional_chars


def _mixed_lines(ev: dict, part: str, simplified_there: int, traditional_chars: int) -> None:
    """Note in `ev` the simplified-only characters of a page's traditional
    part (_traditional_part) where they are one for every four
    traditional-only ones or more and its Han characters stand alone or in
    pairs: both scripts mixed inside its lines, as character data has them
    (10003:d(白,干), a table of conversions); a converter's page holds a few
    leftovers there (decide._not_a_chinese_page)."""
    if simplified_there >= MIN_LISTED and simplified_there * 4 >= traditional_chars and _characters_alone(part):
        ev["simplified_in_traditional_lines"] = simplified_there


def _characters_alone(text: str) -> bool:
    """Do most Han characters of `text` stand in runs of one or two (data:
    〇Fr㐀vW㐁9t, 10003:d(白,干)), not in the long runs of prose?"""
    runs = [len(r) for r in _HAN_RUN.findall(text)]
    return sum(n for n in runs if n <= 2) * 2 > sum(runs)


_HAN_RUN = lazyre.compile(f"[{HAN}]+")


def _listed(ev: dict, text: str) -> None:
    """Where a page holding much simplified text has no line of traditional
    prose (a list: a word or a character a line), note in `ev` its
    lines of each script if there are MIN_LISTED of both: a word list or
    character data in both scripts (%共產黨 under $仑), not a disguise,
    whose converted paragraphs are prose (decide._not_a_chinese_page)."""
    if ev.get("traditional_lines") or "simplified_in_traditional_lines" in ev:
        return  # traditional prose: a converted article's (beside a simplified list of headlines)
    simplified, traditional = tables.simplified_only(), tables.t2s().traditional
    s = t = 0
    for line in text.split("\n"):
        has_s, has_t = not simplified.isdisjoint(line), not traditional.isdisjoint(line)
        s += has_s and not has_t
        t += has_t and not has_s
    if s >= MIN_LISTED and t >= MIN_LISTED:
        ev["listed_lines_of_each_script"] = [s, t]


#: Lines of each script that make a page a list in both (_listed), and
#: simplified-only characters in its traditional lines that make them mixed
#: (_mixed_lines): on a short page a leftover or two is no data.
MIN_LISTED = 10


def _traditional_part(text: str) -> str:
    """The lines of `text` that are not simplified text (a simplified-only
    character and no traditional-only one).  Where a page holds much
    simplified text, a fold of the punctuation and the vocabulary are
    counted there only: a simplified post with halfwidth commas and mainland
    words (信息, 打印) that quotes a line of Taiwan text is no disguise.
    (One rule for the fast and the plain evidence, by the sets the class
    table's SIMPLIFIED and TRADITIONAL come from.)"""
    simplified, traditional = tables.simplified_only(), tables.t2s().traditional
    return "\n".join(line for line in text.split("\n")
                     if simplified.isdisjoint(line) or not traditional.isdisjoint(line))


def _converted_runs(text: str, simplified_chars: int, fast: bool = True) -> str:
    """Where a page holds simplified text (`simplified_chars`: how many
    simplified-only characters it has), its runs of Han characters that hold
    a traditional-only character, one a line; else the page.  A converter's
    leftovers (之后 left in 之後) are looked for there only: a run of the
    page's simplified text holds the same words simply simplified (a
    localisation table with a zh-CN and a zh-TW column: 请稍后重试 beside
    請稍後再試; a page of tldr in both scripts: 最后, 每周), while a run a
    converter wrote keeps traditional-only characters beside what it missed.
    A leftover is all Han characters, so it lies within one run.  (`fast`:
    the runs found by class in zhfix.loops.scan, else by regex.)"""
    if not simplified_chars:
        return text
    if fast:
        return scan.runs_holding(text, scan.HAN, scan.TRADITIONAL)
    traditional = tables.t2s().traditional
    return "\n".join(run for run in _HAN_RUN.findall(text) if not traditional.isdisjoint(run))


def _leftovers(text: str) -> dict:
    """{leftover word: occurrences}: a character converter's wrong forms
    (tables.converter_leftovers), looked for where zhfix.loops.scan finds
    their first two characters."""
    pairs, groups = _leftover_pairs()
    return dict(sorted(scan.term_counts(text, scan.HAN, pairs, groups).items()))


@lru_cache(maxsize=1)
def _leftover_pairs():
    return _pairs_of(tables.converter_leftovers())


def count_in(text: str, alphabet, members, fast: bool = False) -> int:
    """How many characters of `text` belong to `members`, one by one (the
    straightforward count; the fast path counts by class in zhfix.loops.scan)."""
    return sum(1 for ch in text if ch in members)


def _terms(text: str, terms, alphabet) -> dict:
    """How often each term occurs, for the terms whose characters all occur
    in the text (a subset test each, then str.count: no 470-way regex)."""
    found = {}
    for term, chars in _term_sets(terms):
        if chars <= alphabet:
            n = text.count(term)
            if n:
                found[term] = n
    return found


@lru_cache(maxsize=4)
def _term_sets(terms):
    return [(t, frozenset(t)) for t in sorted(terms)]
