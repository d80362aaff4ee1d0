"""Property tests (hypothesis) of zhfix.repair, repair_bytes and the CLI.

* clean simplified text made of real words (jieba's dictionary) is never
  changed;
* damage made by our own helpers (tests/damage.py: the SEO disguise, every
  mojibake reading that is lossless on the text, whole or on one clause) is
  never made worse, and repairing is idempotent;
* arbitrary text, bytes and CLI input never crash.

Budget: a fixed number of examples per property; with ``CI`` set the examples
are derandomized (the same every run).  ``HYPOTHESIS_PROFILE`` picks a profile
by name (e.g. ``long`` for a deeper local run).
"""
from __future__ import annotations

import difflib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import damage
import zhfix
from zhfix.cli.command import cli

# UTF-8 read as GBK is lossless on few texts: most draws are filtered out by design
_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                   HealthCheck.filter_too_much])
settings.register_profile("ci", max_examples=60, derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("dev", max_examples=60, **_COMMON)
settings.register_profile("long", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

#: how many of jieba's most frequent words (2+ characters) the sentences use
N_WORDS = 20_000


@lru_cache(maxsize=None)
def words() -> tuple:
    """jieba's most frequent words of 2+ Han characters that are plain
    simplified Chinese (OpenCC's t2s leaves them alone)."""
    path = Path(importlib.util.find_spec("jieba").submodule_search_locations[0]) / "dict.txt"
    entries = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2 or len(parts[0]) < 2:
                continue
            word = parts[0]
            if all("\u4e00" <= ch <= "\u9fff" for ch in word):
                entries.append((-int(parts[1]), word))
    entries.sort()
    out = []
    for _, word in entries:
        if damage._T2S.convert(word) == word:
            out.append(word)
            if len(out) == N_WORDS:
                break
    return tuple(out)


@st.composite
def sentences(draw, max_sentences: int = 3) -> str:
    """One to three sentences of dictionary words: clauses joined by ，,
    sentences ended by 。."""
    vocab = words()
    word = st.integers(0, len(vocab) - 1).map(vocab.__getitem__)
    clause = st.lists(word, min_size=2, max_size=7).map("".join)
    sentence = st.lists(clause, min_size=1, max_size=4).map(lambda cs: "，".join(cs) + "。")
    return "".join(draw(st.lists(sentence, min_size=1, max_size=max_sentences)))


def closeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# --- clean text ----------------------------------------------------------------

@given(sentences())
def test_clean_simplified_is_unchanged(text):
    assert zhfix.repair(text).text == text


@given(st.lists(sentences(max_sentences=2), min_size=2, max_size=4).map("\n".join))
def test_clean_simplified_document_is_unchanged(text):
    assert zhfix.repair(text).text == text


# --- damaged text: never worse, idempotent --------------------------------------

#: the damages applied: the SEO disguise and every mojibake reading except
#: UTF-8 read as Big5, which loses bytes on practically any Chinese text
DAMAGES = ["disguise", *(m for m in damage.MOJIBAKE if m != "utf8-as-big5")]


@st.composite
def damaged_texts(draw, name):
    """(originals, damaged, how): one of our damages applied to the whole
    text or to one clause of it.  Mojibake readings are drawn only where they
    are lossless on what they damage.  Big5 readings work on the traditional
    form of the text, made by OpenCC's s2t with a converter's forms (羣, 衆,
    著 ...), which zhfix may rightly take for disguised text and convert back:
    then both forms count as the original."""
    source = text = draw(sentences())
    if name == "big5-as-gbk":
        text = damage.to_traditional(source)
    clauses = [i for i, ch in enumerate(text) if ch in "，。"]
    whole = draw(st.booleans()) or len(clauses) < 2
    if whole:
        start, end = 0, len(text)
    else:
        k = draw(st.integers(0, len(clauses) - 2))
        start, end = clauses[k] + 1, clauses[k + 1]
    if name == "disguise":
        fn = damage.disguise
    else:
        if not damage.mojibake_is_lossless(name, text[start:end]) and text[end - 1] == "。":
            end -= 1  # UTF-8 read as GBK loses a byte of a final 。: keep it clean
        assume(damage.mojibake_is_lossless(name, text[start:end]))
        fn = damage.MOJIBAKE[name][0]
    event("whole" if whole and end == len(text) else "part")
    how = f"{name} on {'the whole text' if whole else f'[{start}:{end}]'}"
    originals = (text, source) if text != source else (text,)
    return originals, damage.damage_span(text, start, end, fn), how


@pytest.mark.parametrize("name", DAMAGES)
@given(data=st.data())
def test_repair_never_makes_damage_worse(name, data):
    originals, damaged, how = data.draw(damaged_texts(name), label="case")
    repaired = zhfix.repair(damaged).text
    before = closeness(damaged, originals[0])
    assert max(closeness(repaired, o) for o in originals) >= before, how


@pytest.mark.parametrize("name", DAMAGES)
@given(data=st.data())
def test_repair_of_damage_is_idempotent(name, data):
    _, damaged, how = data.draw(damaged_texts(name), label="case")
    once = zhfix.repair(damaged).text
    assert zhfix.repair(once).text == once, how


#: Minimal counterexamples the properties above found with the ``long``
#: profile (too rare for the CI budget), kept so that CI sees them.
IDEMPOTENCE_COUNTEREXAMPLES = [
    # Big5 bytes of 一個 read as GBK inside converter-form traditional text:
    # once the first pass converted the text and left the misread span, which
    # the second pass re-read as 一個 (the rare 僞 beside it hid the span).
    "支持僞裝，\ue5e6\ue14c，一個聯繫。",
]


@pytest.mark.parametrize("text", IDEMPOTENCE_COUNTEREXAMPLES, ids=["big5-in-converter-traditional"])
def test_idempotence_counterexamples(text):
    once = zhfix.repair(text).text
    assert zhfix.repair(once).text == once


# --- arbitrary input never crashes ------------------------------------------------

@given(st.text())
def test_arbitrary_text_never_raises(text):
    result = zhfix.repair(text)
    assert isinstance(result.text, str)


@given(st.binary())
def test_arbitrary_bytes_decode_or_decode_error(data):
    try:
        result = zhfix.repair_bytes(data)
    except zhfix.DecodeError:
        return
    assert isinstance(result, zhfix.Result)


@given(st.binary())
def test_cli_on_arbitrary_stdin(data):
    result = CliRunner().invoke(cli, [], input=data)
    assert result.exit_code in (0, 2), (result.exit_code, result.exception, result.stderr)
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=300))
def test_ascii_text_is_returned_untouched_by_every_path(text):
    """zhfix returns ASCII text at once (nothing a stage looks for is ASCII,
    a spam header needs Chinese); running every stage agrees."""
    fast = zhfix.repair(text)
    plain = zhfix.repair(text, fast=False)
    assert fast.text == text == plain.text
    assert not fast.steps and not plain.steps
    assert zhfix.fix_text(text) is text and zhfix.fix_text(text, fast=False) == text
