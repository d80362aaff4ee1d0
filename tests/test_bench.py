"""bench/run.py works: a quick run without the OpenCC C++ venv exits 0 and
prints its table with every expected row.  Correctness of the script only:
no timing is asserted."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RUN = REPO / "bench" / "run.py"

pytestmark = pytest.mark.skipif(not RUN.exists(), reason="bench/run.py not present")


@pytest.fixture(scope="module")
def quick_run():
    p = subprocess.run([sys.executable, str(RUN), "--quick", "--no-venv"], capture_output=True,
                       text=True, timeout=300, cwd=REPO)
    return p


def test_exits_zero(quick_run):
    assert quick_run.returncode == 0, quick_run.stderr[-3000:]


def test_table_has_expected_rows(quick_run):
    out = quick_run.stdout
    for heading in ("### Throughput per page", "### One document, growing", "### CLI",
                    "### Pathological inputs", "### Memory", "### Batch of small files", "### Targets"):
        assert heading in out, heading
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    starts = {line.split("|")[1].strip() for line in rows}
    for name in ("disguised", "disguised-seed", "disguised-sentences", "clean-simplified",
                 "traditional", "english-code", "`zhfix --version`", "`zhfix clean_10KB.txt`",
                 "`zhfix damaged_10KB.txt`"):
        assert name in starts, name
    assert any(s.startswith("single line") for s in starts)
    assert any("groups" in s for s in starts)
    assert any(s.startswith("every CJK") for s in starts)
    # the OpenCC C++ columns are n/a without the venv, and say so
    assert "skipped (--no-venv)" in out
    # machine facts
    assert "Machine:" in out and "Python " in out and "zhfix " in out
    # the zhfix library rows carry numbers, not errors
    disguised_row = next(r for r in rows if r.split("|")[1].strip() == "clean-simplified")
    float(disguised_row.split("|")[2].strip())


def test_targets_listed(quick_run):
    out = quick_run.stdout
    for target in ("disguised end to end", "clean-text check", "zhfix --version", "clean_10KB",
                   "damaged_10KB", "growth", "pathological", "streams", "files on 2 cores"):
        assert target in out, target


def test_results_files_written(quick_run):
    out = REPO / "bench" / "out"
    assert (out / "results.md").read_text(encoding="utf-8").startswith("## zhfix benchmark")
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["mode"] == "quick"
    assert {t["target"] for t in data["targets"]}
