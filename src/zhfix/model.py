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
import math
import re
from functools import lru_cache
from typing import Dict, Iterable, Sequence


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


@lru_cache(maxsize=None)
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt


@lru_cache(maxsize=65536)
def score(text: str) -> float:
    """log P(text) under jieba's best segmentation (higher is more Chinese)."""
    if not text:
        return 0.0
    dt = _tokenizer()
    dag = dt.get_DAG(text)
    route: dict = {}
    dt.calc(text, dag, route)
    return route[0][0]


def char_logfreq(ch: str) -> float:
    dt = _tokenizer()
    return math.log(dt.FREQ.get(ch, 0) or 1) - math.log(dt.total)


def best_of(options: Iterable[str]) -> list:
    """Options sorted by :func:`score`, best first: [(score, option), …]."""
    return sorted(((score(o), o) for o in options), reverse=True)


def quick(left: str, cand: str, right: str) -> int:
    """A cheap plausibility of `cand` between its neighbours: the frequency of
    the best dictionary word of two or three characters it makes there, else
    its own.  Used to narrow thousands of candidates before :func:`score`."""
    freq = _tokenizer().FREQ
    best = 0
    for w in (left[-1:] + cand, cand + right[:1], left[-2:] + cand, cand + right[:2],
              left[-1:] + cand + right[:1]):
        if len(w) > 1:
            f = freq.get(w, 0)
            if f > best:
                best = f
    return best * 1000 + min(freq.get(cand, 0), 999)
