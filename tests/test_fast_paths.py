"""Clean pages of other scripts, and short pages, take shortcuts that give
the same answers as the long way (issue 15)."""
import random
import re

import ftfy.badness
import pytest

import zhfix
from zhfix import runner
from zhfix.stages import decide

#: Characters of every kind a page may hold: ASCII, Latin-1 and cp1252's
#: (what ftfy's pattern is about), kana, Hangul, Han, CJK punctuation.
ALPHABET = ("abcXYZ 09.,?!\n\t-'\"" "ÂÃÎÐØÙàéüÿ×²³°µ·»«©®¢£¥€™–—…‚„†‡ˆ‰Š‹Œ" "\x85\x9f\xa0\xad"
            "вЂГўВСΒΓΞΟβāŸž√≈±∂≠" "ひらがなカタカナー한국어서비스" "中文网络，。：（）")


def test_is_bad_is_ftfys_answer():
    rng = random.Random(15)
    for _ in range(20000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 8)))
        assert decide.is_bad(text) == ftfy.badness.is_bad(text), text


def _badness_pattern():
    """The characters ftfy's pattern needs (zhfix.data.chars.badness_set) as
    one regex class, or None."""
    import re

    from zhfix.data import chars

    needed = chars.badness_set()
    return None if needed is None else re.compile("[" + "".join(re.escape(c) for c in sorted(needed)) + "]")


def test_the_shortcut_is_read_from_ftfys_pattern():
    # (every branch of the installed ftfy's pattern needs a non-ASCII character)
    needed = _badness_pattern()
    assert needed is not None
    assert not needed.search("서비스 매니저 サービス 中文") and needed.search("Ã©")


KOREAN = ("# cmd\n\n> Android 서비스 매니저.\n> 더 많은 정보: <https://example.org/cmd>.\n\n"
          "- 실행 중인 모든 서비스 나열:\n\n`cmd -l`\n\n- 특정 서비스 호출:\n\n`cmd {{서비스}}`\n")


def test_a_korean_page_is_judged_without_ftfys_pattern(monkeypatch):
    def refuse(text):
        raise AssertionError("ftfy's pattern run over a page that holds none of its characters")

    monkeypatch.setattr(ftfy.badness, "is_bad", refuse)
    assert zhfix.fix_text(KOREAN) is KOREAN
    assert zhfix.repair(KOREAN).text == KOREAN


@pytest.mark.parametrize("text", ["Ã©tÃ© ì˜ˆìˆ ", "ì„œë¹„ìŠ¤ ë§¤ë‹ˆì €"])
def test_mojibake_of_korean_is_still_bad(text):
    assert decide.is_bad(text) and ftfy.badness.is_bad(text)


def test_latin_mojibake_is_found_in_the_runs_or_nowhere():
    # (find_latin searches a text of many runs at once: a match always lies
    # inside one of its runs, so the answer is the same)
    from zhfix.stages import mojibake

    rng = random.Random(16)
    for _ in range(5000):
        text = "".join(rng.choice(ALPHABET + "éàüñ–—…“”‘’") for _ in range(rng.randint(2, 30)))
        runs = mojibake.long_runs(text)
        whole = mojibake._LATIN_MOJI_RE.search(text) is not None
        assert whole == any(mojibake._LATIN_MOJI_RE.search(text, a, b) for a, b in runs), text


JAPANESE = ("# cmd\n\n> Android サービスマネージャー。\n> 詳細情報: <https://example.org/cmd>。\n\n"
            "- 実行中のすべてのサービスを表示します:\n\n`cmd -l`\n\n- 指定したサービスを呼び出します:\n\n"
            "`cmd {{service}}`\n\n- 指定した引数でサービスを呼び出します:\n\n`cmd {{service}} {{argument1}}`\n")


def test_kana_spans_on_a_kana_page_are_left_alone_whatever_is_asked():
    from zhfix.stages import mojibake

    runs = mojibake.long_runs(JAPANESE)
    left = []
    assert mojibake.find(JAPANESE, runs, left) == [] == mojibake.find(JAPANESE, runs)
    assert len(left) == len(runs)
    assert zhfix.fix_text(JAPANESE) is JAPANESE and zhfix.repair(JAPANESE).text == JAPANESE


def test_why_plausible_says_what_the_long_way_says(monkeypatch):
    rng = random.Random(17)
    extra = "ΩαβγδЖжщ─│└├ㄅㄆㄇ" + "".join(chr(c) for c in (0xE000, 0xFFFD, 0x85, 0x3131, 0xFF76))
    texts = ["".join(rng.choice(ALPHABET + extra) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    texts += [KOREAN, JAPANESE, "Привет мир", "├── a\n│   └── b", "ㄅㄆㄇㄈ"]
    fast = [decide.why_plausible(t, lambda: True) for t in texts]
    monkeypatch.setattr(decide, "calm_mask", lambda mask: False)  # the first test off: the long way
    assert fast == [decide.why_plausible(t, lambda: True) for t in texts]
    assert sum(1 for f in fast if f) > 1000


def _fixture_texts():
    import json
    from pathlib import Path

    for f in sorted((Path(__file__).resolve().parent.parent / "fixtures").glob("*/*.json")):
        for case in json.loads(f.read_text(encoding="utf-8")):
            text = case.get("input")
            if text is None and case.get("input_file"):
                text = (f.parent / case["input_file"]).read_text(encoding="utf-8")
            if text:
                yield text


def test_the_runners_fast_path_gives_the_repairs_text(monkeypatch):
    from zhfix import runner
    from zhfix.stages import boilerplate

    texts = list(_fixture_texts()) + [KOREAN, JAPANESE, "中文(zhōng)文字，" * 12, "# tar\n\n> 归档工具。\n"]
    texts += [t.replace("\n", "Ã©\n", 1) for t in texts[:50]]
    fast = [zhfix.fix_text(t) for t in texts]
    # (fix_text's C shortcut answers a calm page before either is asked: the
    # Python function, which asks them, is the one replayed without them)
    assert fast == [zhfix._fix_text(t) for t in texts]
    monkeypatch.setattr(runner, "_untouched", lambda text, mask, config: None)
    monkeypatch.setattr(runner, "_spam_header", lambda text, mask: boilerplate.has_spam_header(text))
    monkeypatch.setattr(runner, "_CALM", {})
    monkeypatch.setattr(runner, "_HEADLESS", 0)
    assert fast == [zhfix._fix_text(t) for t in texts]
    assert fast == [zhfix.repair(t, fast=False).text for t in texts]


def test_no_spam_header_where_the_shortcut_says_none():
    from zhfix import runner
    from zhfix.loops import scan
    from zhfix.stages import boilerplate

    rng = random.Random(18)
    pieces = ["关键词", "网络", "发展", "，", ",", "、", "|", "\n", " ", "新闻网站首页", "a", "# tar", "中国经济快速增长。" * 5]
    texts = list(_fixture_texts())
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    said = 0
    for t in texts:
        header = boilerplate.has_spam_header(t)
        assert runner._spam_header(t, scan.classes(t)) == header, t
        said += header
    assert said  # (some texts have a header, and the shortcut let them through)


@pytest.mark.parametrize("text", [KOREAN, JAPANESE, "# tar\n\n> 归档工具（archive）。\n\n- 创建归档：\n\n`tar cf {{a.tar}} {{file}}`\n"])
def test_a_clean_page_costs_no_repair(monkeypatch, text):
    from zhfix import runner

    def refuse(*args, **kwargs):
        raise AssertionError("a whole repair run for a clean page")

    monkeypatch.setattr(runner, "_repair", refuse)
    assert zhfix.fix_text(text) is text


def test_is_bad_on_long_texts_is_ftfys_answer():
    # (looked for around the characters ftfy's pattern needs: the same answer)
    assert decide._badness_width() is not None
    rng = random.Random(19)
    calm = "서비스 매니저 サービス 中文 plain text.\n"
    for _ in range(3000):
        text = "".join(rng.choice([calm, rng.choice(ALPHABET), rng.choice(ALPHABET) + rng.choice(ALPHABET)])
                       for _ in range(rng.randint(1, 60)))
        assert decide.is_bad(text) == ftfy.badness.is_bad(text), text
    for text in ("Ã ", "x Ã ", "Ã" + calm * 50 + "©", calm * 50 + "Ã©", "a" + "·" * 40 + "¬"):
        assert decide.is_bad(text) == ftfy.badness.is_bad(text), text


def test_a_long_tree_is_judged_around_its_drawing_only(monkeypatch):
    # an English page with box-drawing trees (past 32 of the characters
    # ftfy's pattern needs) was searched whole: React docs' 8 KB page of one
    # took 1.4 ms, ftfy's 37 branches tried at every character of its prose
    import re

    tree = "src/\n├── app.py      — the entry point\n│   └── views/\n└── tests/ → run them\n"
    prose = "This paragraph explains what the server component does and why. " * 4 + "\n"
    text = (prose * 6 + tree * 4) * 8
    searched = []
    chosen = decide._search_for

    def recording(*args):
        search = chosen(*args)

        def record(s, pos=0, endpos=None):
            end = len(s) if endpos is None else endpos
            searched.append(end - pos)
            return search(s, pos, end)
        return record

    monkeypatch.setattr(decide, "_search_for", recording)
    pattern = ftfy.badness.BADNESS_RE
    assert decide.is_bad(text) is bool(pattern.search(text)) is False
    assert searched and sum(searched) < len(text) // 4
    assert decide.is_bad(text + "Ã©") is bool(pattern.search(text + "Ã©")) is True
    assert re.search("[─-╿]", text)  # (the tree is drawn)


def _badness_pool():
    """What ftfy's pattern is about, by its branches' needs, with letters and
    marks of all kinds around them."""
    from zhfix.data import chars

    return (sorted(chars.badness_set()) + list("abcXYZ 09.,?!\n\t-'\"°·") + list("вЂГВСРØÙ×²³√≈‚Äâó")
            + list("中文한국カナ─│┌┐└┘├"))


def test_is_bad_with_the_branches_a_text_allows_is_ftfys_answer(monkeypatch):
    """ftfy's pattern is searched with only the branches whose needed
    characters the text holds (a box-drawing tree: one of 37): the same
    answer as the whole pattern, for texts of any mix of what the branches
    need."""
    monkeypatch.setattr(decide, "COMPILE_AFTER", 0)  # (the branches' own pattern at once)
    monkeypatch.setattr(decide, "_BRANCH_SEARCHES", {})
    monkeypatch.setattr(decide, "_SEARCHED_WHOLE", {})
    pool = _badness_pool()
    rng = random.Random(23)
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 40)))
        assert decide.is_bad(text) == ftfy.badness.is_bad(text), text
    for _ in range(300):  # (few kinds of needed characters, among much else)
        few = rng.sample(sorted(decide.badness_set()), 2)
        text = "".join(rng.choice(few + list("ab ,.\n中─│")) for _ in range(rng.randint(20, 200)))
        assert decide.is_bad(text) == ftfy.badness.is_bad(text), text
    assert len(decide._BRANCH_SEARCHES) > 1  # (and were searched so)


def test_a_misread_page_is_found_bad_at_its_first_window(monkeypatch):
    """A long page of UTF-8 read as Latin-1 has ftfy's characters all
    through it; the first window around them already matches, so is_bad
    answers there, as the search of the whole would, without gathering the
    page's characters to choose branches (which took a 66 KB page 5 ms)."""
    chosen = []
    monkeypatch.setattr(decide, "_search_for", lambda *args: chosen.append(args) or args[1])
    page = "Ã©tÃ© Ã  la plage, cafÃ© crÃ¨me.\n" * 2000
    assert decide.is_bad(page) is ftfy.badness.is_bad(page) is True
    assert not chosen
    tree = ("The layout of one module and the next, as drawn:\n"
            "┌──────┐   ┌────┐\n│ a.py │ → │ b  │\n└──────┘   └────┘\n") * 50
    assert decide.is_bad(tree) is ftfy.badness.is_bad(tree) is False
    assert len(chosen) == 1  # (past its first window, a clean page's branches are chosen once)


@pytest.mark.parametrize("source, flags, pieces", [
    ("[]é|]ë|ü", 0, ["[]é|]ë", "ü"]),  # (a "]" first in a class is one of its characters)
    ("[\\]é|(]ë|ü", 0, ["[\\]é|(]ë", "ü"]),
    ("[^]|]é|ëb", 0, ["[^]|]é", "ëb"]),
    ("é\\||ë", 0, ["é\\|", "ë"]),
    ("\\\\é|ëb", 0, ["\\\\é", "ëb"]),  # (an escaped backslash, then é)
    ("xé(x|y)|ëb", 0, ["xé(x|y)", "ëb"]),
    ("é # one | two ( three\n | ü [#|] c", re.VERBOSE, ["é # one | two ( three\n ", " ü [#|] c"]),
    ("é(a)|ë(b)", 0, None),  # (the second piece alone numbers its group 1: not the branch)
    ("é|ü", 0, None),  # (re's parser makes one class of them)
])
def test_a_pattern_is_cut_into_its_branches_at_its_own_bars(source, flags, pieces):
    """zhfix.data.chars cuts ftfy's pattern at each "|" outside a group and
    a class (and a VERBOSE comment), each piece checked to parse as its
    branch; where one does not, no cut (None)."""
    from re import _parser as sre_parse

    from zhfix.data import chars

    pattern = re.compile(source, flags)
    cut = chars._branch_sources(pattern, sre_parse.parse(source, flags), sre_parse)
    assert (None if cut is None else [piece for piece, _ in cut]) == pieces


def test_a_lazy_pattern_answers_as_the_compiled_one():
    """zhfix.lazyre: a pattern made at its first use finds, substitutes and
    splits as re.compile's, with the same flags and groups."""
    from zhfix import lazyre

    source, flags = r"(?P<word>[a-z]+)(\d)?", re.IGNORECASE
    lazy, real = lazyre.compile(source, flags), re.compile(source, flags)
    assert lazy.pattern == source  # (read before anything is compiled)
    assert lazyre.compile(source, flags).compiled is real  # (re's own cache: the one pattern)
    text = "Abc1 de, FG2"
    assert lazy.search(text).group() == real.search(text).group()
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.sub("-", text) == real.sub("-", text)
    assert lazy.split(text) == real.split(text)
    assert lazy.fullmatch("abc7").groups() == ("abc", "7")
    assert (lazy.flags, lazy.groups, dict(lazy.groupindex)) == (real.flags, real.groups, dict(real.groupindex))
    assert lazy.compiled is real


def test_a_lazy_pattern_compiles_once_and_copies(monkeypatch):
    """A lazyre pattern asks re.compile once, at its first use; copied or
    pickled, it is a pattern of the same source and flags."""
    import copy
    import pickle

    from zhfix import lazyre

    made = []
    compile_ = re.compile
    monkeypatch.setattr(re, "compile", lambda *a: made.append(a) or compile_(*a))
    lazy = lazyre.compile("ab+c", re.IGNORECASE)
    assert not made
    assert lazy.search("xABBC").group() == "ABBC" and lazy.sub("-", "abc abbc") == "- -" and lazy.flags & re.I
    assert made == [("ab+c", re.IGNORECASE)]
    for other in (copy.copy(lazy), copy.deepcopy(lazy), pickle.loads(pickle.dumps(lazy)),
                  pickle.loads(pickle.dumps(lazyre.compile("ab+c", re.IGNORECASE)))):
        assert other.fullmatch("aBc") and other.pattern == "ab+c"


def test_a_box_drawing_tree_is_searched_with_the_few_branches_it_allows(monkeypatch):
    """A tree's characters are needed by a branch or two of ftfy's 37: once
    a process has searched enough text that allows those alone, they are
    compiled as a pattern of their own and its windows searched with it (a
    React docs page of 8 KB with a tree: is_bad 120 us with all of them)."""
    from ftfy.badness import BADNESS_RE

    from zhfix.data import chars

    monkeypatch.setattr(decide, "_BRANCH_SEARCHES", {})
    monkeypatch.setattr(decide, "_SEARCHED_WHOLE", {})
    branches = chars.badness_branches()
    assert branches is not None and len(branches) > 30
    whole, tree = BADNESS_RE.search, set("│┌┐└┘├")
    # (compiling them costs what searching ~3,000 characters with all costs)
    assert decide._search_for(tree, whole, decide.COMPILE_AFTER // 2) is whole
    search = decide._search_for(tree, whole, decide.COMPILE_AFTER // 2)
    assert search is not whole and decide._search_for(tree, whole, 1) is search
    assert search("x │ ") is None and search("é│") is not None  # (an accented letter before box drawing)
    assert decide._search_for(set("│") | set(chars.badness_set()), whole, 10 ** 6) is whole  # (all branches)


def test_latin_mojibake_is_looked_for_where_it_can_start(monkeypatch):
    # the same answer as a search of the whole text, which sre makes at
    # every character of a long page (its pattern starts with a class of
    # non-ASCII characters): 27 us on a 26 KB page of Korean with one "é"
    from zhfix.stages import mojibake

    pattern = mojibake._LATIN_MOJI_RE
    rng = random.Random(23)
    for _ in range(5000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        assert mojibake.has_latin_moji(text) == bool(pattern.search(text)), text
    french = "Le café où l'élève a été reçu à Noël. " * 40
    assert mojibake.has_latin_moji(french) is bool(pattern.search(french)) is False
    assert mojibake.has_latin_moji(french + "Ã©") is True

    korean = (KOREAN * 60).replace("실행", "café", 2)
    looked = []

    class Recording:
        def search(self, s, pos=0, endpos=None):
            looked.append(len(s) - pos if endpos is None else endpos - pos)
            return pattern.search(s, pos, len(s) if endpos is None else endpos)

        def match(self, s, pos=0, endpos=None):
            looked.append(1)
            return pattern.match(s, pos, len(s) if endpos is None else endpos)

    monkeypatch.setattr(mojibake, "_LATIN_MOJI_RE", Recording())
    assert mojibake.has_latin_moji(korean) is False
    assert zhfix.fix_text(korean) is korean
    assert looked and sum(looked) < 10


def test_the_han_class_is_han_re():
    # (pinyin.find_glued counts Han characters by their class, in C)
    from zhfix.data.chars import HAN_RE
    from zhfix.loops import scan

    rng = random.Random(20)
    edges = [0x33FF, 0x3400, 0x4DBF, 0x4DC0, 0x4DFF, 0x4E00, 0x9FFF, 0xA000, 0xF8FF, 0xF900, 0xFAFF, 0xFB00,
             0x1FFFF, 0x20000, 0x3134F, 0x31350, ord("a"), ord("，")]
    pool = [chr(c + d) for c in edges for d in (-1, 0, 1)]
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert scan.count(text, scan.HAN) == len(HAN_RE.findall(text))


def _calm_plain(text: str) -> bool:
    """calm_mask's plain reading, by regex: the script of the first letter
    of chars.SCRIPTS in `text`, and none of what only a misreading leaves,
    Han characters, another script's letters, ftfy's badness characters, the
    first letters of a Latin-1 reading of UTF-8."""
    import re

    from zhfix.data import chars

    first = next((n for ch in text for lo, hi, n in chars.SCRIPTS if lo <= ord(ch) <= hi), None)
    bad = _badness_pattern()
    if first is None or bad is None:
        return False
    others = "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi, n in chars.SCRIPTS if n != first)
    calm = re.compile("[" + chars.MISREAD + chars.HAN + others + bad.pattern[1:-1] + chars.LATIN_LEADS + "]")
    return calm.search(text) is None


def test_one_script_text_is_plausible_and_no_latin_mojibake():
    from zhfix.loops import scan
    from zhfix.stages import mojibake

    from zhfix.data import chars

    assert mojibake._LATIN_MOJI_RE.pattern.startswith("[" + chars.LATIN_LEADS + "]")
    rng = random.Random(21)
    extra = "ΩαЖж─│ㄅㄆ" + "".join(chr(c) for c in (0xE000, 0xFFFD, 0x85, 0xFF76, 0xC3, 0xA9, 0xF4))
    told = 0
    for _ in range(20000):
        text = "".join(rng.choice(ALPHABET + extra) for _ in range(rng.randint(1, 12)))
        calm = decide.calm_mask(scan.classes(text))
        assert calm == _calm_plain(text), text
        if calm:
            told += 1
            assert decide.why_plausible(text) is not None and not mojibake._LATIN_MOJI_RE.search(text), text
    assert told > 100
    assert decide.calm_mask(scan.classes(KOREAN))


def test_a_run_the_calm_pairs_settle_is_plausible_as_it_stands():
    """A run that decide.CALM_RUNS settle from its classes (one script and
    nothing else why_plausible looks for; or no script and nothing of
    Latin-1 or cp1252 either: Arabic, Thai, an emoji) is one why_plausible
    passes; a run of Latin-1 letters and marks alone is judged by its shape
    instead (ÿ´ is no word), and is not settled."""
    from zhfix.loops import scan

    def settled(text):
        return scan._settled_py(scan.classes(text), decide.CALM_RUNS)

    rng = random.Random(27)
    alphabet = ALPHABET + "ýþ´\u00adمرحباשלוםสวัสดีनमस्ते⚠❤\ufe0f→∞"
    told = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10)))
        if not text.isascii() and settled(text):
            told += 1
            assert decide.why_plausible(text) is not None, text
    assert told > 1000
    assert settled("مرحبا") and settled("⚠\ufe0f") and settled("สวัสดี")
    assert not settled("ÿ´") and decide.why_plausible("ÿ´") is None
    assert not settled("مرحبا ÿ´")


def _misread(text: str, reader: str, source: str = "utf-8") -> str:
    return text.encode(source).decode(reader, errors="replace")


#: Pieces of pages: our own Japanese, Korean and Chinese sentences, and
#: those sentences misread (UTF-8 read as GBK, Big5 or Latin-1; GBK read as Big5).
_PIECES = ["今日は東京で新しい会議が開かれました。", "カタカナのメニューを選びます", "（アクティビティ マネージャー）",
           "오늘은 회의가 있습니다.", "서울 시청 앞에서 만나요", "我们明天去杭州开会。", "软件的数据很准确",
           "┌─ 目录\n│  文件", "ΑΒΓ αβγ", "Привет мир", "a.b = c\n", "\n", " ", "「引用」", "“东京”",
           _misread("我们明天去杭州开会", "gbk"), _misread("数据很准确", "big5"), _misread("东京的会议", "latin-1"),
           _misread("软件的数据", "big5", "gbk"), "\ue000\ue001", "\ufffd", "é", "Ã©",
           # rare kanji or hanja alone, which cp932 (変数名) or cp949 (乭乫) encodes whole, or
           # neither (変乭); beside a Latin-1 reading of UTF-8 whose letters cp949 encodes too
           "\n変数名\n", "\n乭乫\n", "\n変乭\n", "乭" + _misread("桨桶", "latin-1"),
           # scripts of no class of their own, an emoji, Latin-1 letters and marks alone
           "مرحبا بكم", "สวัสดี", "⚠\ufe0f", "ÿ´", "ýþ"]


def test_the_mojibake_checks_fast_verdict_is_the_long_ways():
    """mojibake.untouched leaves out the runs find() would pass at once (one
    script and nothing else; kana or Hangul beside Han characters on a page
    of them) and answers a page of one script from its classes: its verdict
    must be what find_latin and find say over every run."""
    from zhfix.stages import mojibake

    rng = random.Random(29)
    verdicts = set()
    for _ in range(1500):
        pieces = [rng.choice(_PIECES) for _ in range(rng.randint(1, 14))]
        if rng.random() < 0.5:  # many pages of Japanese or Korean, with or without a misread piece
            pieces += rng.choice(_PIECES[:5]) * rng.randint(1, 4)
        rng.shuffle(pieces)
        text = "".join(pieces)
        long_way = not (mojibake.find_latin(text) or mojibake.find(text))
        assert mojibake.untouched(text) == long_way, text
        verdicts.add(long_way)
    assert verdicts == {True, False}
    # a run of hanja on a Korean page, cp949's whole, yet a Latin-1 reading of UTF-8
    page = "오늘은 회의가 있습니다. 서울 시청 앞에서 만나요.\n"
    assert zhfix.fix_text(page + "乭" + _misread("桨桶", "latin-1") + "\n") == page + "乭桨桶\n"


def _random_evidence(rng):
    trad = rng.choice([4, 30, 300])
    ev = {"traditional_chars": trad, "simplified_chars": rng.choice([0, 2, trad * 11]),
          "pinyin_annotations": rng.choice([0, 0, 1, 3]),
          "halfwidth_punct_in_chinese": rng.choice([0, 0, 5, 40]), "fullwidth_punct": rng.choice([0, 10, 100]),
          "simplified_lines": rng.choice([0, 0, 2]), "converter_forms": rng.choice([0, 0, 2])}
    if ev["simplified_lines"]:
        ev["traditional_lines"] = rng.choice([0, 3])
    if rng.random() < 0.2:
        ev["kana"] = rng.choice([5, 500])
    return ev


def test_a_verdict_settled_early_is_the_verdict_of_every_search():
    # a repair that does not explain itself stops searching the vocabulary and
    # the leftovers once the other evidence decides: whatever they would have
    # found, the verdict must be the same
    rng = random.Random(17)
    finds = [({}, {}, {}), ({"軟件": 3}, {}, {}), ({"軟件": 1, "網絡": 2}, {"資料": 9}, {}),
             ({}, {}, {"之后": 1, "聯系": 2}), ({"數據": 4}, {}, {"之后": 1, "注冊": 1, "聯系": 1})]
    settled_some = False
    for _ in range(3000):
        ev = _random_evidence(rng)
        first = decide.settled(ev)
        verdicts = set()
        for mainland, taiwan, leftovers in finds:
            full = dict(ev, mainland_terms=mainland, taiwan_terms=taiwan, converter_leftovers=leftovers)
            verdicts.add(decide.disguise(full)[0])
            if decide.settled(dict(ev, mainland_terms=mainland, taiwan_terms=taiwan), (decide.LEFTOVERS,)):
                assert decide.disguise(full)[0] == decide.disguise(
                    dict(ev, mainland_terms=mainland, taiwan_terms=taiwan))[0], full
        if first:
            settled_some = True
            assert verdicts == {decide.disguise(ev)[0]}, ev
    assert settled_some


SEED_LIKE = ("網(wǎng)站介紹:這傢公司的軟件很好用,數據也很準確。之后大家聯系了客服,注冊了賬號。" * 3 + "\n") * 2


def test_explained_and_quiet_repairs_agree_and_only_the_explanation_names_every_signal():
    explained = zhfix.repair(SEED_LIKE)
    quiet = zhfix.repair(SEED_LIKE, explain=False)
    assert explained.text == quiet.text == zhfix.fix_text(SEED_LIKE)
    assert explained.diagnosis.disguised and quiet.diagnosis.disguised
    # pinyin and halfwidth punctuation decide: the quiet repair does not search further
    assert "mainland_terms" not in quiet.diagnosis.evidence
    assert explained.diagnosis.evidence["mainland_terms"]


def test_pinyin_letters_alone_cost_no_mojibake_judgment(monkeypatch):
    # tone-marked vowels are unusual characters, but one among ASCII letters
    # makes no run that a wrong-codec reading could be: nothing is judged
    from zhfix.stages import mojibake

    def refuse(*args, **kwargs):
        raise AssertionError("a mojibake judgment on a page whose unusual characters make no run")

    monkeypatch.setattr(mojibake.decide, "why_plausible", refuse)
    monkeypatch.setattr(mojibake, "_LOST_RE", None)  # not even searched for
    assert mojibake.find("網(wǎng)站和醫(yī)生") == []


#: A "?" of code or English prose, after no Han character.
ASCII_QUESTION = "\n`a ? b : c` (why? see below)\n"


@pytest.mark.parametrize("text", [KOREAN + ASCII_QUESTION, JAPANESE + ASCII_QUESTION,
                                  "# tar\n\n> 归档工具。\n\n- 创建归档 (what?)\n\n`tar cf {{a.tar}} {{file}}`\n"])
def test_a_question_mark_after_no_han_character_costs_no_repair(monkeypatch, text):
    from zhfix import runner

    def refuse(*args, **kwargs):
        raise AssertionError("a whole repair run for a clean page")

    monkeypatch.setattr(runner, "_repair", refuse)
    assert zhfix.fix_text(text) is text


def test_a_page_with_a_question_mark_of_code_still_has_its_misread_span_reread():
    # a GBK span read one byte out of step starts at a "?" after a Han
    # character: the page goes the long way, whatever other "?" it holds
    import damage

    src = damage.to_traditional("跨境电商的快速发展，让县里的农产品直接卖到了海外。我们在杭州开会，明年再来杭州好吗？")
    misread = damage.misalign_gbk(src, src.index("快"), src.index("，") + 1)
    for page in (KOREAN + ASCII_QUESTION, JAPANESE + ASCII_QUESTION, ASCII_QUESTION):
        text = page + misread + "\n"
        out = zhfix.fix_text(text)
        assert out != text and "快速" in out
        assert out == zhfix.repair(text).text


def test_lines_starting_with_a_traditional_character_are_the_regexs():
    from zhfix.stages import convert
    from zhfix.data.tables import t2s

    import re

    traditional = t2s().traditional
    rng = random.Random(22)
    pool = list(" \t\u3000\n\r\xa0ab，") + ["網", "发", "們", "的", "時", "𠀀"]
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        expected = [m.start(1) for m in re.finditer(r"^[ \t\u3000]*(\S)(.*)$", text, re.M) if m.group(1) in traditional]
        assert convert._line_starts(text) == expected, text


def test_kana_counted_by_class_is_findalls_count():
    from zhfix.loops import scan
    from zhfix.stages import diagnose

    rng = random.Random(23)
    pool = ALPHABET + "ぁゖゝァヺーヽㇰﾝｦﾞﾟ가"
    for _ in range(5000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert scan.count(text, scan.KANA_HANGUL) == len(decide._KANA_HANGUL.findall(text))
        assert scan.count(text, scan.KANA) == len(diagnose._KANA.findall(text))


def test_a_page_of_one_script_is_told_by_its_classes_without_a_search(monkeypatch):
    # a page of Korean or of kana, and English with a stray accent, are told
    # from the classes of their characters (the class table's script bits),
    # never by a regex search of the page for another script's letters
    from zhfix.stages import mojibake

    def refuse(*args):
        raise AssertionError("the page searched for another script's letters")

    monkeypatch.setattr(mojibake.decide, "why_plausible", refuse)
    monkeypatch.setattr(mojibake.decide, "is_bad", refuse)
    pages = ["The café opens at nine; the résumé goes to HR.\n" + "The shop opens at nine.\n" * 40 + "x = f(y)\n" * 40,
             "오늘은 날씨가 좋아서 공원에 산책을 갔습니다.\n" * 30,
             "きょうはてんきがいいので、こうえんをさんぽしました。\n" * 30]
    for page in pages:
        assert zhfix.fix_text(page) is page


#: Our own sentences, each disguised with one span of it misread (a GBK
#: stream read one byte out of step) in the tests below.
_SENTENCES = ["跨境电商的快速发展，让县里的农产品直接卖到了海外。",
              "我们在杭州开会，明年再来杭州好吗？他说什么时候出发？",
              "上海科创企业的研发投入持续增长，带动了就业。"]


def test_a_page_with_no_span_end_in_reach_is_reread_as_the_long_way_would(monkeypatch):
    # reread.find looks no further on a page where no "?" after a Han
    # character has a span's end in reach (another "?", an ASCII letter after
    # a garbled character): what it finds must be what the long way finds
    import damage
    from zhfix.stages import reread

    rng = random.Random(31)
    pool = ["?", "?", "？", "(", ")", "a", "W", "z", " ", ",", "嗎", "網", "上", "苿", "娋", "(wǎng)", "\n"]
    texts = []
    while len(texts) < 300:
        src = damage.disguise(rng.choice(_SENTENCES))
        a = rng.randrange(1, len(src) - 2)
        try:
            page = damage.misalign_gbk(src, a, rng.randrange(a + 1, min(len(src), a + 6)))
        except ValueError:  # the span starts with no double-byte character
            continue
        cut = rng.randrange(len(page) + 1)
        texts.append(page[:cut] + "".join(rng.choice(pool) for _ in range(rng.randint(0, 6))) + page[cut:])
    for _ in range(3000):
        texts.append("".join(rng.choice(pool) for _ in range(rng.randint(0, 24))))
    quick = [reread.find(text) for text in texts]
    monkeypatch.setattr(reread, "_may_end", lambda text, a: True)
    assert quick == [reread.find(text) for text in texts]
    assert any(quick)


def test_keyword_phrases_are_split_as_by_the_separators_with_their_white_space():
    import re

    rng = random.Random(32)
    pool = list("，,、|｜;； \t\u3000\xa0ab") + ["美女", "免费", "在线"]
    around = re.compile(r"\s*[,，、|｜;；]\s*")
    for _ in range(20000):
        line = "".join(rng.choice(pool) for _ in range(rng.randint(0, 16)))
        s = line.strip()
        expected = [p for p in around.split(s) if p]
        found = decide.phrases(line)
        if found is not None:
            assert found == expected, line
        assert len(decide._LIST_SEP.findall(line)) == len(around.findall(line)), line


def test_kana_enough_to_make_a_page_japanese_are_counted_by_the_quiet_repair_too():
    # a repair that does not explain itself counts kana only where there can
    # be enough of them; at the threshold they are counted, and the page is
    # left alone as Japanese either way
    from zhfix.stages import diagnose

    body = "網(wǎng)站介紹:這傢公司的軟件很好用,數據也很準確。"
    n_trad = diagnose.scan.count(body, diagnose.scan.TRADITIONAL)
    for kana in (int(decide.japanese_at(n_trad)) - 1, int(decide.japanese_at(n_trad)) + 1):
        page = body + "の" * kana
        quiet, explained = diagnose.diagnose(page, complete=False), diagnose.diagnose(page)
        assert quiet.disguised == explained.disguised
        assert quiet.disguised == (kana < decide.japanese_at(n_trad))
        if not quiet.disguised:  # (a disguise's reason names the signals searched for)
            assert quiet.reason == explained.reason
            assert quiet.evidence["kana"] == explained.evidence["kana"]


def test_a_japanese_page_is_judged_by_its_kana_before_the_other_searches(monkeypatch):
    # a quiet repair of a page with kana enough to make it Japanese takes the
    # verdict from them, before looking for pinyin, punctuation or
    # vocabulary: Japanese whatever those would say
    from zhfix.stages import diagnose

    page = "網(wǎng)站介紹:這傢公司的軟件很好用,數據也很準確。" * 3 + "アプリの設定を開いて、言語を選びます。" * 20
    explained = diagnose.diagnose(page)
    assert not explained.disguised and explained.reason.startswith("Japanese")

    def refuse(*args, **kwargs):
        raise AssertionError("searched past the kana of a Japanese page")

    monkeypatch.setattr(diagnose.pinyin, "count_annotations", refuse)
    monkeypatch.setattr(diagnose.scan, "marks_after_han", refuse)
    monkeypatch.setattr(diagnose, "_terms_at_pairs", refuse)
    quiet = diagnose.diagnose(page, complete=False)
    assert (quiet.disguised, quiet.reason) == (False, explained.reason)


def test_lines_are_cut_after_each_line_feed_only():
    import re
    from zhfix.stages import spans

    line_re = re.compile(r"[^\n]*\n|[^\n]+")  # what a line is: up to and with its "\n"
    rng = random.Random(33)
    pool = list("ab中\n\r\x0b\x0c\x1c\x85\u2028\u2029 ")
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        assert spans.lines(text) == line_re.findall(text), repr(text)
        assert "".join(spans.lines(text)) == text


def test_notice_lines_are_what_the_strong_phrases_and_three_words_say():
    # is_notice scans a line once for the strong phrases and the words together
    import re

    strong = re.compile("版权所有|不得转载|转载请注明|免责声明|未经.{0,12}(授权|许可|同意)|©")
    english = re.compile("copyright|all rights reserved|ICP备", re.I)
    rng = random.Random(34)
    pool = ["版权", "所有", "转载", "请注明", "不得", "授权", "声明", "免责", "未经", "同意", "许可", "追究",
            "法律责任", "不代表", "本网", "本站", "来源", "删除", "©", "Copyright", "ıcp备", "İCP备", "all rights",
            " reserved", "的", "本", "未", "经", "，", " ", "a", "C", "i"]
    seen = set()
    for _ in range(30000):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(0, 7)))
        expected = bool(strong.search(s) or english.search(s)
                        or len(set(decide._NOTICE_ZH.findall(s))) >= 3)
        assert decide.is_notice(s) == expected, s
        seen.add(expected)
    assert seen == {True, False}


def test_lines_looked_at_as_code_are_told_by_their_ends(monkeypatch):
    """_code reads only the lines _looked passes (told by their first and
    last characters): its verdict is the one reading every line gives."""
    from zhfix import structure

    assert structure.SPACE == {chr(c) for c in range(0x110000) if chr(c).isspace()}
    rng = random.Random(35)
    pool = list(" \t\u3000\xa0\x85\r;{}):(a_#/*-\"'<中。") + [
        "):", "def ", "x = 1", "- ", "-- ", "<!--", '"""', "'''", "//", "/*", "f(x)", "<a>"]
    looked = structure._looked
    verdicts = set()
    for _ in range(20000):
        lines = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(0, 8))]
        lines = [line for line in lines if line and not line.isspace()]
        passed = looked(lines)
        assert all(line in lines for line in passed)
        monkeypatch.setattr(structure, "_looked", list)  # every line read
        every = structure._code(lines)
        monkeypatch.setattr(structure, "_looked", looked)
        assert structure._code(lines) == every, lines
        verdicts.add(every)
    assert verdicts == {True, False}
    # a list item's dash opens no comment: its line is passed by, unless it ends as code
    assert looked(["- 列出文件", "-- 注释", "- f();"]) == ["-- 注释", "- f();"]


def test_fix_texts_first_scan_verdict_is_the_repairs():
    """fix_text answers a page from its first class scan where no stage's
    characters are there, or only those of one script and nothing else the
    mojibake check looks for (Korean): the same text the whole repair gives."""
    from zhfix import runner

    rng = random.Random(41)
    answered = 0
    for _ in range(1500):
        pieces = [rng.choice(_PIECES + ["서울", "한국어 문서입니다.", "“인용”", "?", "(", "ā", "國"]) for _ in range(rng.randint(1, 10))]
        text = "".join(pieces)
        assert zhfix.fix_text(text) == zhfix.repair(text).text, text
        called = []
        original = runner._fix
        runner._fix = lambda *a: called.append(1) or original(*a)
        try:
            zhfix.fix_text(text)
        finally:
            runner._fix = original
        answered += not called
    assert answered > 100
    korean = "오늘은 회의가 있습니다. 서울 시청 앞에서 만나요.\n" * 20
    assert decide.calm_mask(__import__("zhfix.loops.scan", fromlist=["scan"]).classes(korean))


def test_clean_pages_of_other_scripts_do_not_import_ftfy():
    """ftfy takes ~40 ms to import; a clean page of Korean or Russian, or
    English with an accent, is answered from the class table without it."""
    import subprocess
    import sys

    code = ("import sys, zhfix\n"
            "for page in sys.argv[1:]:\n"
            "    assert zhfix.fix_text(page) is page\n"
            "print('ftfy' in sys.modules)\n")
    pages = [KOREAN, "Это простой текст без ошибок.\n" * 5, "The café opens at nine.\n"]
    out = subprocess.run([sys.executable, "-c", code, *pages], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_what_ftfys_pattern_needs_is_read_once_and_kept(tmp_path):
    """Reading ftfy's badness pattern takes re's parser ~10 ms: a process
    finds what it read in the cache directory, without importing ftfy."""
    import os
    import subprocess
    import sys

    code = ("import sys\n"
            "from zhfix.data import chars\n"
            "facts = chars.badness_facts()\n"
            "print('ftfy' in sys.modules, facts[0] is not None, facts[1])\n")
    env = dict(os.environ, ZHFIX_CACHE_DIR=str(tmp_path))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
            for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    first, second = (r.stdout.split() for r in runs)
    assert first[0] == "True" and second[0] == "False"  # read from ftfy, then from the cache
    assert first[1:] == second[1:] == ["True", str(decide._badness_width())]
    assert list(tmp_path.glob("**/ftfy-badness-*"))


def _round_trip_plain(span, reader, source):
    """mojibake._round_trip the long way: the first characters tried with an
    incremental decoder, then the whole span (mojibake._whole)."""
    import codecs

    from zhfix.stages import mojibake

    mojibake._ensure_codecs(reader)
    head = span[:24]
    if "\ufffd" not in head:
        try:
            codecs.getincrementaldecoder(source)().decode(mojibake._encode(head, reader), final=False)
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None
    return mojibake._whole(span, reader, source)


def test_a_round_trip_is_the_long_ways():
    """A span of at most 24 characters is encoded and decoded once: the
    same reading, or none, as the first characters tried, then the whole."""
    from zhfix.stages import mojibake

    rng = random.Random(43)
    pool = [_misread("我们明天开会", "gbk"), _misread("数据", "big5"), _misread("东京", "latin-1"),
            "関数", "变量", "€", "\ufffd", "a", "é", "中", "カ", "鎴戜滑", "Ã©", "\x81",
            # each Latin reader's highest character and the ones just above
            "ÿ", "Ā", "™", "\u2123", "\x1a", "\U00020000"]
    seen = set()
    for _ in range(3000):
        span = "".join(rng.choice(pool) for _ in range(rng.randint(1, 8)))
        for reader, source in mojibake.PAIRS:
            got = mojibake._round_trip(span, reader, source)
            assert got == _round_trip_plain(span, reader, source), (span, reader, source)
            seen.add(got is None)
    assert seen == {True, False}


def test_a_lost_characters_candidates_near_its_neighbours_are_the_long_ways():
    # (picked by zhfix.loops.scan.pick from the candidates' simplified forms,
    # kept as one string per recurring tuple: the same candidates, in the
    # same order, as filtering all of them through a set)
    from zhfix.data.tables import t2s
    from zhfix.stages import model, reread

    table = t2s().table
    rng = random.Random(29)
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)] + list("網國發業創聯現協醫監體據應這說時實點經開關學題與務")
    for _ in range(200):
        cands = tuple(rng.sample(pool, rng.randint(1, 2000)))
        simplified = [c.translate(table) for c in cands]
        near = "".join(rng.sample(simplified, min(len(cands), rng.randint(0, 300))) + rng.sample(pool, 50))
        expected = tuple([c for c, s in zip(cands, simplified) if s in set(near)][:reread.MAX_SCORED * 4])
        assert reread._nearest(cands, near, table) == expected
        assert reread._nearest(list(cands), near, table) == expected
    # a pair of neighbours: the characters that follow `left` or come before
    # `right` in a dictionary word, and the 300 commonest
    for left, right in [("网", "发"), ("的", ""), ("", "院"), ("", "")]:
        walked = set()
        for word in model.lexicon(frozenset(c for c in (left, right) if c)):
            walked |= {word[i + 1] for i, ch in enumerate(word[:-1]) if ch == left}
            walked |= {word[i - 1] for i, ch in enumerate(word) if i and ch == right}
        assert set(reread._near(left, right)) == walked | set(model._summary()["commonest"][:300])


def test_a_page_the_fast_path_calls_undisguisable_is_never_diagnosed_disguised():
    from zhfix.loops import scan
    from zhfix.stages import diagnose, pinyin

    rng = random.Random(31)
    # traditional prose, mainland words, a converter's forms (爲 衆), simplified
    # characters, halfwidth marks, parentheses and letters, pinyin, kana
    pieces = ["這個網絡軟件的數據", "資料與軟體", "爲了衆人", "发展", "，", ",", "：", ":", "(", ")", "（", "）",
              "wǎng", "abc", "。", "\n", "網(wǎng)", "台灣的學校", "简体中文的网络发展很快", "ひらがな", "カタカナ"]
    texts = list(_fixture_texts())
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(4000)]
    said = disguised = by_classes = calm = 0
    for t in texts:
        mask = scan.classes(t)
        if not mask & scan.TRADITIONAL:
            continue
        verdict = diagnose.diagnose(t).disguised
        disguised += verdict
        counted, annotations = scan.census(t), pinyin.count_annotations(t)[1]
        if decide.undisguisable(mask, counted) or decide.undisguisable(mask, counted, whole=False) \
                or decide.undisguisable(mask, counted, annotations=annotations) \
                or decide.undisguisable(mask, counted, annotations=annotations, text=t):
            said += 1
            assert not verdict and not diagnose.diagnose(t, complete=False).disguised, t
        # zhfix.fix_text's first test, of the page's classes alone (a page's
        # parenthesis counting only where an annotation can open)
        placed = runner.page_classes(t)
        if decide.undisguisable_classes(placed):
            by_classes += 1
            assert decide.undisguisable(placed, counted) and decide.undisguisable(placed, counted, whole=False), t
            assert not verdict, t
            if runner._calm(placed):  # fix_text returns such a page at once
                calm += 1
                assert zhfix.repair(t).text == t, t
    assert said > 200 and disguised > 200 and by_classes > 100 and calm > 50


def _line_end_colons_plain(text: str) -> list:
    """The colons ending a line with two Han characters, whatever stands
    before them but white space, a colon, a slash or Chinese right before."""
    import re

    from zhfix.data.chars import CJK_PUNCT, HAN

    out = []
    for m in re.finditer(r":[ \t]*$", text, re.M):
        i = m.start()
        before = text[:i].rstrip(" \t")
        if not before or before[-1].isspace() or before[-1] in ":/" or re.match(f"[{HAN}{CJK_PUNCT}]", text[i - 1]):
            continue
        line = text[text.rfind("\n", 0, i) + 1:i]
        if len(re.findall(f"[{HAN}]", line)) >= 2:
            out.append(i)
    return out


def test_line_end_colons_are_found_as_the_plain_reading_finds_them():
    """The regex passes by a colon right after Chinese (restore-punctuation's
    other finder has it) instead of testing each: the same colons."""
    from zhfix.stages import punct

    rng = random.Random(43)
    pieces = [":", "：", " ", "\t", "\n", "列出", "文件", "中", "。", "」", "issue", "`ls`", ")", "/", "12", "\u3000", "a"]
    found = 0
    for _ in range(6000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        expected = _line_end_colons_plain(text)
        assert punct.line_end_colons(text) == expected, repr(text)
        found += bool(expected)
    assert found > 50


def test_json_strings_and_csv_fields_are_found_as_the_plain_patterns_find_them():
    """structure's string and quoted-field patterns are unrolled (a run of
    plain characters in one repeat): the spans and delimiters of the plain
    alternations, ``"(?:[^"\\\n]|\\.)*"`` and ``"(?:[^"]|"")*"``."""
    import re

    from zhfix import structure

    def json_plain(text):
        spans, pos = [], 0
        for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"(\s*:)?', text):
            if m.group(1) is None:
                spans.append((pos, m.start() + 1))
                pos = m.end() - 1
        return spans + [(pos, len(text))]

    def csv_plain(text, d):
        e = re.escape(d)
        return [m.start() for m in re.finditer(f'(?:^|(?<=[{e}\\n]))"(?:[^"]|"")*"|{e}', text) if m.group() == d]

    rng = random.Random(47)
    strings = fields = 0
    for _ in range(4000):
        text = "".join(rng.choice(['"', "\\", "\n", "a", "中", ":", " ", ","]) for _ in range(rng.randint(0, 24)))
        assert structure.json_spans(text) == json_plain(text), repr(text)
        strings += len(json_plain(text)) > 1
        for d in (",", ";"):
            row = text.replace("\\", d)
            assert structure.csv_delimiters(row, d) == csv_plain(row, d), repr(row)
            fields += '"' in row and bool(csv_plain(row, d))
    assert strings > 500 and fields > 500


def test_html_markup_is_blanked_as_the_plain_substitution_blanks_it():
    """The markup an HTML page is judged again without is made spaces a line
    at a time: what replacing each character but a line break makes."""
    import re

    from zhfix import runner

    rng = random.Random(53)
    for _ in range(3000):
        span = "".join(rng.choice(["\n", "\r", " ", "a", "中", "<", "\t", "\u2028"]) for _ in range(rng.randint(0, 12)))
        assert runner._blank(span) == re.sub(r"[^\n]", " ", span), repr(span)


def test_english_notice_words_are_found_ignoring_case():
    """_NOTICE_EN spells out its first letters' cases (c, a, and i with İ and ı)
    instead of ignoring case throughout: it finds what a case-insensitive
    search finds."""
    import re

    plain = re.compile("copyright|all rights reserved|ICP备", re.IGNORECASE)
    rng = random.Random(47)
    words = ["copyright", "all rights reserved", "ICP备"]
    found = 0
    for _ in range(20000):
        word = rng.choice(words)
        # each letter in either case, an i sometimes as İ or ı, an s as ſ, a letter dropped
        chars = [rng.choice([c.lower(), c.upper()]) for c in word]
        chars = [rng.choice(["İ", "ı", c]) if c in "iI" else rng.choice(["ſ", c]) if c in "sS" else c for c in chars]
        if rng.random() < 0.3:
            del chars[rng.randrange(len(chars))]
        line = rng.choice(["", "版权 ", "ca ", "©"]) + "".join(chars) + rng.choice(["", " 2026", "a"])
        expected = plain.search(line) is not None
        assert (decide._NOTICE_EN.search(line) is not None) == expected, line
        found += expected
    assert 5000 < found < 19000


def test_a_reading_with_no_tone_is_looked_for_among_the_readings_letters():
    # (each character's readings without their tones kept as a set: the same
    # answer as comparing the syllable with each reading's letters in turn)
    from zhfix.stages import pinyin

    def plain(char, syl):
        forms = pinyin._forms(char)
        if not forms:
            return False
        s = pinyin._norm(syl)
        if s in forms:
            return True
        bare = s.translate(pinyin._TONE_MARKS)
        if bare == s and not s[-1:].isdigit() or s[-1:] in "05":
            return any(pinyin.toneless(f) == bare.rstrip("05") for f in forms)
        return False

    rng = random.Random(37)
    chars = "網网发發业業的地得了行长重着著乾干中国人一是不吗呢A1，"
    syllables = ["wǎng", "wang3", "wang", "wang0", "wang5", "WANG", "fa", "fā", "de", "De5", "le", "xíng", "hang",
                 "zhong", "zhòng", "chong2", "zhe", "zhuó", "zháo", "gan", "qián", "yi", "shi", "bu", "ma", "ne",
                 "[f]ile", "regex", "", "0", "v", "lü", "lv", "lu:", "nü3", "ǹg", "m̄", "ê"]
    pairs = [(c, s) for c in chars for s in syllables]
    pairs += [(rng.choice(chars), "".join(rng.choice("aeiouvngzhwx0123456:āǎèǐòǔǖ[]") for _ in range(rng.randint(1, 7))))
              for _ in range(3000)]
    said = [pinyin._syllable_ok.__wrapped__(c, s) for c, s in pairs]
    assert said == [plain(c, s) for c, s in pairs]
    assert True in said and False in said


def test_the_letters_of_an_ascii_syllable_are_the_long_ways():
    """pinyin.toneless reads ASCII letters without taking a normal form (the
    English in parentheses after Chinese, met first sight): the same letters
    as the long way, v and u: read as ü, tone numbers dropped."""
    import string

    from zhfix.stages import pinyin

    def long_way(s):
        return pinyin._norm(s).translate(pinyin._TONE_MARKS).rstrip("012345")

    rng = random.Random(17)
    alphabet = string.ascii_letters + "0123456789:' -vVuU"
    for _ in range(20000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        assert pinyin.toneless(s) == long_way(s), s
    assert pinyin.toneless("LV3") == "lü" and pinyin.toneless("nu:") == "nü" and pinyin.toneless("wǎng") == "wang"


@pytest.mark.parametrize("text", [
    "# cargo\n\n> 管理 Rust 包（crate）的工具。\n\n- 构建当前的包（crate）：\n\n`cargo build`\n",
    "# cargo\n\n> 管理 Rust 套件（crate）的工具。\n\n- 建置目前的套件（crate）：\n\n`cargo build`\n",
    "# git\n\n> 分布式版本控制系统（version control）。\n\n- 查看当前分支（branch）的状态：\n\n`git status`\n",
])
def test_english_in_fullwidth_parentheses_is_answered_by_the_first_scan(monkeypatch, text):
    """A word of letters in fullwidth parentheses after Chinese (（crate）)
    is never the mirror's own shape of annotation: fix_text answers such a
    clean page, simplified or Taiwan's, from its first scan, and the whole
    repair leaves it as it is too."""
    from zhfix import runner

    assert zhfix.repair(text).text == text

    def refuse(*args, **kwargs):
        raise AssertionError("a clean page taken past its first scan")

    monkeypatch.setattr(runner, "_fix", refuse)
    assert zhfix.fix_text(text) is text


@pytest.mark.parametrize("text", [
    "# ls\n\n> 列出目录的内容。\n\n- 列出名字只有一个字符的文件：\n\n`ls ?`\n\n- 匹配 `file?.txt`：\n\n`ls file?.txt`\n",
    "# man\n\n> 顯示手冊頁。\n\n- 顯示 `ls` 的說明（What is ls?）：\n\n`man ls`\n",
    "# regex\n\n> 正则表达式里的 `a?b` 表示 a 可有可无。\n",
])
def test_a_question_mark_apart_from_chinese_is_answered_by_the_first_scan(monkeypatch, text):
    """A "?" that stands after no Chinese character (``ls file?.txt``, an
    English question) can be no lost character nor a misread GBK span's
    start: fix_text answers such a clean page from its first scan, and the
    whole repair leaves it as it is and reports no lossy place."""
    from zhfix import runner

    result = zhfix.repair(text)
    assert result.text == text
    assert not [s for s in result.steps if s.name == "lossy"]

    def refuse(*args, **kwargs):
        raise AssertionError("a clean page taken past its first scan")

    monkeypatch.setattr(runner, "_fix", refuse)
    assert zhfix.fix_text(text) is text


def test_question_marks_anywhere_get_the_repairs_text():
    """Pages with "?" after Chinese characters, Chinese punctuation, code or
    nothing, and GBK spans read out of step: fix_text's answer, first scan
    or not, is the whole repair's; a "?" right after Chinese always takes
    the whole repair."""
    from zhfix import runner
    from zhfix.loops import scan

    import damage

    rng = random.Random(58)
    pieces = ["?", "??", "file?.txt", "What?", "中文", "这是一个很好的网络工具", "這是軟體的說明", "，", "。", "：", "\n",
              "`ls ?`", " ", "ab", "（", "）", "(", ")", "台灣的學校", "发展", "“", "”"]
    fast = 0
    for k in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        han = [i for i in range(len(text) - 1) if "\u4e00" <= text[i] <= "\u9fff" and "\u4e00" <= text[i + 1] <= "\u9fff"]
        if k % 5 == 0 and han:
            i = rng.choice(han)
            text = damage.misalign_gbk(text, i, i + 2)
        assert zhfix.fix_text(text) == zhfix.repair(text).text, text
        mask = runner.facts_of(text)
        if scan.positions(text, scan.QUESTION, scan.CHINESE):
            assert not mask & scan.QUESTIONS_APART and not runner._calm(mask)
        elif mask & scan.QUESTIONS_APART and k % 10 == 0:
            # the repair the fact lets stop at once reports what the whole one, every shortcut off, reports
            quick, whole = zhfix.repair(text), zhfix.repair(text, fast=False)
            assert quick.text == whole.text
            assert [(s.name, s.evidence) for s in quick.steps if s.name == "lossy"] == \
                   [(s.name, s.evidence) for s in whole.steps if s.name == "lossy"], text
        fast += bool("?" in text and scan.HAN & mask and runner._calm(mask))
    assert fast > 100


def test_parentheses_of_both_widths_get_the_repairs_text():
    """Pages mixing words and syllables in ASCII and fullwidth parentheses
    after Chinese: fix_text's first-scan answer is the whole repair's."""
    import re

    from zhfix import runner
    from zhfix.loops import scan

    rng = random.Random(57)
    pieces = ["包（crate）", "網（wǎng）", "网（wang）", "中(zhōng)", "包(crate)", "（zhong guo）", "(ni hao)", "發展",
              "这是一个很好的网络工具", "這是軟體的說明", "，", ",", "：", "。", "\n", "台灣的學校", "（", "(", "）", ")",
              "ab", " ", "'"]
    fast = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        assert zhfix.fix_text(text) == zhfix.repair(text).text, text
        mask = runner.facts_of(text)
        fast += bool(mask & scan.NO_ANNOTATION and re.search("[包網网]（[a-z]", text) and runner._calm(mask))
    assert fast > 100


_SHORTCUT = not isinstance(zhfix.fix_text, type(zhfix._fix_text))
needs_shortcut = pytest.mark.skipif(not _SHORTCUT, reason="no C loops: fix_text is the Python function itself")


def test_fix_text_is_documented_and_pickled_as_a_function():
    """With the C loops, zhfix.fix_text is a C callable (zhfix.loops._speedups.Fixer)
    standing for the Python function: help(), inspect and a pickle (a
    multiprocessing pool's map) see the function."""
    import inspect
    import pickle
    import pydoc
    import weakref

    fix_text = zhfix.fix_text
    assert fix_text.__name__ == "fix_text" and fix_text.__module__ == "zhfix"
    assert list(inspect.signature(fix_text).parameters) == ["text", "config", "kwargs"]
    assert fix_text.__doc__.startswith("The repaired text alone")
    assert "fix_text(text" in pydoc.plain(pydoc.render_doc(fix_text))
    assert pickle.loads(pickle.dumps(fix_text)) is fix_text
    assert inspect.isroutine(fix_text)
    assert weakref.ref(fix_text)() is fix_text

    class Holder:  # as a class's attribute, bound to the instance, as a function is
        fix = fix_text
        plain = zhfix._fix_text

    with pytest.raises(AttributeError):
        Holder().plain("中文")  # (the instance taken for the text)
    with pytest.raises(AttributeError):
        Holder().fix("中文")
    assert Holder.fix("中文") == Holder.plain("中文") == "中文"


def test_fix_texts_shortcut_answers_as_the_function():
    """Every way of calling fix_text gives what the Python function gives
    (the shortcut answers one str alone, and passes on every other call),
    and text that needs nothing comes back as the same object."""
    class Page(str):
        pass

    rng = random.Random(61)
    header = "中文网站，网络新闻，今日头条，热门视频\n\n"
    article = "滨江区的居民今天上午参加了社区组织的植树活动，大家一起种下了三百多棵树苗。"
    pages = [SEED_LIKE, "這是一段文字。", "中文", "abc", "", "我们明天去杭州开会?", "網(wǎng)站",
             header + article * 2, header + article, article + "\n", "\ud800中文", "𠀀中文" * 900] + [
        "".join(rng.choice(_PIECES + ["這個", "網(wǎng)", ",", "?", "国"]) for _ in range(rng.randint(1, 8)))
        for _ in range(600)]
    same = 0
    for text in pages:
        expected = zhfix._fix_text(text)
        got = zhfix.fix_text(text)
        assert got == expected == zhfix.repair(text).text, text
        assert (got is text) == (expected is text), text
        same += got is text
        assert zhfix.fix_text(text=text) == expected
        assert zhfix.fix_text(Page(text)) == expected
        assert zhfix.fix_text(text, None) == expected
        assert zhfix.fix_text(text, strip_boilerplate=False) == zhfix.repair(text, strip_boilerplate=False).text
    assert 0 < same < len(pages)
    assert zhfix.fix_text(header + article * 2).strip() == article * 2  # a spam header stripped
    assert zhfix.fix_text(header + article) == header + article  # (too little text under it for one)


def test_fix_text_in_a_new_process_answers_before_and_after_its_shortcut_is_ready():
    """The first call of a process (the shortcut not yet given its tables)
    and the ones after it repair alike."""
    import subprocess
    import sys

    code = ("import zhfix\n"
            "calls = ['中文页面', '這是一段文字。', '網(wǎng)站介紹:這傢公司的軟件很好用,數據也很準確。', '中文页面', 'abc']\n"
            "print([zhfix.fix_text(t) for t in calls] == [zhfix.repair(t).text for t in calls])\n"
            "print(zhfix.fix_text('中文页面') == '中文页面', zhfix.fix_text('這是一段文字。', disguised=True))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True", "这是一段文字。"]
    # a caller's own fix_text put in its place before the first repair: the repair unchanged
    code = ("import zhfix\n"
            "zhfix.fix_text = lambda text, config=None, **kwargs: text\n"
            "print(zhfix.repair('這是一段文字。', disguised=True).text)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["这是一段文字。"]


#: Japanese whose kanji include forms simplified Chinese writes too (学, 国, 会, 参, 体).
JAPANESE_SIMPLE = ("日本の大学で国際会議が開かれ、多くの学生が参加しました。"
                   "会場では新しい研究の発表が続き、体験の話も聞けました。\n")


@pytest.mark.parametrize("before", ["", "\u3000", " \t"])
@pytest.mark.parametrize("times", [3, 60])
def test_a_simplified_line_on_a_japanese_page_has_its_first_character_simplified(before, times):
    """A line of simplified Chinese whose first character alone is
    traditional (過去 written for 过去) is mended on a page of Japanese too,
    short or long: the page's kanji do not make its lines Japanese."""
    line = "過去的经验告诉我们要认真学习。\n"
    page = JAPANESE_SIMPLE * times + before + line
    assert zhfix.fix_text(page) == page.replace("過去", "过去") == zhfix.repair(page, fast=False).text
    # a line with another traditional character is no simplified line
    other = JAPANESE_SIMPLE * times + before + "過去的經验告诉我们要认真学习。\n"
    assert zhfix.fix_text(other) == other == zhfix.repair(other, fast=False).text


@needs_shortcut
def test_a_page_that_needs_nothing_runs_no_python_code():
    """The shortcut answers a page of clean text from its scan alone: no
    Python frame is entered (a damaged page's repair enters many)."""
    import sys

    calm = ["我们明天去杭州开会。软件的数据很准确。",  # a line alone: too little text under it for a spam header
            "# 标题\n\n我们明天去杭州开会。\n软件的数据很准确。\n",  # a first line too short for one
            "列出文件\n\n" + "我们明天去杭州开会，软件的数据很准确。" * 8,  # (3 Han characters, 4 phrases at least)
            # Japanese with kanji that are simplified forms too (学, 国, 会), on a
            # short page and on one of some 3,000 characters
            JAPANESE_SIMPLE * 3, JAPANESE_SIMPLE * 60,
            # no Han character, and marks beside the letters that no script
            # of one's own makes calm (’, —, →, ©) but that stand apart
            "It’s a page of English — with an arrow → and quotes.\n" * 3,
            KOREAN + "\n© 2026 문서 팀\n",
            # scripts of no class of their own, and an emoji with its variation selector
            "مرحبا بكم في الصفحة\nสวัสดี ครับ ⚠\ufe0f\n" * 3]
    damaged = SEED_LIKE
    for text in calm + [damaged]:
        zhfix.fix_text(text)  # (the verdict on the page's classes kept)
    frames = {}
    for text in calm + [damaged]:
        events = []
        sys.setprofile(lambda frame, event, arg: events.append(event))
        try:
            zhfix.fix_text(text)
        finally:
            sys.setprofile(None)
        frames[text] = events.count("call")
    assert all(frames[text] == 0 for text in calm) and frames[damaged] > 0, frames


def test_a_clean_file_through_the_cli_builds_no_class_of_han_characters(tmp_path):
    """re builds a class of all Han characters by visiting each, 2-7 ms a
    pattern; zhfix holds dozens.  A clean file through the CLI needs none
    of them, so its start-up pays for none (issue 5's start-up figures)."""
    import subprocess
    import sys

    page = tmp_path / "clean.txt"
    page.write_text("今天下午三点，我们在图书馆门口见面。\n会议讨论了明年的工作计划和预算安排。\n" * 40,
                    encoding="utf-8")
    code = ("import re, sys\n"
            "built = []\n"
            "compile_ = re._compile\n"
            "def recording(pattern, flags):\n"
            "    if isinstance(pattern, str) and '\\u4e00-' in pattern: built.append(pattern)\n"
            "    return compile_(pattern, flags)\n"
            "re._compile = recording\n"
            "from zhfix.cli import main\n"
            "sys.argv = ['zhfix', '--check', sys.argv[1]]\n"
            "try:\n"
            "    main()\n"
            "except SystemExit as e:\n"
            "    assert not e.code, e.code\n"
            "print(len(built), built[:3])\n")
    out = subprocess.run([sys.executable, "-c", code, str(page)], capture_output=True, text=True, timeout=120,
                         stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "0", out.stdout
