"""A likelihood model of (simplified) Chinese: jieba's word-frequency dictionary.

Two uses, both loaded only when a document needs them:

* :func:`choose` decides a character with several simplified readings (著 ->
  着/著, 乾 -> 干/乾 …) by the most frequent dictionary word around it.  It
  reads only the words that contain the candidates (a fast scan of jieba's
  dictionary file, no segmenter start-up).
* :func:`score` is the log-probability of a string under jieba's own
  maximum-probability segmentation (its DAG + dynamic programme); the GBK
  re-reading compares candidate readings with it.
"""
from __future__ import annotations

import importlib.util
import logging
import re
from functools import lru_cache
from typing import Dict, Sequence


@lru_cache(maxsize=None)
def _dict_text() -> str:
    path = importlib.util.find_spec("jieba").submodule_search_locations[0] + "/dict.txt"
    with open(path, encoding="utf-8") as f:
        return f.read()


@lru_cache(maxsize=64)
def lexicon(chars: frozenset) -> Dict[str, int]:
    """Every dictionary word containing one of `chars`, with its frequency."""
    pattern = re.compile(r"^(\S*[" + re.escape("".join(sorted(chars))) + r"]\S*) (\d+)", re.M)
    return {w: int(f) for w, f in pattern.findall(_dict_text())}


@lru_cache(maxsize=None)
def _all_candidates() -> frozenset:
    """Every character t2s decides in context: one scan of the dictionary
    serves all of them."""
    from .tables import t2s

    return frozenset(c for cands in t2s().candidates.values() for c in cands)


@lru_cache(maxsize=65536)
def choose(left: str, candidates: Sequence[str], right: str) -> str:
    """The candidate that makes the most frequent word with its neighbours.

    `left` / `right` are the (simplified) characters around the position.
    Multi-character words decide first; failing those, the frequency of the
    character on its own; failing that, the first candidate (OpenCC's choice).
    """
    lex = lexicon(_all_candidates())
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
                if f and f > word:
                    word = f
        key = (word, lex.get(cand, 0))
        if key > best_key:
            best, best_key = cand, key
    return best


#: Past this many characters the whole dictionary is loaded instead.
FULL_AT = 2500
#: ... or after this many scans (a long batch meets ever new characters).
MAX_SCANS = 8


class _Words:
    """The part of jieba's dictionary made of given characters, shaped as
    jieba's Tokenizer wants it (words and their prefixes in FREQ, the whole
    dictionary's total), so that jieba's own DAG and route code score text
    made of those characters exactly as the full model would — without the
    0.6 s it takes to load all of it.  Grows when text brings new characters."""

    def __init__(self) -> None:
        self.chars: set = set()
        self.full = False
        self.scans = 0
        self.FREQ: Dict[str, int] = {}
        self.total = _total()

    def check_initialized(self) -> None:  # jieba's get_DAG calls this
        pass

    def cover(self, chars) -> None:
        if self.full:
            return
        new = set(chars) - self.chars
        if not new:
            return
        self.chars |= new
        self.scans += 1
        if len(self.chars) > FULL_AT or self.scans > MAX_SCANS:
            # most of the dictionary, or many documents: load it whole, once
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.dt.check_initialized()
            self.FREQ, self.total, self.full = jieba.dt.FREQ, jieba.dt.total, True
            return
        cls = re.escape("".join(sorted(self.chars)))
        freq = self.FREQ
        for word, f in re.findall(r"^([" + cls + r"]+) (\d+)", _dict_text(), re.M):
            if freq.get(word):
                continue  # from an earlier scan
            freq[word] = int(f)
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)


@lru_cache(maxsize=None)
def _total() -> int:
    return sum(map(int, re.findall(r" (\d+) ", _dict_text())))


@lru_cache(maxsize=None)
def _words() -> _Words:
    return _Words()


def prepare(chars) -> None:
    """Make :func:`score` ready for text made of `chars` (one dictionary scan
    for all of them, rather than one per new character met)."""
    _words().cover(chars)


@lru_cache(maxsize=65536)
def score(text: str) -> float:
    """log P(text) under jieba's best segmentation (higher is more Chinese)."""
    if not text:
        return 0.0
    from jieba import Tokenizer

    words = _words()
    words.cover(text)
    dag = Tokenizer.get_DAG(words, text)
    route: dict = {}
    Tokenizer.calc(words, text, dag, route)
    return route[0][0]


def neighbours(left: str, right: str) -> frozenset:
    """Characters that make a dictionary word with `left` before them or
    `right` after them: where a lost character most likely comes from."""
    chars = frozenset(c for c in (left, right) if c)
    if not chars:
        return frozenset()
    out = set()
    for word in lexicon(chars):
        for i, ch in enumerate(word):
            if ch == left and i + 1 < len(word):
                out.add(word[i + 1])
            if ch == right and i > 0:
                out.add(word[i - 1])
    return frozenset(out)


@lru_cache(maxsize=None)
def commonest(n: int = 300) -> frozenset:
    """The `n` most frequent single characters (的, 为, 在 …): a lost one may
    make no word with its neighbours."""
    singles = re.findall(r"^(\S) (\d+)", _dict_text(), re.M)
    singles.sort(key=lambda wf: -int(wf[1]))
    return frozenset(w for w, _ in singles[:n])
