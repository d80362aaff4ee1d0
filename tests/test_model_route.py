"""The compiled word model (zhfix.loops._speedups.best_route over
zhfix.stages.model.route_table, jieba's whole dictionary): the same float,
to the bit, as the pure-Python route over the words covered so far
(model._best_route, its twin) and as jieba's own DAG and calc; the table
holds jieba's FREQ; the one kept in the cache directory is mapped, and
rebuilt when the file there is damaged.  (The loop itself over small
dictionaries, and its bad arguments: tests/test_speedups.py, which
scripts/sanitize.sh runs.)"""
import random
import struct
from math import log

import pytest
from hypothesis import example, given, settings, strategies as st

from zhfix.loops import scan
from zhfix.stages import model

needs_c = pytest.mark.skipif(not scan.COMPILED, reason="zhfix.loops._speedups not built")

# dictionary words of every length (to 16 characters) and their prefixes
# (上海 is one, 上海交 only a prefix), characters that are in no word, ASCII,
# punctuation, astral and surrogate code points, a NUL
_WORDS = ["上海", "上海交通大学", "中华人民共和国", "我们", "今天", "开会", "研究", "工作", "发展", "创新",
          "网络", "企业", "能力", "不断", "提高", "生活", "变化", "医院", "监测", "协会", "联合", "发布",
          "现代", "的", "了", "是", "乱码", "锟斤拷", "一丘之貉", "B超", "T恤", "AA制", "卡拉OK",
          "中国人民解放军总参谋部"]
_ODD = list("，。？！（）()?,. \n\t\u3000aAzZ09") + ["\U00020000", "\U0001f600", "\ud800", "\x00", "\ufffd",
                                                  "\u9fff", "\u3400", "\u4e28", "亍", "氽"]
pieces = st.lists(st.sampled_from(_WORDS) | st.sampled_from(_ODD)
                  | st.text(alphabet=st.sampled_from("".join(_WORDS)), max_size=4), max_size=20)


def _covered(text):
    """model._best_route over the words _Words covers for `text` (the fallback)."""
    words = model._words()
    words.cover(text)
    return model._best_route(text, words.FREQ, model._logp(words))


@needs_c
@settings(max_examples=400, deadline=None)
@given(pieces)
@example(["上海交"])  # a prefix that is no word, at the end
@example(["上海交通大学" * 60])  # a route longer than the C loop's stack buffer
@example([])
def test_compiled_route_is_the_pure_route_to_the_bit(parts):
    text = "".join(parts)
    expected = _covered(text) if text else 0.0
    assert scan.best_route(text, model.route_table()) == expected
    assert model.score.__wrapped__(text) == expected


@needs_c
def test_compiled_route_is_jiebas_over_its_whole_dictionary():
    """Over jieba's own FREQ (the whole dictionary, which _Words takes past
    MAX_SCANS) and its DAG + calc: the same numbers; the table's total is
    jieba's."""
    jieba = model._jieba()
    jieba.dt.check_initialized()
    dt = jieba.dt
    assert dt.total == model._total()
    table = model.route_table()
    rng = random.Random(15)
    alphabet = "".join(_WORDS) + "".join(_ODD)
    for _ in range(2000):
        text = "".join(rng.choice(_WORDS) if rng.random() < 0.5 else rng.choice(alphabet)
                       for _ in range(rng.randint(1, 12)))
        route = {}
        dt.calc(text, dt.get_DAG(text), route)
        assert scan.best_route(text, table) == route[0][0], text


def _lookup(table, key):
    """The frequency the table gives `key` (0: a prefix only), None where it
    has no such key: the C loop's walk, in Python."""
    size, nlp, _ = struct.unpack_from("=IId", table, 8)
    slots = memoryview(table)[24:24 + 8 * size].cast("Q")
    counts = memoryview(table)[24 + 8 * size + 8 * nlp:].cast("Q")
    shift, parent = 64 - (size.bit_length() - 1), 0
    for ch in key:
        k = parent << 21 | ord(ch)
        h = ((k * 0x9E3779B97F4A7C15) & ((1 << 64) - 1)) >> shift
        while slots[h] != (1 << 64) - 1 and slots[h] & ((1 << 48) - 1) != k:
            h = (h + 1) % size
        if slots[h] == (1 << 64) - 1:
            return None
        parent = h + 1
    return counts[slots[h] >> 48]


@needs_c
def test_the_table_holds_jiebas_freq():
    """Every key of FREQ (a sample) is found with its frequency, each prefix
    at 0, and nothing else; it holds as many keys as FREQ."""
    table = model.route_table()
    freq = model._route_freq()
    size, nlp, alone = struct.unpack_from("=IId", table, 8)
    assert alone == log(1) - log(model._total())
    slots = memoryview(table)[24:24 + 8 * size].cast("Q")
    assert sum(1 for s in slots if s != (1 << 64) - 1) == len(freq)
    keys = random.Random(3).sample(sorted(freq), 3000) + ["上海", "上海交", "B超"]
    for key in keys:
        assert _lookup(table, key) == freq[key], key
    for key in ["上海交通大学x", "齉齉", "xyz", "\U0001f600", "上海" * 9]:
        assert _lookup(table, key) is None


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHFIX_CACHE_DIR", str(tmp_path))
    model.route_table.cache_clear()
    yield tmp_path
    model.route_table.cache_clear()


@needs_c
def test_the_table_file_is_mapped_and_a_damaged_or_foreign_one_rebuilt(fresh_cache):
    import mmap

    table = model.route_table()
    assert isinstance(table, bytes)  # built here, and written
    [path] = fresh_cache.glob("jieba-route-*.bin")
    assert path.read_bytes() == table
    model.route_table.cache_clear()
    kept = model.route_table()
    assert isinstance(kept, mmap.mmap) and kept[:] == table
    assert scan.best_route("上海交通大学", kept) == scan.best_route("上海交通大学", table)
    size, nlp, _ = struct.unpack_from("=IId", table, 8)
    at = 24 + 8 * size + 8
    # an empty file, the layout cut short, and the right layout with
    # another log-probability (another libm's)
    other = table[:at] + struct.pack("=d", struct.unpack_from("=d", table, at)[0] + 1e-12) + table[at + 8:]
    for damaged in (b"", table[:-8], other):
        model.route_table.cache_clear()
        path.unlink()  # (a mapped file is replaced, not written over)
        path.write_bytes(damaged)
        assert model.route_table() == table
        assert path.read_bytes() == table
        assert model.score.__wrapped__("上海交通大学") == _covered("上海交通大学")


@needs_c
def test_prepare_covers_nothing_with_the_compiled_table():
    words = model._words()
    before = dict(words.FREQ)
    model.prepare("齉龘", [("靐", "龖")])
    assert words.FREQ == before or words.full


def test_the_pure_model_has_no_table(monkeypatch):
    monkeypatch.setattr(scan, "COMPILED", False)
    model.route_table.cache_clear()
    try:
        assert model.route_table() is None
    finally:
        model.route_table.cache_clear()


@needs_c
def test_a_pairs_frequency_read_from_the_table_is_the_dictionarys():
    """t2s in context asks how frequent a two-character word is: read from
    the route table (a few probes), it is what the dictionary's lines for
    its first character say, for words, prefixes of longer words, and pairs
    that are neither."""
    from zhfix.data import tables

    pairs = [w for w, _ in tables.jieba_words() if len(w) == 2]
    rng = random.Random(47)
    sample = rng.sample(pairs, 3000) + ["上海交"[:2], "海交", "的的", "ab", "著哪", "，的", "\U00020000的"]
    sample += ["".join(rng.sample(p + q, 2)) for p, q in zip(rng.sample(pairs, 500), rng.sample(pairs, 500))]
    assert model._route_lookup() is not None
    freqs = [model._pair_frequency(p) for p in sample]
    assert freqs == [model.words_with(p[0]).get(p, 0) for p in sample]
    assert sum(1 for f in freqs if f) > 2500 and 0 in freqs
