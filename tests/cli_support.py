"""Helpers for the command-line tests (test_cli, test_batch, test_atomic,
test_precommit).

These tests check the file machinery, not the repair: wherever they need "the
repaired text" they ask the library (:func:`expected_bytes`), so they hold
whatever the pipeline does to Chinese text.  Only tests named
``test_real_repair_*`` rely on a repair actually changing something, and only
for DAMAGED, a disguised sample whose repair is certain (pinyin annotations,
traditional characters, ASCII comma).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import zhfix
from zhfix.cli.command import cli

REPO = Path(__file__).resolve().parents[1]

#: Disguised simplified text: traditional characters, pinyin after some of
#: them, half-width comma.  Its repair must change it.
DAMAGED = "中國質量新聞網(wǎng)發(fā)布,企業(yè)質量數據顯示產品合格率穩步提升\n"
#: Plain simplified text and ASCII: nothing to repair.
CLEAN = "这是一段干净的简体中文文本，没有任何问题。\nhello world\n"


def repaired_text(text: str, **config) -> str:
    return zhfix.repair(text, zhfix.Config(explain=False, **config)).text


def expected_bytes(data: bytes, **config) -> bytes:
    """What zhfix writes for input `data` (UTF-8 out, BOM kept), computed
    with the library."""
    from zhfix.stages.decode import decode

    d = decode(data)
    out = repaired_text(d.text, **config)
    return (b"\xef\xbb\xbf" if d.bom else b"") + out.encode("utf-8")


def would_change(data: bytes) -> bool:
    from zhfix.stages.decode import decode

    d = decode(data)
    return repaired_text(d.text) != d.text


@pytest.fixture(autouse=True)
def cli_env(tmp_path, monkeypatch):
    """Every test: its own cache directory, CI set (no progress bar)."""
    monkeypatch.setenv("ZHFIX_CACHE_DIR", str(tmp_path / ".zhfix-test-cache"))
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("NO_COLOR", raising=False)


def invoke(*args, input=None, cwd=None):
    """Run the command in this process (CliRunner); stdout and stderr apart."""
    runner = CliRunner()
    if cwd is not None:
        old = os.getcwd()
        os.chdir(cwd)
    try:
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
    finally:
        if cwd is not None:
            os.chdir(old)


def subprocess_env(**extra) -> dict:
    env = dict(os.environ)
    env.update({"CI": "true", "PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_zhfix(*args, input=None, cwd=None, timeout=120, **env):
    """Run ``python -m zhfix`` for real (locale C: stdout must not care)."""
    kw = {"input": input} if input is not None else {"stdin": subprocess.DEVNULL}
    return subprocess.run([sys.executable, "-m", "zhfix", *map(str, args)], capture_output=True,
                          cwd=cwd, timeout=timeout, env=subprocess_env(**env), **kw)


def report_json(result) -> dict:
    """The --report json summary printed on stderr."""
    text = result.stderr
    return json.loads(text[text.index("{"):])


def tree(root: Path, files: dict) -> Path:
    """Create `files` ({relative path: str | bytes}) under `root`."""
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        p.write_bytes(content)
    return root


def snapshot(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
