"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit in a
temporary git repository.

pre-commit clones this repository at HEAD (``try-repo`` adds uncommitted
changes to tracked files), builds a virtualenv and pip-installs zhfix into it:
that needs PyPI.  The environment is built once per test session (a shared
PRE_COMMIT_HOME); the first test pays for it (about a minute on a fresh
machine, seconds with pip's cache warm).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_support import CLEAN, DAMAGED, REPO, cli_env, expected_bytes, repaired_text  # noqa: F401

pytest.importorskip("pre_commit")
if shutil.which("git") is None or not (REPO / ".git").exists():
    pytest.skip("needs git and a git checkout of zhfix", allow_module_level=True)

IDENTITY = {"GIT_AUTHOR_NAME": "zhfix tests", "GIT_AUTHOR_EMAIL": "tests@zhfix.invalid",
            "GIT_COMMITTER_NAME": "zhfix tests", "GIT_COMMITTER_EMAIL": "tests@zhfix.invalid"}


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def env(pre_commit_home, tmp_path):
    e = dict(os.environ)
    e.update(IDENTITY)
    # ZHFIX_NO_CYTHON: each hook environment is built without compiling the
    # modules Cython would (~30 s each; the same results, as tests/test_wheel.py
    # and tests/test_speedups.py check): these tests are about the hooks
    e.update({"PRE_COMMIT_HOME": str(pre_commit_home), "ZHFIX_CACHE_DIR": str(tmp_path / "zhfix-cache"),
              "PRE_COMMIT_COLOR": "never", "CI": "true", "ZHFIX_NO_CYTHON": "1"})
    for k in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        e.pop(k, None)
    return e


def git(*args, cwd, env):
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)


def pre_commit(*args, cwd, env, timeout=900):
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def work(tmp_path, env):
    repo = tmp_path / "work"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo, env=env)
    git("config", "commit.gpgsign", "false", cwd=repo, env=env)
    return repo


def test_try_repo_fixer_and_check(work, env):
    (work / "damaged.txt").write_text(DAMAGED, encoding="utf-8")
    (work / "clean.md").write_text(CLEAN, encoding="utf-8")
    git("add", ".", cwd=work, env=env)
    damaged_changes = repaired_text(DAMAGED) != DAMAGED

    start = time.monotonic()
    r = pre_commit("try-repo", str(REPO), "zhfix-check", "--files", "damaged.txt", "clean.md", cwd=work, env=env)
    print(f"\nfirst try-repo (builds the hook environment): {time.monotonic() - start:.1f} s")
    assert r.returncode == (1 if damaged_changes else 0), r.stdout + r.stderr
    if damaged_changes:
        assert "would repair damaged.txt" in r.stdout
    assert (work / "damaged.txt").read_text(encoding="utf-8") == DAMAGED

    r = pre_commit("try-repo", str(REPO), "zhfix", "--files", "damaged.txt", "clean.md", cwd=work, env=env)
    # a fixer hook fails when it changed files (pre-commit sees the change)
    assert r.returncode == (1 if damaged_changes else 0), r.stdout + r.stderr
    assert (work / "damaged.txt").read_bytes() == expected_bytes(DAMAGED.encode())
    assert (work / "clean.md").read_text(encoding="utf-8") == CLEAN or repaired_text(CLEAN) != CLEAN
    if damaged_changes:
        assert "files were modified by this hook" in r.stdout

    git("add", ".", cwd=work, env=env)
    r = pre_commit("try-repo", str(REPO), "zhfix", "--files", "damaged.txt", "clean.md", cwd=work, env=env)
    if repaired_text(repaired_text(DAMAGED)) == repaired_text(DAMAGED):
        assert r.returncode == 0, r.stdout + r.stderr


def test_commit_200_clean_files_and_a_damaged_one(work, env):
    head = git("rev-parse", "HEAD", cwd=REPO, env=env).stdout.strip()
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n      - id: zhfix\n", encoding="utf-8")
    for i in range(200):
        d = work / f"doc{i // 20}"
        d.mkdir(exist_ok=True)
        (d / f"page{i:03d}.txt").write_text(f"第{i}页。\n" + CLEAN, encoding="utf-8")
    r = pre_commit("install", cwd=work, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    r = pre_commit("install-hooks", cwd=work, env=env)  # build outside the timed commit
    assert r.returncode == 0, r.stdout + r.stderr

    git("add", ".", cwd=work, env=env)
    start = time.monotonic()
    c = subprocess.run(["git", "commit", "-q", "-m", "200 clean files"], cwd=work, env=env,
                       capture_output=True, text=True, timeout=600)
    took = time.monotonic() - start
    print(f"\ngit commit of 200 clean files through the zhfix hook: {took:.2f} s")
    if all(repaired_text(f"第{i}页。\n" + CLEAN) == f"第{i}页。\n" + CLEAN for i in range(200)):
        assert c.returncode == 0, c.stdout + c.stderr

    (work / "bad.txt").write_text(DAMAGED, encoding="utf-8")
    git("add", "bad.txt", cwd=work, env=env)
    c = subprocess.run(["git", "commit", "-q", "-m", "damaged"], cwd=work, env=env, capture_output=True,
                       text=True, timeout=600)
    if repaired_text(DAMAGED) != DAMAGED:
        assert c.returncode != 0  # the fixer changed a file: commit stopped
        assert (work / "bad.txt").read_bytes() == expected_bytes(DAMAGED.encode())
        git("add", "bad.txt", cwd=work, env=env)
        c = subprocess.run(["git", "commit", "-q", "-m", "repaired"], cwd=work, env=env,
                           capture_output=True, text=True, timeout=600)
    assert c.returncode == 0, c.stdout + c.stderr
