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


# -- lines longer than a chunk, characters split by a read ---------------------

def _one_line(units, encoding, size, every):
    """`units` (sentences) repeated on one line until `size` bytes in
    `encoding`, shifted by spaces where needed so that every offset that is a
    multiple of `every` (where a read ends) falls inside a multi-byte
    character.  Returns the text."""
    parts, length, boundary = [], 0, every
    i = 0
    while length < size:
        unit = units[i % len(units)]
        i += 1
        for pad in range(8):
            piece = " " * pad + unit
            widths = [len(ch.encode(encoding)) for ch in piece]
            starts, pos = set(), length
            for w in widths:
                starts.add(pos)
                pos += w
            if all(b not in starts and b != pos for b in range(boundary, pos + 1, every)):
                break
        else:
            raise AssertionError("no padding puts the boundaries inside characters")
        parts.append(piece)
        length = pos
        while boundary < length:
            boundary += every
    text = "".join(parts)
    data = text.encode(encoding)
    for b in range(every, len(data), every):  # (what the helper promises)
        assert len(data[:b].decode(encoding, "ignore").encode(encoding)) != b
    return text


SENTENCES = PARAGRAPHS


@pytest.mark.parametrize("chunk", [2046, 2048, 3000])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_line_longer_than_the_chunk_streams_damaged(monkeypatch, chunk, encoding):
    monkeypatch.setattr(stream, "CHUNK", chunk)
    if encoding == "utf-8":
        units = [disguise(p) for p in SENTENCES]  # pinyin, traditional characters, ASCII commas
    else:
        units = [disguise(p).replace("ǎ", "a").replace("ā", "a").replace("à", "a") for p in SENTENCES]
    text = _one_line(units, encoding, 12 * chunk, chunk)
    assert "\n" not in text
    out = io.BytesIO()
    result = stream.repair_stream(io.BytesIO(text.encode(encoding)), out)
    whole = zhfix.repair(text)
    assert whole.text != text  # (there was something to repair)
    assert out.getvalue().decode("utf-8") == whole.text
    for s in result.steps:
        assert s.lines == [1]


@pytest.mark.parametrize("chunk", [2046, 2048, 3001])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5"])
def test_a_clean_line_longer_than_the_chunk_streams_unchanged(monkeypatch, chunk, encoding):
    # no line break, no ASCII at all: the encoding is judged on a prefix that
    # ends at a character, wherever the read ended
    monkeypatch.setattr(stream, "CHUNK", chunk)
    units = [zhfix.repair(disguise(p)).text for p in SENTENCES]
    if encoding == "big5":
        from damage import to_traditional
        units = [to_traditional(u) for u in units]
    text = _one_line(units, encoding, 12 * chunk, chunk)
    assert text.isascii() is False and not any(c.isascii() for c in text.replace(" ", ""))
    out = io.BytesIO()
    stream.repair_stream(io.BytesIO(text.encode(encoding)), out)
    assert out.getvalue().decode("utf-8") == zhfix.repair(text).text


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5"])
def test_a_short_title_then_a_line_longer_than_the_chunk(monkeypatch, encoding):
    # the encoding and the diagnosis are not judged on the title alone
    monkeypatch.setattr(stream, "CHUNK", 2048)
    units = PARAGRAPHS
    if encoding == "big5":
        from damage import to_traditional
        units = [to_traditional(u) for u in units]  # (disguised: to be converted)
    text = units[0][:3] + "\n" + _one_line(units, encoding, 12 * 2048, 2048)
    out = io.BytesIO()
    stream.repair_stream(io.BytesIO(text.encode(encoding)), out)
    assert out.getvalue().decode("utf-8") == zhfix.repair(text).text


def test_short_lines_around_a_long_one_keep_their_numbers(monkeypatch):
    monkeypatch.setattr(stream, "CHUNK", 2048)
    long_line = _one_line([disguise(p) for p in SENTENCES], "utf-8", 10 * 2048, 2048)
    text = disguise(_page(3)) + long_line + "\n" + disguise(_page(3))
    out = io.BytesIO()
    result = stream.repair_stream(io.BytesIO(text.encode("utf-8")), out,
                                  zhfix.Config(explain=True))
    whole = zhfix.repair(text, zhfix.Config(explain=True))
    assert out.getvalue().decode("utf-8") == whole.text
    streamed = {s.name: s.lines for s in result.steps}
    assert streamed == {s.name: s.lines for s in whole.steps}


def test_cli_streams_a_9mb_line_cut_inside_a_character(tmp_path):
    from cli_support import run_zhfix

    text = _one_line([zhfix.repair(disguise(p)).text for p in SENTENCES], "utf-8",
                     9_000_000, stream.CHUNK)
    data = text.encode("utf-8")
    assert len(data) > stream.STREAM_AT and "\n" not in text
    assert not data[:stream.CHUNK].decode("utf-8", "ignore").encode("utf-8") == data[:stream.CHUNK]
    f = tmp_path / "one-line.txt"
    f.write_bytes(data)
    r = run_zhfix(f)
    assert r.returncode == 0, r.stderr
    assert r.stdout == data
    r = run_zhfix(input=data)  # the same on stdin
    assert r.returncode == 0, r.stderr
    assert r.stdout == data


# -- the reader goes away: exit 141, nothing on stderr, promptly ----------------

def _pipeline(source, reader, tmp_path):
    """Run ``zhfix SOURCE | READER`` in bash with pipefail: (exit code, what
    the reader printed, stderr, seconds)."""
    import shlex
    import subprocess
    import sys
    import time

    from cli_support import subprocess_env

    out = tmp_path / "reader-out"
    command = (f"set -o pipefail; {shlex.quote(sys.executable)} -m zhfix {source} "
               f"| {reader} > {shlex.quote(str(out))}")
    start = time.perf_counter()
    r = subprocess.run(["bash", "-c", command], capture_output=True, timeout=120, env=subprocess_env())
    return r.returncode, out.read_bytes(), r.stderr, time.perf_counter() - start


@pytest.fixture(scope="module")
def damaged_15mb(tmp_path_factory):
    text = "\n\n".join(disguise(p) for p in PARAGRAPHS * 40) + "\n"
    data = text.encode("utf-8") * (15_000_000 // len(text.encode("utf-8")) + 1)
    f = tmp_path_factory.mktemp("big") / "damaged-15mb.txt"
    f.write_bytes(data)
    return f


def test_a_streamed_file_piped_to_head_exits_141(damaged_15mb, tmp_path):
    code, head, err, seconds = _pipeline(damaged_15mb, "head -1", tmp_path)
    assert (code, err) == (141, b"")
    assert head.decode("utf-8") == zhfix.repair(disguise(PARAGRAPHS[0]) + "\n").text
    assert seconds < 20  # (one chunk repaired, not the whole file)


def test_streamed_stdin_piped_to_head_exits_141(damaged_15mb, tmp_path):
    code, head, err, seconds = _pipeline(f"- < {damaged_15mb}", "head -1", tmp_path)
    assert (code, err) == (141, b"")
    assert head.decode("utf-8") == zhfix.repair(disguise(PARAGRAPHS[0]) + "\n").text


def test_a_50mb_line_piped_to_head_exits_141_promptly(tmp_path):
    line = "".join(disguise(p) for p in PARAGRAPHS * 40).encode("utf-8")
    f = tmp_path / "one-line-50mb.txt"
    f.write_bytes(line * (50_000_000 // len(line) + 1))
    code, head, err, seconds = _pipeline(f, "head -c 100", tmp_path)
    assert (code, err) == (141, b"")
    assert len(head) == 100
    assert head.decode("utf-8", "ignore") in zhfix.repair("".join(disguise(p) for p in PARAGRAPHS)).text
    # (a line is never cut: the whole line is repaired before the first bytes
    # go out, a second or two with the compiled loops; the pure ones take ~10x)
    from zhfix.loops import scan
    assert seconds < (5 if scan.COMPILED else 60)


def test_a_directory_piped_to_head_exits_141(tmp_path):
    d = tmp_path / "tree"
    d.mkdir()
    page = _page(200).encode("utf-8")
    for i in range(200):
        (d / f"page{i:03}.txt").write_bytes(page)
    code, head, err, seconds = _pipeline(d, "head -1", tmp_path)
    assert (code, err) == (141, b"")
    assert head.decode("utf-8") == PARAGRAPHS[0] + "\n"


@pytest.mark.parametrize("stdin", [False, True])
def test_a_file_too_small_to_stream_piped_to_head_exits_141(tmp_path, stdin):
    # (printed with one write: a pipe closed half-way through it lost the
    # error, and the run exited 0)
    text = "\n\n".join(disguise(p) for p in PARAGRAPHS * 40) + "\n"
    f = tmp_path / "damaged-5mb.txt"
    f.write_bytes(text.encode("utf-8") * (5_000_000 // len(text.encode("utf-8"))))
    assert f.stat().st_size < stream.STREAM_AT
    code, head, err, seconds = _pipeline(f"- < {f}" if stdin else f, "head -c 100", tmp_path)
    assert (code, err) == (141, b"")
    assert len(head) == 100


@pytest.mark.parametrize("chunk", [2048, 3001])
def test_a_mirror_page_with_a_line_longer_than_the_chunk_streams_as_a_whole(monkeypatch, chunk):
    """A long line is never cut: the header, chrome, footer and first-character
    tests judge whole lines, so streaming gives what repairing the whole does
    (a cut once added a line break, stripped a sentence as a footer, and
    simplified a 'first character' in mid-line)."""
    monkeypatch.setattr(stream, "CHUNK", chunk)
    sentence = disguise("过去我们在这里学习了很多东西，这些经验对发展很有帮助，我们要继续努力。")
    notice = disguise("本站版权所有，未经授权不得转载。")
    for line in (sentence * 60 + notice, notice + "過去" + sentence * 60):
        page = "首頁 > 新聞 > 國內\n" + line + "\n"
        out = io.BytesIO()
        stream.repair_stream(io.BytesIO(page.encode("utf-8")), out)
        assert out.getvalue().decode("utf-8") == zhfix.repair(page).text
