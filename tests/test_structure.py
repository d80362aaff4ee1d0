"""Structure-aware repair (issue 14, item 3): punctuation is restored only in
a document's Chinese prose, boilerplate stripped only from a page, never its
title nor most of it; the library's ``kind=`` and its sniffing; the command
line's kind by extension and ``--kind``.

Every input is our own sentences damaged by tests/damage.py; every expected
text is the clean source those sentences came from.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

import zhfix
from zhfix import structure
from damage import add_boilerplate, disguise

from cli_support import cli_env, invoke, run_zhfix, snapshot, tree  # noqa: F401  (cli_env: a fixture)

P1 = "我们的团队在杭州举办了一次技术交流会，主要讨论数据质量和软件发展。"
P2 = "会议结束后，大家一起参观了新建的实验室，并讨论了明年的合作计划。"
P3 = "如果你有任何问题，请发邮件给我们：我们会尽快回复！"
P5 = "图书馆新增了三百多册儿童绘本（含立体书），欢迎家长带孩子来借阅。"
#: A record about copyright, as a corpus of scraped texts holds: shaped like
#: a page's footer notice, yet a record like any other.
NOTICE = "本站所有文章版权所有，未经授权不得转载，转载请注明出处。"
PROSE = [P1, P2, P3, P5]


def _csv(rows, delimiter=",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _parsed(text: str, delimiter=",") -> list:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _rows(n=8, damage=lambda s: s):
    return [["编号", "名称", "说明"]] + [[str(i), f"项目{i}", damage(PROSE[i % 4])] for i in range(n)] \
        + [[str(n), "声明", damage(NOTICE)]]


def _jsonl(damage=lambda s: s) -> str:
    records = [{"id": i, "备注(来源)": "网站", "text": damage(PROSE[i % 4])} for i in range(6)]
    records.append({"id": 6, "备注(来源)": "网站", "text": damage(NOTICE)})
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


MARKDOWN = """# 数据质量报告

{p1}详情见[会议纪要（第一版）](https://example.com/notes_(v1)?a=1,2 "纪要")，以及![现场照片](img/现场,1.png)。

运行下面的脚本（需要管理员权限）。

```python
# 发展规划：检查数据
print("会议结束后,大家一起参观了实验室:")
check(数据, 质量)
```

    缩进的代码:发展(质量)

调用 `load(发展,质量)` 之后，{p3}

{p2}
"""


def _markdown(damage=lambda s: s) -> str:
    # the mirror disguises the whole file, code and link targets included
    return damage(MARKDOWN.format(p1=P1, p2=P2, p3=P3))


CODE_BLOCK = '```python\n# 發(fā)展規劃:檢查數據\nprint("會議結束後,大家一起參觀了實驗室:")\ncheck(數據, 質量)\n```'

PYTHON = '''# -*- coding: utf-8 -*-
"""分词词典的测试：简体和繁体的新词都要能切出来。"""
import jieba

# 先加入简体新词，再加入繁体新词
jieba.add_word('石墨烯')
jieba.add_word('石墨烯材料')
jieba.add_word('發展規劃')
jieba.add_word('軟體工程師')


def test_simplified():
    # 简体句子：新材料的研究进展
    words = jieba.lcut('石墨烯是一种新材料,研究进展很快。')
    assert '石墨烯' in words, words


def test_traditional():
    # 繁體句子：軟體工程師討論發展規劃
    words = jieba.lcut('軟體工程師正在討論發展規劃。')
    assert '發展規劃' in words, words
'''


# -- the library's kind= ------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda kind: zhfix.fix_text("中文", kind=kind),
    lambda kind: zhfix.fix_text("plain ascii", kind=kind),
    lambda kind: zhfix.repair("中文", kind=kind),
    lambda kind: zhfix.repair_bytes("中文".encode("utf-8"), kind=kind),
    lambda kind: zhfix.apply_plan("中文", [], zhfix.Config(kind=kind)),
])
def test_unknown_kind_is_a_value_error_naming_the_kinds(call):
    with pytest.raises(ValueError) as e:
        call("spreadsheet")
    assert "spreadsheet" in str(e.value)
    for kind in ("text", "markdown", "code", "csv", "tsv", "json", "jsonl"):
        assert kind in str(e.value)


@pytest.mark.parametrize("kind", [None, "auto", "text", "markdown", "code", "csv", "tsv", "json", "jsonl"])
def test_every_kind_leaves_clean_text_byte_identical(kind):
    for text in (P1 + "\n" + P2 + "\n", _csv(_rows()), _jsonl(), _markdown()):
        assert zhfix.fix_text(text, kind=kind) == text
        assert zhfix.repair(text, kind=kind).text == text


def test_sniffing():
    assert structure.sniff(json.dumps({"标题": "说明,备注"}, ensure_ascii=False)) == "json"
    assert structure.sniff(_jsonl(disguise)) == "jsonl"
    assert structure.sniff(_csv(_rows(damage=disguise))) == "csv"
    assert structure.sniff(_csv(_rows(damage=disguise), delimiter="\t")) == "tsv"
    assert structure.sniff(PYTHON) == "code"
    assert structure.sniff(_markdown(disguise)) == "markdown"
    assert structure.sniff("<!DOCTYPE html>\n<html><body><p>中文</p></body></html>\n") == "html"
    # XHTML: an XML declaration first
    assert structure.sniff('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
                           '<html><body><p>中文</p></body></html>\n') == "html"
    assert structure.sniff('<?xml version="1.0"?>\n<config><name>中文</name></config>\n') != "html"
    # a disguised page has many "," and ":" but no constant count of them: prose
    page = disguise("\n\n".join([P1 + P2, P3, P5 + P1, P2]) + "\n")
    assert structure.sniff(page) == "text"
    # nor is a disguised poem, one comma a line, a two-column table
    poem = disguise("春风吹过小河边，柳枝轻轻摇。\n孩子们在田野里，追着风筝跑。\n"
                    "太阳慢慢落下去，炊烟升起来。\n妈妈站在门口处，喊我回家吃饭。\n")
    assert structure.sniff(poem) == "text"
    # a fenced block alone (two fences: no inline code, no link) makes
    # Markdown; a lone fence line does not
    fenced = P1 + "\n\n```\n" + disguise(P2) + "\n```\n\n" + P3 + "\n"
    assert structure.sniff(fenced) == "markdown"
    assert structure.sniff(fenced.replace("\n```\n\n", "\n\n")) == "text"


def test_kind_for_path_is_the_one_table():
    assert structure.kind_for_path("a/b/notes.MD") == "markdown"
    assert structure.kind_for_path("data.ndjson") == "jsonl"
    assert structure.kind_for_path("x.tsv") == "tsv"
    assert structure.kind_for_path("main.go") == "code"
    assert structure.kind_for_path("page.html") == "html"
    assert structure.kind_for_path("page.txt") is None
    assert structure.kind_for_path("README") is None


# -- punctuation only in prose -----------------------------------------------------

@pytest.mark.parametrize("kind", ["csv", None])
def test_csv_keeps_its_delimiters_and_columns(kind):
    damaged = _csv(_rows(damage=disguise))
    r = zhfix.repair(damaged, kind=kind)
    # (the writer quoted the damaged fields, which held ASCII commas)
    assert _parsed(r.text) == _rows()
    assert r.kind == "csv"


def test_csv_with_semicolons_keeps_them():
    out = zhfix.fix_text(_csv(_rows(damage=disguise), delimiter=";"), kind="csv")
    assert _parsed(out, ";") == _rows()


def test_tsv_prose_commas_are_restored():
    out = zhfix.fix_text(_csv(_rows(damage=disguise), delimiter="\t"), kind="tsv")
    assert _parsed(out, "\t") == _rows()


@pytest.mark.parametrize("kind", ["jsonl", None])
def test_jsonl_records_kept_keys_untouched_and_parse(kind):
    damaged = _jsonl(disguise)
    r = zhfix.repair(damaged, kind=kind)
    out = [json.loads(line) for line in r.text.splitlines()]
    want = [json.loads(line) for line in _jsonl().splitlines()]
    assert len(out) == len(want)  # the last record (a "notice") is not a footer
    assert [o["text"] for o in out] == [w["text"] for w in want]
    # a key is structure: its parentheses are not widened
    assert all("备注(来源)" in o for o in out)


def test_json_document_still_parses():
    doc = {"标题": disguise("数据质量报告"), "段落": [disguise(p) for p in PROSE], "作者(单位)": "王(小)明"}
    damaged = json.dumps(doc, ensure_ascii=False, indent=2)
    out = json.loads(zhfix.fix_text(damaged, kind="json"))
    assert out["段落"] == PROSE
    assert "作者(单位)" in out


@pytest.mark.parametrize("kind", ["markdown", None])
def test_markdown_code_and_link_syntax_untouched(kind):
    damaged = _markdown(disguise)
    r = zhfix.repair(damaged, kind=kind)
    out = r.text
    assert r.kind == "markdown"
    # the code is the mirror's (converted, but no mark widened), and so are
    # the link targets; the prose and the link text are repaired
    assert "](https://example.com/notes_(v1)?a=1,2 " in out
    assert "](img/现场,1.png)" in out
    assert '\nprint("会议结束后,大家一起参观了实验室:")\ncheck(数据, 质量)\n```' in out
    assert "\n    缩进的代码:发展(质量)\n" in out
    assert "`load(发展,质量)`" in out
    assert P1 + "详情见[会议纪要（第一版）]" in out
    assert "调用 `load(发展,质量)` 之后，" + P3 in out
    assert ")，以及![" in out
    assert P2 in out


def test_markdown_autolinks_and_html_tags_keep_their_marks():
    """A Markdown page's autolinks and inline HTML are markup: their commas,
    colons and question marks stay as the mirror left them, between Chinese
    characters too, while the prose around them is repaired."""
    page = (P1 + "\n\n资料见 <https://example.com/查询?词=数据,质量>，"
            + '或者<span title="说明,备注:数据?">这里</span>。\n\n' + P2 + "\n\n调用 `load(发展,质量)` 之后，" + P3 + "\n")
    out = zhfix.fix_text(disguise(page), kind="markdown")
    assert "<https://example.com/查询?词=数据,质量>" in out
    assert '<span title="说明,备注:数据?">这里</span>。' in out
    assert P1 in out and P2 in out and "之后，" + P3 in out


@pytest.mark.parametrize("block", ["~~~\n缩进的代码:发展(质量)\n~~~", "```\n缩进的代码:发展(质量)\n```",
                                   "    缩进的代码:发展(质量)", "\t缩进的代码:发展(质量)"])
def test_markdown_code_blocks_of_each_shape_keep_their_marks(block):
    """A block fenced by tildes or backticks, or indented by four spaces or
    a tab, after a paragraph, is code: its marks stay as the mirror left
    them (the same indent under a list item is prose: below)."""
    page = "# 说明\n\n" + P1 + "\n\n" + block + "\n\n" + P2 + "\n"
    out = zhfix.fix_text(disguise(page), kind="markdown")
    assert "缩进的代码:发展(质量)" in out
    assert P1 in out and P2 in out


@pytest.mark.parametrize("item", ["- ", "1. ", "١. "])
def test_markdown_list_items_of_each_shape_continue_as_prose(item):
    """A line indented under a list item, whatever its marker (a bullet, a
    number, a number in other digits), continues it: prose, its punctuation
    restored."""
    page = "# 说明\n\n" + item + P1 + "\n\n    " + P3 + "\n\n" + P2 + "\n"
    out = zhfix.fix_text(disguise(page), kind="markdown")
    assert "\n    " + P3 + "\n" in out


def test_markdown_as_text_would_widen_the_code():
    """(what kind= prevents: the same input as plain text)"""
    out = zhfix.fix_text(_markdown(disguise), kind="text")
    assert 'print（"' in out


def test_html_scripts_and_tags_untouched():
    page = ("<html><head><script>var s = '\u4e2d\u6587';\nalert('數據,質量');</script></head>\n<body>\n<p>"
            + disguise(P1) + "</p>\n<p>" + disguise(P2) + "</p>\n</body></html>\n")
    out = zhfix.fix_text(page, kind="html")
    assert "alert('数据,质量');" in out
    assert "<p>" + P1 + "</p>" in out and "<p>" + P2 + "</p>" in out


def test_an_html_page_is_judged_by_its_prose():
    """A genuine Taiwan page whose halfwidth commas are all in its markup (a
    keywords attribute) is no disguise; a disguised page saved as HTML,
    halfwidth marks in its prose, still is."""
    page = ('<!DOCTYPE html>\n<html><head><meta name="keywords" content="圖表, 類型, 內容, 格式, 說明, 範例, 步驟">\n'
            '<title>圖表類型</title></head>\n<body><p>這一頁說明各種圖表類型的用法。選取內容範圍以後，'
            '按一下「插入」裡的圖表，就可以看到所有的類型。</p></body></html>\n')
    for kind in ("html", None):  # named, and sniffed
        assert zhfix.fix_text(page, kind=kind) == page
    damaged = '<html><head><meta name="keywords" content="新闻, 质量">\n</head><body>\n<p>' + disguise(P1) + "</p>\n</body></html>\n"
    assert "<p>" + P1 + "</p>" in zhfix.fix_text(damaged)


def test_code_python_compiles_and_clean_code_is_byte_identical():
    assert zhfix.fix_text(PYTHON, kind="code") == PYTHON
    assert zhfix.fix_text(PYTHON) == PYTHON  # sniffed as code
    damaged = disguise(PYTHON)
    for kind in ("code", None):
        out = zhfix.fix_text(damaged, kind=kind)
        compile(out, "test_words.py", "exec")
        assert "jieba.add_word('石墨烯')" in out
    r = zhfix.repair(damaged, kind="code")
    assert not r.diagnosis.disguised and "restore-punctuation" not in r.plan


def test_code_forced_disguised_still_restores_no_mark():
    out = zhfix.fix_text(disguise(PYTHON), kind="code", disguised=True)
    compile(out, "test_words.py", "exec")
    assert "jieba.add_word('发展规划')" in out


@pytest.mark.parametrize("kind, text", [
    ("csv", lambda: _csv(_rows(damage=disguise))),
    ("jsonl", lambda: _jsonl(disguise)),
    ("markdown", lambda: _markdown(disguise)),
    ("code", lambda: disguise(PYTHON)),
])
def test_replayed_plan_gives_the_same_result(kind, text):
    text = text()
    config = zhfix.Config(kind=kind)
    r = zhfix.repair(text, config)
    assert r.plan
    assert zhfix.apply_plan(text, r.plan, config) == r.text
    assert zhfix.fix_text(text, config) == r.text
    assert zhfix.repair(text, config._replace(explain=False)).text == r.text


def test_stream_keeps_csv_delimiters():
    from zhfix import stream

    damaged = _csv(_rows(damage=disguise))
    sink = io.BytesIO()
    stream.repair_stream(io.BytesIO(damaged.encode("utf-8")), sink, zhfix.Config(kind="csv"))
    assert _parsed(sink.getvalue().decode("utf-8")) == _rows()


# -- boilerplate -------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_no_record_is_a_footer(kind):
    text = _csv(_rows(damage=disguise)) if kind == "csv" else _jsonl(disguise)
    r = zhfix.repair(text, kind=kind)
    assert not [s for s in r.steps if s.name.startswith("strip-")]
    assert len(r.text.splitlines()) == len(text.splitlines())


def test_footer_that_would_be_most_of_the_page_is_kept():
    """An index page: a title, one sentence, then a list of links from top to
    bottom (each a bullet: the shape of a footer's related headlines)."""
    items = ["城市公园开放时间调整", "图书馆新增儿童绘本", "地铁三号线试运行", "社区食堂正式开业",
             "老旧小区改造完成", "夜间公交线路增加", "新建体育馆对外开放", "河道清理工作结束"]
    page = "本市新闻索引\n\n" + P1 + "\n\n" + "".join(f"- {t}的消息…\n" for t in items)
    damaged = disguise(page)
    r = zhfix.repair(damaged)
    assert r.diagnosis.disguised
    assert r.text.count("\n- ") == len(items)
    assert "strip-footer" not in r.plan


def test_a_mirror_footer_is_still_stripped():
    article = P1 + "\n\n" + P2 + "\n\n" + P3 + "\n"
    page = add_boilerplate(disguise(article), ["网上赌场开户送彩金", "百家乐在线娱乐", "时时彩平台注册",
                                               "体育投注官方网站"], "城市新闻网", ["最新评论"])
    r = zhfix.repair(page)
    assert {"strip-header", "strip-chrome", "strip-footer"} <= set(r.plan)
    assert r.text.startswith(P1) and r.text.rstrip().endswith(P3)


def test_title_line_is_never_chrome():
    """A page whose title is shaped like a site name (a short line ending in
    在线) keeps it: only a spam header is stripped above the title."""
    page = "城市交通在线\n\n" + P1 + "\n\n" + P2 + "\n\n" + P3 + "\n"
    r = zhfix.repair(disguise(page))
    assert r.diagnosis.disguised
    assert r.text.startswith("城市交通在线\n")
    assert "strip-chrome" not in r.plan


# -- the command line ---------------------------------------------------------------

def _tree(root):
    return tree(root, {
        "data/records.jsonl": _jsonl(disguise),
        "data/table.csv": _csv(_rows(damage=disguise)),
        "docs/report.md": _markdown(disguise),
        "src/test_words.py": PYTHON,
        "src/test_words_mirror.py": disguise(PYTHON),
        "page.txt": disguise(P1 + "\n\n" + P2 + "\n"),
    })


def _check_tree(root):
    got = snapshot(root)
    out = [json.loads(line) for line in got["data/records.jsonl"].decode().splitlines()]
    assert [o["text"] for o in out] == [json.loads(line)["text"] for line in _jsonl().splitlines()]
    assert _parsed(got["data/table.csv"].decode()) == _rows()
    md = got["docs/report.md"].decode()
    assert "](https://example.com/notes_(v1)?a=1,2 " in md and "`load(发展,质量)`" in md
    assert '\nprint("会议结束后,大家一起参观了实验室:")\n' in md
    assert P1 + "详情见[会议纪要（第一版）]" in md
    assert got["src/test_words.py"] == PYTHON.encode()
    compile(got["src/test_words_mirror.py"].decode(), "test_words_mirror.py", "exec")
    assert got["page.txt"].decode() == P1 + "\n\n" + P2 + "\n"


def test_cli_in_place_tree_of_kinds(tmp_path):
    root = _tree(tmp_path / "t")
    r = invoke("-i", "--include", "*.jsonl", "--include", "*.csv", "--include", "*.md", "--include", "*.py",
               "--include", "*.txt", root)
    assert r.exit_code == 0, r.stderr
    _check_tree(root)


def test_cli_in_place_subprocess(tmp_path):
    root = _tree(tmp_path / "t")
    r = run_zhfix("-i", "--include", "*.jsonl", "--include", "*.csv", "--include", "*.md", "--include",
                  "*.py", "--include", "*.txt", root)
    assert r.returncode == 0, r.stderr
    _check_tree(root)


def test_cli_kind_option_for_stdin():
    damaged = _csv(_rows(damage=disguise))
    r = invoke("--kind", "csv", input=damaged.encode())
    assert r.exit_code == 0 and _parsed(r.stdout) == _rows()
    r = invoke("--kind", "text", input=damaged.encode())
    assert "，" in _parsed(r.stdout)[1][0]  # (told it is prose: the delimiters are widened)
    r = invoke("--kind", "spreadsheet", input=damaged.encode())
    assert r.exit_code == 2 and "spreadsheet" in r.stderr


def test_cli_kind_option_overrides_the_extension(tmp_path):
    root = tree(tmp_path, {"notes.txt": _markdown(disguise), "table.dat": _csv(_rows(damage=disguise))})
    r = invoke("--kind", "markdown", root / "notes.txt")
    assert '\nprint("会议结束后,大家一起参观了实验室:")\n' in r.stdout
    r = invoke(root / "table.dat")  # (no extension known: sniffed)
    assert _parsed(r.stdout) == _rows()


def test_cli_explain_says_the_kind(tmp_path):
    root = tree(tmp_path, {"t.csv": _csv(_rows(damage=disguise))})
    r = invoke("--explain", root / "t.csv")
    assert "kind csv" in r.stdout
    r = invoke("--json", root / "t.csv")
    assert json.loads(r.stdout)["kind"] == "csv"


def test_cli_jsonl_mode_field_is_prose(tmp_path):
    """--jsonl repairs one field of each record, each on its own: the file's
    extension (.jsonl) does not make the field's text JSON; every record
    survives."""
    root = tree(tmp_path, {"r.jsonl": _jsonl(disguise)})
    r = invoke("--jsonl", root / "r.jsonl")
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(out) == 7 and [o["id"] for o in out] == list(range(7))
    assert out[0]["text"] == P1 and out[2]["text"] == P3


def test_code_blocks_of_a_text_without_their_marks_are_none_as_the_walk_finds():
    """_code_blocks answers at once for a text with no fence, no line
    indented as code and no front matter; where it walks, and where it does
    not, its spans are the walk's."""
    import random

    rng = random.Random(31)
    pieces = ["    ", "   ", "\t", "```", "``", "~~~", "---", "+++", "...", "\n", "\r\n", "\r", "\x85", "\u2028",
              "\x0b", "a", "代码", " ", "- ", "1. ", "`", "x = 1"]
    walked = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        quick = structure._code_blocks(text)
        original = structure._may_have_block
        structure._may_have_block = lambda text: True  # every text walked
        try:
            assert quick == structure._code_blocks(text), repr(text)
        finally:
            structure._may_have_block = original
        walked += bool(quick)
    assert walked > 100


def _inline_code_plain(text: str):
    """Inline code as the regexes read it: from each run of backticks, search
    on for the first run of the same length before the paragraph ends."""
    import re

    ticks, blank = re.compile("`+"), re.compile(r"\n[ \t]*\r?\n")
    spans, pos = [], 0
    while True:
        m = ticks.search(text, pos)
        if m is None:
            return spans
        stop = blank.search(text, m.end())
        stop = stop.start() if stop else len(text)
        c = ticks.search(text, m.end(), stop)
        while c is not None and c.group() != m.group():
            c = ticks.search(text, c.end(), stop)
        if c is None:
            pos = m.end()
        else:
            spans.append((m.start(), c.end()))
            pos = c.end()


def test_inline_code_spans_are_the_runs_the_regexes_pair():
    import random

    rng = random.Random(37)
    pieces = ["`", "``", "```", "a", "代码", " ", "\n", "\n\n", "\n \t\n", "\r\n\r\n", "`x`", "`代码`"]
    paired = one_line = 0
    for _ in range(6000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        expected = _inline_code_plain(text)
        got = [s for s in structure._inline_spans(text, 0, len(text)) if text[s[0]] == "`"]
        assert got == expected, repr(text)
        assert structure._code_spans(text, 0, len(text)) == expected, repr(text)
        paired += bool(expected)
        # the pairs of single backticks on a line, found without listing the runs
        one_line += bool(expected) and 2 * len(expected) == text.count("`") and all(b - a > 2 for a, b in expected)
    assert paired > 100 and one_line > 100


def test_structural_marks_are_the_marks_in_the_spans_once_each_in_order():
    """Spans may overlap (HTML's tags inside a raw element):
    each mark in any span is listed once, in the order of the text."""
    import random

    rng = random.Random(41)
    pieces = ["`", "`a,b`", "[文](http://x.cn/a,b)", "<b title='a:b'>", "</b>", "<pre>x;y</pre>", "&amp;",
              "<!-- a,b -->", ",", ";", ":", "(", ")", "!", "?", "中文", " ", "\n", "\n\n", "```\nx, y\n```\n",
              "    a(b)\n", '"k": ', '"v,w"', "{", "}"]
    held = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        for kind, spans in (("markdown", structure.markdown_spans), ("html", structure.html_spans),
                            ("json", structure.json_spans)):
            expected = sorted({m.start() for a, b in spans(text) for m in structure.MARKS_RE.finditer(text, a, b)})
            assert structure.structural_marks(text, kind) == expected, (kind, text)
            held += bool(expected)
    assert held > 1000


def test_a_line_of_code_starts_where_the_start_regex_can_match():
    """_code tries its regex of a code line's start only on a line whose
    first character (after white space) can start a match: every line the
    regex matches starts so."""
    import random

    rng = random.Random(68)
    pieces = ["def ", "import x", "#include", "#define", "@dec", "x = 1", "f(x)", "- ", "* ", "  ", "\t", "\u3000", "代码",
              "-", "1", "$x = 1", "(a)", "return", "_y", "a.b[1] += 2", "//", "# ", "'s'", "<p>", ";", "{", "\x1c"]
    matched = 0
    for _ in range(6000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        if structure._CODE_START_RE.match(line):
            matched += 1
            assert line.lstrip()[:1] in structure._START_FIRST, repr(line)
    assert matched > 1000
