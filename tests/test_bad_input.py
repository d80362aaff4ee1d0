"""Bad input on the command line: unreadable, binary, non-regular and endless
files, JSON lines that are not UTF-8, file names that are not UTF-8.  Each
gets a one-line error naming it (or is skipped, found in a walk), the rest of
the batch is still done, and nothing hangs or crashes."""
from __future__ import annotations

import json
import os
import shutil
import struct
import sys
import zlib
from pathlib import Path

import pytest

from cli_support import DAMAGED, cli_env, expected_bytes, invoke, run_zhfix, tree  # noqa: F401

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file kinds and permissions")


def _png() -> bytes:
    """A real 8x8 RGB PNG image (signature, IHDR, IDAT, IEND)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + bytes(v for x in range(8) for v in (x * 30, y * 30, 128)) for y in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _elf() -> bytes:
    """The first 256 KB of the running interpreter's executable."""
    with open(os.path.realpath(sys.executable), "rb") as f:
        data = f.read(256 << 10)
    if not data.startswith(b"\x7fELF"):
        pytest.skip("the interpreter is not an ELF executable on this platform")
    return data


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF executables")
def test_binary_files_are_recognised_by_content(tmp_path):
    root = tree(tmp_path / "t", {"ok.txt": DAMAGED, "prog": _elf(), "image.png": _png()})
    r = run_zhfix("--check", "--include", "*", "--report", "json", root)
    assert r.returncode == 1, r.stderr  # ok.txt would be repaired; the binaries are skipped
    report = json.loads(r.stderr[r.stderr.index(b"{"):])
    assert report["errors"] == 0
    skipped = {Path(d["file"]).name: d["reason"] for d in report["files"]["skipped"]}
    assert skipped == {"prog": "binary data, not text", "image.png": "binary data, not text"}
    # named on the command line, they are errors (a user asked for them)
    r = run_zhfix(root / "prog", root / "image.png", root / "ok.txt")
    assert r.returncode == 2
    errors = r.stderr.decode().splitlines()
    assert errors == [f"zhfix: error: {root / 'prog'}: binary data, not text",
                      f"zhfix: error: {root / 'image.png'}: binary data, not text"]
    assert r.stdout == expected_bytes(DAMAGED.encode())


@POSIX
def test_an_unreadable_file_on_the_command_line_is_a_per_file_error(tmp_path):
    bad = tmp_path / "unreadable.txt"
    bad.write_text("不能读的文件\n", encoding="utf-8")
    bad.chmod(0)
    ok = tmp_path / "ok.txt"
    ok.write_text(DAMAGED, encoding="utf-8")
    prefix = []
    if os.geteuid() == 0:  # root reads anything: drop the capability in a user namespace
        assert shutil.which("unshare"), "unshare (util-linux) is needed to test permissions as root"
        prefix = ["unshare", "--user"]
    import subprocess

    from cli_support import subprocess_env
    try:
        r = subprocess.run(prefix + [sys.executable, "-m", "zhfix", str(bad), str(ok)], capture_output=True,
                           stdin=subprocess.DEVNULL, env=subprocess_env(), timeout=120)
    finally:
        bad.chmod(0o644)
    assert r.returncode == 2
    assert r.stderr.decode().splitlines() == [f"zhfix: error: {bad}: cannot read: permission denied"]
    assert r.stdout == expected_bytes(DAMAGED.encode())


@POSIX
def test_a_fifo_on_the_command_line_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    ok = tmp_path / "ok.txt"
    ok.write_text(DAMAGED, encoding="utf-8")
    r = run_zhfix(fifo, ok, timeout=30)  # no writer: reading it would block for ever
    assert r.returncode == 2
    assert r.stderr.decode().splitlines() == [
        f"zhfix: error: {fifo}: not a regular file (a FIFO); pipe it in: zhfix < FILE"]
    assert r.stdout == expected_bytes(DAMAGED.encode())


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_an_endless_device_is_refused_at_once():
    r = run_zhfix("--check", "/dev/zero", timeout=30)
    assert r.returncode == 2
    assert r.stderr.decode().splitlines()[0] == \
        "zhfix: error: /dev/zero: not a regular file (a character device); pipe it in: zhfix < FILE"


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="no /proc")
def test_max_size_applies_to_what_is_read_not_to_what_stat_says():
    # /proc files report a size of 0; this one holds several KB
    assert os.stat("/proc/self/maps").st_size == 0
    r = run_zhfix("--check", "--max-size", "1KB", "/proc/self/maps")
    assert r.returncode == 0
    assert "skipped /proc/self/maps: larger than --max-size (more than 1000 bytes read)" in r.stderr.decode()
    assert "1 file skipped" in r.stderr.decode()


def test_jsonl_lines_that_are_not_utf8_pass_through_and_the_rest_is_repaired(tmp_path):
    good = json.dumps({"id": 1, "text": DAMAGED}, ensure_ascii=False).encode("utf-8")
    bad = b'{"id": 2, "text": "\xff\xfe not UTF-8 \xc3"}'
    clean = json.dumps({"id": 3, "text": "这是干净的文本。"}, ensure_ascii=False).encode("utf-8")
    f = tmp_path / "data.jsonl"
    f.write_bytes(good + b"\n" + bad + b"\n" + clean + b"\n")
    r = run_zhfix("--jsonl", f)
    assert r.returncode == 2
    assert r.stderr.decode().splitlines() == [f"zhfix: error: {f}:2: not UTF-8; line left as it was"]
    lines = r.stdout.split(b"\n")
    assert json.loads(lines[0])["text"] == expected_bytes(DAMAGED.encode()).decode()
    assert lines[1] == bad
    assert lines[2] == clean
    # in place: the same, written to the file
    r = run_zhfix("-i", "--jsonl", f)
    assert r.returncode == 2
    assert f.read_bytes().split(b"\n")[1] == bad
    assert json.loads(f.read_bytes().split(b"\n")[0])["text"] == expected_bytes(DAMAGED.encode()).decode()


def test_invalid_json_names_its_position(tmp_path):
    f = tmp_path / "data.jsonl"
    f.write_text('{"text": "没有结束\n', encoding="utf-8")
    r = run_zhfix("--jsonl", f)
    assert r.returncode == 2
    assert r.stderr.decode().splitlines() == [
        f"zhfix: error: {f}:1: invalid JSON (Unterminated string starting at: column 10); line left as it was"]


def test_field_without_jsonl_is_a_usage_error(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DAMAGED, encoding="utf-8")
    r = invoke("--field", "body", f)
    assert r.exit_code == 2
    assert "--field chooses the field of --jsonl records; add --jsonl" in r.stderr
    assert r.stdout == ""


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names must be able to hold any bytes")
def test_file_names_that_are_not_utf8_are_printed_escaped(tmp_path):
    root = tmp_path / "t"
    root.mkdir()
    name = os.fsdecode(b"bad\xff.txt")
    (root / name).write_text(DAMAGED, encoding="utf-8")
    r = run_zhfix("--json", root)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["file"] == f"{root}/bad\\xff.txt"
    r = run_zhfix("--explain", root / name)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().startswith(f"{root}/bad\\xff.txt")
    r = run_zhfix("--check", root)
    assert r.returncode == 1
    assert f"would repair {root}/bad\\xff.txt" in r.stderr.decode()
    r = run_zhfix("-i", root)
    assert r.returncode == 0
    assert (root / name).read_bytes() == expected_bytes(DAMAGED.encode())


@POSIX
def test_a_symbolic_link_loop_is_called_so(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "gone").symlink_to(tmp_path / "nothing")
    r = run_zhfix(tmp_path / "a", tmp_path / "gone")
    assert r.returncode == 2
    assert r.stderr.decode().splitlines() == [
        f"zhfix: error: {tmp_path / 'a'}: cannot read: symbolic link loop",
        f"zhfix: error: {tmp_path / 'gone'}: cannot read: dangling symbolic link"]


def test_a_one_record_jsonl_file_in_gbk_is_read_as_gbk_and_repaired(tmp_path):
    """Lines that are not UTF-8 pass through only in a file that is UTF-8
    otherwise; a whole file in GBK is decoded as GBK, one line or many."""
    record = json.dumps({"text": DAMAGED}, ensure_ascii=False)
    for n in (1, 2):
        f = tmp_path / f"gbk{n}.jsonl"
        f.write_bytes(((record + "\n") * n).encode("gbk"))
        r = run_zhfix("--jsonl", f)
        assert r.returncode == 0, r.stderr
        assert [json.loads(line)["text"] for line in r.stdout.decode("utf-8").splitlines()] == \
            [expected_bytes(DAMAGED.encode()).decode()] * n
