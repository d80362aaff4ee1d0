"""``zhfix --version`` and ``zhfix.build_info()`` say which build is in use:
the C loops (zhfix.loops._speedups) or their pure-Python twins, and why the twins."""
import importlib.machinery
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import zhfix
from zhfix import _compiled
from zhfix.loops import scan

SRC = Path(__file__).resolve().parent.parent / "src"
have_cc = bool(shutil.which("cc") or shutil.which("gcc"))


def version(env=None, cwd=None):
    if env is None:  # (this checkout as it is, whatever the calling shell set)
        env = {k: v for k, v in os.environ.items() if k != "ZHFIX_PURE"}
    r = subprocess.run([sys.executable, "-m", "zhfix", "--version"], capture_output=True, text=True,
                       env=env, cwd=cwd, stdin=subprocess.DEVNULL, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.skipif(not have_cc or bool(os.environ.get("ZHFIX_PURE")),
                    reason="no C compiler here (or ZHFIX_PURE set): the checkout has no C extension")
def test_version_says_compiled():
    out = version()
    assert re.fullmatch(r"zhfix \d+\.\d+\.\d+ \(compiled\)\n", out), out
    assert out == f"zhfix {zhfix.__version__} (compiled)\n"
    assert zhfix.build_info() == "compiled"


def test_version_says_pure_python_under_zhfix_pure():
    out = version(dict(os.environ, ZHFIX_PURE="1"))
    assert out == f"zhfix {zhfix.__version__} (pure Python: ZHFIX_PURE is set; 45-155x slower)\n"


def test_version_says_no_extension_was_built(tmp_path):
    """A copy of the package without the compiled module, as `pip install .`
    leaves it without a C compiler: --version says so and what to do."""
    shutil.copytree(SRC / "zhfix", tmp_path / "zhfix",
                    ignore=shutil.ignore_patterns("_speedups*.so", "_speedups*.pyd", "__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "ZHFIX_PURE"}
    env["PYTHONPATH"] = str(tmp_path)
    out = version(env, cwd=tmp_path)
    assert out.startswith(f"zhfix {zhfix.__version__} (pure Python: no C extension was built; 45-155x slower")
    assert "install a wheel" in out and "C compiler" in out


def test_build_info_agrees_with_the_loops_in_use():
    info = zhfix.build_info()
    assert (info == "compiled") == scan.COMPILED
    assert info == "compiled" or info.startswith("pure Python: ")


_COMPILED_BUILT = all(
    any((SRC / (name.replace(".", "/") + suffix)).exists() for suffix in importlib.machinery.EXTENSION_SUFFIXES)
    for name in _compiled.COMPILED)
_FILES = "import zhfix, importlib; print(*[importlib.import_module(m).__file__ for m in zhfix._compiled.COMPILED])"


def _module_files(env, cwd=None):
    r = subprocess.run([sys.executable, "-c", _FILES], capture_output=True, text=True, env=env, cwd=cwd,
                       stdin=subprocess.DEVNULL, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


@pytest.mark.skipif(not _COMPILED_BUILT or bool(os.environ.get("ZHFIX_PURE")),
                    reason="the modules Cython compiles are not built in this checkout")
def test_compiled_modules_run_compiled_unless_zhfix_pure():
    env = {k: v for k, v in os.environ.items() if k != "ZHFIX_PURE"}
    assert not any(f.endswith(".py") for f in _module_files(env))
    assert all(f.endswith(".py") for f in _module_files(dict(env, ZHFIX_PURE="1")))


@pytest.mark.skipif(not _COMPILED_BUILT, reason="the modules Cython compiles are not built in this checkout")
def test_a_source_edited_after_the_build_runs_and_version_says_so(tmp_path):
    """An extension built before its source was edited would run the old
    code: the source runs instead (told by the build's record of the source
    it compiled, whatever the files' times), and --version names it."""
    shutil.copytree(SRC / "zhfix", tmp_path / "zhfix", ignore=shutil.ignore_patterns("__pycache__"))
    edited = tmp_path / "zhfix" / "structure.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited after the build\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ZHFIX_PURE"}
    env["PYTHONPATH"] = str(tmp_path)
    files = dict(zip(_compiled.COMPILED, _module_files(env, cwd=tmp_path)))
    assert files["zhfix.structure"] == str(edited)
    assert not files["zhfix.runner"].endswith(".py")
    out = version(env, cwd=tmp_path)
    assert "interpreted: zhfix.structure (its source differs from the one its build compiled)" in out, out


@pytest.mark.skipif(not _COMPILED_BUILT, reason="the modules Cython compiles are not built in this checkout")
def test_extensions_without_the_builds_record_of_their_sources_do_not_run(tmp_path):
    """Extensions whose build left no record of the sources it compiled (an
    older build, a copy without it) cannot be told current: the sources run."""
    shutil.copytree(SRC / "zhfix", tmp_path / "zhfix", ignore=shutil.ignore_patterns("__pycache__", "_compiled.json"))
    env = {k: v for k, v in os.environ.items() if k != "ZHFIX_PURE"}
    env["PYTHONPATH"] = str(tmp_path)
    assert all(f.endswith(".py") for f in _module_files(env, cwd=tmp_path))
    assert "(compiled; its Python modules interpreted (no record of the source its build compiled))" in \
        version(env, cwd=tmp_path)
