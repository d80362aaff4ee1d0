"""Tests of the damage helpers in tests/damage.py (not of zhfix)."""

import re

import pytest

import damage


def test_misalign_gbk_seed_example():
    text = "打造上海科創(chuàng)中心"
    start = text.index("海")
    end = text.index("(") + 1
    assert damage.misalign_gbk(text, start, end) == "打造上??苿?chuàng)中心"


def test_misalign_gbk_made_up_example():
    text = "我們在杭州開會。”明年再見,好嗎"
    start = text.index("會")
    end = text.index(",") + 1
    assert damage.misalign_gbk(text, start, end) == "我們在杭州開??!泵髂暝僖?好嗎"


def test_misalign_gbk_resyncs_at_ascii_inside_span():
    text = "上海科創(chuàng)中心"
    # The reader is back in step after "(", so the span end does not matter.
    assert damage.misalign_gbk(text, 1, len(text)) == "上??苿?chuàng)中心"


def test_misalign_gbk_span_ending_out_of_step():
    text = "发展质量"
    # No ASCII byte in the span: its last byte is read alone.
    out = damage.misalign_gbk(text, 0, 2)
    assert out.endswith("质量") and out.count("?") >= 2


def test_misalign_gbk_rejects_ascii_start():
    with pytest.raises(ValueError):
        damage.misalign_gbk("a中文", 0, 2)


def test_to_traditional_turns_particle_zhe_into_zhu():
    assert damage.to_traditional("随着经济发展") == "隨著經濟發展"
    assert damage.to_traditional("看着我") == "看著我"
    assert damage.to_traditional("效果显著") == "效果顯著"
    assert "着" not in damage.to_traditional("正在进行着，着力推动")


def test_disguise_annotates_with_real_readings():
    out = damage.disguise("上海的网络企业正在创新，发展很快（据统计）：区里的医院也在监管中！")
    assert "網(wǎng)" in out
    assert "業(yè)" in out
    assert "創(chuàng)" in out
    assert "發(fā)" in out
    assert "區(qū)" in out
    assert "醫(yī)" in out
    assert "監(jiān)" in out
    # every annotation is lower-case tone-marked pinyin after an annotated character
    for ch, reading in re.findall(r"(.)\(([^)]*)\)", out):
        if ch in damage.DEFAULT_CHARS:
            assert reading == reading.lower() and reading.isalpha()
    # the genuine parenthesis is folded but not annotated
    assert "(據統計)" in out
    # halfwidth punctuation
    assert "，" not in out and "：" not in out and "！" not in out
    assert "," in out and ":" in out and out.endswith("!")


def test_annotate_pinyin_uses_context():
    # 发 is fā in 发展 and fà in 头发 (simplified chars, pinyin only).
    assert damage.annotate_pinyin("发展", "发") == "发(fā)展"
    assert damage.annotate_pinyin("头发", "发") == "头发(fà)"


def test_halfwidth_punct_leaves_other_marks():
    text = "他说：“好，走吧！”《报告》、结论。"
    assert damage.halfwidth_punct(text) == "他说:“好,走吧!”《报告》、结论。"


def test_gbk_loss():
    assert damage.gbk_loss("摘要\u2003目的\u00a0结果😀") == "摘要?目的?结果?"
    assert damage.gbk_loss("质量报告") == "质量报告"


def test_add_boilerplate_layout():
    article = "标题\n\n正文。\n\n（责任编辑：李明）\n"
    page = damage.add_boilerplate(article, ["关键词一", "关键词二"], "某某网",
                                  ["头条一", "头条二"])
    lines = page.split("\n")
    assert lines[0] == "关键词一, 关键词二"
    assert lines[1] == ""
    assert lines[2] == "某某网"
    assert lines[3].startswith("您当前位置: 首页>>") and lines[3].endswith(">>")
    assert article.rstrip("\n") in page
    assert "\n最新评论\n声明:\n\n" in page
    assert "  • 头条一 ..." in page
    assert page.endswith("最新新闻\n")
