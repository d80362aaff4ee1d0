"""The sdist carries the LICENSE and everything its own tests need: tests/
(conftest.py and the helper modules too), fixtures/, bench/, scripts/, docs/
(and the CHANGELOG the README links to); and
its tests run from it, unpacked."""
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

if not (REPO / "pyproject.toml").exists():
    pytest.skip("not a source tree", allow_module_level=True)


def checkout_files(folder: str) -> set:
    """The files under `folder` in this checkout (or unpacked sdist), as
    sdist paths, less what Python and the benchmark leave there."""
    out = set()
    for path in (REPO / folder).rglob("*"):
        rel = path.relative_to(REPO)
        if (path.is_file() and "__pycache__" not in rel.parts and path.suffix not in (".pyc", ".so", ".pyd")
                and rel.parts[:2] != ("bench", "out") and not rel.parts[1].startswith(".venv")):
            out.add(rel.as_posix())
    return out


@pytest.fixture(scope="module")
def sdist(tmp_path_factory):
    out = tmp_path_factory.mktemp("sdist")
    r = subprocess.run([sys.executable, "-m", "build", "--sdist", "--outdir", str(out), str(REPO)],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    [archive] = out.glob("zhfix-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        top = names[0].split("/")[0]
        tar.extractall(out, filter="data") if hasattr(tarfile, "data_filter") else tar.extractall(out)
    return out / top, {n.split("/", 1)[1] for n in names if "/" in n}


def test_sdist_has_the_license(sdist):
    root, members = sdist
    assert "LICENSE" in members
    assert "MIT License" in (root / "LICENSE").read_text(encoding="utf-8")
    pkg_info = (root / "PKG-INFO").read_text(encoding="utf-8")
    assert "License-Expression: MIT" in pkg_info and "License-File: LICENSE" in pkg_info


@pytest.mark.parametrize("folder", ["tests", "fixtures", "bench", "scripts", "docs"])
def test_sdist_has_every_file_the_tests_use(sdist, folder):
    _, members = sdist
    wanted = checkout_files(folder)
    assert wanted, folder
    assert wanted <= members, sorted(wanted - members)


def test_sdist_has_the_named_files(sdist):
    _, members = sdist
    for name in ("tests/conftest.py", "tests/cli_support.py", "tests/damage.py", "tests/test_fixtures.py",
                 "fixtures/in-the-wild/seed.txt", "fixtures/in-the-wild/seed.expected.txt",
                 "fixtures/synthetic/cases.json", "fixtures/negative/cases.json", "bench/run.py",
                 "scripts/check-wheel.sh", "src/zhfix/loops/_speedups.c", "setup.py", "README.md",
                 "CHANGELOG.md", "docs/cli.md"):
        assert name in members, name
    assert not any(m.endswith((".so", ".pyc")) for m in members)


def test_tests_run_from_the_unpacked_sdist(sdist):
    """A few of the suite's tests, run in the unpacked sdist on its own source:
    the fixture sets are all there, and the in-the-wild page is repaired."""
    root, _ = sdist
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_fixtures.py",
                        "-k", "test_sets_are_large_enough or (test_case and in-the-wild)"],
                       capture_output=True, text=True, cwd=root, env=env, stdin=subprocess.DEVNULL, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert " passed" in r.stdout and "skipped" not in r.stdout.splitlines()[-1]
