"""A likelihood model of (simplified) Chinese: jieba's word-frequency dictionary.

Two uses, both loaded only when a document needs them:

* :func:`choose` decides a character with several simplified readings (著 ->
  着/著, 乾 -> 干/乾 …) by the most frequent dictionary word around it.  It
  reads only the words that contain the candidates, found in jieba's
  dictionary file, so jieba's segmenter never has to start.
* :func:`score` is the log-probability of a string under jieba's own
  maximum-probability segmentation (its DAG + dynamic programme); the GBK
  re-reading compares candidate readings with it.  With the C loops it walks
  a table of the whole dictionary (:func:`route_table`, mapped from the user
  cache directory); without them, :func:`_best_route` walks the part of the
  dictionary made of the characters met so far (:class:`_Words`).  Both give
  jieba's float to the bit.
"""
from __future__ import annotations

import logging
import re
import sys
from math import log
from functools import lru_cache
from typing import Dict, Sequence

from ..loops import scan


def _dict_path() -> str:
    from ..data.tables import jieba_dict

    return jieba_dict()


@lru_cache(maxsize=None)
def _dict_text() -> str:
    with open(_dict_path(), encoding="utf-8") as f:
        return f.read()


@lru_cache(maxsize=8192)
def words_with(ch: str) -> Dict[str, int]:
    """Every dictionary word containing the character `ch`, with its
    frequency: from the index of the dictionary by character (built once,
    kept in the user cache directory), else by plain substring search of the
    file, each hit's line read."""
    index = _index()
    if index is not None:
        return index.words_with(ch)
    text = _dict_text()
    out: Dict[str, int] = {}
    find, rfind = text.find, text.rfind
    i = find(ch)
    while i != -1:
        start = rfind("\n", 0, i) + 1
        end = find("\n", i)
        if end == -1:
            end = len(text)
        word, _, rest = text[start:end].partition(" ")
        if ch in word:
            out[word] = int(rest.split(" ", 1)[0])
        i = find(ch, end + 1)
    return out


def words_made_of(chars) -> list:
    """Every (word, freq) of the dictionary made only of `chars`: from the
    index (the groups of those characters alone), or by one scan of the
    file where there is none."""
    if not chars:
        return []
    index = _index()
    return index.words_made_of(chars) if index is not None else _made_of(chars, _dict_text())


#: Up to this many characters, words are found by substring search per
#: character; more, by one regex scan of the whole file (when there is no index).
FEW = 8


@lru_cache(maxsize=64)
def lexicon(chars: frozenset) -> Dict[str, int]:
    """Every dictionary word containing one of `chars`, with its frequency."""
    if len(chars) > FEW and _index() is None:
        pattern = re.compile(r"^(\S*[" + re.escape("".join(sorted(chars))) + r"]\S*) (\d+)", re.M)
        return {w: int(f) for w, f in pattern.findall(_dict_text())}
    out: Dict[str, int] = {}
    for ch in chars:
        out.update(words_with(ch))
    return out


def _made_of(chars, text: str) -> list:
    """(word, freq) of each line ``word freq ...`` of `text` whose word is
    made only of `chars` (one pattern over all of it)."""
    cls = re.escape("".join(sorted(chars)))
    return [(w, int(f)) for w, f in re.findall(r"^([" + cls + r"]+) (\d+)", text, re.M)]


class _Groups:
    """Where each character's group lies in an index file: the characters in
    one string, the groups' starts (and the last one's end) in an array."""

    def __init__(self, chars: str, starts: bytes) -> None:
        from array import array

        self.chars = chars
        self.starts = array("q")
        self.starts.frombytes(starts)
        if sys.byteorder == "big":
            self.starts.byteswap()

    def get(self, ch: str):
        """(offset, length) of `ch`'s group, or None."""
        i = self.chars.find(ch) if len(ch) == 1 else -1
        if i < 0:
            return None
        start = self.starts[i]
        return start, self.starts[i + 1] - start

    def __iter__(self):
        return iter(self.chars)

    @staticmethod
    def pack(starts: list) -> bytes:
        from array import array

        packed = array("q", starts)
        if sys.byteorder == "big":
            packed.byteswap()
        return packed.tobytes()


class _Index:
    """jieba's dictionary grouped by character, in one file with a table of
    where each group is (:class:`_Groups`); read a group at a time.  Two
    groupings:

    * ``blocks``: for each character, the lines ``word freq`` of every word
      holding it (:meth:`words_with`);
    * ``rare``: each word once, under its rarest character (the one fewest
      dictionary words hold): every word made of a set of characters is in
      the groups of those characters, and the groups of everyday characters
      are short (:meth:`words_made_of`)."""

    MAGIC = b"zhfix-jieba-index-3\n"

    def __init__(self, path) -> None:
        import marshal

        self.path = path
        with open(path, "rb") as f:
            head = f.read(len(self.MAGIC) + 8)
            if not head.startswith(self.MAGIC):
                raise ValueError("not an index")
            size = int.from_bytes(head[len(self.MAGIC):], "little")
            chars, starts, rare_chars, rare_starts = marshal.loads(f.read(size))
            self.blocks, self.rare = _Groups(chars, starts), _Groups(rare_chars, rare_starts)
            self.base = f.tell()

    def _read(self, f, where) -> str:
        f.seek(self.base + where[0])
        return f.read(where[1]).decode("utf-8")

    def words_with(self, ch: str) -> Dict[str, int]:
        where = self.blocks.get(ch)
        if where is None:
            return {}
        with open(self.path, "rb") as f:
            block = self._read(f, where)
        out: Dict[str, int] = {}
        for line in block.split("\n"):
            word, _, freq = line.partition(" ")
            out[word] = int(freq)
        return out

    def words_made_of(self, chars) -> list:
        """Every (word, freq) of the dictionary made only of `chars`: the
        words in the rare groups of `chars`, sifted by :func:`_made_of`."""
        places = sorted(filter(None, map(self.rare.get, chars)))
        with open(self.path, "rb") as f:
            return _made_of(chars, "\n".join(self._read(f, where) for where in places))

    @classmethod
    def build(cls, text: str) -> bytes:
        import marshal

        entries = []
        for line in text.split("\n"):
            parts = line.split(" ")
            if len(parts) < 2 or not parts[0]:
                continue
            entries.append((parts[0], parts[0] + " " + str(int(parts[1]))))
        # groups in the words' order, not a set's, so that the file comes out
        # the same from every process whatever its hash seed: one process that
        # replaces it under another changes no offset
        groups: Dict[str, list] = {}
        for word, entry in entries:
            for ch in dict.fromkeys(word):
                groups.setdefault(ch, []).append(entry)
        size = {ch: len(lines) for ch, lines in groups.items()}
        rare: Dict[str, list] = {}
        for word, entry in entries:
            # sorted first, since min keeps the first of the rarest: the same
            # character whatever the hash seed
            ch = word if len(word) == 1 else min(sorted(set(word)), key=size.__getitem__)
            rare.setdefault(ch, []).append(entry)
        body: list = []
        pos = 0
        tables: list = []
        for grouping in (groups, rare):
            starts = []
            for lines in grouping.values():
                starts.append(pos)
                data = "\n".join(lines).encode("utf-8")
                body.append(data)
                pos += len(data)
            tables += ["".join(grouping), _Groups.pack(starts + [pos])]
        head = marshal.dumps(tuple(tables))
        return cls.MAGIC + len(head).to_bytes(8, "little") + head + b"".join(body)


@lru_cache(maxsize=None)
def _index():
    """The dictionary's index by character, from the user cache directory,
    built there on first use; None where it cannot be kept."""
    import os

    from ..data.store import prune, user_cache_dir
    from ..data.store import atomic_write

    st = os.stat(_dict_path())
    path = user_cache_dir() / f"jieba-index-v3-{st.st_size}-{st.st_mtime_ns}.bin"
    try:
        return _Index(path)
    except (OSError, ValueError, EOFError):
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(str(path), _Index.build(_dict_text()))
        index = _Index(path)
    except (OSError, ValueError, EOFError):
        return None  # no cache directory: substring search of the file instead
    # indexes of dictionaries since replaced: keep the newest few, since
    # several environments with their own jieba may share this cache directory
    prune(path, "jieba-index-*.bin", KEEP_INDEXES)
    return index


#: Index files kept in the cache directory, one per installed dictionary.
KEEP_INDEXES = 3


@lru_cache(maxsize=None)
def _all_candidates() -> frozenset:
    """Every character t2s decides in context: one scan of the dictionary
    serves all of them."""
    from ..data.tables import t2s

    return frozenset(c for cands in t2s().candidates.values() for c in cands)


@lru_cache(maxsize=65536)
def choose(left: str, candidates: Sequence[str], right: str) -> str:
    """The candidate that makes the most frequent word with its neighbours.

    `left` / `right` are the (simplified) characters around the position.
    Multi-character words decide first; failing those, the frequency of the
    character on its own; failing that, the first candidate (OpenCC's choice).
    Decided by the C loop (zhfix.loops._speedups.choose) where the route
    table is there to read a pair's frequency in (~19,000 instructions a
    call against the twin's ~80,000: a crawl's pages meet a new window
    every few places), else by :func:`_choose_py`, with the same answer.
    """
    lex = lexicon(_all_candidates())
    table = route_table()
    if table is not None and type(candidates) is tuple:
        best = scan._c.choose(left, candidates, right, lex, table)
        if best is not NotImplemented:
            return best
    return _choose_py(left, candidates, right, lex)


def _choose_py(left: str, candidates: Sequence[str], right: str, lex: Dict[str, int]) -> str:
    """:func:`choose`'s decision, in Python (the C loop's twin)."""
    best, best_key = candidates[0], (0, 0)
    for cand in candidates:
        word = 0
        for size in (2, 3, 4):
            for k in range(size):  # k characters of left context
                r = size - 1 - k
                if k > len(left) or r > len(right):
                    continue
                w = left[len(left) - k:] + cand + right[:r]
                f = lex.get(w)
                if f and f > word and not _split(left, k, right, r, f):
                    word = f
        key = (word, lex.get(cand, 0))
        if key > best_key:
            best, best_key = cand, key
    return best


def _split(left: str, k: int, right: str, r: int, f: int) -> bool:
    """Would the word of k characters of `left`, the candidate and r of
    `right` (frequency `f`) split a more frequent word of two at its edge
    (论著 in 讨论著哪: 讨论 is the word there, and 著 the particle 着)?"""
    if k and k < len(left) and _pair_frequency(left[len(left) - k - 1:len(left) - k + 1]) >= f:
        return True
    return bool(r and r < len(right) and _pair_frequency(right[r - 1:r + 1]) >= f)


def _pair_frequency(pair: str) -> int:
    """The dictionary frequency of the word `pair` (0: no such word): from
    the route table where there is one (a few probes of its hash table;
    words_with would read every word of the first character, ~0.5 ms the
    first time a process meets it), else from words_with."""
    found = _route_lookup()
    if found is None:
        return words_with(pair[0]).get(pair, 0)
    slots, counts, shift, mask = found
    k = 0
    for ch in pair:
        k |= ord(ch)
        h = (k * _GOLDEN & _EMPTY) >> shift
        while True:
            v = slots[h]
            if v == _EMPTY:
                return 0
            if v & _ROUTE_KEY == k:
                break
            h = (h + 1) & mask
        k = (h + 1) << 21  # the next character's key: its parent's slot, then itself
    return counts[v >> 48]


#: The route table's hash: a key's home slot is (key * _GOLDEN & _EMPTY) >>
#: shift, then the next free ones (_build_route_table places the keys).
_GOLDEN = 0x9E3779B97F4A7C15
_EMPTY = (1 << 64) - 1
_ROUTE_KEY = (1 << 48) - 1


@lru_cache(maxsize=None)
def _route_lookup():
    """(slots, counts, shift, mask) of the route table, read in place, or
    None without one."""
    table = route_table()
    return None if table is None else _lookup_of(table)


def _lookup_of(table) -> tuple:
    """(slots, counts, shift, mask) of the route table `table`."""
    import struct

    size, nlp, _ = struct.unpack_from("=IId", table, 8)
    view = memoryview(table)
    slots = view[24:24 + 8 * size].cast("Q")
    counts = view[24 + 8 * size + 8 * nlp:24 + 8 * size + 16 * nlp].cast("Q")
    return slots, counts, 64 - (size.bit_length() - 1), size - 1


#: Past this many characters the whole dictionary is loaded instead.
FULL_AT = 2500
#: ... or after this many scans, since a long batch meets ever new characters.
MAX_SCANS = 8


class _Words:
    """The part of jieba's dictionary made of given characters, shaped as
    jieba's Tokenizer wants it (words and their prefixes in FREQ, the whole
    dictionary's total), so that jieba's own DAG and route code score text
    made of those characters exactly as the full model would, without
    loading all of it.  Grows when text brings new characters.  What
    :func:`score` reads without the C loops (with them, :func:`route_table`)."""

    def __init__(self) -> None:
        self.chars: set = set()
        self.full = False
        self.scans = 0
        self.FREQ: Dict[str, int] = {}
        self.total = _total()
        #: Tuples of characters covered (prepare()), by their id and the id of
        #: the table they were translated through; each entry holds both, so
        #: no other object can take those ids while it stands.
        self.parts: Dict[tuple, tuple] = {}

    def check_initialized(self) -> None:  # jieba's get_DAG calls this
        pass

    def cover(self, chars) -> None:
        if self.full or self.chars.issuperset(chars):
            return  # the common case, answered before a set of `chars` is built
        new = set(chars) - self.chars
        if not new:
            return
        self.chars |= new
        self.scans += 1
        if len(self.chars) > FULL_AT or self.scans > MAX_SCANS:
            # most of the dictionary, or many documents: load it whole, once
            jieba = _jieba()
            jieba.setLogLevel(logging.WARNING)
            jieba.dt.check_initialized()
            self.FREQ, self.total, self.full = jieba.dt.FREQ, jieba.dt.total, True
            return
        freq, covered = self.FREQ, self.chars
        if len(new) <= FEW:  # the words that only now are made of covered characters
            found = [(w, f) for ch in new for w, f in words_with(ch).items() if set(w) <= covered]
        else:  # many at once: the words made of them all
            found = words_made_of(covered)
        for word, f in found:
            if freq.get(word):
                continue  # from an earlier scan
            freq[word] = f
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)


def _jieba():
    """The jieba module.  Its ``_compat`` tries ``import pkg_resources``, slow
    to start, only to open jieba's own data files, and falls back to a plain
    ``open`` without it; zhfix lets it fall back."""
    module = sys.modules.get("jieba")
    if module is not None:
        return module
    if "pkg_resources" in sys.modules:
        import jieba
        return jieba
    sys.modules["pkg_resources"] = None  # `import pkg_resources` raises ImportError
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


@lru_cache(maxsize=None)
def _total() -> int:
    return _summary()["total"]


@lru_cache(maxsize=None)
def _summary() -> dict:
    """Facts about the whole dictionary that take a full pass to learn (the
    sum of all frequencies, the commonest single characters), kept in the user
    cache directory (zhfix.data.store.derived)."""
    from ..data.store import derived

    def build() -> dict:
        text = _dict_text()
        singles = re.findall(r"^(\S) (\d+)", text, re.M)
        singles.sort(key=lambda wf: -int(wf[1]))
        return {"total": sum(map(int, re.findall(r" (\d+) ", text))),
                "commonest": "".join(w for w, _ in singles[:1000])}

    return derived("jieba-summary", _dict_path(), build,
                   check=lambda v: isinstance(v, dict) and {"total", "commonest"} <= set(v))


@lru_cache(maxsize=None)
def _words() -> _Words:
    return _Words()


def prepare(chars: str, parts=(), table=None) -> None:
    """Make :func:`score` ready for text made of `chars` and of the characters
    of `parts` (sequences of characters, through the translation `table` when
    given): one dictionary scan for all of them, rather than one per new
    character met.  A tuple of `parts` met before (the same object) is
    covered already and not looked at again.  With the C loops there is
    nothing to do: :func:`score` walks the whole dictionary
    (:func:`route_table`), in which a word holding a character the text
    lacks cannot match, so the covered part and the whole give the same route."""
    if route_table() is not None:
        return
    words = _words()
    if parts:
        seen, t = words.parts, id(table)
        new = [p for p in parts if (id(p), t) not in seen]
        more = "".join(map("".join, new))
        chars += more.translate(table) if table is not None else more
    words.cover(chars)
    if parts:
        if len(seen) >= 1024:
            seen.clear()
        for p in new:
            if type(p) is tuple:  # immutable, so what it holds stays covered
                seen[id(p), t] = (p, table)


@lru_cache(maxsize=65536)
def score(text: str) -> float:
    """log P(text) under jieba's best segmentation (higher is more Chinese)."""
    if not text:
        return 0.0
    table = route_table()
    if table is not None:  # the C loop over the whole dictionary
        return scan.best_route(text, table)
    words = _words()
    words.cover(text)
    return _best_route(text, words.FREQ, _logp(words))


def scores(head: str, middles, tail: str) -> list:
    """``[score(head + m + tail) for m in middles]``: with the C loops, scored
    in one call (the texts are not kept in score's cache)."""
    table = route_table()
    if table is not None:
        return scan.best_routes(head, middles, tail, table)
    return [score(head + m + tail) for m in middles]


ROUTE_MAGIC = b"zhfixrt1"


@lru_cache(maxsize=None)
def route_table():
    """jieba's whole FREQ (every word and every prefix of one) as the bytes
    zhfix.loops._speedups.best_route walks (its layout is described there),
    built once (about 2 s) and kept in the user cache directory under a key
    of the dictionary file and this module, where each process maps the
    file rather than read its 8.5 MB (zhfix.data.store.mapped, ~5 ms with
    the check); None without the C loops, where :func:`_best_route` scores
    over the words :class:`_Words` covers."""
    if not scan.COMPILED:
        return None
    from ..data.store import mapped

    return mapped("jieba-route", [_dict_path(), __file__], _build_route_table, extra=sys.byteorder,
                  check=_route_table_ok)


def _route_freq() -> Dict[str, int]:
    """jieba's FREQ as its Tokenizer.gen_pfdict makes it: each line's word and
    frequency (a later line of the same word wins), and each prefix of a word
    at 0 unless it is a word itself."""
    from ..data.tables import jieba_words

    freq: Dict[str, int] = {}
    for word, f in jieba_words():
        freq[word] = f
        for i in range(1, len(word)):
            freq.setdefault(word[:i], 0)
    return freq


def _build_route_table(freq: Dict[str, int] = None, total: int = None) -> bytes:
    """The route table of `freq` (a FREQ: words and their prefixes) and
    `total`: by default jieba's (:func:`_route_freq`, :func:`_total`)."""
    import struct
    from array import array

    if freq is None:
        freq, total = _route_freq(), _total()
    logtotal = log(total)
    # each frequency's log-probability computed once, here, as _LogP.word
    # computes it, so that the C loop only adds and compares the same doubles
    freqs = sorted({f for f in freq.values() if f})
    if len(freqs) + 1 > 0xFFFF or len(freq) > 1 << 25:
        raise ValueError("jieba's dictionary is too large for a route table")
    number = {f: k for k, f in enumerate(freqs, 1)}
    size = 8
    while size < 2 * len(freq):
        size *= 2
    shift, mask = 64 - (size.bit_length() - 1), size - 1
    slots = array("Q", [_EMPTY]) * size
    where: Dict[str, int] = {}
    # shorter keys first, so that a key's parent has its slot (its number)
    # when the key goes in; in the file's order otherwise (sorted is
    # stable), so that every process builds the same bytes
    for key in sorted(freq, key=len):
        k = (where[key[:-1]] + 1 if len(key) > 1 else 0) << 21 | ord(key[-1])
        h = (k * _GOLDEN & _EMPTY) >> shift
        while slots[h] != _EMPTY:
            h = (h + 1) & mask
        slots[h] = number.get(freq[key], 0) << 48 | k
        where[key] = h
    lp = array("d", [0.0] + [log(f) - logtotal for f in freqs])
    counts = array("Q", [0] + freqs)
    head = ROUTE_MAGIC + struct.pack("=IId", size, len(lp), log(1) - logtotal)
    return head + slots.tobytes() + lp.tobytes() + counts.tobytes()


def _route_table_ok(table) -> bool:
    """Is `table` a route table whose log-probabilities are those this
    process computes (a cache file of another libm, or damaged, is not)?"""
    import struct
    from array import array
    from mmap import mmap

    if not isinstance(table, (bytes, mmap)) or len(table) < 24 or table[:8] != ROUTE_MAGIC:
        return False
    size, nlp, alone = struct.unpack_from("=IId", table, 8)
    if size < 8 or size & (size - 1) or size > 1 << 26 or not 1 <= nlp <= 0xFFFF \
            or len(table) != 24 + 8 * size + 16 * nlp:
        return False
    at = 24 + 8 * size
    lp, counts = array("d"), array("Q")
    lp.frombytes(table[at:at + 8 * nlp])
    counts.frombytes(table[at + 8 * nlp:])
    logtotal = log(_total())
    return alone == log(1) - logtotal and all(lp[k] == log(counts[k]) - logtotal for k in range(1, nlp))


def _best_route(text: str, freq: dict, logp) -> float:
    """jieba's maximum-probability route over `text`: its get_DAG and calc as
    one pass from the right, making the same sums in the same order, so the
    same float.  `logp` is the memo of ``log(f) - log(total)`` by word
    (:func:`_logp`)."""
    n = len(text)
    route = [0.0] * (n + 1)
    lp_get = logp.get
    for idx in range(n - 1, -1, -1):
        best = None
        i = idx + 1
        frag = text[idx]
        while frag in freq:
            if freq[frag]:
                lp = lp_get(frag)
                if lp is None:
                    lp = logp.word(frag)
                v = lp + route[i]
                if best is None or v > best:
                    best = v
            if i >= n:
                break
            i += 1
            frag = text[idx:i]
        if best is None:  # no word starts here: the character alone, frequency 1
            best = logp.alone + route[idx + 1]
        route[idx] = best
    return route[0]


class _LogP(dict):
    """``log(FREQ[word]) - log(total)`` by word, filled as words are met."""

    def __init__(self, freq: dict, total) -> None:
        super().__init__()
        self.freq = freq
        self.logtotal = log(total)
        self.alone = log(1) - self.logtotal

    def word(self, w: str) -> float:
        value = self[w] = log(self.freq[w]) - self.logtotal
        return value


def _logp(words) -> "_LogP":
    """The memo of log-probabilities for `words`' current FREQ and total (a
    new one when the whole dictionary replaced the part)."""
    memo = words.__dict__.get("_logp")
    if memo is None or memo.freq is not words.FREQ:
        memo = words._logp = _LogP(words.FREQ, words.total)
    return memo


def neighbour_chars(left: str, right: str) -> str:
    """Characters that make a dictionary word with `left` before them or
    `right` after them: where a lost character most likely comes from (a
    character may be in the string twice)."""
    if not (left or right):
        return ""
    after, before = _adjacent()
    return after.get(left, "") + before.get(right, "")


@lru_cache(maxsize=None)
def _adjacent() -> tuple:
    """({c: the characters that follow c in a dictionary word},
    {c: the characters that come before c in one}): one pass over the
    dictionary, kept in the user cache directory."""
    from ..data.store import derived

    def build() -> tuple:
        words = re.findall(r"^(\S\S+) ", _dict_text(), re.M)
        pairs = {w[i:i + 2] for w in words for i in range(len(w) - 1)}
        out = []
        for key, other in ((0, 1), (1, 0)):
            table: Dict[str, list] = {}
            for p in sorted(pairs, key=lambda p: (p[key], p[other])):
                table.setdefault(p[key], []).append(p[other])
            out.append({c: "".join(v) for c, v in table.items()})
        return tuple(out)

    return derived("jieba-adjacent", [_dict_path(), __file__], build,
                   check=lambda v: isinstance(v, tuple) and len(v) == 2)


@lru_cache(maxsize=None)
def commonest_chars(n: int = 300) -> str:
    """The `n` most frequent single characters (的, 为, 在 …), the most
    frequent first: a lost one may make no word with its neighbours."""
    return _summary()["commonest"][:n]
