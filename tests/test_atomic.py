"""Writing files safely: atomic replacement, files that cannot be read or
written, files that vanish or change meanwhile, a full disk, binary input,
Ctrl-C and SIGKILL in the middle of a batch.

Most tests use a stand-in repair (``旧`` -> ``新``) so that they are about the
file machinery only; the Ctrl-C and SIGKILL tests run the real command and
compare with what the library makes of each file.
"""
from __future__ import annotations

import errno
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import zhfix
from cli_support import (CLEAN, DAMAGED, cli_env, expected_bytes, invoke, report_json,  # noqa: F401
                         snapshot, subprocess_env, tree)
from zhfix.cli import batch, files, output
from zhfix.data import store
from zhfix.result import Result, Step

OLD, NEW = "旧的文本需要修理。\n", "新的文本需要修理。\n"


@pytest.fixture
def fake_repair(monkeypatch):
    """zhfix.repair replaced by 旧 -> 新 (with a hook to act in the middle)."""
    hooks = {}

    def fake(text, config=None, **kw):
        for marker, action in hooks.items():
            if marker in text:
                action()
        new = text.replace("旧", "新")
        steps = [Step("fake", "travel in time", text.count("旧"), lines=[1])] if new != text else []
        return Result(new, steps)

    monkeypatch.setattr(zhfix, "repair", fake)
    return hooks


def temp_files(root: Path):
    return sorted(p for p in root.rglob(".zhfix-*") if p.is_file())


# -- atomic_write ---------------------------------------------------------------

def test_atomic_write_replaces_and_keeps_mode(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"old")
    os.chmod(f, 0o640)
    store.atomic_write(str(f), b"new content")
    assert f.read_bytes() == b"new content"
    assert stat.S_IMODE(os.stat(f).st_mode) == 0o640
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize("exc", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_atomic_write_failure_leaves_original_and_no_temp(tmp_path, monkeypatch, exc):
    f = tmp_path / "a.txt"
    f.write_bytes(b"original")

    def fail(fh, data):
        fh.write(data[:3])  # half written, then the disk is full / Ctrl-C
        raise exc

    monkeypatch.setattr(store, "_write_all", fail)
    with pytest.raises(type(exc)):
        store.atomic_write(str(f), b"replacement")
    assert f.read_bytes() == b"original"
    assert temp_files(tmp_path) == []


# -- files that cannot be done: clear error, others processed -----------------------

def test_full_disk_one_file(tmp_path, monkeypatch, fake_repair):
    src = tree(tmp_path / "src", {"a.txt": OLD, "b.txt": "满" + OLD, "c.txt": OLD})
    real = store._write_all

    def full(fh, data):
        if "满".encode() in data:
            fh.write(data[:5])
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fh, data)

    monkeypatch.setattr(store, "_write_all", full)
    r = invoke("-i", src)
    assert r.exit_code == 2
    assert r.stderr.count("zhfix: error:") == 1
    assert f"zhfix: error: {src / 'b.txt'}: cannot write: no space left on device; file left as it was" in r.stderr
    assert (src / "b.txt").read_text(encoding="utf-8") == "满" + OLD
    assert (src / "a.txt").read_text(encoding="utf-8") == NEW
    assert (src / "c.txt").read_text(encoding="utf-8") == NEW
    assert temp_files(src) == []


def test_read_only_file_left_alone(tmp_path, fake_repair):
    src = tree(tmp_path / "src", {"ro.txt": OLD, "rw.txt": OLD})
    os.chmod(src / "ro.txt", 0o444)
    r = invoke("-i", src)
    assert r.exit_code == 2
    assert f"zhfix: error: {src / 'ro.txt'}: read-only file, left alone" in r.stderr
    assert (src / "ro.txt").read_text(encoding="utf-8") == OLD
    assert stat.S_IMODE(os.stat(src / "ro.txt").st_mode) == 0o444
    assert (src / "rw.txt").read_text(encoding="utf-8") == NEW


def test_unreadable_file(tmp_path, monkeypatch, fake_repair):
    """We run as root, where chmod 000 does not stop reading: the refusal is
    simulated at open()."""
    src = tree(tmp_path / "src", {"secret.txt": OLD, "ok.txt": OLD})
    real_open = open

    def guarded(path, *a, **kw):
        if str(path).endswith("secret.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *a, **kw)

    monkeypatch.setattr(batch, "open", guarded, raising=False)
    r = invoke("-i", src)
    assert r.exit_code == 2
    assert f"zhfix: error: {src / 'secret.txt'}: cannot read: permission denied" in r.stderr
    assert (src / "secret.txt").read_text(encoding="utf-8") == OLD
    assert (src / "ok.txt").read_text(encoding="utf-8") == NEW


def test_dangling_link_and_missing_path(tmp_path, fake_repair):
    tree(tmp_path, {"ok.txt": OLD})
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    r = invoke("-i", tmp_path / "dangling.txt", tmp_path / "nope.txt", tmp_path / "ok.txt")
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert f"zhfix: error: {tmp_path / 'dangling.txt'}: cannot read: dangling symbolic link" in lines
    assert f"zhfix: error: {tmp_path / 'nope.txt'}: cannot read: no such file or directory" in lines
    assert (tmp_path / "ok.txt").read_text(encoding="utf-8") == NEW
    assert os.path.islink(tmp_path / "dangling.txt") and not (tmp_path / "gone.txt").exists()


def test_file_vanishes_after_discovery(tmp_path, monkeypatch, fake_repair):
    src = tree(tmp_path / "src", {"a.txt": OLD, "b.txt": OLD})
    real = files.discover

    def discover_then_delete(*a, **kw):
        found = real(*a, **kw)
        os.unlink(src / "a.txt")
        return found

    monkeypatch.setattr(files, "discover", discover_then_delete)
    r = invoke("-i", src)
    assert r.exit_code == 2
    assert f"zhfix: error: {src / 'a.txt'}: cannot read: no such file (vanished?)" in r.stderr
    assert not (src / "a.txt").exists()
    assert (src / "b.txt").read_text(encoding="utf-8") == NEW


def test_file_vanishes_during_repair(tmp_path, fake_repair):
    src = tree(tmp_path / "src", {"a.txt": "删" + OLD, "b.txt": OLD})
    fake_repair["删"] = lambda: os.unlink(src / "a.txt")
    r = invoke("-i", src)
    assert r.exit_code == 2
    assert f"{src / 'a.txt'}: vanished before it could be written; nothing written" in r.stderr
    assert not (src / "a.txt").exists()  # not brought back to life
    assert (src / "b.txt").read_text(encoding="utf-8") == NEW
    assert temp_files(src) == []


def test_file_changed_during_repair_is_left_to_the_other_writer(tmp_path, fake_repair):
    src = tree(tmp_path / "src", {"a.txt": "改" + OLD})
    fake_repair["改"] = lambda: (src / "a.txt").write_text("someone else's edit, longer\n", encoding="utf-8")
    r = invoke("-i", src)
    assert r.exit_code == 2 and "changed by someone else" in r.stderr
    assert (src / "a.txt").read_text(encoding="utf-8") == "someone else's edit, longer\n"


def test_binary_and_undecodable_never_rewritten(tmp_path, fake_repair):
    data = {"pic.txt": b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(4096), "bad.txt": b"\xef\xbb\xbf\xff\xfe\xfd\xfc",
            "ok.txt": OLD.encode()}
    src = tree(tmp_path / "src", data)
    mtimes = {k: os.stat(src / k).st_mtime_ns for k in data}
    r = invoke("-i", src / "pic.txt", src / "bad.txt", src / "ok.txt")
    assert r.exit_code == 2
    errs = r.stderr.strip().splitlines()
    assert errs[0].startswith(f"zhfix: error: {src / 'pic.txt'}: binary data")
    assert errs[1].startswith(f"zhfix: error: {src / 'bad.txt'}: ")
    for k in ("pic.txt", "bad.txt"):
        assert (src / k).read_bytes() == data[k] and os.stat(src / k).st_mtime_ns == mtimes[k]
    assert (src / "ok.txt").read_text(encoding="utf-8") == NEW


def test_internal_error_in_a_stage_is_one_file_error(tmp_path, fake_repair):
    src = tree(tmp_path / "src", {"a.txt": "炸" + OLD, "b.txt": OLD})

    def boom():
        raise RuntimeError("stage exploded")

    fake_repair["炸"] = boom
    r = invoke("-i", src)
    assert r.exit_code == 2
    assert f"zhfix: error: {src / 'a.txt'}: internal error: RuntimeError: stage exploded" in r.stderr
    assert (src / "b.txt").read_text(encoding="utf-8") == NEW


# -- interrupted batches (real processes, real repair) ----------------------------------

def _make_tree(root: Path, n: int, seed: int) -> dict:
    rng = random.Random(seed)
    docs = {}
    for i in range(n):
        if rng.random() < 0.12:
            body = f"第{i}篇。\n" + DAMAGED * rng.randint(1, 4)
        else:
            body = f"第{i}篇。\n" + CLEAN * rng.randint(1, 4)
        docs[f"d{i % 40:02d}/f{i:05d}.txt"] = body.encode("utf-8")
    tree(root, docs)
    return {str(root / k): v for k, v in docs.items()}


def _allowed(originals: dict) -> dict:
    """Per file: its bytes as they were, or as repaired (and, should the
    repair not be idempotent, repaired twice by a later run)."""
    ok = {}
    for path, data in originals.items():
        once = expected_bytes(data)
        ok[path] = {data, once, expected_bytes(once)}
    return ok


def _start(*args, env):
    return subprocess.Popen([sys.executable, "-m", "zhfix", *map(str, args)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)


def _check_every_file(root: Path, originals: dict, allowed: dict) -> int:
    """Every file is there, exactly as it was or as repaired; return how many are repaired."""
    now = {str(p): p.read_bytes() for p in root.rglob("*.txt")}
    assert sorted(now) == sorted(allowed), "files missing or extra"
    for path, data in now.items():
        assert data in allowed[path], f"{path} is neither original nor repaired ({len(data)} bytes)"
    return sum(1 for p, d in now.items() if d != originals[p])


def test_sigkill_mid_batch_leaves_every_file_whole(tmp_path):
    """SIGKILL (the whole process group, workers too) at seeded random moments
    of a `zhfix -i` over ~2500 files: afterwards each file is exactly its
    original or exactly its repair; a final complete run leaves no temp files."""
    t0 = time.monotonic()
    root = tmp_path / "tree"
    originals = _make_tree(root, 2500, seed=7)
    allowed = _allowed(originals)
    env = subprocess_env(ZHFIX_CACHE_DIR=tmp_path / "cache")

    start = time.monotonic()  # how long a whole run takes here
    p = _start("--check", "--no-cache", "-q", "--jobs", "2", root, env=env)
    p.communicate(timeout=300)
    full = time.monotonic() - start
    print(f"\nfull --check run over 2500 files: {full:.2f} s")

    rng = random.Random(20240601)
    for k in range(4):
        delay = rng.uniform(0.25, 0.95) * full
        p = _start("-i", "-q", "--jobs", "2", root, env=env)
        time.sleep(delay)
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
        p.communicate(timeout=60)
        repaired = _check_every_file(root, originals, allowed)
        print(f"kill {k + 1} after {delay:.2f} s: {repaired} files repaired so far, "
              f"{len(temp_files(root))} temp files left behind")

    p = _start("-i", "-q", "--jobs", "2", root, env=env)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err.decode()
    _check_every_file(root, originals, allowed)
    for path, data in originals.items():
        once = expected_bytes(data)
        assert Path(path).read_bytes() in (once, expected_bytes(once))
    assert temp_files(root) == []
    print(f"SIGKILL test: {time.monotonic() - t0:.1f} s in all")


def test_ctrl_c_stops_cleanly(tmp_path):
    """SIGINT to the process group (Ctrl-C) half-way through: exit 130, one
    line saying so, no traceback, no temporary files, every file whole."""
    root = tmp_path / "tree"
    originals = _make_tree(root, 2500, seed=3)
    env = subprocess_env(ZHFIX_CACHE_DIR=tmp_path / "cache")
    start = time.monotonic()
    _start("--check", "--no-cache", "-q", "--jobs", "2", root, env=env).communicate(timeout=300)
    full = time.monotonic() - start

    # interrupted at 60 % of the check's time; where the run was done by then
    # (its workers started sooner), again on a fresh tree, sooner
    for attempt, share in enumerate((0.6, 0.3, 0.15)):
        if attempt:
            root = tmp_path / f"tree-{attempt}"
            originals = _make_tree(root, 2500, seed=3)
            env = subprocess_env(ZHFIX_CACHE_DIR=tmp_path / f"cache-{attempt}")
        p = _start("-i", "--jobs", "2", root, env=env)
        time.sleep(share * full)
        os.killpg(p.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        out, err = p.communicate(timeout=120)
        err = err.decode()
        if p.returncode != 0:
            break
        _check_every_file(root, originals, _allowed(originals))
    else:
        pytest.skip("every run finished before its interrupt")
    allowed = _allowed(originals)
    assert p.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    repaired = _check_every_file(root, originals, allowed)
    print(f"\nCtrl-C after {share * full:.2f} s: {repaired} files repaired, the rest untouched")
    assert temp_files(root) == []
