"""The zhfix command: stdin/stdout, output forms (--explain, --json, --diff,
--check), encodings and line endings, JSONL, settings, shell manners.

See cli_support for the rule: expected repairs come from the library;
``test_real_repair_*`` tests are the few that need a repair to change DAMAGED.
"""
from __future__ import annotations

import codecs
import json
import os
import signal
import subprocess
import sys

import pytest

import zhfix
from cli_support import (CLEAN, DAMAGED, cli_env, expected_bytes, invoke, report_json,  # noqa: F401
                         repaired_text, run_zhfix, subprocess_env, tree)

HEAVY = ("rich", "charset_normalizer", "jieba", "pypinyin", "ftfy", "opencc")


# -- start-up -------------------------------------------------------------------

def test_version_imports_nothing_heavy():
    """--version loads neither rich nor any repair dependency; its own import
    cost (click + zhfix) is printed."""
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "zhfix", "--version"],
                       capture_output=True, text=True, env=subprocess_env(), stdin=subprocess.DEVNULL)
    assert r.returncode == 0
    assert r.stdout.startswith(f"zhfix {zhfix.__version__} (")  # (the build: tests/test_build_info.py)
    modules = {line.split("|")[-1].strip().split(".")[0] for line in r.stderr.splitlines()
               if line.startswith("import time:")}
    assert not modules & set(HEAVY), modules & set(HEAVY)
    ours = sum(int(line.split("|")[1]) for line in r.stderr.splitlines()
               if line.startswith("import time:") and line.split("|")[-1].strip() in ("click", "zhfix", "zhfix.cli.command"))
    print(f"\nimport time of click + zhfix + zhfix.cli.command for --version: {ours / 1000:.1f} ms")


def test_help_documents_exit_codes():
    r = invoke("--help")
    assert r.exit_code == 0
    for code in ("0 ", "1 ", "2 ", "130", "141"):
        assert code in r.stdout
    assert "--in-place" in r.stdout and "--check" in r.stdout


def test_shell_completion_script():
    r = subprocess.run([sys.executable, "-m", "zhfix"], capture_output=True, text=True,
                       env=subprocess_env(_ZHFIX_COMPLETE="bash_source"), stdin=subprocess.DEVNULL)
    assert r.returncode == 0
    assert "complete" in r.stdout and "_ZHFIX_COMPLETE" in r.stdout


# -- stdin and stdout -----------------------------------------------------------

def test_file_to_stdout_is_utf8_bytes(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes((DAMAGED + CLEAN).encode("gb18030"))
    r = invoke(f)
    assert r.exit_code == 0
    assert r.stdout_bytes == expected_bytes(f.read_bytes())
    assert r.stderr == ""  # no summary when only printing
    assert f.read_bytes() == (DAMAGED + CLEAN).encode("gb18030")  # untouched


def test_stdin_dash_and_no_argument(tmp_path):
    data = (DAMAGED + CLEAN).encode()
    want = expected_bytes(data)
    assert invoke(input=data).stdout_bytes == want
    assert invoke("-", input=data).stdout_bytes == want


def test_several_files_printed_in_order(tmp_path):
    names = []
    for i in range(5):
        f = tmp_path / f"{i}.txt"
        f.write_text(f"第{i}个文件\n" + (DAMAGED if i % 2 else CLEAN), encoding="utf-8")
        names.append(f)
    r = invoke(*reversed(names))
    assert r.exit_code == 0
    assert r.stdout_bytes == b"".join(expected_bytes(f.read_bytes()) for f in reversed(names))


def test_empty_input_gives_empty_output(tmp_path):
    r = invoke(input=b"")
    assert (r.exit_code, r.stdout_bytes, r.stderr) == (0, b"", "")
    (tmp_path / "e.txt").write_bytes(b"")
    r = invoke(tmp_path / "e.txt")
    assert (r.exit_code, r.stdout_bytes) == (0, b"")


def test_binary_on_stdin_one_line_exit_2():
    r = invoke(input=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert r.exit_code == 2
    assert r.stdout_bytes == b""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("zhfix: error: <stdin>: ")


def test_undecodable_stdin_exit_2():
    r = invoke(input=codecs.BOM_UTF8 + b"\xff\xfe\xfd abc")
    assert r.exit_code == 2 and r.stdout_bytes == b""
    assert r.stderr.startswith("zhfix: error: <stdin>: ") and r.stderr.count("\n") == 1


def test_no_argument_on_a_terminal_is_a_usage_error(monkeypatch):
    monkeypatch.setattr("zhfix.cli.command._stdin_is_tty", lambda: True)
    r = invoke()
    assert r.exit_code == 2
    assert "no input" in r.stderr


def test_ci_without_stdin_does_not_wait():
    """As CI runs it: stdin /dev/null, CI=true.  Reads nothing, exits 0."""
    r = run_zhfix(timeout=60)
    assert (r.returncode, r.stdout, r.stderr) == (0, b"", b"")


def test_subprocess_stdout_ignores_locale(tmp_path):
    """LC_ALL=C and PYTHONIOENCODING=ascii: the output is still UTF-8 bytes."""
    f = tmp_path / "a.txt"
    f.write_text(DAMAGED + CLEAN, encoding="utf-8")
    r = run_zhfix(f)
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected_bytes(f.read_bytes())
    r = run_zhfix("--explain", f)
    assert r.returncode == 0 and f.name.encode() in r.stdout


def test_binary_stdin_subprocess():
    r = run_zhfix(input=bytes(range(256)) * 4)
    assert r.returncode == 2 and r.stdout == b""
    assert r.stderr.decode().count("\n") == 1 and b"Traceback" not in r.stderr


def test_pipe_closed_early_is_quiet(tmp_path):
    """``zhfix big.txt | head``: no BrokenPipeError trace."""
    bigs = []
    for i in range(4):  # several writes: the ones after the reader left must fail
        bigs.append(tmp_path / f"big{i}.txt")
        bigs[-1].write_text(CLEAN * 15000, encoding="utf-8")  # ~1 MB each
    p = subprocess.Popen([sys.executable, "-m", "zhfix", *map(str, bigs)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=subprocess_env())
    p.stdout.read(100)
    p.stdout.close()
    err = p.stderr.read()
    rc = p.wait(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err
    assert err == b""
    assert rc in (141, -signal.SIGPIPE)


# -- what was done ----------------------------------------------------------------

def test_real_repair_damaged_sample_changes():
    """The one sample whose repair is certain: pinyin gone, simplified, fullwidth comma."""
    r = invoke(input=DAMAGED.encode())
    assert r.exit_code == 0
    out = r.stdout_bytes.decode()
    assert "(wǎng)" not in out and "國" not in out and "，" in out


def test_explain_is_readable(tmp_path):
    f = tmp_path / "page.txt"
    f.write_text(CLEAN + DAMAGED, encoding="utf-8")
    r = invoke("--explain", f)
    assert r.exit_code == 0
    out = r.stdout_bytes.decode()
    assert str(f) in out and "read as utf-8" in out and "diagnosis" in out
    result = zhfix.repair(CLEAN + DAMAGED)
    for step in result.steps:
        assert step.name in out
        if step.lines:
            assert step.line_ranges() in out
        for c in step.changes[:3]:
            assert f"{c.line}:{c.column}" in out
    if not result.changed:
        assert "nothing to repair" in out
    assert f.read_text(encoding="utf-8") == CLEAN + DAMAGED  # nothing written
    assert "\x1b[" not in out  # no colour off a terminal


def test_json_is_result_to_dict_plus_file(tmp_path):
    f = tmp_path / "page.txt"
    data = (CLEAN + DAMAGED).encode("gb18030")
    f.write_bytes(data)
    r = invoke("--json", f)
    assert r.exit_code == 0
    lines = r.stdout_bytes.decode().splitlines()
    assert len(lines) == 1
    got = json.loads(lines[0])
    want = zhfix.repair_bytes(data).to_dict()
    assert got.pop("file") == str(f)
    assert got == json.loads(json.dumps(want))


def test_json_on_stdin_has_null_file():
    r = invoke("--json", input=CLEAN.encode())
    got = json.loads(r.stdout_bytes)
    assert got["file"] is None and got["encoding"] == "utf-8"


def test_diff_writes_nothing(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(CLEAN + DAMAGED, encoding="utf-8")
    before = f.read_bytes()
    r = invoke("--diff", f)
    assert r.exit_code == 0
    assert f.read_bytes() == before
    out = r.stdout_bytes.decode()
    if repaired_text(CLEAN + DAMAGED) != CLEAN + DAMAGED:
        assert out.startswith(f"--- {f}\t(original)\n+++ {f}\t(repaired)\n@@ ")
        assert "\x1b[" not in out
    else:
        assert out == ""


def test_check_lists_and_exits_1(tmp_path):
    tree(tmp_path, {"bad.txt": DAMAGED, "good.txt": CLEAN})
    before = (tmp_path / "bad.txt").read_bytes()
    r = invoke("--check", tmp_path / "bad.txt", tmp_path / "good.txt")
    bad_changes = repaired_text(DAMAGED) != DAMAGED
    assert r.exit_code == (1 if bad_changes else 0)
    assert (f"would repair {tmp_path / 'bad.txt'}" in r.stderr) == bad_changes
    assert "good.txt" not in r.stderr.split("scanned")[0]
    assert (tmp_path / "bad.txt").read_bytes() == before
    r = invoke("--check", tmp_path / "good.txt")
    assert r.exit_code == (1 if repaired_text(CLEAN) != CLEAN else 0)


def test_check_on_stdin():
    r = invoke("--check", "-q", input=CLEAN.encode())
    assert r.exit_code == 0 and r.stdout_bytes == b""


# -- bytes in, bytes out ----------------------------------------------------------

def test_bom_and_crlf_survive(tmp_path):
    text = (CLEAN + DAMAGED + CLEAN).replace("\n", "\r\n")
    f = tmp_path / "win.txt"
    f.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    out = invoke(f).stdout_bytes
    assert out.startswith(codecs.BOM_UTF8)
    body = out[3:].decode("utf-8")
    assert body.count("\r\n") == body.count("\n") == text.count("\n")
    assert out == expected_bytes(f.read_bytes()).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def test_crlf_restored_if_the_pipeline_drops_it(tmp_path, monkeypatch):
    real = zhfix.repair
    monkeypatch.setattr(zhfix, "repair", lambda text, config=None, **kw: real(text.replace("\r\n", "\n"), config))
    f = tmp_path / "win.txt"
    f.write_bytes((CLEAN + DAMAGED).replace("\n", "\r\n").encode())
    body = invoke(f).stdout_bytes.decode()
    assert body.count("\r\n") == body.count("\n") == 3


def test_utf16_bom_kept_as_utf8_bom(tmp_path):
    f = tmp_path / "u16.txt"
    f.write_bytes(CLEAN.encode("utf-16"))
    out = invoke(f).stdout_bytes
    assert out == codecs.BOM_UTF8 + repaired_text(CLEAN).encode()
    out = invoke("--keep-encoding", f).stdout_bytes
    assert out.startswith(codecs.BOM_UTF16_LE) and out.decode("utf-16") == repaired_text(CLEAN)


def test_keep_encoding_writes_gbk_back(tmp_path):
    f = tmp_path / "gbk.txt"
    data = (DAMAGED + CLEAN).encode("gb18030")
    f.write_bytes(data)
    r = invoke("--keep-encoding", "-i", f)
    assert r.exit_code == 0, r.stderr
    enc = zhfix.repair_bytes(data).encoding
    assert f.read_bytes() == repaired_text((DAMAGED + CLEAN)).encode(enc)


def test_keep_encoding_refuses_what_does_not_fit(tmp_path, monkeypatch):
    """Big5 in, a simplified character out: an error, the file left alone."""
    real = zhfix.repair

    def adds_simplified(text, config=None, **kw):
        r = real(text, config)
        r.text = r.text + "这"
        return r

    monkeypatch.setattr(zhfix, "repair", adds_simplified)
    f = tmp_path / "big5.txt"
    data = "中國質量新聞網發布，企業質量數據顯示，產品合格率穩步提升。這是一個關於質量的報導。\n".encode("big5") * 3
    f.write_bytes(data)
    r = invoke("--keep-encoding", "-i", f)
    assert r.exit_code == 2
    assert f"zhfix: error: {f}: --keep-encoding:" in r.stderr and "big5" in r.stderr
    assert f.read_bytes() == data
    r = invoke("-i", f)  # without it: UTF-8
    assert r.exit_code == 0 and f.read_bytes().decode("utf-8").endswith("这")


# -- JSON lines -----------------------------------------------------------------

def test_jsonl_repairs_one_field_keeps_the_rest(tmp_path):
    records = [{"id": 1, "text": DAMAGED, "title": DAMAGED},
               {"text": CLEAN, "meta": {"url": "http://例子.cn"}, "id": 2},
               {"id": 3, "body": "no text field"}]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(2, "{not json")
    f = tmp_path / "data.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = invoke("--jsonl", "--field", "text", f)
    assert r.exit_code == 2  # one bad line
    assert r.stderr.strip() == f"zhfix: error: {f}:3: invalid JSON (Expecting property name enclosed in double quotes: column 2); line left as it was"
    out = r.stdout_bytes.decode("utf-8").splitlines()
    assert len(out) == 4 and out[2] == "{not json"
    for got, rec in zip([out[0], out[1], out[3]], records):
        want = zhfix.repair_record(rec, "text")
        assert json.loads(got) == want
        assert list(json.loads(got)) == list(rec)  # key order kept
        if want == rec:
            assert got == json.dumps(rec, ensure_ascii=False)  # untouched line, byte for byte
    assert json.loads(out[0])["title"] == DAMAGED  # other keys untouched
    assert "\\u" not in "".join(out)


def test_jsonl_other_field(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"body": DAMAGED, "text": DAMAGED}, ensure_ascii=False) + "\n", encoding="utf-8")
    got = json.loads(invoke("--jsonl", "--field", "body", f).stdout_bytes)
    assert got == zhfix.repair_record({"body": DAMAGED, "text": DAMAGED}, "body")
    assert got["text"] == DAMAGED


# -- options reach the library ------------------------------------------------------

texts = []


def _capture_config(monkeypatch):
    seen = []
    texts.clear()
    real = zhfix.repair

    def spy(text, config=None, **kw):
        seen.append(config)
        texts.append(text)
        return real(text, config)

    monkeypatch.setattr(zhfix, "repair", spy)
    return seen


def test_keep_boilerplate_flag(tmp_path, monkeypatch):
    seen = _capture_config(monkeypatch)
    invoke(input=CLEAN.encode())
    invoke("--keep-boilerplate", input=CLEAN.encode())
    assert [c.strip_boilerplate for c in seen] == [True, False]
    assert [c.explain for c in seen] == [False, False]
    invoke("--explain", input=CLEAN.encode())
    assert seen[-1].explain is True


def test_pyproject_settings_and_flags_win(tmp_path, monkeypatch):
    seen = _capture_config(monkeypatch)
    proj = tree(tmp_path / "proj", {
        "pyproject.toml": '[tool.zhfix]\nkeep-boilerplate = true\nfield = "body"\nexclude = ["skip"]\n',
        "a.txt": CLEAN, "skip/b.txt": CLEAN,
        "d.jsonl": json.dumps({"body": "正文", "text": "文本"}, ensure_ascii=False) + "\n",
    })
    r = invoke("--check", "-v", proj)
    assert r.exit_code in (0, 1)
    assert seen and all(c.strip_boilerplate is False for c in seen)
    assert "a.txt" in r.stderr and "b.txt" not in r.stderr  # exclude = ["skip"]
    texts.clear()
    invoke("--jsonl", proj / "d.jsonl")
    assert texts == ["正文"]  # field = "body"
    texts.clear()
    invoke("--jsonl", "--field", "text", proj / "d.jsonl")
    assert texts == ["文本"]  # the command line wins


def test_unknown_setting_is_a_usage_error(tmp_path):
    tree(tmp_path, {"pyproject.toml": "[tool.zhfix]\nfrobnicate = 1\n", "a.txt": CLEAN})
    r = invoke(tmp_path / "a.txt")
    assert r.exit_code == 2 and "frobnicate" in r.stderr


def test_config_file_option(tmp_path, monkeypatch):
    seen = _capture_config(monkeypatch)
    cfg = tmp_path / "zhfix.toml"
    cfg.write_text("keep-boilerplate = true\n")
    invoke("--config", cfg, input=CLEAN.encode())
    assert seen[-1].strip_boilerplate is False


def test_fail_on_lossy(tmp_path):
    """A '?' between Chinese characters: lossy if the pipeline says so."""
    text = "我们今天去?京看望朋友，天气很好。\n"
    f = tmp_path / "l.txt"
    f.write_text(text, encoding="utf-8")
    lossy = zhfix.repair(text).lossy
    r = invoke("--fail-on", "lossy", f)
    assert r.exit_code == (1 if lossy else 0)
    assert ("lossy places in" in r.stderr) == lossy
    assert invoke(f).exit_code == 0


def test_quiet_and_report_json_to_file(tmp_path):
    tree(tmp_path / "d", {"a.txt": CLEAN, "b.txt": DAMAGED})
    rep = tmp_path / "report.json"
    r = invoke("--check", "-q", "--report", "json", "--report-file", rep, tmp_path / "d")
    assert r.stderr == "" and r.stdout_bytes == b""
    data = json.loads(rep.read_text())
    assert data["scanned"] == 2 and data["errors"] == 0
    assert data["repaired"] == sum(repaired_text(t) != t for t in (CLEAN, DAMAGED))
    assert data["exit_code"] == r.exit_code


def test_usage_errors():
    assert invoke("-i", "-").exit_code == 2
    assert invoke("-i", "-o", "x", "y").exit_code == 2
    assert invoke("--check", "-i", "x").exit_code == 2
    assert invoke("--explain", "--json", "-").exit_code == 2
    assert invoke("--max-size", "lots", "-").exit_code == 2


def test_explain_lists_the_spans_left_alone(tmp_path):
    f = tmp_path / "ru.txt"
    f.write_text("俄语的“谢谢”是 Спасибо。\n", encoding="utf-8")
    r = invoke("--explain", f)
    assert r.exit_code == 0
    assert "left-alone" in r.stdout and "Спасибо" in r.stdout and "plausible as it stands" in r.stdout
    r = invoke("--json", f)
    steps = json.loads(r.stdout)["steps"]
    assert [(s["name"], s["kind"], s["count"]) for s in steps] == [("left-alone", "note", 1)]
