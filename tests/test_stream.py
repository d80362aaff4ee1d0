"""Inputs too large to hold are repaired in line-bounded chunks, with the same
result as repairing the whole document at once."""
import io

import pytest

import zhfix
from zhfix import stream
from damage import add_boilerplate, disguise

PARAGRAPHS = [
    "随着城市建设的推进，越来越多的居民搬进了新小区。",
    "社区服务中心开设了老年食堂和儿童托管班，方便了附近的家庭。",
    "这款软件的网络功能很强，数据传输速度快，信息安全也有保障。",
    "区政府表示，将继续加大对创业企业的扶持力度，发展数字经济。",
]


def _page(n):
    article = "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(n)) + "\n"
    return article


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(stream, "CHUNK", 2048)
    monkeypatch.setattr(stream, "STREAM_AT", 4096)


def test_chunks_give_the_same_text_as_the_whole(small_chunks):
    damaged = disguise(_page(400))
    out = io.BytesIO()
    result = stream.repair_stream(io.BytesIO(damaged.encode("utf-8")), out)
    assert out.getvalue().decode("utf-8") == zhfix.repair(damaged).text == _page(400)
    assert result.diagnosis.disguised
    pinyin = next(s for s in result.steps if s.name == "remove-pinyin")
    # line numbers count from the start of the whole input, not of a chunk
    assert max(pinyin.lines) > 700


def test_header_and_footer_of_a_streamed_page(small_chunks):
    article = _page(300)
    page = add_boilerplate(
        disguise(article),
        ["网上赌场开户送彩金", "百家乐在线娱乐", "时时彩平台注册", "体育投注官方网站"],
        "城市新闻网", ["最新评论"])
    out = io.BytesIO()
    stream.repair_stream(io.BytesIO(page.encode("utf-8")), out)
    assert out.getvalue().decode("utf-8") == zhfix.repair(page).text


def test_clean_text_streams_unchanged(small_chunks):
    clean = _page(500)
    out = io.BytesIO()
    stream.repair_stream(io.BytesIO(clean.encode("utf-8")), out)
    assert out.getvalue() == clean.encode("utf-8")


def test_gbk_input_streams_as_utf8(small_chunks):
    clean = _page(200)
    out = io.BytesIO()
    stream.repair_stream(io.BytesIO(clean.encode("gbk")), out)
    assert out.getvalue().decode("utf-8") == clean


def test_cli_streams_stdin_and_large_files(small_chunks, tmp_path):
    from cli_support import invoke

    damaged = disguise(_page(300)).encode("utf-8")
    r = invoke(input=damaged)
    assert r.exit_code == 0 and r.stdout_bytes.decode("utf-8") == _page(300)
    f = tmp_path / "big.txt"
    f.write_bytes(damaged)
    r = invoke(f, "--max-size", "1KB")  # printing one named file: never too big, streamed
    assert r.exit_code == 0 and r.stdout_bytes.decode("utf-8") == _page(300)


def test_a_clean_document_keeps_its_footer_when_streamed(small_chunks):
    # not a mirror page: its copyright line is part of the document, as it is
    # when the whole text is repaired at once
    clean = _page(300) + "版权所有，未经授权不得转载。\n"
    out = io.BytesIO()
    stream.repair_stream(io.BytesIO(clean.encode("utf-8")), out)
    assert out.getvalue().decode("utf-8") == zhfix.repair(clean).text == clean
