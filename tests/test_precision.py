"""Precision on text nobody here wrote: every file of ../shared/corpora
(clean public text: tldr-pages in 39 languages, React's Japanese and Korean
docs, free-programming-books) through ``zhfix.repair``, as
bench/precision.py runs it.  None of it is damaged, so the target is 0 files
changed.  Until issue 14 gets there this is a ratchet: the files that change,
are slower than ``TIMEOUT`` seconds each, or crash, counted per corpus, must
equal bench/precision-baseline.json -- more is a new false positive, fewer
asks for the baseline to be lowered (``python bench/precision.py
--write-baseline``), so that it stays tight.

Under ``CI=true`` the corpora must be there (a missing corpus fails); elsewhere
the test skips without them.  The whole corpus, 39,147 files and 30 MB, takes
about a minute on 2 processes.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BASELINE = REPO / "bench" / "precision-baseline.json"
TIMEOUT = 20.0  # seconds per file; a slower file counts as a failure, as a change does
UPDATE = "python bench/precision.py --write-baseline"


def _precision():
    spec = importlib.util.spec_from_file_location("precision_bench", REPO / "bench" / "precision.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # (its workers get their function by name)
    spec.loader.exec_module(mod)
    return mod


#: ../shared/corpora beside this checkout (or beside the one it was cloned from)
CORPORA = _precision().find_corpora()


@pytest.fixture(scope="module")
def measured():
    """One pass over every corpus: (summary, {corpus: failures})."""
    if not sorted(CORPORA.glob("*.jsonl.gz")):
        if os.environ.get("CI"):
            pytest.fail(f"no corpora in {CORPORA}: under CI the precision ratchet must run")
        pytest.skip(f"no corpora in {CORPORA}")
    if not BASELINE.is_file():
        pytest.fail(f"{BASELINE} is missing: {UPDATE}")
    precision = _precision()
    s = precision.summarize(precision.run(CORPORA, jobs=2, timeout=TIMEOUT))
    return precision, s


def _corpora():
    return sorted(p.name[: -len(".jsonl.gz")] for p in CORPORA.glob("*.jsonl.gz")) or ["(no corpora)"]


@pytest.mark.parametrize("corpus", _corpora())
def test_clean_corpus_changed_files_match_baseline(measured, corpus):
    precision, s = measured
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert corpus in baseline, f"{corpus} has no count in {BASELINE.name}: {UPDATE}"
    got = precision.failures(s)[corpus]
    want = baseline[corpus]
    mine = [r for r in s["findings"] if r["corpus"] == corpus]
    detail = "\n".join(
        f"  {r['status']}: {r['path']}" + (f" [{', '.join(r['steps'])}] line {r['changes'][0]['line']}: "
                                          f"{r['changes'][0]['before']!r} -> {r['changes'][0]['after']!r}"
                                          if r["changes"] else f" {r.get('error', '')}")
        for r in mine[:10])
    assert got <= want, (
        f"{corpus}: {got} clean files changed (or slow, or crashed) of {s['files'][corpus]}, the baseline allows "
        f"{want}: a new false positive. `python bench/precision.py --json out.json` lists every file; the first:\n{detail}")
    assert got >= want, (
        f"{corpus}: {got} clean files changed of {s['files'][corpus]}, {want - got} fewer than the baseline's {want}: "
        f"well done -- lower the baseline ({UPDATE}, or set {BASELINE.name}[{corpus!r}] to {got}) to keep the ratchet tight")


def test_baseline_names_only_corpora_that_exist(measured):
    precision, s = measured
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert set(baseline) == set(s["files"]), (
        f"{BASELINE.name} counts {sorted(baseline)}, the corpora are {sorted(s['files'])}: {UPDATE}")


def test_no_clean_file_is_slow(measured):
    """A user waits on a slow file: none may take more than TIMEOUT seconds
    (counted in the ratchet too; this names them)."""
    precision, s = measured
    slow = [f"{r['corpus']}:{r['path']} ({r['bytes']} bytes)" for r in s["findings"] if r["status"] == "slow"]
    assert not slow, f"slower than {TIMEOUT:.0f} s per file: {', '.join(slow)}"
