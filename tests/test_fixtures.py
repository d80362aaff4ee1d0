"""Every case in fixtures/ (ftfy-style test data), run by one parametrised test.

Sets: in-the-wild (the user's own page), synthetic (our sentences damaged by our
helpers), negative (clean text that must come out byte-identical),
known-failures.  A case marked ``"expect": "fail"`` is a strict expected
failure: when it starts passing, the run fails until it is flipped to ``pass``.
"""
import json
from pathlib import Path

import pytest

import zhfix

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SETS = ["in-the-wild", "synthetic", "negative", "known-failures"]


def _load(path: Path, case: dict, key: str):
    if key in case:
        return case[key]
    if key + "_file" in case:
        return (path.parent / case[key + "_file"]).read_text(encoding="utf-8")
    return None


def load_cases():
    cases = []
    for name in SETS:
        for path in sorted((FIXTURES / name).glob("*.json")):
            for case in json.loads(path.read_text(encoding="utf-8")):
                inp = _load(path, case, "input")
                expected = _load(path, case, "expected")
                if expected is None:
                    expected = inp  # negative: byte-identical
                cases.append(pytest.param(name, case, inp, expected, id=f"{name}:{case['label']}"))
    return cases


CASES = load_cases()
#: The same, a known failure (``expect: fail``) as a strict expected failure.
EXPECTED = [p if p.values[1].get("expect", "pass") != "fail" else
            pytest.param(*p.values, id=p.id, marks=pytest.mark.xfail(
                strict=True, reason=p.values[1].get("comment", "known failure")))
            for p in CASES]


@pytest.mark.parametrize("set_name,case,text,expected", EXPECTED)
def test_case(set_name, case, text, expected):
    result = zhfix.repair(text)
    assert result.text == expected
    for place in case.get("lossy", []):
        reported = [(c.line, c.note) for s in result.reports for c in s.changes]
        assert (place["line"], place["kind"]) in reported, f"lossy place not reported: {place}"


@pytest.mark.parametrize("set_name,case,text,expected", CASES)
def test_idempotent(set_name, case, text, expected):
    once = zhfix.repair(text).text
    assert zhfix.repair(once).text == once


@pytest.mark.parametrize("set_name,case,text,expected", CASES)
def test_the_plan_replays_to_the_repair(set_name, case, text, expected):
    """``apply_plan(text, r.plan)`` does what the repair did, step for step."""
    r = zhfix.repair(text)
    assert zhfix.apply_plan(text, r.plan) == r.text


def test_sets_are_large_enough():
    counts = {}
    for p in CASES:
        counts[p.values[0]] = counts.get(p.values[0], 0) + 1
    assert counts.get("in-the-wild", 0) >= 1
    assert counts.get("synthetic", 0) >= 30
    assert counts.get("negative", 0) >= 20


@pytest.mark.parametrize("set_name,case,text,expected", CASES)
def test_fast_path_matches_the_straightforward_one(set_name, case, text, expected):
    """Skipping stages by the text's alphabet and t2s by str.translate change
    nothing: every stage run, character by character, gives the same."""
    fast = zhfix.repair(text)
    plain = zhfix.repair(text, fast=False)
    assert plain.text == fast.text == zhfix.fix_text(text)
    assert [(s.name, s.count) for s in plain.steps] == [(s.name, s.count) for s in fast.steps]
    assert plain.diagnosis.evidence == fast.diagnosis.evidence  # what the explanation shows, counted either way
    # unexplained (as fix_text and the CLI without --explain run), the same
    # changes are made and counted without an edit each
    # (what was left alone, and why, is said only where explained: kind "note")
    quiet = zhfix.repair(text, explain=False)
    assert quiet.text == fast.text
    assert not [s for s in quiet.steps if s.kind == "note"]
    assert [(s.name, s.count) for s in quiet.steps] == [(s.name, s.count) for s in fast.steps if s.kind != "note"]
