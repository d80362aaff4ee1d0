"""Shared pytest setup: make tests/ importable (``import damage``), test
this checkout's own source even when another checkout was installed in
editable mode last (subprocesses get it through PYTHONPATH), and run
hypothesis's examples without a time limit."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

sys.path.insert(0, str(HERE))
sys.path.insert(0, str(SRC))
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)

# No time limit on a generated example: speed is held by the benchmarks
# (bench/), not by timed tests, and an example that is the first to load a
# table (the class table, pypinyin's readings) on a busy machine ran past
# hypothesis's default 200 ms and failed a test that checks no speed.
from hypothesis import settings  # noqa: E402

settings.register_profile("zhfix", deadline=None)
settings.load_profile("zhfix")
