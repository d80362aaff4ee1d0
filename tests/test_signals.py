"""Signals and a pool of workers: ``kill -9`` of ``zhfix -i --jobs N`` takes
its workers along, and Ctrl-C reports every file that was rewritten.

Both tests run the real command as a subprocess (in its own session, so that
its process group is the run) over a tree big enough for the pool
(:func:`zhfix.cli.batch.worth_a_pool`) and pick their moment by watching the disk,
not by sleeping a guessed time.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_support import CLEAN, DAMAGED, cli_env, expected_bytes, subprocess_env, tree  # noqa: F401
from zhfix.cli import batch

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux /proc")

N_FILES = 1600


def _make_tree(root: Path, n: int = N_FILES, damaged_every: int = 1) -> dict:
    """`n` small documents in 40 directories; every `damaged_every`-th one
    needs repair.  Returns {absolute path: original bytes}."""
    docs = {}
    for i in range(n):
        body = DAMAGED * 2 if i % damaged_every == 0 else CLEAN * 2
        docs[f"d{i % 40:02d}/f{i:05d}.txt"] = (f"第{i}篇。\n" + body).encode("utf-8")
    tree(root, docs)
    assert batch.worth_a_pool(n, sum(map(len, docs.values())), 2), "the tree must be worth a pool"
    return {str(root / k): v for k, v in docs.items()}


def _start(*args, env):
    return subprocess.Popen([sys.executable, "-m", "zhfix", *map(str, args)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)


def _stat(pid: str):
    """(state, ppid, process group) of `pid`, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0].decode(), int(fields[1]), int(fields[2])


def _group(pgid: int) -> dict:
    """The live processes of process group `pgid`: {pid: ppid} (zombies are dead)."""
    found = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            st = _stat(pid)
            if st and st[2] == pgid and st[0] != "Z":
                found[int(pid)] = st[1]
    return found


def _wait_for(what, timeout: float, step: float = 0.01):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = what()
        if value:
            return value
        time.sleep(step)
    return what()


def _changed(originals: dict) -> set:
    return {p for p, data in originals.items() if Path(p).read_bytes() != data}


def _rewritten_at(originals: dict, where: float = 0.0, k: int = 40):
    """A test for "the run has got this far": one of `k` files from `where`
    (0: the start, 0.5: half-way, in the order the run takes them) differs
    from its original."""
    items = sorted(originals.items())
    start = int(where * (len(items) - k))
    watched = items[start:start + k]
    return lambda: any(Path(p).read_bytes() != d for p, d in watched)


def test_sigkill_of_the_parent_takes_the_workers_along(tmp_path):
    """`kill -9` of the parent alone (not its group) while its workers are
    rewriting files: within 2 s no process of the run is left; each file is
    its original or its repair; the next run cleans up and finishes the job."""
    root = tmp_path / "tree"
    originals = _make_tree(root)
    env = subprocess_env(ZHFIX_CACHE_DIR=tmp_path / "cache")
    p = _start("-i", "-q", "--no-cache", "--jobs", "2", root, env=env)
    try:
        workers = lambda: {pid for pid, ppid in _group(p.pid).items() if ppid == p.pid}  # noqa: E731
        assert _wait_for(lambda: len(workers()) == 2, 30), f"expected 2 workers, saw {workers()}"
        assert _wait_for(_rewritten_at(originals), 30), "the workers never rewrote a file"
        assert p.poll() is None, "the run finished before it could be killed; make the tree bigger"
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=10)
        gone = _wait_for(lambda: not _group(p.pid), 2.0, step=0.05)
        assert gone, f"processes of the killed run still alive after 2 s: {_group(p.pid)}"
    finally:
        for pid in _group(p.pid):  # the leftovers of a failed run (this test's own children)
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        p.stderr.close()

    repaired = {path: expected_bytes(data) for path, data in originals.items()}
    for path, data in originals.items():
        assert Path(path).read_bytes() in (data, repaired[path]), f"{path} is neither original nor repaired"
    done = len(_changed(originals))
    assert 0 < done < len(originals)

    # the next run removes what a killed worker left behind and repairs the rest
    p = _start("-i", "-q", "--no-cache", "--jobs", "2", root, env=env)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 0, err.decode()
    assert sorted(root.rglob(".zhfix-*")) == []
    for path in originals:
        assert Path(path).read_bytes() == repaired[path]


@pytest.mark.parametrize("where", [0.0, 0.3])
def test_ctrl_c_reports_every_file_it_rewrote(tmp_path, where):
    """Ctrl-C (SIGINT to the process group) once the run has rewritten its
    first files, or about a third of them: exit 130, and the JSON report names
    exactly the files whose bytes changed on disk -- some, not all."""
    root = tmp_path / "tree"
    originals = _make_tree(root)
    env = subprocess_env(ZHFIX_CACHE_DIR=tmp_path / "cache")
    report = tmp_path / "report.json"
    p = _start("-i", "--no-cache", "--jobs", "2", "--report", "json", "--report-file", report, root, env=env)
    try:
        assert _wait_for(_rewritten_at(originals, where), 30), "the workers never rewrote a file"
        os.killpg(p.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        _, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    err = err.decode()
    assert p.returncode == 130, err
    assert "Traceback" not in err

    on_disk = _changed(originals)
    assert 0 < len(on_disk) < len(originals), f"{len(on_disk)} of {len(originals)} files rewritten"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["interrupted"] is True and data["exit_code"] == 130
    reported = {os.path.abspath(f) for f in data["files"]["repaired"]}
    assert data["repaired"] == len(on_disk), (f"report says {data['repaired']} repaired, "
                                              f"{len(on_disk)} files were rewritten")
    assert reported == on_disk
    assert sorted(root.rglob(".zhfix-*")) == []
