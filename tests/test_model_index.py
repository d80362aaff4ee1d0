"""The index of jieba's dictionary by character (zhfix.stages.model._Index): the
words it gives are the words a search of the dictionary file gives, it is
rebuilt when the cache holds something else, and without a cache directory
zhfix still repairs (by searching the file)."""
import random
import subprocess
import sys

import pytest

from zhfix.stages import model


def _search(ch):
    """Every dictionary line whose word holds `ch`, read straight from the file."""
    out = {}
    with open(model._dict_path(), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and ch in parts[0]:
                out[parts[0]] = int(parts[1])
    return out


@pytest.fixture()
def fresh_index(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHFIX_CACHE_DIR", str(tmp_path))
    model._index.cache_clear()
    model.words_with.cache_clear()
    model.lexicon.cache_clear()
    yield tmp_path
    model._index.cache_clear()
    model.words_with.cache_clear()
    model.lexicon.cache_clear()


def test_index_gives_the_words_of_the_dictionary(fresh_index):
    index = model._index()
    assert index is not None
    assert list(fresh_index.glob("jieba-index-*.bin"))
    chars = random.Random(5).sample(sorted(index.blocks), 25) + list("的着著干乾网发")
    for ch in chars:
        assert index.words_with(ch) == _search(ch), ch
    assert index.words_with("\U0001f600") == {}


def test_a_damaged_index_file_is_rebuilt(fresh_index):
    model._index()
    [path] = fresh_index.glob("jieba-index-*.bin")
    path.write_bytes(b"garbage")
    model._index.cache_clear()
    assert model._index().words_with("网") == _search("网")


@pytest.fixture()
def no_cache_dir(tmp_path, monkeypatch):
    """A cache directory that cannot be made (a file stands in its way)."""
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("ZHFIX_CACHE_DIR", str(blocked / "cache"))
    model._index.cache_clear()
    model.words_with.cache_clear()
    yield
    model._index.cache_clear()
    model.words_with.cache_clear()


def test_without_a_cache_directory_words_come_from_the_file(no_cache_dir):
    assert model._index() is None
    assert model.words_with("着") == _search("着")


def test_jieba_is_imported_without_pkg_resources_and_scores_as_jieba_does():
    code = (
        "import sys; from zhfix.stages import model\n"
        "s = model.score('我们今天开会研究工作')\n"
        "assert 'pkg_resources' not in sys.modules, 'pkg_resources imported'\n"
        "import jieba\n"
        "jieba.dt.check_initialized()\n"
        "text = '我们今天开会研究工作'\n"
        "dag = jieba.dt.get_DAG(text); route = {}\n"
        "jieba.dt.calc(text, dag, route)\n"
        "print(s, route[0][0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    ours, theirs = map(float, out.stdout.split())
    assert ours == pytest.approx(theirs)


def test_old_indexes_are_pruned_to_the_newest_few(fresh_index):
    import os
    import time

    for k in range(5):
        old = fresh_index / f"jieba-index-{k}-{k}.bin"
        old.write_bytes(b"old")
        os.utime(old, (time.time() - 1000 + k, time.time() - 1000 + k))
    model._index()
    left = sorted(p.name for p in fresh_index.glob("jieba-index-*.bin"))
    assert len(left) == model.KEEP_INDEXES
    assert "jieba-index-4-4.bin" in left and "jieba-index-3-3.bin" in left


def test_search_of_the_file_ends_for_any_character(no_cache_dir):
    """Without an index, a line break or a space is looked up without looping."""
    assert model.words_with("\n") == {}
    assert model.words_with(" ") == {}


def test_derived_values_are_built_once_and_kept(tmp_path, monkeypatch):
    from zhfix.data.store import derived

    source = tmp_path / "source.txt"
    source.write_text("data")
    monkeypatch.setenv("ZHFIX_CACHE_DIR", str(tmp_path / "cache"))
    calls = []

    def build():
        calls.append(1)
        return {1: "a,b", 2: "c"}

    assert derived("thing", str(source), build) == {1: "a,b", 2: "c"}
    assert derived("thing", str(source), build) == {1: "a,b", 2: "c"}
    assert len(calls) == 1
    source.write_text("other data")  # a new file: built again
    derived("thing", str(source), build)
    assert len(calls) == 2
    monkeypatch.setenv("ZHFIX_CACHE_DIR", str(source / "not-a-dir"))
    assert derived("thing", str(source), build) == {1: "a,b", 2: "c"}
    assert len(calls) == 3


def test_pinyin_readings_from_the_cache_are_pypinyins(tmp_path, monkeypatch):
    from zhfix.stages import pinyin

    monkeypatch.setenv("ZHFIX_CACHE_DIR", str(tmp_path))
    pinyin.readings.cache_clear()
    try:
        first = pinyin.readings()
        pinyin.readings.cache_clear()
        again = pinyin.readings()  # from the cache file
        assert list(tmp_path.glob("pinyin-readings-*.marshal"))
        from pypinyin.pinyin_dict import pinyin_dict
        assert first == again == pinyin_dict
    finally:
        pinyin.readings.cache_clear()


def test_the_index_file_is_the_same_whatever_the_hash_seed():
    """Processes sharing a cache directory may each build the index and
    replace the file under the other: the bytes must not depend on the
    process (a reader keeps using the offsets it loaded)."""
    code = ("import hashlib, sys; from zhfix.stages import model; "
            "sys.stdout.write(hashlib.sha256(model._Index.build("
            "'网络 10 n\\n人民网 3 n\\n网网 2 x\\n中华人民共和国 7 ns\\n')).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}).stdout
               for seed in (1, 2, 3, 4)}
    assert len(digests) == 1, digests


def _file_words_made_of(chars):
    out = {}
    with open(model._dict_path(), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and set(parts[0]) <= chars:
                out[parts[0]] = int(parts[1])
    return out


@pytest.mark.parametrize("where", ["fresh_index", "no_cache_dir"])
def test_the_words_loaded_for_many_characters_are_the_files(where, request):
    """What the word model loads when a page brings many new characters at
    once (from the index's groups by rarest character, or by a scan of the
    file without a cache directory) is every dictionary word made of the
    characters met so far: the everyday characters whose own words are many,
    and rare ones, in three steps."""
    request.getfixturevalue(where)
    rng = random.Random(11)
    everyday = list("的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要出也得里后自以会")
    pool = sorted({ch for w in _search("网") for ch in w} | {ch for w in _search("科") for ch in w})
    steps = [everyday[:20], everyday[20:] + rng.sample(pool, 60), rng.sample(pool, 120)]
    words = model._Words()
    covered = set()
    for step in steps:
        words.cover("".join(step))
        covered |= set(step)
        expected = _file_words_made_of(covered)
        loaded = {w: f for w, f in words.FREQ.items() if f or w in expected}
        assert loaded == expected
        assert all(set(w) <= covered for w in words.FREQ)


def test_tables_from_the_cache_are_the_tables_built(tmp_path, monkeypatch):
    """t2s's tables and the sets of everyday characters are kept in the
    cache directory: what a later process loads is what it would build."""
    from zhfix.data import chars, tables

    monkeypatch.setenv("ZHFIX_CACHE_DIR", str(tmp_path))
    built = tables.T2S.build()
    tables.T2S.cached()
    again = tables.T2S.cached()  # from the cache file
    assert list(tmp_path.glob("t2s-*.marshal"))
    for name in tables.T2S.FIELDS:
        assert getattr(again, name) == built[name], name
    assert again.special_re.pattern == tables.t2s().special_re.pattern
    for cached, build in ((chars.everyday, chars._everyday), (chars.common_chars, None)):
        cached.cache_clear()
        try:
            first = cached()
            cached.cache_clear()
            assert cached() == first
            if build is not None:
                assert first == build()
        finally:
            cached.cache_clear()
    assert list(tmp_path.glob("everyday-*.marshal")) and list(tmp_path.glob("common-chars-*.marshal"))
    assert "网" in chars.common_chars() and "網" in chars.common_chars()
