"""The class scan (zhfix.loops.scan): its C loops answer exactly as the pure-Python
twins do, its table says what the sets it was built from say, and zhfix
repairs every fixture the same with and without the C module."""
import json
import os
import random
import re
import shutil
import subprocess
import sys

import pytest
from hypothesis import example, given, settings, strategies as st

import zhfix
from zhfix.stages import mojibake
from zhfix.loops import scan
from zhfix.data import tables
from zhfix.data.chars import HAN_RE
from zhfix.stages.pinyin import LETTERS

from test_fixtures import CASES

needs_c = pytest.mark.skipif(not scan.COMPILED, reason="zhfix.loops._speedups not built")


def test_the_c_loops_are_built_where_a_compiler_is():
    """Installed with a C compiler at hand (as CI and the README's command
    do), zhfix runs its C loops; without them every speed figure is off."""
    if os.environ.get("ZHFIX_PURE") or not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here (or ZHFIX_PURE set)")
    assert scan.COMPILED, "zhfix.loops._speedups missing: run `pip install -e .` in this checkout"


# characters from every class the table knows, and from none
_POOL = (
    "的是了中国质量发展网络数据软件？！，。（）()?\ufffd锟斤拷 \t\n\u3000"
    "質量發展網絡數據軟體著乾於後臺爲衆"
    "abcxyzāǎüńABCZ0123,;:"
    "éÃ©â€™\x80\x9f\ue000\ufdd0"
    "\U00020000\U0002a6d6\U0003134f\U0001f600"
)
texts = st.text(alphabet=st.sampled_from(_POOL) | st.characters(), max_size=80)
bits = st.integers(min_value=0, max_value=scan.ALL)


@needs_c
@given(texts)
def test_classes_c_equals_python(text):
    assert scan._c.classes(text, scan.table()) == scan.classes_py(text)


@needs_c
@given(texts, bits, bits, bits)
def test_classes_placed_c_equals_python(text, placed, before, after):
    assert scan._c.classes(text, scan.table(), placed, before, after) == scan.classes_placed_py(text, placed, before, after)


_PAGE_POOL = "的是中国质量发展這個學習あいうアイウ한국어鎴戜滑縺ｺ繧éÃ\ue000(（)） abwǎng3'’-\n\t。，,:;！?？"
page_texts = st.text(alphabet=st.sampled_from(_PAGE_POOL), max_size=60) | texts
_KOREAN = "한국어 설명입니다. 이것은 테스트 문장입니다.\n"
_JAPANESE_SIMPLE = "日本の大学で国際会議が開かれ、多くの学生が参加しました。会場では新しい研究の発表が続きました。\n"


def _facts(**changed):
    from zhfix import runner

    fields, plain, on_kana = scan._page_fields(runner.PAGE_FACTS)
    return scan.page_facts(plain, on_kana, **dict(fields, **changed))


@needs_c
@given(page_texts, st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=80))
# a page of kana's counts and runs are read in one pass (count_walk): an ASCII
# letter between two non-ASCII characters joins them in a run, at either end
# of the text; more combinations of a run's classes than it remembers; a
# stretch of ASCII that ends in U+0080 (stepped over eight bytes at a time)
@example("あ@中", 0, 80)
@example("中@あ", 0, 80)
@example("┠あ中 贏あ あ中 °中 °あ中 °贏 ああ ┠中 °ああああ", 0, 80)
@example("\u3042\u700b\u71d2\u62cb\u3042\u6b1e\u3042\u8aac\u97d9\U00029707\u78da\u6232\u8129\u3042"
         "\u7955\u3042\u3042\u72c0\U00029707", 0, 80)
@example("あいうえおかきくけこ 說 " + "a" * 13 + "\x80\x81", 0, 80)
# a page of Japanese with a line a simplified line's first character may
# open (past blanks, to its line feed), and lines that do not
@example(_JAPANESE_SIMPLE + "　過去的经验告诉我们\n", 10, 80)
@example(_JAPANESE_SIMPLE + "過去的经验告訴我们\n過去的经经经", 10, 80)
@example(_JAPANESE_SIMPLE + " 過\n去的经验我们", 10, 80)
@example("\U00020000" + _JAPANESE_SIMPLE * 2 + "過去的经验告诉我们\n", 10, 80)
# lines whose simplified-only characters start at the second character, are
# exactly three or two different ones, or follow a glossary's mark
@example(_JAPANESE_SIMPLE * 3 + "这些人说让认为设计问题时间\n過们经验告\n", 10, 80)
@example(_JAPANESE_SIMPLE * 3 + "这些人说让认为设计问题时间\n過去的经验们\n", 10, 80)
@example(_JAPANESE_SIMPLE * 3 + "这些人说让认为设计问题时间\n過去的经验\n", 10, 80)
@example(_JAPANESE_SIMPLE * 3 + "这些人说让认为设计问题时间\n學：学习的学们这说\n", 10, 80)
def test_page_c_equals_python(text, within, up_to):
    changed = dict(within=within, up_to=up_to, japanese_least=within % 5, simplified_least=within,
                   simplified_most=within % 4, half_per_full=within % 3, limit=within,
                   annotation=scan.HAN if within % 2 else 0, scripts=scan.SCRIPTS if within % 3 else scan.KANA)
    for facts in (_facts(), _facts(**changed)):
        assert scan._c.page(text, scan.table(), facts) == scan.page_py(text, facts)


@given(page_texts)
@example("鎴戜滑鐨勭綉绔欐槸涓浗鐨勩\nあいうえおかきくけこ")
@example("日本語のテキストです。縺ゅ≧縺ｯ\nあいうえおかきくけこさしすせそ")
@example("# 标题\n中文网站，网络新闻，今日头条，热门视频\n")
@example("日本語の説明です。\nこれはテストの文章です。\n変数名\n")
@example("日本語の説明です。\nこれはテストの文章です。\n変乭\n")
@example(_KOREAN + "乭乫\n")
@example(_JAPANESE_SIMPLE * 2 + "過去的经验告诉我们要认真学习。\n")
# no Han character: marks apart from the letters, and a Latin-1 reading of
# UTF-8, a mark beside Hangul, an emoji's variation selector
@example("It’s a page — with an arrow → here.\n")
@example("Ã©tÃ© → ok\n")
@example(_KOREAN + "“부산”까지 ©️\n")
@example(_JAPANESE_SIMPLE * 2 + "\t過去的经验告诉我们要认真学习。")
@example(_JAPANESE_SIMPLE * 2 + "過去的經验告诉我们要认真学习。\n")
@example(_JAPANESE_SIMPLE * 3 + "这些人说让认为设计问题时间\n過们经验告\n")
@example("中文网站，网络新闻，今日头条，热门视频\n\n" + "滨江区的居民今天上午参加了社区组织的植树活动，大家一起种下了三百多棵树苗。" * 2)
def test_page_facts_hold_what_they_stand_for(text):
    """What scan.page tells of a page is what the fast path would find by
    asking: no spam header where HEADLESS is set, the mojibake check
    leaves the page as it is where RUNS_CALM is, no diagnosis could find a
    disguise where JAPANESE or TAIWAN is, no candidate annotation where
    NO_ANNOTATION is; its class bits are classes_placed's."""
    from zhfix import runner
    from zhfix.stages import boilerplate, convert, decide, lossy, pinyin, reread

    mask = scan.page(text, runner.PAGE_FACTS)
    assert mask & scan.ALL == runner.page_classes(text)
    if mask & scan.HEADLESS:
        assert not boilerplate.has_spam_header(text)
    if mask & scan.RUNS_CALM:
        assert mojibake.untouched(text, runner.page_classes(text))
    if mask & scan.TAIWAN and decide.undisguisable_facts(mask):
        # (the annotations counted where their classes are there, as runner._untouched does)
        opening = scan.PAREN | scan.HAN | scan.LETTER
        annotations = pinyin.count_annotations(text)[1] if mask & opening == opening else None
        assert decide.undisguisable(mask & scan.ALL, scan.census(text)[:4], True, annotations, text)
    if mask & scan.JAPANESE:
        assert decide.undisguisable(mask & scan.ALL, scan.census(text), True)
        assert not convert.first_characters(text, scan.census(text)[1])
    if mask & scan.NO_ANNOTATION:
        # no candidate of the mirror's shape: none counted, none removed as glued
        assert not any(shape.single for _, shape in pinyin.candidates(text))
        assert pinyin.count_annotations(text) == (0, 0)
        assert not pinyin.find_glued(text)
    if mask & scan.QUESTIONS_APART:
        # no "?" after Chinese: no lost character, no misread span to re-read
        assert not scan.positions(text, scan.QUESTION, scan.CHINESE)
        assert all(kind != "lost-char" for _, _, kind in lossy.find(text))
        assert not reread.find(text)
    elif len(text) <= runner._FACTS_UP_TO and mask & scan.QUESTION and mask & scan.CHINESE:
        assert scan.positions(text, scan.QUESTION, scan.CHINESE)


def test_every_han_character_is_chinese():
    """QUESTIONS_APART looks for a "?" after a CHINESE character, where the
    re-reading looks after a HAN one: every HAN character is CHINESE."""
    tab = scan.table_list()
    assert all(tab[c] & scan.CHINESE for c in range(0x110000) if tab[c] & scan.HAN)


def test_an_annotations_letters_are_the_letter_class():
    """scan.page tells a stretch no annotation can fill by the LETTER and
    SPACE classes, digits and quotes: every character pinyin.CANDIDATE_RE
    matches between the parentheses is one of them."""
    from zhfix.stages import pinyin

    for ch in map(chr, range(0x30000)):
        if any(pinyin.CANDIDATE_RE.fullmatch(f"中({inside})") for inside in (ch, "a" + ch + "a", ch + "a", "a" + ch)):
            assert scan.classes(ch) & (scan.LETTER | scan.SPACE) or ch in "'’012345", repr(ch)


def test_page_facts_are_told_where_the_page_is_read_whole_and_has_them():
    from zhfix import runner

    page = "日本語の説明です。\nこれはテストの文章で、ひらがなが多いです。"
    mask = scan.page(page, runner.PAGE_FACTS)
    assert mask & scan.HEADLESS and mask & scan.RUNS_CALM
    # an article under the first line: 52 Han characters, enough for a header's body
    body = "\n" + "这是正文的句子，写得很长很长。" * 4
    # a first line long enough to be a header, or starting blank, above it: not told
    assert not scan.page("　" + page + body, runner.PAGE_FACTS) & scan.HEADLESS
    assert not scan.page("日本語の説明です日本語の説明です日本語の説明です" + body, runner.PAGE_FACTS) & scan.HEADLESS
    # ... but above too little text for an article, or alone: told
    assert scan.page("日本語の説明です日本語の説明です日本語の説明です\n", runner.PAGE_FACTS) & scan.HEADLESS
    assert scan.page("　" + page, runner.PAGE_FACTS) & scan.HEADLESS
    assert scan.page("我们明天去杭州开会，讨论新的软件。", runner.PAGE_FACTS) & scan.HEADLESS
    assert scan.page("中文网站，网络新闻，今日头条，热门视频\n\n" + body[:30], runner.PAGE_FACTS) & scan.HEADLESS
    assert not scan.page("中文网站，网络新闻，今日头条，热门视频\n\n" + body, runner.PAGE_FACTS) & scan.HEADLESS
    # a long title without Chinese above the text: no header's keywords
    assert scan.page("# cargo generate-lockfile\n\n> 为当前软件包生成文件。" + body, runner.PAGE_FACTS) & scan.HEADLESS
    assert scan.page("\n  \n   docker container exec --help\n中文" + body, runner.PAGE_FACTS) & scan.HEADLESS
    assert not scan.page("\n  \n   docker 容器 exec 命令的帮助说明\n中文" + body, runner.PAGE_FACTS) & scan.HEADLESS
    # (the body's count is of a page the diagnosis reads whole: a longer one is not asked)
    assert not scan.page("　" + page + " " * runner._FACTS_UP_TO, runner.PAGE_FACTS) & scan.HEADLESS
    # a "?" after no Chinese character; one after a Han character or Chinese punctuation
    assert scan.page("列出文件 `ls file?.txt`", runner.PAGE_FACTS) & scan.QUESTIONS_APART
    assert not scan.page("列出文件?", runner.PAGE_FACTS) & scan.QUESTIONS_APART
    assert not scan.page("列出文件，?", runner.PAGE_FACTS) & scan.QUESTIONS_APART
    assert scan.page("列出文件 `ls ?`" * 200, runner.PAGE_FACTS) & scan.QUESTIONS_APART
    assert not scan.page("列出文件 `ls ?`" * (runner._FACTS_UP_TO // 11 + 1), runner.PAGE_FACTS) & scan.QUESTIONS_APART
    # a misread span is a run the mojibake check must look at
    assert not scan.page("这是鎴戜滑鐨勭綉绔欙紝中文。", runner.PAGE_FACTS) & scan.RUNS_CALM
    # a page longer than the facts' limit is not asked
    assert not scan.page(page * (runner._FACTS_UP_TO // len(page) + 1), runner.PAGE_FACTS) & scan.RUNS_CALM
    # on a page of Japanese or Korean, a run of Han characters that cp932, or
    # cp949, encodes whole (a kanji word on a line of its own: 変数名) is its own
    assert scan.page(page + "\n変数名\n", runner.PAGE_FACTS) & scan.RUNS_CALM
    assert scan.page(_KOREAN + "乭乫\n", runner.PAGE_FACTS) & scan.RUNS_CALM
    # ... not one that neither encodes whole (変 Japanese's own, 乭 Korean's, 们 neither's)
    assert not scan.page(page + "\n変乭\n", runner.PAGE_FACTS) & scan.RUNS_CALM
    assert not scan.page(page + "\n変们\n", runner.PAGE_FACTS) & scan.RUNS_CALM
    # a parenthesis after Chinese holding English with a hyphen, or a
    # list: no annotation can be there; a word of letters may be one
    assert scan.page("不执行(dry-run)的包(zip, jar, apk)。", runner.PAGE_FACTS) & scan.NO_ANNOTATION
    assert not scan.page("不执行(dry-run)的包(zip)。", runner.PAGE_FACTS) & scan.NO_ANNOTATION
    # a word of letters in fullwidth parentheses is never the mirror's shape
    assert scan.page("不执行（dry-run）的包（zip）。", runner.PAGE_FACTS) & scan.NO_ANNOTATION
    assert not scan.page("不执行（dry-run）的包(zip)。", runner.PAGE_FACTS) & scan.NO_ANNOTATION
    assert not scan.page("网(wǎng)站", runner.PAGE_FACTS) & scan.NO_ANNOTATION
    assert not scan.page("网( wang3 )站", runner.PAGE_FACTS) & scan.NO_ANNOTATION
    # Japanese with kanji OpenCC calls traditional: a page of Japanese
    japanese = "這個說明書について説明します。\nこの機能を使うと、ファイルを開けます。"
    assert scan.page(japanese, runner.PAGE_FACTS) & scan.JAPANESE
    assert not scan.page("這個說明書很長，這個說明書很長。", runner.PAGE_FACTS) & scan.JAPANESE
    # a Taiwan page: no simplified-only characters, its marks fullwidth (a
    # halfwidth one in code)
    assert scan.page("這個說明書很長，這個說明書很長。\n`a, b`", runner.PAGE_FACTS) & scan.TAIWAN
    # a mirror's fold of them halfwidth, or lines of simplified text: no such page
    assert not scan.page("這個說明書很長,這個說明書很長,真的很長:對", runner.PAGE_FACTS) & scan.TAIWAN
    assert not scan.page("這個說明書很長。这个说明书很长。", runner.PAGE_FACTS) & scan.TAIWAN


@needs_c
@given(st.lists(st.sampled_from(["的是中国", "ab (x", "（", "网(", "wǎng", " " * 61, "質量", "é", "\U00020000"]),
                max_size=400).map("".join),
       st.sampled_from([scan.PAREN, scan.HAN, scan.LETTER, scan.SPACE]), bits, bits)
# neither neighbour asked for, the placed character past a part's first or
# before its last; a text of Latin-1 over several parts, the placed
# character inside one
@example("网网(", scan.PAREN, 0, 0)
@example("(网网", scan.PAREN, 0, 0)
@example("1" * 100 + "a( " + "1" * 100, scan.PAREN, scan.LETTER, scan.SPACE)
def test_classes_placed_c_equals_python_on_long_texts(text, placed, before, after):
    """The C scan looks for a placed character only in the parts of a long
    text that hold one (a 64th of it, or 64 characters), and there only
    where its neighbours can be."""
    assert scan._c.classes(text, scan.table(), placed, before, after) == scan.classes_placed_py(text, placed, before, after)


def test_classes_placed_finds_a_placed_character_in_any_part_of_a_long_text():
    opening = (scan.PAREN, scan.HAN, scan.LETTER | scan.SPACE)
    for n in (0, 63, 64, 65, 4095, 4096, 4097, 10_000):
        for at in sorted({0, n // 2, n}):
            text = "a" * at + "网(wang)" + "的" * (n - at)
            assert scan.classes_placed(text, *opening) & scan.PAREN, (n, at)
            plain = "a" * at + "网（可选）" + "(x)" + "的" * (n - at)
            assert not scan.classes_placed(plain, *opening) & scan.PAREN, (n, at)


def test_classes_placed_finds_a_parenthesis_whose_neighbour_is_in_the_next_part():
    """The one parenthesis that can open an annotation, with the only Han
    character of the text before it and the only letter after it, at every
    offset of texts of 64 parts and fewer: wherever a part's edge falls
    between it and a neighbour, the neighbour is found."""
    opening = (scan.PAREN, scan.HAN, scan.LETTER | scan.SPACE)
    for n in (130, 600, 5000):
        for at in range(1, n - 1):
            head, tail = "1" * (at - 1), "1" * (n - at - 2)
            assert scan.classes_placed(head + "网(w" + tail, *opening) & scan.PAREN, (n, at)
            assert not scan.classes_placed(head + "1(w" + tail, *opening) & scan.PAREN, (n, at)
            assert not scan.classes_placed(head + "网(1" + tail, *opening) & scan.PAREN, (n, at)


def test_classes_placed_keeps_a_bit_only_where_it_stands_between():
    """A page's parenthesis counts only where an annotation can open: after
    a Han character, before a letter or a space."""
    opening = (scan.PAREN, scan.HAN, scan.LETTER | scan.SPACE)
    assert scan.classes_placed("网(wǎng)站", *opening) & scan.PAREN
    assert scan.classes_placed("网( wang )站", *opening) & scan.PAREN
    for text in ("列出文件（包括隐藏文件）", "运行 (`ls`) 命令", "(abc) 开头", "网(", "abc(def)"):
        assert scan.classes_placed(text, *opening) == scan.classes(text) & ~scan.PAREN, text


@needs_c
@given(texts, bits)
def test_count_c_equals_python(text, b):
    assert scan._c.count(text, scan.table(), b) == scan.count_py(text, b)


@needs_c
@given(texts, st.lists(bits, max_size=8))
def test_counts_c_equals_python_and_count(text, masks):
    masks = tuple(masks)
    expected = tuple(scan.count_py(text, m) for m in masks)
    assert scan._c.counts(text, scan.table(), masks) == expected == scan.counts_py(text, masks)


@needs_c
@given(st.lists(texts, min_size=4, max_size=40), st.lists(bits, max_size=8))
def test_counts_of_long_texts_c_equals_python(parts, masks):
    # (from 256 characters on, the loop steps over ASCII characters where no
    # mask holds an ASCII class)
    text = "".join(parts) * 8 + "ascii only, a long way " * 12
    masks = tuple(masks)
    assert scan._c.counts(text, scan.table(), masks) == scan.counts_py(text, masks)


@needs_c
def test_counts_of_many_combinations_of_classes_c_equals_python():
    """A text whose characters fall in more combinations of the counted
    classes than the C loop has slots for its tally (16: each counted,
    whatever slot it finds), and in fewer: every class alone, the census."""
    tab = scan.table_list()
    seen = {}
    for c in range(0x20, 0x30000):
        seen.setdefault(tab[c] & scan.ALL, chr(c))
    text = "".join(seen.values()) * 3 + "中文かなカナ한국어" * 40
    rng = random.Random(5)
    text = "".join(rng.sample(text, len(text)))
    every = (scan.ALL, scan.TRADITIONAL, scan.SIMPLIFIED, scan.HAN, scan.KANA, scan.FULL, scan.HALF, scan.LETTER)
    assert len({tab[ord(ch)] & scan.ALL for ch in text} - {0}) > 2 * 16
    for masks in (every, tuple(1 << k for k in range(8)), tuple(1 << k for k in range(8, 16)), scan.CENSUS,
                  tuple(1 << k for k in range(16, 24))):
        assert scan._c.counts(text, scan.table(), masks) == scan.counts_py(text, masks)
        assert scan._c.counts(text[:200], scan.table(), masks) == scan.counts_py(text[:200], masks)


@needs_c
def test_counts_refuses_what_it_cannot_count():
    with pytest.raises(ValueError):
        scan._c.counts("中", scan.table(), (1,) * 9)
    with pytest.raises(ValueError):
        scan._c.counts("中", scan.table(), (1 << 32,))
    with pytest.raises(TypeError):
        scan._c.counts("中", scan.table(), [1])
    with pytest.raises(ValueError):
        scan.counts_py("中", (1,) * 9)


@needs_c
@given(texts, bits, bits, bits)
def test_positions_c_equals_python(text, b, before, after):
    assert scan._c.positions(text, scan.table(), b, before, after) == \
        scan.positions_py(text, b, before, after)


@needs_c
@given(texts, bits, st.integers(min_value=0, max_value=64))
def test_distinct_c_equals_python(text, b, limit):
    assert scan._c.distinct(text, scan.table(), b, limit) == scan.distinct_py(text, b, limit)


_TERMS = ["質量", "質量發展", "網絡", "網絡網", "哈哈", "哈哈哈", "ab", "abab"]


@needs_c
@given(st.text(alphabet=st.sampled_from("質量發展網絡哈ab中 "), max_size=60) | texts, bits)
def test_term_counts_c_equals_python(text, b):
    by_pair = {}
    for t in _TERMS:
        by_pair.setdefault(t[:2], []).append(t)
    keys = scan.pair_table(by_pair)
    groups = tuple(tuple(by_pair[p]) for p in scan.sorted_pairs(by_pair))
    b |= scan.TRADITIONAL | scan.LETTER | scan.HAN
    c = scan._c.term_counts(text, scan.table(), b, keys, groups)
    assert c == scan.term_counts_py(text, b, keys, groups)
    for term, n in c.items():  # and what str.count says
        assert n == text.count(term)
    # split in two by a set, each dict in the order of its terms
    split = frozenset(_TERMS[::2])
    inside, outside = scan._c.term_counts(text, scan.table(), b, keys, groups, split)
    assert (inside, outside) == scan.term_counts_py(text, b, keys, groups, split)
    assert inside == {t: n for t, n in c.items() if t in split} and list(inside) == sorted(inside)
    assert outside == {t: n for t, n in c.items() if t not in split} and list(outside) == sorted(outside)


def test_term_counts_find_each_place_a_pair_starts():
    pairs = scan.pair_table(["網絡", "數據"])
    groups = (("數據",), ("網絡", "網絡網"))  # in sorted_pairs order: 數據 < 網絡
    assert scan.sorted_pairs(["網絡", "數據"]) == ["數據", "網絡"]
    text = "網絡數據，網絡網"
    expected = {"網絡": 2, "數據": 1, "網絡網": 1}
    assert scan.term_counts(text, scan.TERM | scan.TRADITIONAL, pairs, groups) == expected
    assert scan.term_counts_py(text, scan.TERM | scan.TRADITIONAL, pairs, groups) == expected


def test_terms_counted_at_pairs_as_str_count_counts_them():
    from zhfix.stages import diagnose

    mainland, taiwan = tables.mainland_taiwan_terms()
    some = sorted(mainland)[:40] + sorted(taiwan)[:40]
    text = "，".join(some * 3) + "".join(some[:5]) + some[0] + some[0][-1] + some[0]
    fast = diagnose._terms_at_pairs(text)
    alphabet = set(text)
    assert fast == (diagnose._terms(text, mainland, alphabet), diagnose._terms(text, taiwan, alphabet))


@needs_c
@given(texts)
def test_translate_c_equals_str_translate(text):
    bmp, astral = scan._t2s_maps()
    assert scan._c.translate(text, bmp, astral) == scan.to_simplified_bulk_py(text)


@needs_c
@given(st.text(alphabet=st.sampled_from("谘询钜馀缐讬諮詢中文質量 ,") , max_size=30) | texts)
def test_translate_with_the_replaced_forms_c_equals_str_translate(text):
    assert scan.to_simplified_bulk(text, replaced=True) == scan.to_simplified_bulk_py(text, replaced=True)


@needs_c
def test_translate_keeps_unchanged_text_and_handles_every_kind():
    bmp, astral = scan._t2s_maps()
    for text in ["", "plain ascii", "café", "中文简体", "\U00020000中"]:
        assert scan._c.translate(text, bmp, astral) is text
    assert scan._c.translate("質量發展", bmp, astral) == "质量发展"
    key = next(k for k in tables.t2s().table if k > 0xFFFF)
    assert scan._c.translate("a" + chr(key), bmp, astral) == "a" + tables.t2s().table[key]


_PICK_POOL = "的是了中国网络发展abc\U00020000\U0002a6d6"


@needs_c
@given(st.text(alphabet=st.sampled_from(_PICK_POOL) | st.characters(), max_size=60),
       st.text(alphabet=st.sampled_from(_PICK_POOL) | st.characters(), max_size=30),
       st.integers(min_value=-2, max_value=70), st.booleans())
def test_pick_c_equals_python(simps, near, limit, as_list):
    """scan.pick: the candidates whose simplified form is a character of
    `near`, in order, at most `limit`: the same from C as from the
    fallback (whose rule is the plain filter), and again on a second call
    (the C loop's bitmap left clean)."""
    cands = [f"c{i}" for i in range(len(simps))]
    cands = cands if as_list else tuple(cands)
    expected = tuple([c for c, s in zip(cands, simps) if s in near][:max(limit, 0)])
    assert scan.pick_py(cands, simps, near, limit) == expected
    assert scan._c.pick(cands, simps, near, limit) == expected
    assert scan._c.pick(cands, simps, "", limit) == ()


_MARKS_POOL = ",;:!?()`<>[]中文a \n，\U00020000"


@given(st.text(alphabet=st.sampled_from(_MARKS_POOL) | st.characters(), max_size=60),
       st.lists(st.tuples(st.integers(min_value=-3, max_value=70), st.integers(min_value=-3, max_value=70)),
                max_size=6),
       st.sampled_from([",;:!?()", "", "中", "\U00020000,", "a"]))
def test_marks_in_spans_are_the_regexes_matches_in_them_once_each(text, spans, chars):
    """The marks in a document's structural spans (sorted by start, they may
    overlap): each mark found once, in order, as a regex search from where
    the spans before it end finds them; from C and from the fallback."""
    import re

    spans = sorted(spans, key=lambda ab: ab[0])
    expected, seen = [], 0
    for a, b in spans:
        if b > seen and chars:
            expected += [m.start() for m in re.finditer(f"[{re.escape(chars)}]", text[:b]) if m.start() >= max(a, seen)]
        seen = max(seen, b)
    assert scan.marks_in_py(text, spans, chars) == expected
    if scan.COMPILED:
        assert scan._c.marks_in(text, spans, chars) == expected


_CODE_POOL = "`a中 \n"


@given(st.text(alphabet=st.sampled_from(_CODE_POOL), max_size=40) | texts,
       st.integers(min_value=-3, max_value=45), st.integers(min_value=-3, max_value=45))
@example("``a`", 1, 4)  # the look-behind reads the backtick before start
@example("`a``", 0, 3)  # the look-ahead stops at end
@example("a `b` c `d` e", 0, 13)
@example("``", 0, -1)  # an end before start: nothing between
def test_inline_code_pairs_are_the_regexes_matches(text, start, end):
    """scan.code_pairs: the spans INLINE_CODE_RE finds between start and end
    where every backtick there is in one, else None; from C and from the
    fallback."""
    lo = max(start, 0)
    hi = max(lo, min(end, len(text)))
    spans = [m.span() for m in scan.INLINE_CODE_RE.finditer(text, lo, hi)]
    expected = spans if 2 * len(spans) == text.count("`", lo, hi) else None
    assert scan.code_pairs_py(text, start, end) == expected
    if scan.COMPILED:
        assert scan._c.code_pairs(text, start, end) == expected


@needs_c
def test_marks_in_refuses_what_it_cannot_read():
    for args in [("a,b", [(0, 1)], 5), ("a,b", ((0, 1),), ","), ("a,b", [(0,)], ","), ("a,b", [(0, "1")], ","),
                 ("a,b", [[0, 1]], ","), (b"a,b", [(0, 1)], ",")]:
        with pytest.raises(TypeError):
            scan._c.marks_in(*args)


@needs_c
def test_pick_refuses_what_it_cannot_pick_from():
    with pytest.raises(ValueError):
        scan._c.pick(("a", "b"), "a", "a", 5)
    with pytest.raises(ValueError):
        scan.pick_py(("a", "b"), "a", "a", 5)
    with pytest.raises(TypeError):
        scan._c.pick("ab", "ab", "a", 5)


@needs_c
def test_bad_arguments_are_errors_not_crashes():
    with pytest.raises(TypeError):
        scan._c.classes(b"bytes", scan.table())
    with pytest.raises(ValueError):
        scan._c.classes("text", b"short table")
    # the loops that read their arguments themselves (METH_FASTCALL)
    table = scan.table()
    for call in (lambda: scan._c.classes("text"), lambda: scan._c.classes("text", table, 1, 2, 3, 4),
                 lambda: scan._c.classes("text", table, "1", 2, 3), lambda: scan._c.counts("text", table, [1]),
                 lambda: scan._c.counts("text", table), lambda: scan._c.positions("text", table, 1.5),
                 lambda: scan._c.runs("text", table, 1), lambda: scan._c.runs("text", table, 1, 2, [1, 2]),
                 lambda: scan._c.runs("text", table, 1, "2")):
        with pytest.raises(TypeError):
            call()
    with pytest.raises(ValueError):
        scan._c.translate("text", b"short", {})
    keys = scan.pair_table(["網絡"])
    with pytest.raises(ValueError):
        scan._c.term_counts("網絡", scan.table(), scan.ALL, keys, ())
    with pytest.raises(ValueError):
        scan._c.term_counts("網絡", scan.table(), scan.ALL, b"\xff" * 8 * 6, ())  # not a power of two
    full = b"\x01" + b"\x00" * 7  # a table with no empty slot (its filter letting every pair by) still ends
    assert scan._c.term_counts("網絡", scan.table(), scan.ALL, full * 8 + b"\xff" * 4, (("網絡",),)) == {}
    with pytest.raises(TypeError):
        scan._c.term_counts("網絡", scan.table(), scan.ALL, keys, (["網絡"],))
    with pytest.raises(TypeError):
        scan._c.term_counts("網絡", scan.table(), scan.ALL, keys, ((b"x",),))
    with pytest.raises(TypeError):
        scan._c.term_counts("網絡", scan.table(), scan.ALL, keys, (("網絡",),), ["網絡"])


def test_the_table_says_what_the_sets_say():
    tab = scan.table_list()
    t = tables.t2s()
    every = mojibake.everyday()
    for members, bit in ((t.traditional, scan.TRADITIONAL), (tables.simplified_only(), scan.SIMPLIFIED),
                         (t.convertible, scan.CONVERT), (t.special, scan.SPECIAL)):
        inside = {chr(c) for c in range(0x110000) if tab[c] & bit}
        assert inside == set(members)
    assert {chr(c) for c in range(0x110000) if tab[c] & scan.QUESTION} == {"?"}
    assert {chr(c) for c in range(0x110000) if tab[c] & scan.PAREN} == {"(", "（"}
    assert {chr(c) for c in range(0x110000) if tab[c] & scan.LOSSY} == {"\ufffd", "锟"}
    assert {chr(c) for c in range(0x110000) if not tab[c] & scan.UNUSUAL} == set(every)


def test_han_letters_and_white_space_bits():
    tab = scan.table_list()
    han = {c for c in range(0x110000) if HAN_RE.match(chr(c))}
    assert {c for c in range(0x110000) if tab[c] & scan.HAN} == han
    space = {c for c in range(0x110000) if chr(c).isspace()}
    assert {c for c in range(0x110000) if tab[c] & scan.SPACE} == space
    letters = {c for c in range(0x110000) if __import__("re").fullmatch(f"[{LETTERS}]", chr(c))}
    assert {c for c in range(0x110000) if tab[c] & scan.LETTER} == letters


def test_the_bits_of_scripts_and_misreadings_are_their_patterns():
    """The class bits the mojibake step's fast paths read are the classes its
    patterns match, code point by code point."""
    import re

    from zhfix.data import chars
    from zhfix.stages import decide

    tab = scan.table_list()

    def having(bit):
        return {c for c in range(0x110000) if tab[c] & bit}

    def matching(pattern):
        return {c for c in range(0x110000) if pattern.match(chr(c))}

    assert having(scan.KANA_HANGUL) == matching(decide._KANA_HANGUL)
    assert having(scan.KANA) == matching(re.compile(f"[{chars.KANA}]"))
    assert having(scan.MISREAD) == matching(decide._MISREAD)
    assert having(scan.LATIN_LEAD) == matching(re.compile(f"[{chars.LATIN_LEADS}]"))
    assert having(scan.BADNESS) == {ord(c) for c in chars.badness_set()}
    for bit, name in zip(scan.SCRIPT_BITS, chars.SCRIPT_NAMES):
        assert having(bit) == {c for lo, hi, n in chars.SCRIPTS if n == name for c in range(lo, hi + 1)}
    for bit, codec in ((scan.NOT_CP932, "cp932"), (scan.NOT_CP949, "cp949")):
        assert having(bit) == {c for c in range(0x110000) if not decide._encodes(chr(c), codec)}
    # LATIN: beyond ASCII, what why_plausible does not call beyond Latin-1 and cp1252
    assert having(scan.LATIN) == {c for c in range(0x80, 0x110000) if not decide._BEYOND_LATIN.match(chr(c))}
    assert scan.SCRIPTS == sum(scan.SCRIPT_BITS) and scan.ALL == (scan.LATIN << 1) - 1


_DUMP = """
import json, sys
import zhfix
from zhfix.loops import scan
texts = json.load(sys.stdin)
print(json.dumps({"compiled": scan.COMPILED,
                  "out": [[r.text, [(s.name, s.count) for s in r.steps]]
                          for r in map(zhfix.repair, texts)]}))
"""


def test_every_fixture_repairs_the_same_without_the_c_module():
    texts = [p.values[2] for p in CASES]
    env = dict(os.environ, ZHFIX_PURE="1")
    proc = subprocess.run([sys.executable, "-c", _DUMP], input=json.dumps(texts), env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pure = json.loads(proc.stdout)
    assert pure["compiled"] is False
    here = [[r.text, [(s.name, s.count) for s in r.steps]] for r in map(zhfix.repair, texts)]
    assert len(pure["out"]) == len(here)
    for text, a, b in zip(texts, pure["out"], here):
        assert a == [b[0], [list(x) for x in b[1]]], text[:80]


_SPAN_POOL = "中文ａé鎴戜滑ǎ" + "abz@~[`" + " ,(0\n\t" + "\u0080\ue000"


@given(st.text(alphabet=st.sampled_from(_SPAN_POOL), max_size=60) | texts)
def test_unusual_spans_are_the_span_matches_holding_an_unusual_character(text):
    every = mojibake.everyday()
    expected = [(m.start(), m.end()) for m in mojibake.SPAN_RE.finditer(text)
                if not set(m.group(0)) <= every]
    assert scan.runs(text, scan.UNUSUAL) == expected
    # runs of two or more (what mojibake.find asks for), in C and in Python
    longer = [(a, b) for a, b in expected if b - a >= 2]
    assert scan.runs(text, scan.UNUSUAL, 2) == scan.runs_py(text, scan.UNUSUAL, 2) == longer
    assert scan.runs_py(text, scan.UNUSUAL) == expected


def test_every_character_a_lost_question_mark_may_follow_is_chinese():
    """lossy.find looks only at "?" after a CHINESE character: every
    character _QMARK_RE accepts there must have the bit."""
    import re as _re
    from zhfix.stages import lossy

    tab = scan.table_list()
    behind = _re.compile(f"[{lossy._CN}：，、；（]")
    for c in range(0x110000):
        if behind.match(chr(c)):
            assert tab[c] & scan.CHINESE, hex(c)


def test_the_chinese_class_is_what_punctuation_restoring_calls_chinese():
    from zhfix.stages import punct

    tab = scan.table_list()
    for c in range(0x110000):
        assert bool(punct._CN_RE.match(chr(c))) == bool(tab[c] & scan.CHINESE), hex(c)


@needs_c
def test_translate_returns_a_plain_str_for_a_str_subclass():
    class Sub(str):
        pass

    bmp, astral = scan._t2s_maps()
    for text in (Sub("plain"), Sub("中文"), Sub("質量")):
        out = scan._c.translate(text, bmp, astral)
        assert type(out) is str and out == text.translate(tables.t2s().table)


def test_the_class_table_is_kept_and_rebuilt_when_its_sources_change(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHFIX_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "source.txt"
    source.write_text("one")
    from zhfix import classes
    from zhfix.data import tables as data_tables

    sources = data_tables._static_sources()
    assert all(os.path.isfile(s) for s in sources)
    monkeypatch.setattr(data_tables, "_static_sources", lambda: sources + [str(source)])
    built = classes._build_table()
    scan.table.cache_clear()
    try:
        assert scan.table() == built  # built, and written to the cache
        [kept] = (tmp_path / "cache").glob("class-table-*.marshal")
        kept.write_bytes(b"garbage")  # a damaged cache file: built again
        scan.table.cache_clear()
        assert scan.table() == built
        source.write_text("a source changed")  # a new key, a new file
        scan.table.cache_clear()
        assert scan.table() == built
        assert len(list((tmp_path / "cache").glob("class-table-*.marshal"))) == 2
    finally:
        scan.table.cache_clear()


_MARK_POOL = "中文網数据質" + ",;:!?" + "，。ab 1\n"


@given(st.text(alphabet=st.sampled_from(_MARK_POOL), max_size=60) | texts)
def test_halfwidth_marks_after_han_are_counted_as_the_regex_finds_them(text):
    from zhfix.data.chars import HALF_AFTER_HAN_RE

    expected = len(HALF_AFTER_HAN_RE.findall(text))
    assert scan.marks_after_han(text) == scan.marks_after_han_py(text) == expected


def _marks_by_regex(text):
    """punct's rules for halfwidth marks, read straight off the regexes."""
    import re
    from zhfix.stages import punct

    out = []
    for m in re.finditer("[,;:!?]", text):
        i, ch = m.start(), m.group()
        prev = text[i - 1] if i else ""
        nxt = text[i + 1:i + 2]
        cn_prev = bool(prev) and bool(punct._CN_RE.match(prev))
        cn_next = bool(nxt) and bool(punct._CN_RE.match(nxt))
        alnum = re.fullmatch("[0-9A-Za-z]", prev or " ") and re.fullmatch("[0-9A-Za-z]", nxt or " ")
        ok = {",": (cn_prev or cn_next) and not alnum, ";": cn_prev or cn_next}.get(ch, cn_prev)
        if ok:
            out.append(i)
    return out


@given(st.text(alphabet=st.sampled_from(_MARK_POOL + "“”、"), max_size=60) | texts)
def test_marks_in_chinese_are_punct_rules(text):
    assert scan.marks(text) == _marks_by_regex(text)


_PAREN_POOL = "的文網(()))\n" + ",;:?" + "a1 "


@given(st.text(alphabet=st.sampled_from(_PAREN_POOL), max_size=200) | texts)
def test_punct_places_are_the_marks_and_the_parentheses_by_regex(text):
    """The marks and parentheses punct restores, found in one scan, are those
    of its rules read off the regexes (pairs up to 80 characters apart)."""
    from zhfix.stages import punct

    near_limit = [p + "a" * pad + ")" + q for pad in range(78, 83) for p, q in (("網(", ""), ("(", "網,"))]
    for t in [text] + near_limit:
        expected = sorted(_marks_by_regex(t) + punct._paren_places(t))
        assert scan.punct_places_py(t) == expected
        if scan.COMPILED:
            assert scan._c.punct_places(t, scan.table(), scan.HALF, scan.CHINESE, scan.HAN) == expected


_LINE_POOL = "的是质发网們著區群为" + "質發網為們" + "。，a \n"


@given(st.text(alphabet=st.sampled_from(_LINE_POOL), max_size=120) | texts)
def test_script_lines_by_class_are_the_script_lines_by_sets(text):
    from zhfix.stages import diagnose

    expected = diagnose._script_lines(text, tables.simplified_only(), tables.t2s().traditional)
    assert diagnose._script_lines_by_class(text) == expected
    assert scan.script_lines_py(text, scan.SIMPLIFIED, scan.TRADITIONAL, diagnose._PROSE_MARKS) == expected


_PAREN_POOL = "網中的發" + "()（）" + "wǎngzhongde1 '’\n"


@given(st.text(alphabet=st.sampled_from(_PAREN_POOL), max_size=80) | texts)
def test_annotation_candidates_are_the_regex_matches(text):
    from zhfix.stages import pinyin

    found = [(i, i + len(shape.whole), shape.whole) for i, shape in pinyin.candidates(text)]
    assert found == [(m.start(), m.end(), m.group(0)) for m in pinyin.CANDIDATE_RE.finditer(text)]


def test_a_long_annotation_is_still_a_candidate():
    from zhfix.stages import pinyin

    text = "企業( qiǎnggg2'zhuàngg5'shuāngg1'chuǎngg3 )了"  # as long as a match can be
    assert pinyin.CANDIDATE_RE.search(text)
    assert [shape.whole for _, shape in pinyin.candidates(text)] == [pinyin.CANDIDATE_RE.search(text).group(0)]


@needs_c
@given(texts, bits)
def test_select_c_equals_python(text, b):
    assert scan._c.select(text, scan.table(), b) == scan.select_py(text, b)


_RUN_POOL = "的是中国质量之后這個學習後臺著乾あいう한국\U00020000\U0002a6d6〇 a1\n。，"


@given(st.text(alphabet=st.sampled_from(_RUN_POOL), max_size=60) | texts, st.integers(min_value=1, max_value=5))
def test_runs_of_han_characters_with_a_traditional_one(text, simplified):
    """Where a converter's leftovers are looked for (the diagnosis): the runs
    of Han characters that hold a traditional-only character, found by class
    as the straightforward regex and set test find them."""
    from zhfix.stages import diagnose

    expected = "\n".join(run for run in re.findall(f"[{diagnose.HAN}]+", text)
                         if not tables.t2s().traditional.isdisjoint(run))
    assert diagnose._converted_runs(text, simplified, fast=False) == expected
    assert scan.runs_holding_py(text, scan.HAN, scan.TRADITIONAL) == expected
    assert diagnose._converted_runs(text, simplified) == expected
    if scan.COMPILED:
        assert scan._c.runs_holding(text, scan.table(), scan.HAN, scan.TRADITIONAL) == expected
    assert diagnose._converted_runs(text, 0) == text


@given(st.text(alphabet=st.sampled_from("中文网站新闻，, \n\n\t ab"), max_size=60))
def test_first_line_is_the_first_non_blank_line(text):
    from zhfix.stages import decide

    assert decide.first_line(text) == next((l for l in text.split("\n") if l.strip()), "")


def test_latin_mojibake_starts_with_an_unusual_character():
    """mojibake.find_latin looks for its pattern only at unusual characters:
    every character that can start a match must have the bit."""
    tab = scan.table_list()
    for c in range(0x110000):
        if mojibake._LATIN_MOJI_RE.match(chr(c) + "\u0080"):
            assert tab[c] & scan.UNUSUAL, hex(c)


@needs_c
@given(texts, st.lists(st.integers(min_value=-2, max_value=90), max_size=8), st.integers(min_value=0, max_value=50))
def test_enclosed_c_equals_python(text, starts, limit):
    known = {"中(a)": "known", "(b)": None}
    got = scan._c.enclosed(text, starts, ")）", limit, known)
    assert got == scan.enclosed_py(text, starts, ")）", limit, known)
    for (start, value), i in zip(got, [i for i in starts if 1 <= i < len(text)]):
        piece = value if isinstance(value, str) and value not in known.values() else None
        if piece is not None:  # from the character before to the first closing one, within the limit
            assert piece[-1] in ")）" and text.startswith(piece, start) and len(piece) <= limit + 1
            assert not any(c in ")）" for c in piece[2:-1])


@given(st.text(alphabet=st.sampled_from("中(a)）b（x"), max_size=30) | texts,
       st.lists(st.integers(min_value=-2, max_value=30), max_size=8))
def test_enclosed_with_make_learns_each_new_stretch_once(text, starts):
    """With `make`, each stretch not known yet is made once and kept; the
    stretches made into None are left out; the rest is as without it.  The
    loop itself calls no Python code: it lists the stretches it does not
    know (in C as in its fallback), keeping each in its pair (the same
    object), and they are made after the one call and put in their pairs."""
    known, made = {"中(a)": "known", "(b)": None}, []

    def make(piece):
        made.append(piece)
        return None if "x" in piece else piece.upper()

    if scan.COMPILED:
        for k in ({"中(a)": "known", "(b)": None}, {}):
            lists = [], []
            out = scan._c.enclosed(text, starts, ")）", 20, k, lists[0])
            assert out == scan.enclosed_py(text, starts, ")）", 20, k, lists[1])
            assert lists[0] == lists[1]
            kept = {id(v) for _, v in out}
            assert all(id(piece) in kept for piece in lists[0])
    got = scan.enclosed(text, starts, ")）", 20, known, make)
    plain = scan.enclosed_py(text, starts, ")）", 20, dict(known))  # (everything known now)
    assert got == [(s, v) for s, v in plain if v is not None]
    assert len(made) == len(set(made)) and all(known[p] == (None if "x" in p else p.upper()) for p in made)


@needs_c
@given(texts, bits, st.integers(min_value=0, max_value=4))
def test_runs_c_equals_python(text, b, min_len):
    assert scan._c.runs(text, scan.table(), b, min_len) == scan.runs_py(text, b, min_len)


_SETTLED_POOL = _POOL + "カタカナひらがな한국어ΑΒαβДд┌─│ㄅㄆÂôõ\u00c2\u00a9“”"


@given(st.text(alphabet=st.sampled_from(_SETTLED_POOL) | st.characters(), max_size=80),
       st.lists(st.tuples(bits, bits), max_size=8).map(lambda ps: tuple(x for p in ps for x in p)))
def test_runs_leave_out_the_settled_runs(text, settled):
    """runs(..., settled) are the runs whose classes, OR-ed, meet no pair
    (need, reject), in C and in Python."""
    every = scan.runs_py(text, scan.UNUSUAL, 2)
    kept = [(a, b) for a, b in every
            if not any(scan.classes_py(text[a:b]) & n == n and not scan.classes_py(text[a:b]) & r
                       for n, r in zip(settled[::2], settled[1::2]))]
    assert scan.runs_py(text, scan.UNUSUAL, 2, settled) == kept
    if scan.COMPILED:
        assert scan.runs(text, scan.UNUSUAL, 2, settled) == kept
        with pytest.raises(ValueError):
            scan._c.runs(text, scan.table(), scan.UNUSUAL, 2, settled + (1,))


def _phrase_pool():
    # the keys around the characters with the most entries (overlapping keys,
    # at different offsets, are where the first entry that matches matters),
    # their pieces, and a few keys of any character
    t = tables.t2s()
    keys = sorted({key for ch in "覆乾藉於瞭" for key, _, _ in t.phrases[ch]})
    pieces = sorted({k[a:b] for k in keys for a in range(len(k)) for b in range(a + 1, len(k) + 1)})
    every = sorted({key for entries in t.phrases.values() for key, _, _ in entries})
    return st.lists(st.sampled_from(keys) | st.sampled_from(pieces) | st.sampled_from(every[::50])
                    | st.sampled_from(["，", "a"]), max_size=6).map("".join)


@given(_phrase_pool())
def test_phrase_choice_by_groups_is_the_first_entry_that_matches(text):
    t = tables.t2s()
    for i, ch in enumerate(text):
        if ch in t.phrases:
            assert t.phrase_choice(text, i) == t.phrase_choice_plain(text, i), (text, i)


_edits = st.lists(st.tuples(st.integers(min_value=0, max_value=90), st.integers(min_value=0, max_value=90),
                            st.text(max_size=3), st.just("")), max_size=6)


@needs_c
@given(texts, _edits)
def test_splice_c_equals_python_and_the_slices(text, edits):
    from zhfix.stages import spans

    edits = sorted(edits)
    out, pos = [], 0  # what spans.apply always did
    for start, end, new, _ in edits:
        out += [text[pos:start], new]
        pos = end
    expected = "".join(out) + text[pos:]
    assert scan._c.splice(text, edits) == scan.splice_py(text, edits) == expected
    assert spans.apply(text, [spans.Edit(*e) for e in edits]) == expected


@needs_c
def test_splice_refuses_what_it_cannot_apply():
    with pytest.raises(TypeError):
        scan._c.splice("abc", [(0, 1)])
    with pytest.raises(TypeError):
        scan._c.splice("abc", [(0, 1, b"x")])
    with pytest.raises(ValueError):
        scan._c.splice("abc", [(-1, 1, "x")])
    with pytest.raises(ValueError):
        scan.splice_py("abc", [(-1, 1, "x")])


_FIELDS = ("line", "column", "before", "after", "note")


@given(st.text(alphabet=st.sampled_from("ab中\n\r\u2028 \U00020000"), max_size=40),
       st.lists(st.tuples(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=3),
                          st.text(max_size=2), st.sampled_from(["", "n", "中"])), max_size=8),
       st.integers(min_value=0, max_value=9))
def test_explained_edits_are_placed_in_their_lines(text, raw, limit):
    """The explanation's changes (zhfix.runner) say where each edit is: its
    line and column in the text, what was there, what replaced it; every
    edit's line is listed, the first `limit` edits explained."""
    import pickle
    from dataclasses import FrozenInstanceError, asdict

    from zhfix.result import Change
    from zhfix.stages.spans import Edit

    edits = sorted(Edit(min(s, len(text)), min(s + n, len(text)), new, note) for s, n, new, note in raw)
    expected_lines, expected = [], []
    for start, end, new, note in edits:
        before = text[:start]
        line = before.count("\n") + 1
        expected_lines.append(line)
        if len(expected) < limit:
            expected.append(Change(line, start - (before.rfind("\n") + 1) + 1, text[start:end], new, note))
    twins = [scan.explain_py] + ([scan._c.explain] if scan.COMPILED else [])
    for twin in twins:
        changes, lines = twin(text, edits, Change, _FIELDS, limit)
        assert lines == expected_lines
        assert changes == expected and [asdict(c) for c in changes] == [asdict(c) for c in expected]
        assert [hash(c) for c in changes] == [hash(c) for c in expected]
        assert pickle.loads(pickle.dumps(changes)) == expected
        for c in changes:
            assert type(c) is Change and vars(c) == asdict(c)
            with pytest.raises(FrozenInstanceError):
                c.line = 0
    assert scan.explain(text, edits, Change, limit) == (expected, expected_lines)


@pytest.mark.parametrize("twin", ["py", "c"])
def test_explain_refuses_what_it_cannot_place(twin):
    from zhfix.result import Change

    if twin == "c" and not scan.COMPILED:
        pytest.skip("zhfix.loops._speedups not built")
    explain = scan.explain_py if twin == "py" else scan._c.explain
    with pytest.raises(ValueError):  # out of order
        explain("abc", [(2, 3, "x", ""), (0, 1, "y", "")], Change, _FIELDS, 5)
    with pytest.raises(ValueError):  # past the end
        explain("abc", [(2, 4, "x", "")], Change, _FIELDS, 5)
    with pytest.raises(ValueError):
        explain("abc", [(-1, 1, "x", "")], Change, _FIELDS, 5)
    with pytest.raises(TypeError):  # no note
        explain("abc", [(0, 1, "x")], Change, _FIELDS, 5)
    with pytest.raises(TypeError):
        explain("abc", [(0, 1, "x", "")], Change, _FIELDS[:4], 5)
    with pytest.raises(TypeError):  # instances without a __dict__
        explain("abc", [(0, 1, "x", "")], tuple, _FIELDS, 5)

    class Slotted:
        __slots__ = _FIELDS

    with pytest.raises(TypeError):
        explain("abc", [(0, 1, "x", "")], Slotted, _FIELDS, 5)


@needs_c
def test_explain_survives_a_finalizer_that_empties_its_edits():
    """Making a change may run the cyclic garbage collector, whose
    finalizers may run any code: one that empties the list of edits the C
    loop walks stops it there, as it stops the Python twin (it read past
    the list's end before)."""
    script = (
        "import gc, sys\n"
        "from zhfix.loops import scan\n"
        "from zhfix.result import Change\n"
        "edits = [(i, i + 1, 'x', 'n') for i in range(0, 6000, 3)]\n"
        "class Bomb:\n"
        "    def __del__(self):\n"
        "        edits.clear()\n"
        "        print('cleared')\n"
        "def arm():\n"
        "    b = Bomb(); b.me = b\n"
        "arm()\n"
        "gc.set_threshold(50)\n"
        "changes, lines = scan._c.explain('ab\\n' * 2000, edits, Change, ('line', 'column', 'before', 'after', 'note'), 10**6)\n"
        "print(len(changes), len(lines))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    printed = out.stdout.split()
    if printed[0] != "cleared":  # (Python 3.12 on runs the collector between bytecodes only)
        pytest.skip("the garbage collector did not run inside the loop on this Python")
    assert int(printed[1]) == int(printed[2]) < 2000


@given(st.text(alphabet=st.sampled_from("ab中\n\r\u2028 "), max_size=40))
def test_line_index_places_offsets_in_lines(text):
    from zhfix.stages import spans

    index = spans.LineIndex(text)
    for offset in range(len(text) + 1):
        before = text[:offset]
        line = before.count("\n") + 1
        column = offset - (before.rfind("\n") + 1) + 1
        assert index.locate(offset) == (line, column)


@needs_c
@given(texts, texts)
def test_common_pairs_c_equals_python(a, b):
    assert scan._c.common_pairs(a, b) == scan.common_pairs_py(a, b)
    assert scan._c.common_pairs(a, a + b)[0] == scan._c.common_pairs(a, a + b)[1]  # all of its own
    # b's Han characters alone, read in place or selected first
    han = scan.select(a, scan.HAN)
    assert scan.common_pairs(han, b, scan.HAN) == scan.common_pairs_py(han, scan.select_py(b, scan.HAN))


@given(st.text(alphabet=st.sampled_from("中文網质" + ",:;!.?" + "a1 ，"), max_size=50) | texts)
def test_marks_between_han_are_the_regex_matches(text):
    import re as _re
    from zhfix.stages import reread
    from zhfix.data.chars import HAN

    expected = _re.findall(f"(?<=[{HAN}])([,:;!.])(?=[{HAN}])", text)
    assert reread._marks_between_han(text) == "".join(expected)


def _runs_plain(text: str, skip_lone: bool = True):
    """reread._runs character by character (the straightforward reading);
    with skip_lone=False, a "?" with no "?" or ASCII letter in reach is not
    passed over."""
    from zhfix.stages import reread

    garble, span = re.compile(f"[{reread._GARBLE}]").match, reread.MAX_SPAN
    i = text.find("?")
    while i != -1:
        if skip_lone and not any(c == "?" or (c.isascii() and c.isalpha()) for c in text[i + 1:i + span]):
            i = text.find("?", i + 1)
            continue
        s0 = i
        while s0 > 0 and i - s0 < span and garble(text, s0 - 1):
            s0 -= 1
        e0 = i + 1
        last_q = i
        while e0 < len(text) and e0 - last_q <= span and garble(text, e0):
            if text[e0] == "?":
                last_q = e0
            e0 += 1
        yield s0, e0
        i = text.find("?", last_q + 1)


def _ends_plain(text: str, lo: int, hi: int) -> list:
    """reread._ends character by character."""
    from zhfix.stages import reread

    ends = []
    for i in range(lo, hi):
        if i < len(text) and text[i] == "?":
            ends.append((i + 1, "swallowed"))
        if i < len(text) and 0x40 <= ord(text[i]) <= 0x7E and text[i].isalpha() and i > 0 \
                and re.match(f"[{reread._GARBLE}]", text[i - 1]) and text[i - 1] != "?" and not text[i - 1].isascii():
            ends.append((i, "ascii-trail"))
    return ends


@given(st.text(alphabet=st.sampled_from("中文網的質量上海" + "??" + "abW(" + "，。 "), max_size=60))
def test_question_marks_with_no_span_in_reach_are_skipped_exactly(text):
    """reread._runs passes over a "?" with no "?" or ASCII letter after it in
    reach: what find() returns is what it returns when it looks at every one."""
    from unittest import mock

    from zhfix.stages import reread

    with mock.patch.object(reread, "_runs", lambda t: _runs_plain(t, skip_lone=False)):
        everything = reread.find(text)
    assert reread.find(text) == everything


_GARBLE_STRETCHES = st.lists(st.tuples(st.integers(min_value=0, max_value=20),
                                        st.sampled_from(["?", "?", "a", " ", "？", "W"])), max_size=8).map(
    lambda parts: "".join("中文網，的質量上海發展的中文網？的質量上"[:n] + sep for n, sep in parts))


@settings(max_examples=400)
@example("中?文網中文網?" + "中" * 16 + "?中文")  # (the "?" one past what the one before it lets the run reach)
@example("中?文網中文網?" + "中" * 17 + "中文")
@given(_GARBLE_STRETCHES | st.lists(st.sampled_from(["中", "文", "網", "？", "，", "?", "a", " ", "中文網的質量上海發展"]),
                                    max_size=60).map("".join))
def test_garble_runs_are_found_as_character_by_character(text):
    """reread._runs finds a run's ends with two patterns: the same runs as
    stepping over the characters one by one (long garble, "?" 15, 16 and 17
    characters apart)."""
    from zhfix.stages import reread

    assert list(reread._runs(text)) == list(_runs_plain(text))


_OLD_NOTICE_WORDS = __import__("re").compile(
    "版权|转载|授权|声明|未经|追究|法律责任|不代表|仅供参考|摘编|本网|本站|侵权|删除|来源|"
    "免责|著作权|知识产权|许可|copyright|all rights reserved|ICP备|©", __import__("re").I)
_OLD_STRONG_NOTICE = __import__("re").compile(
    "版权所有|不得转载|转载请注明|免责声明|未经.{0,12}(授权|许可|同意)|copyright|all rights reserved|ICP备|©",
    __import__("re").I)
_NOTICE_POOL = ["版权", "所有", "转载", "授权", "未经", "同意", "来源", "本站", "许可", "©", "ICP备", "icp备",
                "İCP备", "ıcp备", "COPYRIGHT", "Copyright", "all rights reserved", "All Rights", "的", "，", " ", "a"]


@given(st.lists(st.sampled_from(_NOTICE_POOL), max_size=10).map("".join))
def test_notice_words_are_found_as_one_case_insensitive_regex_finds_them(line):
    """boilerplate looks for English notice words apart from Chinese ones
    (only the English need ignoring case): a line is a notice exactly when
    the single case-insensitive regex said so."""
    from zhfix.stages import decide

    old = bool(_OLD_STRONG_NOTICE.search(line)) or \
        len({m.group(0).lower() for m in _OLD_NOTICE_WORDS.finditer(line)}) >= 3
    assert decide.is_notice(line) == old


def test_what_a_stretch_is_is_kept_under_the_stretch_itself():
    """candidates() looks each stretch up before working it out again."""
    from zhfix.stages import pinyin

    pinyin._SHAPES.clear()
    found = [(s.whole, s.read) for _, s in pinyin.candidates("中國網(wǎng)站(abc)、文(1)。")]
    assert found == [("網(wǎng)", True), ("站(abc)", False)]
    assert set(pinyin._SHAPES) == {"網(wǎng)", "站(abc)"}  # ("(1)" follows no letter: not looked at)


def _toy_score(s: str) -> float:
    # (any function of the reading will do: the loop only calls it)
    return -sum(ord(c) % 13 for c in s) / 3.0


_SLOT_POOL = "上海科创中心网站的了aa?"


@given(st.text(alphabet=st.sampled_from(_SLOT_POOL), max_size=60),
       st.text(alphabet=st.sampled_from(_SLOT_POOL), max_size=3),
       st.lists(st.sampled_from(_SLOT_POOL[:-1]), max_size=8),
       st.text(alphabet=st.sampled_from(_SLOT_POOL), max_size=3),
       st.sampled_from(["", None, "上", "海", "a"]), st.sampled_from(["", None, "海", "心", "a"]),
       st.booleans(), st.booleans())
def test_slot_best_are_the_two_highest_score_plus_window_echo(window, head, cands, tail, before, after, as_str,
                                                              flat):
    """A candidate's total is the reading's score plus twice the log1p of how
    often its pairs with the neighbours occur in the window (counted by
    str.count); the best two come first, in C and in Python alike (ties in
    the total broken by the candidate, as sorting the pairs does)."""
    from collections import Counter
    from math import log1p

    pairs = Counter(map(str.__add__, window, window[1:]))
    assert scan.pair_counts_py(window) == pairs
    simps = [c.upper() for c in cands]  # (any one character per candidate)
    score = (lambda s: 0.5) if flat else _toy_score
    totals = [(score(head + s + tail)
               + 2.0 * ((log1p(window.count(before + c)) if before else 0.0)
                        + (log1p(window.count(c + after)) if after else 0.0)), c)
              for s, c in zip(simps, cands)]
    expected = sorted(totals, reverse=True)[:2]
    args = (head, "".join(simps) if as_str else simps, tail, score, before, cands, after, scan.pair_counts(window),
            window, 2.0)
    assert scan.slot_best(*args) == expected
    # the loops, C and its fallback, with every score in the memo
    memo = {s: score(head + s + tail) for s in simps}
    simps = "".join(simps) if as_str else tuple(simps)
    assert scan.slot_best_py(simps, memo, before, tuple(cands), after, pairs, window, 2.0, []) == expected
    if scan.COMPILED:  # (with the C loops' own table of the window's pairs)
        assert scan._c.slot_best(simps, memo, before, tuple(cands), after, scan._c.pair_counts(window), window,
                                 2.0, []) == expected
    # with some scores lacking: each listed, and no answer
    if simps:
        lacking = dict(memo)
        del lacking[simps[0]]
        loops = [(scan.slot_best_py, pairs)] + ([(scan._c.slot_best, scan._c.pair_counts(window))]
                                                if scan.COMPILED else [])
        for loop, table in loops:
            missing = []
            assert loop(simps, lacking, before, tuple(cands), after, table, window, 2.0, missing) is None
            assert missing == [x for x in simps if x == simps[0]]


@given(st.text(alphabet=st.sampled_from(_SLOT_POOL), max_size=60),
       st.text(alphabet=st.sampled_from(_SLOT_POOL), max_size=3),
       st.lists(st.sampled_from(_SLOT_POOL[:-1]), max_size=8),
       st.text(alphabet=st.sampled_from(_SLOT_POOL), max_size=3),
       st.sampled_from(["", None, "上", "a"]), st.booleans())
def test_slot_best_reads_and_fills_its_memo_of_scores(window, head, cands, tail, before, as_str):
    """With a memo, each candidate's score is asked for once: the memo then
    holds the score of each reading by its simplified character, and a
    second call asks for none; the choice is the one made without a memo."""
    simps = [c.upper() for c in cands]
    asked = []

    def score(s):
        asked.append(s)
        return _toy_score(s)

    args = (head, "".join(simps) if as_str else simps, tail, score, before, cands, "心", scan.pair_counts(window),
            window, 2.0)
    plain = scan.slot_best(*args)
    memo = {}
    assert scan.slot_best(*args, memo) == plain
    assert memo == {s: _toy_score(head + s + tail) for s in simps}
    asked.clear()
    assert scan.slot_best(*args, memo) == plain
    assert asked == []
    # the scores asked for at once: each once, the same memo and choice
    batches = []

    def scores(h, middles, t):
        batches.append(list(middles))
        return [_toy_score(h + m + t) for m in middles]

    memo = {}
    assert scan.slot_best(*args, memo, scores) == plain
    assert memo == {s: _toy_score(head + s + tail) for s in simps}
    assert batches == ([list(dict.fromkeys(simps))] if simps else []) and asked == []


@needs_c
def test_slot_best_refuses_bad_arguments():
    memo = {"a": 1.0, "b": 2.0, "n": float("nan"), "x": "x"}
    ok = ("ab", memo, "上", ("a", "b"), None, scan._c.pair_counts("window"), "window", 2.0, [])
    assert scan._c.slot_best(*ok) == scan.slot_best_py(*ok[:5], scan.pair_counts_py("window"), *ok[6:])
    for k, bad in [(0, "abc"), (0, "an"), (0, "ax"), (0, ["a", "b"]), (0, ("a", 1)), (1, None), (3, ("a", 1)),
                   (3, ["a", "b"]), (2, 5), (4, 5), (5, {}), (5, b"short"), (6, None), (8, None)]:
        args = list(ok)
        args[k] = bad
        with pytest.raises((TypeError, ValueError)):
            scan._c.slot_best(*args)
    with pytest.raises(ValueError):  # (the wrapper refuses what the loops cannot pair up)
        scan.slot_best("左", "abc", "右", _toy_score, "上", ["a", "b"], None, scan.pair_counts("w"), "w", 2.0)
    with pytest.raises(ValueError):  # (a score that is not a number)
        scan.slot_best("左", "ab", "右", lambda s: float("nan"), "上", ["a", "b"], None, scan.pair_counts("w"), "w",
                       2.0)


@needs_c
@given(_phrase_pool() | st.text(alphabet=st.sampled_from("著乾於後裡發干于后里面頭髮理天地的了 \n"), max_size=40))
def test_t2s_places_c_equals_the_python_loop(text):
    """The fast t2s path's per-place decisions (TSPhrases, else the word
    model, else OpenCC's first choice) are the same in C and in its Python
    fallback, with the memo of choices empty or filled."""
    from zhfix.stages import convert

    bulk = scan.to_simplified_bulk(text)
    places = scan.positions(text, scan.SPECIAL)
    for counted in (False, True):
        for memo in ({}, dict(convert._CHOICES)):
            convert._CHOICES.clear()
            convert._CHOICES.update(memo)
            got = convert._places_decided_c(text, bulk, places, counted)
            convert._CHOICES.clear()
            convert._CHOICES.update(memo)
            assert got == convert._places_decided_py(text, bulk, places, counted)
            assert got[0] == convert.convert(text, fast=False)[0]
    assert set(convert._CHOICES) >= {bulk[i - 3:i] + text[i] + bulk[i + 1:i + 4] for i in places
                                     if 3 <= i < len(text) - 3 and convert._candidates().get(text[i])
                                     and t2s_phrase(text, i) is None}


def t2s_phrase(text, i):
    t = tables.t2s()
    return t.phrase_choice(text, i) if text[i] in t._phrase_groups else None


@needs_c
def test_t2s_places_takes_a_choice_made_before_in_the_same_seven_characters():
    """The C loop asks no model: a place whose choice is neither given nor
    in the memo is listed, and a choice given or remembered is taken."""
    from zhfix.stages import convert

    t = tables.t2s()
    text = "我們沿著小路走"
    args = [text, scan.to_simplified_bulk(text), [3], t._phrase_groups, convert._candidates(), t._defaults]
    assert scan._c.t2s_places(*args, {}) == (None, [3])
    assert scan._c.t2s_places(*args, {}, False, {3: "着"}) == ("我们沿着小路走", [(3, "著", "着")])
    assert scan._c.t2s_places(*args, {"我们沿著小路走": "X"}) == ("我们沿X小路走", [(3, "著", "X")])
    assert scan._c.t2s_places(*args, {"我们沿著小路走": "X"}, True) == ("我们沿X小路走", 1)
    assert convert.convert(text)[0] == "我们沿着小路走"
    with pytest.raises(TypeError):
        scan._c.t2s_places(*args, [])


@needs_c
def test_t2s_places_refuses_bad_arguments():
    from zhfix.stages import convert

    t = tables.t2s()
    args = ["著乾", "著乾", [0, 1], t._phrase_groups, convert._candidates(), t._defaults, {}]
    scan._c.t2s_places(*args)
    for k, bad in [(1, "著"), (2, [1, 0]), (2, [5]), (2, [-1]), (2, ["a"]), (3, {"著": [(0, 1)]}),
                   (3, {"著": [(0, 2, {"著乾": (0,)})]}), (6, None)]:
        wrong = list(args)
        wrong[k] = bad
        with pytest.raises((TypeError, ValueError)):
            scan._c.t2s_places(*wrong)
    with pytest.raises(TypeError):
        scan._c.t2s_places(*args, False, {0: 5, 1: 6})


@given(st.text(alphabet=st.sampled_from(_MARK_POOL), max_size=60), st.data())
def test_substitutions_make_one_edit_per_place(text, data):
    from zhfix.data.chars import FULLWIDTH
    from zhfix.stages.spans import Edit

    places = [i for i, c in enumerate(text) if c in FULLWIDTH]
    places = data.draw(st.lists(st.sampled_from(places), unique=True).map(sorted)) if places else []
    expected = ([Edit(i, i + 1, FULLWIDTH[text[i]], text[i]) for i in places if text[i] != "?"],
                [i for i in places if text[i] == "?"])
    got = scan.substitutions(text, places, FULLWIDTH, Edit, "?")
    assert got == expected and all(type(e) is Edit for e in got[0])
    # applied at once, the "?" left and listed: in C as in its fallback
    applied = (scan.splice_py(text, expected[0]), len(expected[0]), expected[1])
    assert scan.substitute_py(text, places, FULLWIDTH, "?") == applied
    if scan.COMPILED:
        assert scan._c.substitute(text, places, FULLWIDTH, "?") == applied
        if len(places) > 1 and any(text[i] != "?" for i in places[1:]):
            with pytest.raises(ValueError):  # (places out of order: no silent mix-up)
                scan._c.substitute(text, places[::-1], FULLWIDTH, "")
    # asked: a "?" changes where ask says so, in its place among the others
    asked = []

    def ask(t, i):
        asked.append(i)
        return i % 2 == 0

    expected = ([Edit(i, i + 1, FULLWIDTH[text[i]], text[i]) for i in places if text[i] != "?" or i % 2 == 0], [])
    assert scan.substitutions(text, places, FULLWIDTH, Edit, "?", ask) == expected
    assert asked == [i for i in places if text[i] == "?"]
    asked.clear()
    assert scan.substitute(text, places, FULLWIDTH, "?", ask) == (scan.splice_py(text, expected[0]),
                                                                  len(expected[0]))
    assert asked == [i for i in places if text[i] == "?"]


@pytest.mark.parametrize("mapping", [{",": "，", "?": "？"}, {",": "，，", "?": "？?"}, {",": "", "?": "？"}])
def test_a_question_mark_asked_about_changes_in_its_place_whatever_the_mapping(mapping):
    """The loop leaves the "?" to ask about; those asked for change in a
    second pass, in their places even where the mapping changes lengths."""
    text = "中,中?吗,中?的,"
    places = [i for i, c in enumerate(text) if c in ",?"]
    edits = [(i, i + 1, mapping[text[i]]) for i in places if text[i] != "?" or i == 4]
    expected = (scan.splice_py(text, edits), len(edits))
    assert scan.substitute(text, places, mapping, "?", lambda t, i: i == 4) == expected


@given(st.text(alphabet=st.sampled_from(_MARK_POOL + "()（）吗"), max_size=60) | texts)
def test_punctuation_edits_come_in_the_order_of_the_text(text):
    from zhfix.stages import punct

    edits = punct.find_all(text)
    assert edits == sorted(punct.find_marks(text) + punct.find_parens(text))
    assert punct.restored(text) == (scan.splice_py(text, edits), len(edits))


@given(st.text(alphabet=st.sampled_from(_PAREN_POOL), max_size=80) | texts)
def test_annotation_edits_remove_the_one_syllable_annotations(text):
    from zhfix.stages import pinyin
    from zhfix.stages.spans import Edit

    found = list(pinyin.candidates(text))
    expected = ([Edit(s + 1, s + len(sh.whole), "", sh.whole) for s, sh in found if sh.one],
                [(s, sh) for s, sh in found if not sh.one])
    got = scan.annotation_edits(found, Edit, pinyin._WHOLE, pinyin._ONE)
    assert got == expected and all(type(e) is Edit for e in got[0])
    # applied at once, with no edit made: the same text, count and rest
    applied = (scan.splice_py(text, expected[0]), len(expected[0]), expected[1])
    assert scan.annotation_splice_py(text, found, pinyin._WHOLE, pinyin._ONE) == applied
    if scan.COMPILED:
        assert scan._c.annotation_splice(text, found, pinyin._WHOLE, pinyin._ONE) == applied
    edits = pinyin.find_annotations(text)
    assert pinyin.annotations_removed(text) == (scan.splice_py(text, edits), len(edits))
    # the diagnosis's count of the mirror's own shape, and of those read
    counted = (sum(1 for _, sh in found if sh.single), sum(1 for _, sh in found if sh.single and sh.read))
    assert pinyin.count_annotations(text) == counted
    if scan.COMPILED:
        assert scan._c.flag_counts(found, pinyin._SINGLE_READ) == counted


@needs_c
def test_edit_making_loops_refuse_bad_arguments():
    assert scan._c.substitute("a,?", [1, 2], {",": "，"}, "?") == ("a，?", 1, [2])
    with pytest.raises(KeyError):
        scan._c.substitute("a;", [1], {",": "，"}, "?")
    with pytest.raises(IndexError):
        scan._c.substitute("a,", [2], {",": "，"}, "?")
    with pytest.raises(TypeError):
        scan._c.substitute("a,", [1], {",": 5}, "?")
    with pytest.raises(TypeError):
        scan._c.annotation_splice("ab", [(0, "ab")], 0, 1)
    with pytest.raises(IndexError):
        scan._c.annotation_splice("ab", [(0, ("ab", True))], 0, 5)
    with pytest.raises(TypeError):
        scan._c.annotation_splice("ab", [(0, (1, True))], 0, 1)
    assert scan._c.annotation_splice("ab", [(0, ("ab", 0))], 0, 1) == ("ab", 0, [(0, ("ab", 0))])


@needs_c
@given(st.text(alphabet=st.sampled_from("上海上海aaab\U0002a6d6"), max_size=80) | texts, st.data())
def test_pair_counts_table_holds_each_pairs_count(text, data):
    """The C pair table gives, for two different characters, how often they
    stand side by side (what a Counter of the pairs says): read back through
    slot_best with a score of 0 and no `after`."""
    from collections import Counter
    from math import log1p

    counts = Counter(map(str.__add__, text, text[1:]))
    table = scan._c.pair_counts(text)
    before = data.draw(st.sampled_from(sorted(set(text)) or ["x"]))
    cands = sorted({c for c in text + "z" if c != before})
    got = scan._c.slot_best("".join(cands), dict.fromkeys(cands, 0.0), before, tuple(cands), None, table, text,
                            1.0, [])
    expected = sorted(((log1p(counts.get(before + c, 0)), c) for c in cands), reverse=True)[:2]
    assert got == expected


@given(st.text(alphabet=st.sampled_from("•·-*※ .…\u3000\t最新新闻ab:：来源编辑\n"), max_size=50))
def test_footer_line_shortcuts_say_what_the_patterns_say(line):
    """is_footer_line tests a stripped line's first and last characters for
    a bullet and a cut headline: what its two patterns find there."""
    from zhfix.stages import decide

    s = line.strip()
    assert bool(decide._BULLET_RE.match(s)) == (len(s) > 1 and s[0] in decide._BULLETS)
    assert bool(decide._CUT_RE.search(s)) == s.endswith(decide._CUTS)


@needs_c
def test_only_tuples_that_can_be_in_no_cycle_are_kept_from_the_gc():
    """The C loops keep plain tuples of strings and numbers (t2s decisions,
    annotation pairs: a long document makes millions) out of the cyclic GC's
    sight, as CPython does at their first collection; a tuple that holds a
    container stays in sight, and so does a NamedTuple unless frozen (it
    refers to its class: only a class the program keeps, such as pinyin's
    Shape, is frozen), or a cycle through it would never be collected."""
    import gc

    from zhfix.stages import convert

    t = tables.t2s()
    text = "著乾於"
    bulk = scan.to_simplified_bulk(text)
    places = scan.positions(text, scan.SPECIAL)
    given = {i: convert._decide(text, i, True, bulk) for i in places}
    _, decisions = scan._c.t2s_places(text, bulk, places, t._phrase_groups, convert._candidates(), t._defaults, {},
                                      False, given)
    assert decisions and not any(gc.is_tracked(d) for d in decisions)
    box = {}
    pairs = scan._c.enclosed("中(a)", [1], ")", 10, {"中(a)": box})
    assert pairs == [(0, box)] and gc.is_tracked(pairs[0])
    box["pairs"] = pairs  # (a cycle through an untracked pair would leak)
    # a module's own record of strings and flags, frozen: it and the pairs
    # holding it are out of sight; a record with a container, or a __dict__, not
    from zhfix.stages import pinyin

    shape = scan.freeze(pinyin._shape("網(wǎng)"))
    assert not gc.is_tracked(shape)
    pairs = scan._c.enclosed("網(wǎng)", [1], ")", 10, {"網(wǎng)": shape})
    assert pairs == [(0, shape)] and not gc.is_tracked(pairs[0])
    holder = scan.freeze(pinyin.Shape("a", "b", [], True, True, True))
    assert gc.is_tracked(holder)

    class Loose(tuple):
        pass

    with pytest.raises(TypeError):
        scan.freeze(Loose((1, 2)))


@given(st.lists(st.tuples(st.integers(min_value=-3, max_value=30), st.integers(min_value=0, max_value=30),
                          st.sampled_from(["", "a", "中"])), max_size=8)
       | st.lists(st.tuples(st.sampled_from([0, 1, True, 2.0, 10**30])), max_size=3))
def test_edits_in_order_need_no_sort(edits):
    """spans.apply sorts only edits that are not in order already: where
    ordered() says they are, sorting them changes nothing."""
    got = scan.ordered_py(edits)
    if scan.COMPILED:
        assert scan._c.ordered(edits) == got
    if got:
        assert sorted(edits) == edits


def test_no_compiled_loop_calls_python_code():
    """The C loops take data and give data: none calls a function it is
    given (a score, a chooser, a question test, a maker), so no Python code
    can change their inputs while they run.  What needs Python code is done
    between two calls (the callers list what the loop could not do)."""
    import pathlib

    source = (pathlib.Path(scan.__file__).parent / "_speedups.c").read_text(encoding="utf-8")
    # (but fix_text's shortcut, which is no loop: it calls the Python functions
    # it stands for, each once its scan of the page is done)
    start = source.index("/* -- zhfix.fix_text's shortcut")
    end = source.index("static PyTypeObject FixerType")
    loops, shortcut = source[:start] + source[end:], source[start:end]
    assert re.search(r"PyObject_(Call|Vectorcall)|PyEval_", loops) is None
    assert re.search(r"PyObject_(Call|Vectorcall)", shortcut)  # (the markers hold the shortcut)


@given(st.text(alphabet=st.sampled_from(list("吗呢么什多少难道为何好的") + list("。！？!?；;\n") + ["a", " "]),
               max_size=70))
def test_a_question_is_told_as_the_clause_cut_first_tells_it(text):
    from zhfix.stages import punct

    for i in range(len(text) + 1):
        assert punct.is_question(text, i) == punct.is_question_plain(text, i), (text, i)


@given(st.text(alphabet=st.sampled_from(list("ab1_中 \t\u3000\u2028\x85#:'\"{}[]=<>,")) | st.characters(), max_size=30))
def test_a_data_line_is_told_as_the_one_pattern_tells_it(s):
    """boilerplate looks for the three signs of data on their own."""
    from zhfix.stages import decide

    one_pattern = __import__("re").compile(r"[\"'{}\[\]=<>]|\w:\s|^\s*#")
    assert decide._is_data(s) == (one_pattern.search(s) is not None)


@given(st.text(alphabet=st.sampled_from("上海網？?！a@[`{Wz(，, ") | st.characters(), max_size=40),
       st.integers(min_value=1, max_value=45), st.integers(min_value=0, max_value=45))
def test_the_ends_of_a_garbled_span_are_found_as_one_by_one(text, lo, width):
    from zhfix.stages import reread

    assert reread._ends(text, lo, lo + width) == _ends_plain(text, lo, lo + width)


_ANNOT_POOL = ["網(wǎng)", "發(fā)", "區(qū)", "(", ")", "）", "中", "文", "a", " ", "ng", "\n", "上??苿?chuàng)"]


@given(st.lists(st.sampled_from(_ANNOT_POOL), max_size=40).map("".join), st.data())
def test_annotations_carried_over_an_edit_are_those_found_anew(text, data):
    """What the diagnosis found, carried to the text the re-reading made,
    is what looking again finds there (edits of any length, anywhere)."""
    from zhfix.stages import pinyin
    from zhfix.stages.spans import Edit, apply

    if not text:
        return
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=6, unique=True)))
    edits = [Edit(a, b, data.draw(st.sampled_from(_ANNOT_POOL + [""])), "") for a, b in zip(cuts[::2], cuts[1::2])]
    new = apply(text, edits)
    memo = pinyin.Annotations()
    pinyin._found(text, memo)
    pinyin.carry(memo, text, new, edits)
    if memo.text is None:  # (edits over most of it: looked for anew when asked)
        assert memo.found == []
    else:
        assert memo.text is new and memo.found == pinyin._found(new)


def test_a_long_text_undisguised_in_chunks_comes_out_as_in_one_piece(monkeypatch):
    """Every fixture, and all of them as one document, repaired without an
    explanation in chunks a few lines long: the same text, the same steps
    and counts as in one piece (the stages the chunks go through look no
    further than a line; a chunk never ends inside an annotation's
    parentheses)."""
    from zhfix import runner

    docs = [p.values[2] for p in CASES]
    docs.append("\n".join(docs))
    docs.append("上海網(\nwǎng)站發(fā)展,質量\n(wǎng)網(wǎng\n)站著\n" * 40)

    def run_all():
        return [(r.text, [(s.name, s.count, s.evidence) for s in r.steps])
                for r in (zhfix.repair(d, explain=False, disguised=True) for d in docs)]

    whole = run_all()
    for size in (1, 40, 700):
        monkeypatch.setattr(runner, "CHUNK", size)
        assert run_all() == whole, size


@given(st.text(alphabet=st.sampled_from("字(（)）\nab "), max_size=60), st.integers(1, 8))
def test_chunks_end_at_line_breaks_outside_parentheses(text, size):
    from zhfix import runner

    chunks = list(runner._chunks(text, size))
    assert "".join(chunks) == text
    for c, nxt in zip(chunks, chunks[1:]):
        assert c.endswith("\n") and c[-2:-1] not in ("(", "（") and nxt[:1] not in (")", "）")


@needs_c
def test_t2s_places_holds_what_a_collection_may_drop():
    """A dict lookup may run Python code (a key's __eq__) and a collection
    may run finalizers: what that code removes from the tables stays alive
    until the loop is done with it."""
    from zhfix.stages import convert

    t = tables.t2s()
    base = {k: tuple(v) for k, v in convert._candidates().items()}
    ch = next(k for k in base if base[k] and k not in t._phrase_groups)
    text = "我們沿" + ch + "小路走"
    bulk = scan.to_simplified_bulk(text)

    cands_of = dict(base)
    cands_of[ch] = tuple("".join([c, ""]) for c in base[ch]) + ("\U00020000" * 3,) * 30

    class Key:  # a memo key that compares equal to the window's, and drops the candidates
        def __hash__(self):
            return hash(bulk[:3] + ch + bulk[4:])

        def __eq__(self, other):
            cands_of.pop(ch, None)
            [("x" * 7, i) for i in range(1000)]
            return False

    assert scan._c.t2s_places(text, bulk, [3], t._phrase_groups, cands_of, t._defaults, {Key(): "X"}) == (None, [3])

    class Dropping(tuple):
        def __bool__(self):
            del cands_of[ch]
            return True

    cands_of[ch] = Dropping(base[ch])
    assert scan._c.t2s_places(ch, ch, [0], t._phrase_groups, cands_of, t._defaults, {}, False,
                              {0: base[ch][0]})[0] == base[ch][0]


def test_a_memo_entry_of_none_is_no_score():
    """slot_best reads a None in its memo as no score yet (the score is asked for)."""
    args = ("a", "bc", "d", lambda s: 1.0, "上", ["b", "c"], None, scan.pair_counts("w"), "w", 1.0)
    assert scan.slot_best(*args, {"b": None}) == scan.slot_best(*args, {}) == scan.slot_best(*args)


@given(st.lists(st.sampled_from(["網(wǎng)", "發(fā)", "區(abc)", "中(", "a)", "（x）", "字( y)", "的", " ", "\n",
                                 "\U00020000(ab)"]), max_size=120).map("".join) | texts)
def test_enclosed_at_finds_its_starts_as_positions_lists_them(text):
    """enclosed_at (the starts found as the C loop goes, the stretches met a
    moment ago not looked up again) gives what enclosed gives for the
    offsets positions() lists, values and all."""
    def run(twin):
        known, made = {}, []

        def make(piece):
            made.append(piece)
            return None if "x" in piece else piece.upper()

        if twin:
            got = scan.enclosed(text, scan.positions_py(text, scan.PAREN, scan.HAN, scan.LETTER | scan.SPACE),
                                ")）", 48, known, make)
        else:
            got = scan.enclosed_at(text, scan.PAREN, scan.HAN, scan.LETTER | scan.SPACE, ")）", 48, known, make)
        return got, known, made

    assert run(False) == run(True)
    if scan.COMPILED:
        with pytest.raises(TypeError):
            scan._c.enclosed(text, None, ")）", 48, {})


@pytest.mark.parametrize("at", [1, 2, 3])
def test_enclosed_gives_what_make_made_when_make_empties_known(at):
    """`make` may empty `known` (pinyin._learn does when it is full): every
    stretch still gets the value make gives it (one known before keeps the
    value it had when the text was read), each is made once, and known
    keeps what was made after it was emptied."""
    known, made = {"中(c)": "C"}, []

    def make(piece):
        made.append(piece)
        if len(made) == at:
            known.clear()
        return piece.upper()

    text = "中(a)中(b)中(a)中(c)中(d)"
    out = scan.enclosed(text, [1, 5, 9, 13, 17], ")", 48, known, make)
    assert out == [(0, "中(A)"), (4, "中(B)"), (8, "中(A)"), (12, "C"), (16, "中(D)")]
    assert made == ["中(a)", "中(b)", "中(d)"]  # (each once)
    assert known == {p: p.upper() for p in made[at - 1:]}


@given(st.text(alphabet=st.sampled_from(_PAREN_POOL + "吗。"), max_size=120) | texts)
def test_punctuation_restored_in_one_call_is_restored_place_by_place(text):
    """scan.substitute_in_chinese (the places found and changed in one C
    call) changes what substitute does at punct_places' offsets, asking
    about each "?" as it does."""
    from zhfix.data.chars import FULLWIDTH

    from zhfix.stages import punct

    asked = []

    def ask(t, i):
        asked.append(i)
        return punct.is_question(t, i)

    expected = scan.substitute(text, scan.punct_places_py(text), FULLWIDTH, "?", punct.is_question)
    assert scan.substitute_in_chinese(text, FULLWIDTH, "?", ask) == expected
    assert asked == [i for i in scan.punct_places_py(text) if text[i] == "?"]
    if scan.COMPILED:
        with pytest.raises(TypeError):
            scan._c.substitute(text, None, FULLWIDTH, "?")


@given(st.lists(st.sampled_from(_ANNOT_POOL + ["網(wǎng wǎng wǎng wǎng)"]), max_size=60).map("".join),
       st.integers(0, 200))
@example("的的網(wǎng wǎng wǎng wǎng)站", 14)  # (a start that ends far inside a long annotation)
def test_annotations_found_in_a_text_after_its_start_are_those_found_anew(text, cut):
    """What was found in a text's start (the diagnosis reads a long
    document's first 200,000 characters) is kept where it stands when the
    whole text is looked at next; the result is what looking at the whole
    anew finds.  enclosed_at from an offset on gives the pairs from there."""
    from zhfix.stages import pinyin

    head = text[:cut]
    memo = pinyin.Annotations()
    pinyin._found(head, memo)
    carried = list(pinyin._found(text, memo))
    assert carried == pinyin._found(text)
    bits = (scan.PAREN, scan.HAN, scan.LETTER | scan.SPACE)
    whole = scan.enclosed_at(text, *bits, ")）", 48, {})
    assert scan.enclosed_at(text, *bits, ")）", 48, {}, None, cut) == [p for p in whole if p[0] + 1 >= cut]
    assert scan.enclosed_py(text, [i for i in scan.positions_py(text, *bits) if i >= cut], ")）", 48, {}) == \
        [p for p in whole if p[0] + 1 >= cut]


# the word model's route (zhfix.stages.model): small dictionaries of these
# characters (two astral, one ASCII), texts of them and of others
_ROUTE_CHARS = "上海交通大学的了\U00020000\U0001f600a"
_route_words = st.dictionaries(st.text(alphabet=st.sampled_from(_ROUTE_CHARS), min_size=1, max_size=5),
                               st.integers(min_value=0, max_value=10 ** 6), max_size=30)


def _route_freq(words):
    """FREQ as jieba's gen_pfdict makes it of {word: frequency}."""
    freq = {}
    for w, f in words.items():
        freq[w] = f
        for i in range(1, len(w)):
            freq.setdefault(w[:i], 0)
    return freq


@needs_c
@given(_route_words, st.integers(min_value=1, max_value=10 ** 9),
       st.text(alphabet=st.sampled_from(_ROUTE_CHARS + "，?\x00\ud800中") | st.characters(), max_size=40))
@example({"上海": 5, "上海交通大学": 7, "海": 1}, 10, "上海交通大学上海交")
@example({"上": 3}, 10, "上" * 300)  # a route longer than the C loop's stack buffer
def test_best_route_c_equals_python(words, total, text):
    """The C loop's route over a table of a dictionary is the pure-Python
    route's over the dictionary as a dict, to the bit (words at frequency 0
    are prefixes only; a character that starts no word scores as
    frequency 1)."""
    from zhfix.stages import model

    freq = _route_freq(words)
    total += sum(words.values())
    table = model._build_route_table(freq, total)
    assert scan._c.best_route(text, table) == model._best_route(text, freq, model._LogP(freq, total))


@needs_c
@given(_route_words, st.integers(min_value=1, max_value=10 ** 9),
       st.text(alphabet=st.sampled_from(_ROUTE_CHARS + "，?中"), max_size=20),
       st.lists(st.text(alphabet=st.sampled_from(_ROUTE_CHARS + "，?\U00020000") | st.characters(), max_size=4),
                max_size=12),
       st.text(alphabet=st.sampled_from(_ROUTE_CHARS + "，?中"), max_size=20), st.booleans())
@example({"上": 3}, 10, "上" * 150, ["上", "", "上上"], "上" * 150, False)  # texts past 256 characters
def test_best_routes_are_best_route_of_each_text(words, total, head, middles, tail, as_tuple):
    """A slot's readings scored in one call: each the score of its whole
    text, to the bit, in the order given."""
    from zhfix.stages import model

    freq = _route_freq(words)
    table = model._build_route_table(freq, total + sum(words.values()))
    expected = [scan._c.best_route(head + m + tail, table) for m in middles]
    assert scan.best_routes(head, tuple(middles) if as_tuple else middles, tail, table) == expected


@needs_c
def test_best_routes_bad_arguments_are_errors_not_crashes():
    from zhfix.stages import model

    table = model._build_route_table(_route_freq({"上海": 5}), 100)
    for args in [("上", "海", "", table), ("上", ["海", 1], "", table), ("上", ["海"], b"", table),
                 (None, ["海"], "", table), ("上", ["海"], "", "a str"), ("上", ["海"], "", b"short")]:
        with pytest.raises((TypeError, ValueError)):
            scan._c.best_routes(*args)


def test_the_word_models_scores_are_its_score_of_each_text():
    from zhfix.stages import model

    middles = ["网", "络", "发展", "", "?", "\U00020000"]
    assert model.scores("上海", middles, "创新") == [model.score.__wrapped__("上海" + m + "创新") for m in middles]


@needs_c
def test_best_route_bad_arguments_are_errors_not_crashes():
    import random
    import struct

    from zhfix.stages import model

    table = model._build_route_table(_route_freq({"上海": 5, "上海交通大学": 7}), 100)
    size, nlp, _ = struct.unpack_from("=IId", table, 8)
    with pytest.raises(TypeError):
        scan._c.best_route(b"bytes", table)
    with pytest.raises(TypeError):
        scan._c.best_route("上海", "a str")
    # any buffer
    assert scan._c.best_route("上海", bytearray(table)) == scan._c.best_route("上海", memoryview(table))
    for bad in (b"", b"short", table[:-1], table + b"\0" * 16, b"zhfixrt0" + table[8:],
                table[:8] + struct.pack("=I", size - 1) + table[12:],  # not a power of two
                table[:12] + struct.pack("=I", 0) + table[16:],
                memoryview(b"\0" + table)[1:]):  # not aligned
        with pytest.raises(ValueError):
            scan._c.best_route("上海", bad)
    head = table[:8] + struct.pack("=IId", 8, 1, -17.0)
    empty = b"\xff" * 8
    assert scan._c.best_route("上海", head + empty * 8 + b"\0" * 16) == -34.0  # no word: each alone
    # a slot that names no log-probability
    key = 0 << 21 | ord("上")
    h = ((key * 0x9E3779B97F4A7C15) & ((1 << 64) - 1)) >> 61
    slots = [empty] * 8
    slots[h] = struct.pack("=Q", 5 << 48 | key)
    with pytest.raises(ValueError):
        scan._c.best_route("上海", head + b"".join(slots) + b"\0" * 16)
    # no empty slot at all: the probe still ends
    full = struct.pack("=Q", 0 << 48 | ord("x"))
    assert scan._c.best_route("上海", head + full * 8 + b"\0" * 16) == -34.0
    # random slots: some number or ValueError, never a crash
    rng = random.Random(7)
    for _ in range(300):
        junk = bytes(rng.getrandbits(8) for _ in range(8 * 8))
        try:
            scan._c.best_route("上海交通大学的研究", head + junk + b"\0" * 16)
        except ValueError:
            pass


def test_where_ftfys_pattern_cannot_be_read_no_page_of_a_script_is_calm(monkeypatch):
    """A later ftfy whose badness pattern zhfix cannot read leaves no
    shortcut (as decide._calm_for then has none): every character but ASCII
    gets the BADNESS bit, so no text of another script is calm at once."""
    from array import array

    from zhfix import classes
    from zhfix.data import chars
    from zhfix.stages import decide

    monkeypatch.setattr(chars, "badness_set", lambda: None)
    bits = array("I")
    bits.frombytes(classes._build_table())
    assert all(bits[c] & scan.BADNESS for c in (0x80, 0xE9, 0x3042, 0xAC00, 0x4E2D, 0x10FFFF))
    assert not any(bits[c] & scan.BADNESS for c in range(0x80))

    def mask(text):
        acc = 0
        for ch in text:
            acc |= bits[ord(ch)]
        return acc

    assert not decide.calm_mask(mask("오늘은 회의가 있습니다"))
    assert decide.calm_mask(scan.classes("오늘은 회의가 있습니다"))  # (with ftfy's pattern read: calm)


@needs_c
@given(_route_words, st.integers(min_value=1, max_value=10 ** 9),
       st.text(alphabet=st.sampled_from(_ROUTE_CHARS + "，中\ud800"), max_size=4),
       st.lists(st.text(alphabet=st.sampled_from(_ROUTE_CHARS + "中\U00020000"), min_size=1, max_size=2), min_size=1,
                max_size=4),
       st.text(alphabet=st.sampled_from(_ROUTE_CHARS + "，中"), max_size=4))
@example({"上海": 5, "海上": 9, "上": 3}, 10, "上", ["海", "上"], "上海")
def test_choose_c_equals_python(words, total, left, candidates, right):
    """The word model's choice between a character's simplified forms is the
    same from the C loop as from its pure-Python twin, over any dictionary
    (the words around the place, a pair at a word's edge more frequent than
    the word, ties kept by the first candidate)."""
    from zhfix.stages import model

    freq = _route_freq(words)
    table = model._build_route_table(freq, total + sum(words.values()))
    lookup = model._lookup_of(table)
    original = model._route_lookup
    model._route_lookup = lambda: lookup  # the twin reads its pairs in the same table
    try:
        expected = model._choose_py(left, tuple(candidates), right, words)
    finally:
        model._route_lookup = original
    assert scan._c.choose(left, tuple(candidates), right, words, table) == expected


@needs_c
def test_choose_c_equals_python_on_the_windows_of_real_text():
    """Over jieba's dictionary and the places a page decides in context (the
    characters t2s gives several simplified forms), in the fixtures' text:
    the C loop chooses as the twin does, and both give model.choose's answer."""
    from zhfix.stages import convert, model

    cands_of = convert._candidates()
    lex = model.lexicon(model._all_candidates())
    table = model.route_table()
    text = "".join(p.values[2] for p in CASES)
    bulk = scan.to_simplified_bulk(text, replaced=True)
    seen = set()
    for i, ch in enumerate(text):
        if ch not in cands_of:
            continue
        key = (bulk[max(0, i - 3):i], cands_of[ch], bulk[i + 1:i + 4])
        if key in seen:
            continue
        seen.add(key)
        assert scan._c.choose(key[0], key[1], key[2], lex, table) == model._choose_py(*key, lex) == model.choose(*key), key
    assert len(seen) > 100


@needs_c
def test_choose_leaves_to_its_twin_what_c_cannot_compare():
    """A frequency past 64 bits, a float, or a dict subclass (whose own get
    the twin calls): the C loop hands the choice back (model.choose then
    asks the twin) rather than raise or read the dict past its own get."""
    from zhfix.stages import model

    table = model._build_route_table({"a": 1, "b": 1, "ab": 1}, 10)

    class Lex(dict):
        def get(self, key, default=None):
            return 5 if key == "ab" else dict.get(self, key, default)

    for lex in ({"ab": 1 << 70, "a": 1}, {"ab": 2.5}, Lex({"a": 1})):
        assert scan._c.choose("a", ("b", "c"), "", lex, table) is NotImplemented
    assert scan._c.choose("a", ("b", "c"), "", {"ab": 3}, table) == "b"
