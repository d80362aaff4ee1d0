"""The faster word model gives the same numbers as the one it replaces."""
import random

from zhfix.stages import model, pinyin

TEXT = "随着网络发展企业创新能力不断提高我们的生活发生了很大的变化医院监测协会联合发布现代"


def _jieba_score(text):
    tok = model._jieba().Tokenizer
    words = model._words()
    words.cover(text)
    dag = tok.get_DAG(words, text)
    route = {}
    tok.calc(words, text, dag, route)
    return route[0][0]


def test_score_is_jiebas_route_to_the_bit():
    rng = random.Random(5)
    for _ in range(300):
        a = rng.randrange(len(TEXT) - 2)
        text = TEXT[a:a + rng.randint(1, 12)]
        if rng.random() < 0.3:
            text = text[:2] + rng.choice("，乱码?") + text[3:]
        assert model.score.__wrapped__(text) == _jieba_score(text)


def test_neighbours_are_those_of_the_words_holding_them():
    for left, right in [("网", "发"), ("医", ""), ("", "院"), ("的", "了")]:
        walked = set()
        for word in model.lexicon(frozenset(c for c in (left, right) if c)):
            for i, ch in enumerate(word):
                if ch == left and i + 1 < len(word):
                    walked.add(word[i + 1])
                if ch == right and i > 0:
                    walked.add(word[i - 1])
        assert set(model.neighbour_chars(left, right)) == walked


def test_chars_read_as_is_is_reading_inverted():
    chars = "網网发發业業创創联聯现現协協医醫监監的地得了行长重"
    for syl in ["wǎng", "wang3", "wang", "fā", "fa4", "de", "DE", "le5", "xíng", "hang", "zhong4", "xyz"]:
        read = pinyin.chars_read_as(syl)
        assert {c for c in chars if c in read} == {c for c in chars if pinyin.is_reading(c, syl)}
