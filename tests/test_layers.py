"""The layers of src/zhfix hold (import-linter's contracts in pyproject.toml):
cli | integrations > stream > runner > stages > loops > classes > data >
values, and no cycle among the modules of any package.  An import inside a
function counts as much as one at the top of a module."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import importlinter  # noqa: F401  (the test extra has it: a missing one fails, never skips)

REPO = Path(__file__).resolve().parents[1]


def lint(src: Path):
    """Run import-linter with the repository's contracts on the package in `src`."""
    env = dict(os.environ, PYTHONPATH=str(src))
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         str(REPO / "pyproject.toml"), "--no-cache"],
        capture_output=True, text=True, env=env, cwd=src.parent, timeout=300)


def test_the_layers_hold_and_no_package_has_a_cycle():
    r = lint(REPO / "src")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Contracts: 2 kept, 0 broken." in r.stdout


def _copy(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(REPO / "src" / "zhfix", src / "zhfix",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
    return src


def _append(path: Path, code: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code, encoding="utf-8")


def test_a_lazy_import_of_cli_code_from_a_stage_breaks_the_layers(tmp_path):
    src = _copy(tmp_path)
    _append(src / "zhfix" / "stages" / "decode.py", "def _report():\n    from ..cli import report\n    return report\n")
    r = lint(src)
    assert r.returncode != 0
    assert "layers: cli | integrations" in r.stdout and "BROKEN" in r.stdout
    assert "zhfix.stages.decode -> zhfix.cli.report" in r.stdout


def test_a_cycle_between_two_stages_is_found(tmp_path):
    src = _copy(tmp_path)
    # reread imports model; model importing reread back (lazily) makes a cycle
    _append(src / "zhfix" / "stages" / "model.py", "def _reread():\n    from . import reread\n    return reread\n")
    r = lint(src)
    assert r.returncode != 0
    assert "No cycles are allowed in zhfix.stages." in r.stdout
