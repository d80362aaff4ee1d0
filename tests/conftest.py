"""Shared pytest setup: make tests/ importable (``import damage``), and test
this checkout's own source even when another checkout was installed in
editable mode last (subprocesses get it through PYTHONPATH)."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

sys.path.insert(0, str(HERE))
sys.path.insert(0, str(SRC))
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)
