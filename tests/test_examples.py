"""Every fenced code block of README.md and docs/*.md, run or checked as a user would.

One parametrised test over the blocks.  Each runs in its own temporary
directory holding the small files the examples name (``page.txt`` is the seed
page, ``corpus/``, ``a.txt``, ``b.txt``, ``data.jsonl``, ``a.jsonl``,
``shards/``), with a ``zhfix`` on PATH that runs this checkout's code.

By language:

``sh``/``bash``
    A list of one-liners: each line runs on its own, in a fresh copy of the
    files, and must exit 0 -- or N when its comment says ``exit N`` (as
    ``zhfix --check corpus/  # exit 1 if anything would change`` does; the
    corpus holds damaged files).
``python``
    Saved as ``example.py`` and run; must exit 0 within the timeout (a hang
    fails the test instead of blocking the suite).
``pycon``
    ``>>>`` sessions, run with doctest: the shown output must be what zhfix
    prints.
``text``
    Shown output, not code.  It needs a marker ``excerpt of FILE`` or
    ``excerpt of output: COMMAND`` (run from the repository's root); every line
    (split at ``…``, whitespace runs ignored) must appear in that file or in
    what the command prints.
``yaml``/``toml``
    Configuration: must carry the ``config`` marker.  Parsed; a pre-commit
    configuration must name hooks the repository has, a ``[tool.zhfix]`` table
    must be accepted by ``zhfix --config``.

A fence without a language, or with another one, fails: a new kind of example
needs a rule here first.

Markers, an HTML comment on the line right before the fence
(``<!-- example: ... -->``):

``install``            installs from PyPI: only ``bash -n``
``config``             configuration (yaml/toml), see above
``value``              a Python value shown for its shape: ``ast.literal_eval``
``needs MOD, ...``     runs when the modules import, else only compiled /
                       ``bash -n`` (optional engines: datatrove, Dask, Ray)
``known-broken: WHY``  the docs say what the code does not do: runs, and must
                       fail by a wrong answer (xfail strict, AssertionError;
                       not a crash or a hang), so that a fix is noticed
``excerpt of ...``     see ``text``
"""
from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml  # pre-commit's dependency

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = pytest.importorskip("tomli")

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SEED = REPO / "fixtures" / "in-the-wild" / "seed.txt"

#: Seconds before a block counts as hanging.  The datatrove example, on two
#: tiny shards, takes ~20 s on a busy 2-core machine.
TIMEOUT = 120

FENCE = re.compile(r"^```(.*)$")
MARKER = re.compile(r"^<!--\s*example:\s*(.*?)\s*-->$")


@dataclass
class Block:
    path: Path
    line: int  # line of the opening fence, 1-based
    lang: str
    code: str
    marker: str  # "" when there is none

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}-{self.lang or 'none'}"


def find_blocks(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start = i
        i += 1
        body = []
        while i < len(lines) and lines[i] != "```":
            body.append(lines[i])
            i += 1
        i += 1
        prev = MARKER.match(lines[start - 1]) if start else None
        blocks.append(Block(path, start + 1, m.group(1).strip(), "\n".join(body) + "\n",
                            prev.group(1) if prev else ""))
    return blocks


BLOCKS = [b for doc in DOCS for b in find_blocks(doc)]

# -- the files the examples name ---------------------------------------------------

DISGUISED = "中國質量新聞網(wǎng)發(fā)布,企業(yè)質量數據顯示產品合格率穩步提升\n"
CLEAN = "这是一段干净的简体中文文本，没有任何问题。\n"
TAIWAN = "臺北市政府今天宣布，捷運新路線將於明年底正式通車。\n"
RECORDS = [
    {"id": 1, "text": DISGUISED.strip()},
    {"id": 2, "text": CLEAN.strip()},
    {"id": 3, "text": TAIWAN.strip()},
    {"id": 4, "text": "隨著經濟發展,網(wǎng)絡質量不斷提高,人們的生活也越來越方便了。"},
]


def jsonl(records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def make_files(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SEED, root / "page.txt")
    (root / "a.txt").write_text(DISGUISED, encoding="utf-8")
    (root / "b.txt").write_text(CLEAN, encoding="utf-8")
    (root / "corpus" / "news").mkdir(parents=True)
    shutil.copyfile(SEED, root / "corpus" / "news" / "page.txt")
    (root / "corpus" / "notes.md").write_text(CLEAN, encoding="utf-8")
    (root / "corpus" / "mirror.txt").write_text(DISGUISED, encoding="utf-8")
    (root / "data.jsonl").write_text(jsonl(RECORDS), encoding="utf-8")
    (root / "a.jsonl").write_text(jsonl(RECORDS), encoding="utf-8")
    (root / "shards").mkdir()
    (root / "shards" / "00.jsonl").write_text(jsonl(RECORDS[:2]), encoding="utf-8")
    (root / "shards" / "01.jsonl").write_text(jsonl(RECORDS[2:]), encoding="utf-8")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """The environment of every example: this checkout's zhfix first on PATH
    and PYTHONPATH, one zhfix cache for the module (its tables are built once)."""
    base = tmp_path_factory.mktemp("examples-env")
    bindir = base / "bin"
    bindir.mkdir()
    wrapper = bindir / "zhfix"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m zhfix "$@"\n')
    wrapper.chmod(0o755)
    e = dict(os.environ)
    e["PATH"] = os.pathsep.join([str(bindir), str(Path(sys.executable).parent), e.get("PATH", "")])
    e["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), e.get("PYTHONPATH")) if p)
    e["ZHFIX_CACHE_DIR"] = str(base / "cache")
    e["CI"] = "true"
    e["COLUMNS"] = "80"
    e.pop("NO_COLOR", None)
    return e


def run(args, cwd, env, stdin=subprocess.DEVNULL):
    """Run `args` in its own process group; on timeout kill the group (the
    workers a hung example started) and fail."""
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"{args!r} did not finish within {TIMEOUT} s; stderr ends:\n"
                    f"{err.decode('utf-8', 'replace')[-2000:]}")
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


# -- checks by language -------------------------------------------------------------

EXIT_IN_COMMENT = re.compile(r"\s#\s.*\bexit (\d+)")


def check_sh(block: Block, tmp_path: Path, env) -> None:
    lines = [ln for ln in block.code.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert lines, "an empty shell block"
    for n, line in enumerate(lines):
        work = tmp_path / f"line{n}"
        make_files(work)
        m = EXIT_IN_COMMENT.search(line)
        expected = int(m.group(1)) if m else 0
        code, out, err = run(["bash", "-o", "pipefail", "-c", line], work, env)
        assert "Traceback" not in err, f"{line}\n{err}"
        assert code == expected, f"{line}\nexit {code}, expected {expected}\nstderr:\n{err[-2000:]}"


def check_python(block: Block, tmp_path: Path, env) -> None:
    make_files(tmp_path)
    (tmp_path / "example.py").write_text(block.code, encoding="utf-8")
    code, out, err = run([sys.executable, "example.py"], tmp_path, env)
    assert code == 0, f"exit {code}\nstderr:\n{err[-3000:]}"


def check_pycon(block: Block, tmp_path: Path, env) -> None:
    make_files(tmp_path)
    (tmp_path / "example.txt").write_text(block.code, encoding="utf-8")
    code, out, err = run([sys.executable, "-m", "doctest", "example.txt"], tmp_path, env)
    if "Exception raised:" in out:  # not a wrong answer: the session is broken
        pytest.fail(f"the session raises:\n{out[-4000:]}")
    assert code == 0, f"the session does not print what the docs show:\n{out[-4000:]}{err[-2000:]}"


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def check_excerpt(block: Block, tmp_path: Path, env) -> None:
    source = block.marker[len("excerpt of"):].strip()
    if source.startswith("output:"):
        command = source[len("output:"):].strip()
        code, out, err = run(["bash", "-c", command], REPO, env)
        assert code == 0, f"{command}: exit {code}\n{err}"
        whole = out
    else:
        whole = (REPO / source).read_text(encoding="utf-8")
    whole = normalised(whole)
    for line in block.code.splitlines():
        for fragment in line.split("…"):
            fragment = normalised(fragment).strip()
            if fragment:
                assert fragment in whole, f"{fragment!r} is not in {source}"


def check_config(block: Block, tmp_path: Path, env) -> None:
    if block.lang == "yaml":
        data = yaml.safe_load(block.code)
        if isinstance(data, dict) and "repos" in data:
            ours = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
            named = {h["id"] for repo in data["repos"] for h in repo["hooks"]}
            assert named <= ours, f"hooks {sorted(named - ours)} are not in .pre-commit-hooks.yaml"
    else:
        data = tomllib.loads(block.code)
        if "zhfix" in data.get("tool", {}):
            make_files(tmp_path)
            (tmp_path / "example.toml").write_text(block.code, encoding="utf-8")
            code, out, err = run(["zhfix", "--config", "example.toml", "b.txt"], tmp_path, env)
            assert code == 0, f"zhfix does not take this configuration: {err}"


def parse_only(block: Block) -> None:
    if block.lang == "python":
        compile(block.code, block.id, "exec")
    else:
        proc = subprocess.run(["bash", "-n"], input=block.code, text=True, capture_output=True)
        assert proc.returncode == 0, proc.stderr


RUNNERS = {"sh": check_sh, "bash": check_sh, "python": check_python, "pycon": check_pycon}


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_example(block: Block, tmp_path, env, request):
    marker = block.marker
    lang = block.lang
    assert lang, "a fence without a language: say what it is (sh, python, pycon, text, yaml, toml)"
    if marker.startswith("known-broken:"):
        # Only a wrong answer (AssertionError) counts as the known failure, not
        # an example that crashes or hangs.
        request.node.add_marker(pytest.mark.xfail(strict=True, raises=AssertionError, reason=marker))
        marker = ""
    if lang == "text":
        if marker.startswith("excerpt of"):
            check_excerpt(block, tmp_path, env)
        else:
            pytest.fail("say where this output comes from: <!-- example: excerpt of FILE --> or "
                        "<!-- example: excerpt of output: COMMAND -->" + (f", not {marker!r}" if marker else ""))
        return
    if lang in ("yaml", "toml"):
        assert marker == "config", f"a {lang} block is configuration: mark it <!-- example: config -->"
        check_config(block, tmp_path, env)
        return
    assert lang in RUNNERS, f"no rule for ```{lang} blocks: add one to tests/test_examples.py"
    if marker == "install":
        assert lang in ("sh", "bash"), "install commands are shell"
        parse_only(block)
    elif marker == "value":
        assert lang == "python", "a value is Python"
        ast.literal_eval(block.code)
    elif marker.startswith("needs "):
        modules = [m.strip() for m in marker[len("needs "):].split(",")]
        if all(importlib.util.find_spec(m) for m in modules):
            RUNNERS[lang](block, tmp_path, env)
        else:
            parse_only(block)
    else:
        assert marker == "", f"unknown marker {marker!r}"
        RUNNERS[lang](block, tmp_path, env)
