"""Legacy bytes (issue 14, item 2): Chinese legacy encodings are read right
(GB2312/GBK/GB18030, Big5, Big5-HKSCS, HZ: a file repairs as its UTF-8 twin
does); other languages' legacy bytes (Korean, Japanese, Cyrillic, Greek) are
never misread: skipped as not Chinese, left byte-identical.

The texts come from packages installed here, read at test time: CPython's
``test/cjkencodings`` (pairs of a legacy file and its UTF-8 twin), Faker's
(or Babel's) locale data; the Chinese sentences are this file's own.
"""
from __future__ import annotations

import os
import shutil

import pytest

from cli_support import cli_env, invoke, report_json  # noqa: F401
import zhfix

CJK = os.path.join(os.path.dirname(os.__file__), "test", "cjkencodings")
#: The encodings of CPython's test files that are Chinese ones.
CHINESE = {"big5", "big5hkscs", "gb18030", "gb2312", "gbk", "hz"}


def _pairs():
    if not os.path.isdir(CJK):
        return []
    return sorted(name[:-len("-utf8.txt")] for name in os.listdir(CJK)
                  if name.endswith("-utf8.txt") and os.path.exists(os.path.join(CJK, name[:-len("-utf8.txt")] + ".txt")))


PAIRS = _pairs()
needs_cjk = pytest.mark.skipif(not PAIRS, reason=f"CPython's test/cjkencodings is not installed ({CJK})")


def _read(name: str) -> bytes:
    with open(os.path.join(CJK, name), "rb") as f:
        return f.read()


def test_the_cjkencodings_files_are_both_kinds():
    if not PAIRS:
        pytest.skip(f"CPython's test/cjkencodings is not installed ({CJK})")
    assert CHINESE & set(PAIRS) and set(PAIRS) - CHINESE


# -- Chinese legacy files: as their UTF-8 twin -----------------------------------

@needs_cjk
@pytest.mark.parametrize("enc", sorted(CHINESE & set(PAIRS)) or ["(none)"])
def test_chinese_legacy_file_repairs_as_its_utf8_twin(enc, tmp_path):
    legacy, twin = _read(enc + ".txt"), _read(enc + "-utf8.txt")
    assert legacy != twin
    assert zhfix.repair_bytes(legacy).text == zhfix.repair(twin.decode("utf-8")).text
    (tmp_path / "legacy.txt").write_bytes(legacy)
    (tmp_path / "twin.txt").write_bytes(twin)
    a = invoke(tmp_path / "legacy.txt")
    b = invoke(tmp_path / "twin.txt")
    assert a.exit_code == b.exit_code == 0, a.stderr
    assert a.stdout_bytes == b.stdout_bytes


@needs_cjk
def test_big5hkscs_is_read_as_big5hkscs():
    data = _read("big5hkscs.txt")
    assert zhfix.repair_bytes(data).encoding == "big5hkscs"
    assert zhfix.repair_bytes(data).text == _read("big5hkscs-utf8.txt").decode("utf-8")


# -- other languages' legacy files: left alone -----------------------------------

def _left_alone(tmp_path, name: str, data: bytes) -> None:
    """`data` in a file: -i keeps it byte-identical, --check passes, the
    summary counts it skipped, not Chinese (named, and found in a walk);
    printed to stdout as it came; the library raises NotChineseError."""
    d = tmp_path / "in"
    d.mkdir()
    f = d / name
    f.write_bytes(data)
    for target in (f, d):
        r = invoke("-i", "--report", "json", target)
        assert r.exit_code == 0, r.stderr
        assert f.read_bytes() == data
        rep = report_json(r)
        assert rep["files"]["repaired"] == [] and rep["errors"] == 0
        assert [s["file"] for s in rep["files"]["skipped"]] == [str(f)]
        assert rep["files"]["skipped"][0]["reason"].startswith("not Chinese text (")
        r = invoke("--check", target)
        assert r.exit_code == 0, r.stderr
    r = invoke(f)
    assert r.exit_code == 0 and r.stdout_bytes == data
    r = invoke("-", input=data)
    assert r.exit_code == 0 and r.stdout_bytes == data
    # -o: skipped like any skipped file (nothing written for it)
    r = invoke("-o", tmp_path / "out", d)
    assert r.exit_code == 0 and not (tmp_path / "out" / name).exists()
    with pytest.raises(zhfix.NotChineseError, match="not Chinese text"):
        zhfix.repair_bytes(data)


@needs_cjk
@pytest.mark.parametrize("enc", sorted(set(PAIRS) - CHINESE) or ["(none)"])
def test_other_legacy_file_is_left_alone(enc, tmp_path):
    _left_alone(tmp_path, enc + ".txt", _read(enc + ".txt"))


def _alphabet_texts():
    """(locale, encoding, text): Cyrillic and Greek prose from Faker's locale
    data (or names from Babel's), short and long."""
    plan = [("ru_RU", ["cp1251", "koi8_r"]), ("uk_UA", ["cp1251"]), ("el_GR", ["cp1253", "iso8859_7"])]
    try:
        import faker
    except ImportError:
        faker = None
    if faker is not None:
        for loc, encs in plan:
            fake = faker.Faker(loc)
            fake.seed_instance(14)
            for size in (40, 200, 2000):
                text = fake.text(max_nb_chars=size)
                for enc in encs:
                    yield loc, enc, size, text
        return
    try:
        from babel import Locale
    except ImportError:
        return
    for loc, encs in plan:
        names = sorted(Locale.parse(loc).territories.values())
        for size in (40, 200, 2000):
            text = " ".join(names)[:size]
            for enc in encs:
                yield loc, enc, size, text


def _fits(text: str, enc: str) -> str:
    return "".join(c for c in text if c.encode(enc, "ignore"))


ALPHABETS = list(_alphabet_texts())


@pytest.mark.skipif(not ALPHABETS, reason="neither Faker nor Babel is installed")
@pytest.mark.parametrize("loc,enc,size,text", ALPHABETS or [("", "", 0, "")],
                         ids=[f"{a[0]}-{a[1]}-{a[2]}" for a in ALPHABETS] or ["none"])
def test_cyrillic_and_greek_legacy_bytes_are_left_alone(loc, enc, size, text, tmp_path):
    data = _fits(text, enc).encode(enc)
    assert not data.isascii()
    _left_alone(tmp_path, "page.txt", data)


# -- Chinese sentences of this file, short and long -------------------------------

SIMPLIFIED = [
    "你好", "中文", "请把门关上。", "谢谢你的帮助！", "我爱北京天安门", "春天来了，花都开了。",
    "今天下午我们去公园散步。", "我的电脑坏了，只好去修理店。", "这家饭馆的菜很好吃，价格也不贵。",
    "学习中文很有意思，但是汉字很难写。\n我每天练习一个小时。\n",
]
TRADITIONAL = [
    "你好", "中文", "請把門關上。", "謝謝你的幫助！", "香港的夜景非常漂亮", "春天來了，花都開了。",
    "今天下午我們去公園散步。", "我的電腦壞了，只好去修理店。", "這家飯館的菜很好吃，價格也不貴。",
    "圖書館週末開到晚上九點。", "學習中文很有意思，但是漢字很難寫。\n我每天練習一個小時。\n",
]
LONG_SIMPLIFIED = ("图书馆周末开到晚上九点，平时开到晚上八点。" "他说明天会下雨，记得带伞。"
                   "这个问题需要认真考虑一下，不能马上回答。\n") * 40
LONG_TRADITIONAL = ("他說明天會下雨，記得帶傘。" "這個問題需要認真考慮一下，不能馬上回答。"
                    "週末我們一起去看電影吧。\n") * 40

CASES = ([("gbk", s) for s in SIMPLIFIED + [LONG_SIMPLIFIED]]
         + [("big5", s) for s in TRADITIONAL + [LONG_TRADITIONAL]])


@pytest.mark.parametrize("enc,text", CASES, ids=[f"{e}-{t[:6]}" for e, t in CASES])
def test_own_chinese_sentences_in_gbk_and_big5_are_read_right(enc, text, tmp_path):
    data = text.encode(enc)
    result = zhfix.repair_bytes(data)
    assert result.text == zhfix.repair(text).text
    f = tmp_path / "page.txt"
    f.write_bytes(data)
    r = invoke(f)
    assert r.exit_code == 0, r.stderr
    assert r.stdout_bytes == zhfix.repair(text).text.encode("utf-8")


def test_ascii_with_tilde_braces_or_ansi_escapes_stays_ascii():
    # what the HZ and ISO-2022 checks look at, in text that is neither
    for text in ("LaTeX: Fig.~{\\ref{a}} and ~{x~}\n", "\x1b[1mbold\x1b[0m and \x1b$ alone\n"):
        result = zhfix.repair_bytes(text.encode("ascii"))
        assert result.encoding == "utf-8" and result.text == text


@needs_cjk
def test_a_stream_not_chinese_is_copied_through(monkeypatch):
    import io

    from zhfix import stream

    monkeypatch.setattr(stream, "CHUNK", 256)  # several reads
    data = _read("euc_kr.txt") * 8
    out = io.BytesIO()
    with pytest.raises(zhfix.NotChineseError):
        stream.repair_stream(io.BytesIO(data[100:]), out, first=data[:100])
    assert out.getvalue() == data


@pytest.mark.parametrize("enc,line", [("gbk", SIMPLIFIED[-1]), ("big5", TRADITIONAL[-1])])
def test_chinese_after_a_long_ascii_preamble_is_read_right(enc, line):
    # the encoding is judged on a sample: where the bytes beyond ASCII are
    # (its encoding is what --keep-encoding writes back and --explain shows)
    text = "An English preamble, longer than the sample judged.\n" * 3000 + line * 3
    result = zhfix.repair_bytes(text.encode(enc))
    assert result.text == zhfix.repair(text).text
    assert result.encoding == {"gbk": "gb18030", "big5": "big5"}[enc]


def test_chinese_bytes_read_as_korean_are_no_korean_text():
    """Where charset-normalizer names no encoding (a man page of English
    troff with a few Chinese lines), zhfix asks whether a Korean reading is
    Korean: GB Chinese read as cp949 is half "Hangul" but also 40 % Hanja,
    which Korean text hardly writes; such a page was refused as Korean."""
    from zhfix.stages import decode

    zh = "把所有参数追加到变量的当前值的后面。如果变量不存在，则给它一个值为空的值。这个命令提供了一个高效的方式来逐步建立一个长的变量。"
    assert decode._home_reading(zh.encode("gb18030")) is None
    korean = "오늘은 날씨가 맑아서 친구들과 함께 공원에 가서 산책을 하고 점심을 먹었습니다. 저녁에는 집에서 책을 읽었습니다."
    assert decode._home_reading(korean.encode("cp949")) == "cp949"


def test_a_table_of_hangul_without_spaces_is_korean():
    """An input method's table: Hangul letters and syllables, a key after
    each, no spaces between Korean words (there are none) and no Hanja, in
    EUC-KR.  Its syllables are GB2312's and Big5's common characters read
    the other way, so it was returned as Chinese (丑 丐 不 中)."""
    syllables = [bytes([0xB0 + i // 94, 0xA1 + i % 94]).decode("euc_kr") for i in range(0, 94 * 20, 7)]
    letters = [chr(c) for c in range(0x3131, 0x3164)]
    table = "".join(f"{ch}\tk{i}\n" for i, ch in enumerate(letters + syllables))
    with pytest.raises(zhfix.NotChineseError):
        zhfix.repair_bytes(table.encode("euc_kr"))
