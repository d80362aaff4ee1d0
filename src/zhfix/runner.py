"""The runner: which stages run, in which order, and what each one did.

    (decode) -> 1 fix-mojibake -> 2 diagnose -> 3 reread-gbk
      disguised:  4 remove-pinyin -> 5 to-simplified -> 6 restore-punctuation
      otherwise:  4 remove-glued-pinyin -> 5 simplify-first-characters
    -> 7 lossy (a report) -> 8 strip-header / strip-chrome / strip-footer (a mirror page)

Each stage is a :class:`zhfix.stages.spans.Stage` (``find(text, ctx)`` and,
for speed, ``apply(text, ctx)``); a :class:`Context` per repair carries what
they share.  The verdicts (disguised? mojibake? boilerplate?) are
zhfix.stages.decide's.  The same runner explains or only counts, undisguises
a long document in chunks, and replays a plan (:func:`replay`);
zhfix.stream drives it chunk by chunk over inputs too large to hold.

Every stage works on whole lines' worth of text without adding or removing
line breaks until the boilerplate stage, so every place a step reports is a
line of the input document.  A :class:`Result`'s plan (the names of the steps
that changed something) can be replayed on other text with :func:`replay`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import replace
from typing import Dict, List, NamedTuple, Optional

from . import structure
from .stages import boilerplate, convert, decide, lossy, pinyin, punct, spans
from .loops import scan
from .config import FIXES, PARTIAL, STRIP, UNDISGUISE, Config  # noqa: F401  (runner.PARTIAL)
from .stages.diagnose import SAMPLE as diagnose_sample, counted_classes, diagnose
from .result import Change, Diagnosis, Result, Step

MAX_CHANGES = 200  # per step, in the explanation; counts are always complete

DESCRIPTIONS = {
    "fix-mojibake": "wrong-codec readings repaired",
    "reread-gbk": "misread GBK spans re-read in step",
    "remove-pinyin": "pinyin annotations removed",
    "to-simplified": "characters converted to simplified",
    "remove-glued-pinyin": "pinyin annotations glued inside simplified text removed",
    "simplify-first-characters": "paragraphs whose first character alone was converted, simplified",
    "restore-punctuation": "fullwidth punctuation restored",
    "strip-header": "spam header removed",
    "strip-chrome": "site chrome removed",
    "strip-footer": "footer removed",
    "lossy": "lossy places (bytes lost; not guessed)",
    "lossy-misaligned": "misread GBK spans left as they were (no reading clearly best)",
    "left-alone": "spans a wrong-codec reading would turn into Chinese, left as they are",
}


#: The steps of undoing a whole disguise (UNDISGUISE); of undoing its traces in
#: text that is not diagnosed as disguised (PARTIAL); of stripping a mirror
#: page's boilerplate (STRIP); every step that changes text, in the order they
#: run (FIXES).  They are defined with Config, whose ``skip`` names them.


#: Steps that only say what was looked at and left alone, and why (kind "note").
NOTES = ("left-alone",)


class Context:
    """One repair: the text as the stages leave it, and what they share —
    the configuration, the plan being replayed, the diagnosis, the
    annotations found so far, the index of the text's lines — and the steps
    recorded.  Made per repair: no stage keeps anything between repairs."""

    __slots__ = ("text", "config", "plan", "skip", "diagnosis", "found", "known_simplified", "index", "looked",
                 "steps", "source", "sniffed")

    def __init__(self, text: str, config: Config, plan: Optional[frozenset] = None) -> None:
        self.text = text
        self.source = text  # kept as given: the kind is sniffed from the input
        self.sniffed: Optional[str] = None
        self.config = config
        self.plan = plan  # replaying: only these fix steps may change the text
        self.skip = config.skip  # fix steps that do not run (checked by _checked)
        self.diagnosis: Optional[Diagnosis] = None  # set once taken
        self.found = pinyin.Annotations()  # annotations found by the diagnosis, then by the stages
        self.known_simplified: Optional[int] = None  # simplified-only characters, where the diagnosis counted them
        self.index: Optional[spans.LineIndex] = None
        self.looked = 0  # places located in this text without an index
        self.steps: List[Step] = []

    @property
    def kind(self) -> str:
        """The document's kind (zhfix.structure): the configuration's, or
        sniffed from the input the first time a stage asks."""
        kind = self.config.kind
        if kind is not None and kind != "auto":
            return kind
        if self.sniffed is None:
            self.sniffed = structure.sniff(self.source)
        return self.sniffed

    def allows(self, name: str) -> bool:
        """May fix step `name` change the text?  Not when a plan being
        replayed leaves it out, nor when the configuration skips it."""
        return (self.plan is None or name in self.plan) and name not in self.skip

    def where(self, offset: int):
        """(line, column) of `offset` in the current text: the first few by
        counting line breaks (a page with one lost "?" needs no index of its
        lines), then by a LineIndex."""
        if self.index is None:
            if self.looked < 8:
                self.looked += 1
                text = self.text
                return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
            self.index = spans.LineIndex(self.text)
        return self.index.locate(offset)

    def step(self, name: str, count: int, changes=(), lines=(), evidence=None, kind="fix") -> None:
        if count and (kind != "fix" or self.allows(name)):
            # (a step with no places, as every unexplained one, lists none)
            self.steps.append(Step(name, DESCRIPTIONS[name], count, list(changes)[:MAX_CHANGES] if changes else [],
                                   sorted(set(lines)) if lines else [], evidence or {}, kind))

    def run(self, stage) -> None:
        """Run `stage` (zhfix.stages.spans.Stage) on the text and record what
        it did: every edit placed (explained), or the text and the count."""
        if not self.allows(stage.name):
            return
        if self.config.explain or stage.apply is None:
            self.record(stage.name, stage.find(self.text, self))
        else:
            self.applied(stage.name, *stage.apply(self.text, self))

    def applied(self, name: str, text: str, count: int, evidence=None) -> None:
        """The text after step `name`, which made `count` changes (not explained)."""
        if text != self.text and self.allows(name):
            self.text = text
            self.index = None
            self.step(name, count, evidence=evidence)

    def record(self, name: str, found) -> None:
        """Record `found` (zhfix.stages.spans.Findings) as step `name`: its
        reports, then its edits applied to the text."""
        if not found.edits and found.text is None and not found.reports:
            return  # nothing found, the common case: no step to record
        text = self.text
        for report, places, evidence in found.reports:
            changes = []
            for start, end, note in places:
                line, col = self.where(start)
                changes.append(Change(line, col, text[start:end], text[start:end], note))
            self.step(report, len(places), changes, [c.line for c in changes], evidence,
                      kind="note" if report in NOTES else "report")
        if not self.allows(name):
            return
        if found.text is not None:  # the edits list only what the stage decided
            if found.text == text:
                return
            lines, changes = [], []
            if self.config.explain:
                lines = _changed_lines(text, found.text)
                changes = scan.explain(text, spans.in_order(found.edits), Change, MAX_CHANGES)[0]
            self.text = found.text
            self.index = None
            self.step(name, found.count, changes, lines, found.evidence)
            return
        edits = found.edits
        if not edits:
            return
        changes, lines = [], []
        edits = spans.in_order(edits)
        if self.config.explain:
            changes, lines = scan.explain(text, edits, Change, MAX_CHANGES)
        self.text = scan.splice(text, edits)
        self.index = None
        self.step(name, len(edits) if found.count is None else found.count, changes, lines, found.evidence)


def run(text: str, config: Config, plan: Optional[frozenset] = None) -> Result:
    """Repair `text`.  With `plan` (names of fix steps), replay: the steps
    named, and only they, change the text, each as the repair that named it
    did (the document-level decisions are the plan's, not the text's)."""
    if config.skip:
        config = _checked(config)
    if config.kind is not None:
        structure.check(config.kind)
    if plan is not None:
        config = config._replace(
            disguised=any(n in plan for n in UNDISGUISE), undisguise=True, reread=True,
            mojibake="fix-mojibake" in plan, strip_boilerplate=any(n in plan for n in STRIP), explain=False)
    mask = _classes(text, config)
    if mask is None:
        return Result(text, [], _clean_diagnosis(config), kind=structure.check(config.kind))
    return _repair(text, config, mask, plan)


def fix(text: str, config: Config) -> str:
    """``run(text, config).text``: the text itself where nothing can need
    doing, else the repaired text (computed without the explanation)."""
    if config.skip:
        config = _checked(config)
    if config.kind is not None:
        structure.check(config.kind)
    mask = _classes(text, config)
    if mask is None:
        return text
    return _fix(text, config, mask)


_DEFAULT = Config()


def fix_default(text: str) -> str:
    """``fix(text, Config())``, for the call zhfix.fix_text makes most: a
    page of clean text costs one C call (the scan of its classes and, where
    it needs them, the passes PAGE_FACTS asks) and a look-up
    of what its classes and facts say (no Config looked at), as _classes
    would decide."""
    if _C_PAGE is not None:  # (facts_of, two calls less: the C loop itself)
        mask = _C_PAGE(text, _PAGE_TABLE or _page_table(), PAGE_FACTS)
    else:
        mask = facts_of(text)
    return after_scan(text, mask)


def after_scan(text: str, mask: int) -> str:
    """fix_default for the page `text` whose facts_of are `mask`: the text
    itself where its classes and facts say no stage can change it, else
    the repair's text.  (zhfix.fix_text's C shortcut, scan's Fixer, calls
    this where it cannot answer at once: see ready_fixer.)"""
    calm_of: dict = _CALM  # (typed: a dict's own get, no method looked up)
    calm = calm_of.get(mask)
    if calm is None:
        calm = _calm(mask)
    if calm and (mask & _HEADLESS or calm is True or not _spam_header(text, mask)):
        return text  # (HEADLESS: _spam_header's answer, a call less; True: calm without Han characters)
    return _fix(text, _DEFAULT, mask)


def ready_fixer(fixer) -> None:
    """Give zhfix.fix_text's C shortcut (zhfix.loops._speedups.Fixer) what
    fix_default reads: the class table and PAGE_FACTS of its scan, _calm's
    verdict by mask (1 for True, 2 for _HAN_CALM) and HEADLESS, by which it
    returns a page that needs nothing itself; after_scan for the others."""
    fixer.ready(_PAGE_TABLE or _page_table(), PAGE_FACTS, after_scan, _calm, _HEADLESS)


#: The class table fix_default hands the C loop, and the fact it reads: globals
#: of this module, read at no cost, where scan's are attributes of another module.
_PAGE_TABLE = None
_HEADLESS = scan.HEADLESS


def _page_table():
    global _PAGE_TABLE
    _PAGE_TABLE = scan._TABLE or scan._table()
    return _PAGE_TABLE


#: _calm's answers by mask: a page's classes are one of a few dozen
#: combinations, so fix_default asks a dict, not the tests (ints only).
_CALM: Dict[int, object] = {}
#: _calm's answer where the page is calm but has Han characters (then only a
#: spam header, whose phrases are Chinese, can still be there).  2, as the
#: shortcut ready_fixer readies reads _calm's answers (False, True, 2).
_HAN_CALM = 2


def _calm(mask: int):
    """Does no stage but a spam header's removal need a page of these
    classes?  No stage's characters; or unusual ones only, of one script
    and nothing else the mojibake check looks for (a page of Korean): every
    span of it is plausible as it stands (mojibake.untouched's first test);
    traditional ones without the classes any sign of a disguise needs (a
    Taiwan page with fullwidth punctuation: _untouched's first test).
    Unusual ones where scan.page found no run of them the mojibake check
    would look at (RUNS_CALM: a page of Japanese); traditional ones on a
    page of Japanese (JAPANESE, counted as _untouched counts it: its census
    taken) without enough simplified-only characters for a line of them
    or without a line that opens as one, or on a page whose counts show no sign of a disguise (TAIWAN).  A
    parenthesis where an annotation can open, with no stretch after it
    that can be one of the mirror's shape (NO_ANNOTATION: none is counted,
    none is glued).
    False, True, or _HAN_CALM; kept in _CALM."""
    calm = not (mask & scan.LOSSY or mask & _ANNOTATION == _ANNOTATION and not mask & scan.NO_ANNOTATION
                or _lost(mask)) \
        and (not mask & scan.TRADITIONAL or decide.undisguisable_classes(mask) or mask & _JAPANESE == _JAPANESE
             or mask & scan.TAIWAN and decide.undisguisable_facts(mask)) \
        and (not mask & scan.UNUSUAL or mask & scan.RUNS_CALM or not mask & scan.HAN and decide.calm_mask(mask))
    calm = _HAN_CALM if calm and mask & scan.HAN else bool(calm)
    if len(_CALM) < 4096:
        _CALM[mask] = calm
    return calm


#: A spam header's line holds four keyword phrases of MIN_PHRASE characters
#: on average and three separators between them (decide.phrases): no shorter
#: line is one.
_SHORTEST_HEADER = 4 * decide.MIN_PHRASE + 3


#: Where a pinyin annotation's parenthesis stands (pinyin.candidates).
_OPENS_AFTER = pinyin.OPENS_AFTER
_OPENS_BEFORE = pinyin.OPENS_BEFORE


#: What scan.page tells of a page besides its classes: the placed PAREN bit
#: (page_classes); HEADLESS, of a page with Han characters, where its
#: first line is too short for a spam header (_spam_header's first test)
#: or the first that is not blank holds no Han character (decide.phrases:
#: a header's keywords are Chinese), or too few Han characters follow it
#: for an article under a header (decide.MIN_BODY; a line alone, the text
#: a pipeline's record often is, has none); RUNS_CALM where no run of unusual
#: characters is left for the mojibake check (mojibake.untouched's test);
#: JAPANESE where the diagnosis's first test finds a page of Japanese
#: (decide.undisguisable) and first_characters would not look at its lines;
#: TAIWAN where the counts decide.undisguisable reads find no sign of a
#: disguise; NO_ANNOTATION where no stretch after an ASCII parenthesis
#: that can open an annotation holds only what pinyin.CANDIDATE_RE matches
#: (its letters, tone digits, separators, white space): one after a
#: fullwidth parenthesis (``（crate）``) is no candidate of the mirror's own
#: shape (pinyin.Shape.single, which count_annotations counts and a glued
#: one's `read` needs), so the diagnosis counts none and find_glued, which
#: removes nothing where any candidate is not read, finds none; these three only of a
#: page _calm may find calm (no lossy character, no "?" right after Chinese
#: unless QUESTIONS_APART: a mirror page with a misread span is not counted
#: for them).
#: QUESTIONS_APART where no "?" stands right after a Chinese character
#: (_lost: the "?" of ``ls *.?`` or of an English question).  All but
#: HEADLESS's first two tests are asked of a page the diagnosis reads whole
#: (diagnose's sample, 200,000 characters), as the counts JAPANESE and
#: TAIWAN stand for are taken of all it reads.
_FACTS_UP_TO = diagnose_sample
PAGE_FACTS = scan.page_facts(
    decide.CALM_RUNS, decide.CALM_RUNS_ON_KANA_PAGE,
    placed=scan.PAREN, before=_OPENS_AFTER, after=_OPENS_BEFORE, within=_SHORTEST_HEADER, headless=scan.HEADLESS,
    min_body=decide.MIN_BODY,
    unusual=scan.UNUSUAL, kana_hangul=scan.KANA_HANGUL, han=scan.HAN, misread=scan.MISREAD,
    kana_least=decide.KANA_PAGE_LEAST, kana_ratio=decide.KANA_PAGE_RATIO, min_len=decide.MIN_RUN, up_to=_FACTS_UP_TO,
    runs_calm=scan.RUNS_CALM, traditional=scan.TRADITIONAL, kana=scan.KANA, simplified=scan.SIMPLIFIED,
    japanese_least=decide.MIN_TRADITIONAL, japanese_ratio=round(1 / decide.JAPANESE_KANA),
    simplified_least=convert.FIRST_CHARACTERS_LEAST, japanese=scan.JAPANESE,
    full=scan.FULL, half=scan.HALF, form=scan.FORM, simplified_most=decide.FEW_SIMPLIFIED_CHARS, half_per_full=decide.HALF_PER_FULL,
    taiwan=scan.TAIWAN, limit=pinyin.LONGEST, open=ord("("), close=ord(")"), close_wide=ord("）"), inside=scan.LETTER | scan.SPACE,
    quote=ord("'"), quote_curly=ord("’"), digit_low=ord("0"), digit_high=ord("5"), no_annotation=scan.NO_ANNOTATION,
    question=scan.QUESTION, question_after=scan.CHINESE, questions_apart=scan.QUESTIONS_APART,
    uncalm=scan.LOSSY, line_simplified=convert.LINE_SIMPLIFIED_LEAST, annotation=scan.PAREN | scan.HAN | scan.LETTER,
    scripts=scan.SCRIPTS, uncalm_run=decide.UNCALM)
# (the Japanese test counts kana >= JAPANESE_KANA * traditional as kana * ratio >= traditional,
# and its pages are counted whole: diagnose's sample is longer than up_to)
assert 1 / decide.JAPANESE_KANA == round(1 / decide.JAPANESE_KANA) and diagnose_sample >= _FACTS_UP_TO


_C_PAGE = scan._c.page if scan._c is not None else None


def facts_of(text: str) -> int:
    """``page_classes(text)`` with the facts of PAGE_FACTS (scan.page), for
    the fast path of the text as it came (a stage's output is asked
    page_classes)."""
    return scan.page(text, PAGE_FACTS)


def page_classes(text: str) -> int:
    """``scan.classes(text)``, its PAREN bit kept only where an annotation
    can open: a page whose parentheses all hold Chinese or code (``（可选）``,
    ``(`ls`)``) is, to every stage, a page without them, in the same scan."""
    return scan.classes_placed(text, scan.PAREN, _OPENS_AFTER, _OPENS_BEFORE)


def _fix(text: str, config: Config, mask: int) -> str:
    known = _untouched(text, mask, config)
    if known is True:
        return text
    if config.explain:
        try:
            config = _quiet(config)
        except TypeError:  # an unhashable value in the config, which _quiet's cache cannot key
            config = config._replace(explain=False)
    out = _repair(text, config, mask, known=known).text
    return text if out == text else out  # unchanged: the same object, as the docstring promises


def _checked(config: Config) -> Config:
    """`config` with its ``skip`` a tuple of known step names (a single name
    may be given as a string); ValueError for a name that is no fix step."""
    skip = config.skip
    names = (skip,) if isinstance(skip, str) else tuple(skip)
    unknown = [name for name in names if name not in FIXES]
    if unknown:
        raise ValueError(f"unknown step {unknown[0]!r} to skip; known: {', '.join(FIXES)}")
    return config if names == skip else config._replace(skip=names)


@lru_cache(maxsize=64)
def _quiet(config: Config) -> Config:
    """`config` without the explanation (what fix() needs of a repair)."""
    return config._replace(explain=False)


def _classes(text: str, config: Config) -> Optional[int]:
    """Which classes of character the text uses, in one pass (zhfix.loops.scan):
    each stage first asks whether the text can need it at all.  None: no
    stage can change this text (with fast paths off, every stage runs)."""
    if config.fast and text.isascii() and not config.disguised:
        # ASCII has nothing any stage looks for, and a spam header needs Chinese
        return None
    mask = facts_of(text) if config.fast else scan.ALL
    if not _stage_needed(mask) and not config.disguised:
        # clean text: only a spam header (whose lines are left to a mirror page)
        # could still be there
        if not (config.strip_boilerplate and _spam_header(text, mask)):
            return None
    return mask


def _spam_header(text: str, mask: int) -> bool:
    """``boilerplate.has_spam_header(text)``, told at once where there can
    be none: no Han character (a header's phrases are Chinese:
    decide.spam_header), or HEADLESS (`mask` is facts_of's: a first line
    too short to be one, a title such as ``# tar``, or without Chinese)."""
    return bool(mask & scan.HAN) and not mask & scan.HEADLESS and boilerplate.has_spam_header(text)


class _Known(NamedTuple):
    """What _untouched found before it stopped, which the repair then takes
    as found: the fix-mojibake step changes nothing; the diagnosis (None:
    not taken); the annotations found."""
    no_mojibake: bool
    diagnosis: Optional[Diagnosis]
    found: Optional[pinyin.Annotations]


def _untouched(text: str, mask: int, config: Config):
    """fix()'s fast path for a clean page: True where the repair
    certainly leaves `text` as it is, asked of the stages' own tests in the
    repair's order (no reasons, no Context, no Result): fix-mojibake (kana,
    Hangul, rare characters), the diagnosis (traditional characters: not
    disguised), remove-glued-pinyin (``字(`` and letters), the first
    characters of simplified lines, a spam header.  Else None (take the
    whole repair), or a _Known (what it found, for the repair)."""
    if config.disguised is not None or not config.fast:
        return None
    # a misread GBK span starts at a "?" right after a Han character
    # (reread.find): only then is the re-reading left to the whole repair.
    # Lossy places are a report, which fix() does not return.
    if mask & _QUESTION_HAN == _QUESTION_HAN and scan.positions(text, scan.QUESTION, scan.HAN):
        return None
    # a page of kana or Hangul with Han characters, some traditional (Japanese):
    # what the mojibake check and the diagnosis count of it, counted once
    counted = scan.census(text) if mask & _COUNTED_ONCE == _COUNTED_ONCE and config.undisguise else None
    if config.mojibake and mask & scan.UNUSUAL and not _stage("mojibake").untouched(text, mask, counted):
        return None
    memo = diagnosis = None
    traditional = mask & scan.TRADITIONAL
    if config.undisguise and (traditional or mask & _ANNOTATION == _ANNOTATION):
        memo = pinyin.Annotations()
        known = None
        if traditional:
            counted = counted or scan.counts(text, counted_classes(mask, complete=False))
            whole = len(text) <= diagnose_sample
            # the annotations, searched once into `memo` (the diagnosis and
            # the glued ones below read them there)
            annotations = (pinyin.count_annotations(text, memo)[1]
                           if whole and mask & _ANNOTATION == _ANNOTATION else None)
            if decide.undisguisable(mask, counted, whole, annotations, text):
                # a genuine traditional page with nothing else to judge by: no
                # verdict needed (the repair takes the diagnosis if it runs)
                known = counted[1] if whole else None
            else:
                diagnosis = diagnose(text, fast=True, mask=mask, found=memo, complete=False, counted=counted)
                if diagnosis.disguised:
                    return _Known(True, diagnosis, memo)
                known = diagnosis.evidence.get("simplified_chars") if whole else None
        # glued annotations, where the text has an annotation's classes (the
        # diagnosis looked for them there, and then they are in `memo`)
        if mask & _ANNOTATION == _ANNOTATION and pinyin.has_candidates(text, memo) and pinyin.find_glued(text, memo):
            return _Known(True, diagnosis, memo)
        if traditional and mask & scan.SIMPLIFIED and convert.first_characters(text, known):
            return _Known(True, diagnosis, memo)
    if config.strip_boilerplate and _spam_header(text, mask):
        return _Known(True, diagnosis, memo)
    return True


def _repair(text: str, config: Config, mask: int, plan: Optional[frozenset] = None,
            known: Optional[_Known] = None) -> Result:
    mask &= scan.ALL  # the classes alone: the facts of facts_of hold of `text` as it came
    r = Context(text, config, plan)
    if known is not None and known.found is not None:
        r.found = known.found
    if config.mojibake and mask & scan.UNUSUAL and r.allows("fix-mojibake") and not (known and known.no_mojibake) \
            and _mojibake(r):
        text = r.text
        mask = page_classes(text) if config.fast else mask
    if config.disguised is not None:
        diagnosis = Diagnosis(bool(config.disguised), "set by the caller")
    elif config.undisguise:
        if known is not None and known.diagnosis is not None:
            diagnosis = known.diagnosis  # fix()'s fast path took it already
        else:
            diagnosis = diagnose(text, fast=config.fast, mask=mask, found=r.found, complete=config.explain)
        if diagnosis.disguised:  # asked after disguised, so the kind is sniffed only where it matters
            diagnosis = _for_kind(diagnosis, r.kind, text, config.fast)
    else:
        diagnosis = Diagnosis(False, "not checked")
    r.diagnosis = diagnosis
    disguised = diagnosis.disguised and config.undisguise
    protected = []
    if config.reread and mask & scan.QUESTION and "reread-gbk" not in r.skip:
        # tested against skip, not allows(): a replayed plan without the step
        # still holds the undecided spans out, as the repair did, while a
        # skipped step does not run at all
        protected = _reread(r)
    if r.text is not text and not mask & scan.PAREN:
        # a re-read span is Han characters now: a parenthesis after it may open an annotation
        mask |= scan.classes(text) & scan.PAREN
    if protected:
        r.text, saved = _protect(r.text, protected)
    if disguised:
        _undisguise(r)
    elif config.undisguise and (mask & scan.TRADITIONAL or mask & _ANNOTATION == _ANNOTATION):
        # the diagnosis's count of simplified-only characters holds only for
        # this very text, and only where the diagnosis read all of it
        known = (diagnosis.evidence.get("simplified_chars")
                 if r.text is text and len(text) <= diagnose_sample else None)
        # an annotation needs letters: none in the text means none to look
        # for, unless the re-reading changed the text
        letters = bool(mask & scan.LETTER) or r.text is not text
        _partial(r, bool(mask & scan.TRADITIONAL), known, letters)
    if protected:
        r.text = _restore(r.text, saved)
    # lossy places are found before lines are stripped, so that their line
    # numbers, like every other step's, are lines of the input
    if mask & (scan.QUESTION | scan.LOSSY):
        _lossy(r)
    if config.strip_boilerplate:
        _boilerplate(r, disguised or plan is not None)
    kind = structure.check(config.kind) or r.sniffed
    return Result(text=r.text, steps=r.steps, diagnosis=diagnosis, kind=kind)


#: The diagnosis of a document of kind code.
CODE_REASON = "not judged: source code (kind code) is not a disguised page"


def _for_kind(diagnosis: Diagnosis, kind: str, text: str, fast: bool) -> Diagnosis:
    """The diagnosis `diagnosis` of `text`, disguised, as its kind has it:
    source code is no disguised page; in a table (csv, tsv) halfwidth
    punctuation is the data's own (上櫃認購(售)權證,700001,...), so the
    verdict is made again without it, on the whole evidence; an HTML page
    is judged again by its prose, its markup blanked."""
    if kind == "code":
        return Diagnosis(False, CODE_REASON, diagnosis.evidence)
    if kind == "html":
        # judged again by its prose: tags, attribute values and scripts are
        # the page's structure (<meta content="轉換, 十進制">), which
        # restore-punctuation leaves as they are too
        again = diagnose(_covered(text, structure.html_spans(text), _blank), fast=fast, complete=True)
        if not again.disguised:
            return Diagnosis(False, f"an HTML page judged by its prose, its markup aside: {again.reason}",
                             again.evidence)
    if kind in ("csv", "tsv") and decide.HALFWIDTH in diagnosis.evidence.get("signals", ()) \
            and not _sentences(text):
        ev = dict(diagnose(text, fast=fast, complete=True).evidence, halfwidth_punct_in_chinese=0)
        disguised, reason, names = decide.disguise(ev)
        if not disguised:
            ev["signals"] = names
            return Diagnosis(False, f"a table (kind {kind}), whose halfwidth punctuation is its data's own: {reason}", ev)
    return diagnosis


def _blank(span: str) -> str:
    """`span` made spaces, its line breaks kept."""
    # (each line's spaces made at once: a regex would replace one character at a time)
    return "\n".join(" " * len(line) for line in span.split("\n"))


def _sentences(text: str) -> bool:
    """Do a tenth of the lines of `text` or more end a sentence (。！？): prose
    with commas, sniffed as a table by them, rather than a table's rows?"""
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    return sum(1 for line in lines if line.endswith(("。", "！", "？"))) * 10 >= len(lines)


#: What some stage but the mojibake check looks for on its own.
_BY_ITSELF = scan.TRADITIONAL | scan.LOSSY
#: What some stage looks for on its own.
_ANY_STAGE = scan.UNUSUAL | _BY_ITSELF
#: What an annotation needs: a parenthesis after a Han character, letters.
_ANNOTATION = scan.PAREN | scan.HAN | scan.LETTER
#: Where the mojibake check (decide.kana_page) and the diagnosis both count
#: a page's classes (zhfix.runner._untouched): kana or Hangul, Han
#: characters, traditional ones.
_COUNTED_ONCE = scan.KANA_HANGUL | scan.HAN | scan.TRADITIONAL | scan.UNUSUAL
#: A page _untouched takes the census of, found Japanese by scan.page.
_JAPANESE = _COUNTED_ONCE | scan.JAPANESE
#: What the start of a misread GBK span needs: "?", Han characters.
_QUESTION_HAN = scan.QUESTION | scan.HAN
#: What a misread span or a lost character needs: "?" after Chinese.
_LOST = scan.QUESTION | scan.CHINESE
# (PAGE_FACTS's uncalm, annotation and question fields: _calm's first tests and _lost's;
# QUESTIONS_APART tells a "?" after no Chinese character, where lossy.find
# and reread.find look)
assert scan._page_fields(PAGE_FACTS)[0]["uncalm"] == scan.LOSSY
assert scan._page_fields(PAGE_FACTS)[0]["annotation"] == _ANNOTATION
assert scan._page_fields(PAGE_FACTS)[0]["question"] == scan.QUESTION
assert scan._page_fields(PAGE_FACTS)[0]["question_after"] == scan.CHINESE


def _stage_needed(mask: int) -> bool:
    """May a text whose characters have these classes need any stage?"""
    return bool(mask & _ANY_STAGE) or mask & _ANNOTATION == _ANNOTATION or _lost(mask)


def _lost(mask: int) -> bool:
    """May a page of these classes hold a misread span or a lost character:
    a "?" and Chinese, unless scan.page told that no "?" of it stands
    right after a Chinese character (QUESTIONS_APART: ``ls *.?``, an English
    question beside the Chinese)."""
    return mask & _LOST == _LOST and not mask & scan.QUESTIONS_APART


def _clean_diagnosis(config: Config) -> Diagnosis:
    """What diagnose() says of text without traditional characters."""
    if config.disguised is not None:
        return Diagnosis(bool(config.disguised), "set by the caller")
    if config.undisguise:
        return Diagnosis(False, "no traditional characters", {"traditional_chars": 0})
    return Diagnosis(False, "not checked")


@lru_cache(maxsize=None)
def _stage(name: str):
    """The module of a stage that clean text never needs (zhfix.stages.mojibake,
    zhfix.stages.reread), imported on first use and kept for later calls."""
    import importlib

    return importlib.import_module(".stages." + name, __package__)


def _mojibake(r: Context) -> bool:
    stage = _stage("mojibake").FIX_MOJIBAKE
    for round in range(3):  # mojibake of mojibake: undo one layer per round
        found = stage.find(r.text, r)
        if round:
            found = found._replace(reports=())  # the spans left alone are reported once, of the input
        r.record(stage.name, found)
        if not found.edits:
            break
    _merge_steps(r, stage.name)
    return any(s.name == stage.name for s in r.steps)


def _merge_steps(r: Context, name: str) -> None:
    same = [s for s in r.steps if s.name == name]
    if len(same) > 1:
        first = same[0]
        for other in same[1:]:
            first.count += other.count
            first.changes += other.changes
            first.lines = sorted(set(first.lines) | set(other.lines))
            r.steps.remove(other)


def _reread(r: Context) -> list:
    """Re-read misread GBK spans; return where the undecided ones are, once
    the repaired ones are applied (held out of the later stages)."""
    stage = _stage("reread").REREAD_GBK
    found = stage.find(r.text, r)
    edits = found.edits if r.allows(stage.name) else []
    undecided = sorted((a, b) for _, places, _ in found.reports for a, b, _ in places)
    spans_after = []
    for start, end in undecided:
        shift = sum(len(e.new) - (e.end - e.start) for e in edits if e.end <= start)
        spans_after.append((start + shift, end + shift))
    before = r.text
    r.record(stage.name, found)
    pinyin.carry(r.found, before, r.text, edits)  # the annotations the diagnosis found move with the edits
    return spans_after


#: A Unicode noncharacter: never in text, untouched by every stage.
_HOLD = "\ufdd0"


def _protect(text: str, places):
    """Hold undecided garbled spans out of the later stages (same length, so
    every reported column stays right)."""
    if _HOLD in text:
        return text, None
    saved = [text[a:b] for a, b in places]
    return _covered(text, places, lambda span: _HOLD * len(span)), saved


def _covered(text: str, places, cover) -> str:
    """`text` with each span of `places` (in order; where one overlaps the
    one before, its rest) replaced by ``cover(span)``, as long as the span:
    every offset of the text stays where it was."""
    out, pos = [], 0
    for a, b in places:
        a = max(a, pos)
        if b <= a:
            continue
        out.append(text[pos:a])
        out.append(cover(text[a:b]))
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _restore(text: str, saved) -> str:
    if saved is None:
        return text
    it = iter(saved)
    return re.sub(_HOLD + "+", lambda m: next(it), text)


#: Past twice this many characters, a repair that does not explain itself
#: undisguises the text in line-bounded chunks of about this size: the
#: annotations, t2s and the punctuation each look no further than the line,
#: since a word, a phrase or a clause never holds a line break, so the text
#: comes out the same; and each chunk's places and pieces stay in the CPU's
#: caches, where a 100 MB document in one piece makes millions of them at once.
CHUNK = 1 << 20


#: The stages of undoing a whole disguise, in order.
_UNDISGUISE = (pinyin.REMOVE_PINYIN, convert.TO_SIMPLIFIED, punct.RESTORE_PUNCTUATION)


#: Kinds whose structure never spans a line break: undisguised in chunks as
#: text is.  A Markdown fence, a quoted CSV field or a JSON document may span
#: one, so those kinds are undisguised whole.
_LINEWISE = ("text", "code", "tsv", "jsonl")


def _undisguise(r: Context) -> None:
    if not r.config.explain and len(r.text) > 2 * CHUNK and r.kind in _LINEWISE:
        return _undisguise_in_chunks(r)
    for stage in _UNDISGUISE:
        r.run(stage)


def _undisguise_in_chunks(r: Context) -> None:
    """:func:`_undisguise` (unexplained) chunk by chunk, each chunk through
    every stage: the same steps with the same counts."""
    out = []
    totals = {stage.name: [0, {}, False] for stage in _UNDISGUISE}  # count, evidence, changed
    for chunk in _chunks(r.text, CHUNK):
        part = Context(chunk, r.config, r.plan)
        part.sniffed = r.kind
        for stage in _UNDISGUISE:
            if not r.allows(stage.name):
                continue
            text, count, evidence = stage.apply(part.text, part)
            total = totals[stage.name]
            total[0] += count
            for key, value in (evidence or {}).items():
                total[1][key] = total[1].get(key, 0) + value
            total[2] = total[2] or text != part.text
            part.text = text
        out.append(part.text)
    r.text = "".join(out)
    r.index = None
    for stage in _UNDISGUISE:
        count, evidence, changed = totals[stage.name]
        if changed:
            r.step(stage.name, count, evidence=evidence or None)


def _chunks(text: str, size: int):
    """`text` in pieces of about `size` characters, each ending with a line
    break (the last as the text ends), never one that an annotation's
    parentheses hold (``字(`` at its end or ``)`` right after it)."""
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start + size)
        while end != -1 and (text[end - 1] in "(（" or text[end + 1:end + 2] in (")", "）")):
            end = text.find("\n", end + 1)
        end = n if end == -1 else end + 1
        yield text[start:end]
        start = end


def _partial(r: Context, has_traditional: bool = True, simplified_chars: Optional[int] = None,
             letters: bool = True) -> None:
    """Traces of a disguise in text not diagnosed as disguised: annotations
    glued inside simplified text, and paragraphs whose first character alone
    was converted (damage.md §1: "the first character of one")."""
    if letters:
        r.run(pinyin.REMOVE_GLUED_PINYIN)
    if has_traditional:
        r.known_simplified = simplified_chars
        r.run(convert.SIMPLIFY_FIRST_CHARACTERS)


def _changed_lines(before: str, after: str) -> List[int]:
    a, b = before.split("\n"), after.split("\n")
    return [i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y]


def mirror_page(text: str, disguised: bool) -> bool:
    """Only a mirror page (disguised, or under a spam header) is stripped."""
    return disguised or boilerplate.has_spam_header(text)


def boilerplate_steps(text: str, removals, explain: bool, lines=None) -> List[Step]:
    """The strip-header / strip-chrome / strip-footer steps for `removals`
    (`lines`: ``spans.lines(text)``, where the caller has it)."""
    rows = [l.rstrip("\r\n") for l in (spans.lines(text) if lines is None else lines)] if explain else []
    steps = []
    for rem in removals:
        changes = [Change(i + 1, 1, rows[i], "", rem.kind) for i in rem.lines] if explain else []
        name = "strip-" + rem.kind
        steps.append(Step(name, DESCRIPTIONS[name], len(rem.lines), changes[:MAX_CHANGES],
                          [i + 1 for i in rem.lines]))
    return steps


def _boilerplate(r: Context, disguised: bool) -> None:
    if not mirror_page(r.text, disguised) or r.kind in structure.NO_BOILERPLATE:
        return
    lines = spans.lines(r.text)  # split once: finding, explaining and stripping all read them
    removals = [rem for rem in boilerplate.find(r.text, lines=lines, own_commas=_own_commas(r.steps))
                if r.allows("strip-" + rem.kind)]
    r.steps += boilerplate_steps(r.text, removals, r.config.explain, lines)
    r.text = boilerplate.strip(r.text, removals, lines)
    r.index = None
    # lossy places on stripped lines are gone with them
    gone = {i + 1 for rem in removals for i in rem.lines}
    for step in [s for s in r.steps if s.kind in ("report", "note")]:
        kept = [c for c in step.changes if c.line not in gone]
        step.count -= len(step.changes) - len(kept)
        step.changes = kept
        step.lines = [n for n in step.lines if n not in gone]
        if not step.count:
            r.steps.remove(step)


def _own_commas(steps) -> bool:
    """Are a repaired text's fullwidth commas its own: did restore-punctuation,
    which turns a mirror's halfwidth ones back, change none?"""
    return not any(s.name == punct.RESTORE_PUNCTUATION.name for s in steps)


def _lossy(r: Context) -> None:
    r.record(lossy.LOSSY.name, lossy.LOSSY.find(r.text, r))


class Chunked:
    """The runner over a document given in chunks (zhfix.stream: inputs too
    large to hold), each ending at a line break or, inside a very long line,
    after a sentence.

    The document-level decisions are taken once, on the first chunk (a
    bounded prefix, as for any document): whether it is disguised, whether it
    is a mirror page.  Every chunk is then repaired with them; the spam header
    and site chrome are looked for in the first chunk only, the footer in the
    last only (lines that may begin it wait for the next chunk).  Steps are
    merged, their line numbers counted from the start of the whole document.
    """

    def __init__(self, config: Config) -> None:
        self.config = _checked(config) if config.skip else config
        self.steps: dict = {}
        self.diagnosis: Optional[Diagnosis] = None

    def repair(self, chunks):
        """The repaired text of each chunk of `chunks` (an iterator of str)."""
        config = self.config
        line0 = 0
        current = next(chunks, None)
        at_start = True
        mirror = False
        seen = 0  # characters of the page's chunks so far (boilerplate.find's bound)
        while current is not None:
            following = next(chunks, None)
            if following is not None and config.strip_boilerplate:
                # lines at the end of a chunk that may begin the page's footer
                # wait for the next chunk, so the footer is judged whole at the end
                current, held = _hold_footer(current)
                following = held + following
            if self.diagnosis is None:
                if config.kind is None or config.kind == "auto":  # sniffed once, from the first chunk
                    config = self.config = config._replace(kind=structure.sniff(current))
                if config.disguised is not None:
                    self.diagnosis = Diagnosis(bool(config.disguised), "set by the caller")
                else:
                    self.diagnosis = diagnose(current, fast=config.fast, complete=config.explain)
                    if self.diagnosis.disguised:
                        self.diagnosis = _for_kind(self.diagnosis, config.kind, current, config.fast)
            disguised = self.diagnosis.disguised and config.undisguise
            part = run(current, config._replace(disguised=disguised, strip_boilerplate=False))
            text = part.text
            if at_start and config.strip_boilerplate:
                # decided once, for the whole page
                mirror = mirror_page(text, disguised) and config.kind not in structure.NO_BOILERPLATE
            if mirror:
                text = _edges(text, part, at_start, following is None, config.explain,
                              current.endswith("\n"), config.skip, seen)
                seen += boilerplate.size(spans.lines(text))
            for s in part.steps:
                _merge(self.steps, s, line0)
            yield text
            line0 += current.count("\n")  # lines ended, so a chunk cut inside a line starts on that line
            current, at_start = following, False

    def result(self) -> Result:
        """What was done to the whole document (its text went chunk by chunk)."""
        return Result(text="", steps=list(self.steps.values()), diagnosis=self.diagnosis or Diagnosis(),
                      kind=structure.check(self.config.kind))


#: At most this many lines wait for the next chunk.
MAX_HELD = 200


def _hold_footer(text: str):
    """(`text` less the lines at its end that may begin a page's footer,
    those lines)."""
    rows = spans.lines(text)
    k = len(rows)
    while k > 0 and len(rows) - k < MAX_HELD:
        row = rows[k - 1]
        if row.strip() and not decide.is_footer_line(convert.to_simplified(row)):
            break
        k -= 1
    if k == 0:
        return text, ""
    return "".join(rows[:k]), "".join(rows[k:])


def _edges(text: str, part: Result, first: bool, last: bool, explain: bool,
           whole_lines: bool = True, skip=(), prior: int = 0) -> str:
    if not (first or last):
        return text
    found = [rem for rem in boilerplate.find(text, header=first, chrome=first, footer=last, prior=prior,
                                             own_commas=_own_commas(part.steps))
             if "strip-" + rem.kind not in skip]
    part.steps += boilerplate_steps(text, found, explain)
    stripped = boilerplate.strip(text, found)
    if not last and whole_lines and stripped and not stripped.endswith("\n"):
        stripped += "\n"  # the chunk ended at a line break; keep it there
    return stripped


def _merge(steps: Dict[str, Step], s: Step, line0: int) -> None:
    """Add a chunk's step to the whole input's, its lines counted from line0.
    (The columns stay the chunk's: in a line cut in two, those of its second
    part count from the cut.)"""
    lines = [n + line0 for n in s.lines]
    changes = [replace(c, line=c.line + line0) for c in s.changes]
    if s.name not in steps:
        steps[s.name] = replace(s, lines=lines, changes=changes[:MAX_CHANGES])
        return
    t = steps[s.name]
    t.count += s.count
    t.lines += [n for n in lines if not t.lines or n > t.lines[-1]]  # a line cut in two is listed once
    t.changes += changes[:max(0, MAX_CHANGES - len(t.changes))]


def replay(text: str, plan: List[str], config: Config) -> str:
    """Run the named fix steps on `text`, in the pipeline's order, as the
    repair that named them ran them: ``replay(t, run(t).plan) == run(t).text``."""
    unknown = [name for name in plan if name not in FIXES]
    if unknown:
        raise ValueError(f"unknown step {unknown[0]!r}; known: {', '.join(FIXES)}")
    return run(text, config, frozenset(plan)).text
