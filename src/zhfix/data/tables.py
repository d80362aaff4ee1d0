"""OpenCC's dictionaries as the mapping table back to simplified.

opencc-python-reimplemented ships OpenCC's dictionaries as text files; they are
read once, lazily, and turned into a translation table plus the short list
of characters whose simplified form depends on the words around them.  The
package's own converter is not used: it runs at about 2 MB/s.
"""
from __future__ import annotations

import importlib.util
import os
import re
import sys
from functools import lru_cache
from typing import Dict, List

from ..errors import ZhfixError

#: What converters other than OpenCC emit.  OpenCC's s2t keeps the particle 着,
#: but many converters used by mirror sites turn every 着 into 著, so in text
#: diagnosed as disguised, 著 may stand for either; see damage.md §1.
CONVERTER_VARIANTS: Dict[str, List[str]] = {"著": ["着"]}


def _in_urob(ch: str) -> bool:
    """A character of the CJK Unified Ideographs block proper (what text uses)."""
    return len(ch) == 1 and "\u4e00" <= ch <= "\u9fff"


@lru_cache(maxsize=None)
def dictionary_dir() -> str:
    spec = importlib.util.find_spec("opencc")
    for base in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(base, "dictionary")
        if os.path.exists(os.path.join(path, "TSCharacters.txt")):
            return path
    raise ZhfixError(
        "OpenCC's text dictionaries were not found: install opencc-python-reimplemented "
        "(the official 'opencc' wheel uses the same module name and ships no .txt tables)"
    )


@lru_cache(maxsize=None)
def read_dict(name: str) -> Dict[str, List[str]]:
    """One OpenCC dictionary: key -> candidates, first candidate preferred."""
    table: Dict[str, List[str]] = {}
    with open(os.path.join(dictionary_dir(), name + ".txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or "\t" not in line:
                continue
            key, values = line.split("\t", 1)
            table[key] = values.split(" ")
    return table


class T2S:
    """Everything t2s needs, built once by :meth:`build` and kept in the user
    cache directory."""

    #: The attributes build() gives (what the cache holds).
    FIELDS = ("table", "replaced", "candidates", "phrases", "_phrase_groups", "special", "_defaults",
              "convertible", "traditional")

    def __init__(self, state: dict = None) -> None:
        if state is None:
            state = self.build()
        for name in self.FIELDS:
            setattr(self, name, state[name])
        self.special_re = re.compile("[" + "".join(sorted(self.special)) + "]")

    @classmethod
    def cached(cls) -> "T2S":

        return cls(static("t2s", cls.build,
                          check=lambda v: isinstance(v, dict) and set(cls.FIELDS) <= set(v)))

    @staticmethod
    def build() -> dict:
        chars = read_dict("TSCharacters")
        phrases = read_dict("TSPhrases")
        table = {ord(k): v[0] for k, v in chars.items() if len(k) == 1 and v[0] != k}
        # Characters whose simplified form a model decides: several usable candidates.
        candidates: Dict[str, List[str]] = {}
        for k, v in chars.items():
            usable = [c for c in v if _in_urob(c)]
            if len(usable) > 1:
                candidates[k] = usable
        for k, extra in CONVERTER_VARIANTS.items():
            base = [c for c in chars.get(k, [k]) if _in_urob(c)]
            candidates[k] = base + [c for c in extra if c not in base]
        # Phrases whose conversion differs from character by character, indexed
        # by the characters where they differ ("pivots").
        pivots: Dict[str, List[tuple]] = {}
        for key, values in phrases.items():
            value = values[0]
            if len(value) != len(key):
                continue
            for i, ch in enumerate(key):
                if table.get(ord(ch), ch) != value[i]:
                    pivots.setdefault(ch, []).append((key, i, value[i]))
        for entries in pivots.values():
            entries.sort(key=lambda e: -len(e[0]))
        # The same entries grouped by where their key starts and ends around
        # the character: per group, {key: (rank in the list, value)}.
        phrase_groups: Dict[str, List[tuple]] = {}
        for ch, entries in pivots.items():
            groups: Dict[tuple, dict] = {}
            for rank, (key, offset, value) in enumerate(entries):
                groups.setdefault((offset, len(key)), {}).setdefault(key, (rank, value))
            phrase_groups[ch] = [(offset, length, keys) for (offset, length), keys in groups.items()]
        # A simplified form the standard replaced (谘 for 咨: STCharacters
        # gives it one traditional form, whose first simplified form in
        # TSCharacters is another): a converter that left it in "traditional"
        # text had the standard form before it
        # text (only there: `table` also converts a misread span's candidate
        # readings, which are no converter's output)
        st = read_dict("STCharacters")
        replaced = {}
        for k, v in st.items():
            if len(k) == 1 and len(v) == 1 and k not in v and ord(k) not in table and ord(k) < 0x10000:
                standard = chars.get(v[0], [k])[0]
                if standard != k and k in chars.get(v[0], ()) and _in_urob(standard):
                    replaced[ord(k)] = standard
        # Characters decided in context, one by one (never by the bulk table).
        special = frozenset(set(candidates) | set(pivots))
        for ch in special:
            table.pop(ord(ch), None)
            replaced.pop(ord(ch), None)
        return {
            "table": table, "replaced": replaced, "candidates": candidates, "phrases": pivots,
            "_phrase_groups": phrase_groups, "special": special,
            "_defaults": {ch: chars.get(ch, [ch])[0] for ch in special},
            "convertible": frozenset(map(chr, set(table) | set(replaced))),
            # Every traditional-only character: what the diagnosis counts.
            "traditional": frozenset(k for k, v in chars.items() if len(k) == 1 and k not in v),
        }

    def default(self, ch: str) -> str:
        """OpenCC's first choice for a character decided one by one."""
        return self._defaults.get(ch, ch)

    def phrase_choice(self, text: str, pos: int):
        """The simplified character a TSPhrases entry dictates at `pos`, or None:
        the first entry of ``phrases[text[pos]]`` whose key is in the text
        around `pos`, found by one look-up per place a key can start and end
        rather than one comparison per entry."""
        best = None
        for offset, length, keys in self._phrase_groups.get(text[pos], ()):
            start = pos - offset
            if start >= 0:
                hit = keys.get(text[start:start + length])
                if hit is not None and (best is None or hit[0] < best[0]):
                    best = hit
        return None if best is None else best[1]

    def phrase_choice_plain(self, text: str, pos: int):
        """:meth:`phrase_choice` entry by entry: the straightforward reading."""
        ch = text[pos]
        for key, offset, value in self.phrases.get(ch, ()):
            start = pos - offset
            if start >= 0 and text.startswith(key, start):
                return value
        return None


@lru_cache(maxsize=None)
def t2s() -> T2S:
    return T2S.cached()


@lru_cache(maxsize=None)
def simplified_only() -> frozenset:
    """Characters that exist only in simplified writing (s2t changes them)."""
    chars = read_dict("STCharacters")
    return frozenset(k for k, v in chars.items() if len(k) == 1 and k not in v)


@lru_cache(maxsize=None)
def mainland_taiwan_terms():
    """(mainland terms written in traditional characters, Taiwan terms).

    TWPhrases maps mainland vocabulary (in traditional characters: 數據, 軟件,
    網絡) to Taiwan's (資料, 軟體, 網路); TWPhrasesRev the other way.  Terms of
    two characters or more that are not also on the other side are kept.
    A Taiwan term whose simplified form is an everyday mainland word too
    (建立, 資料, 文字, 新增: jieba's dictionary counts it
    :data:`COMMON_WORD` times or more) says nothing of where a text comes
    from, and is left out.
    """
    terms = _terms()
    return frozenset(terms[0]), frozenset(terms[1])


@lru_cache(maxsize=None)
def _terms() -> tuple:
    """(mainland terms, Taiwan terms, Taiwan's own terms), built in one read
    of jieba's dictionary and kept in the user cache directory."""
    return static("terms", _build_terms, check=lambda v: isinstance(v, tuple) and len(v) == 3,
                  sources=[jieba_dict()])


#: jieba's count from which a word is everyday mainland writing.
COMMON_WORD = 1000


def jieba_dict() -> str:
    """The path of jieba's word-frequency dictionary (``word count tag`` a line)."""
    return os.path.join(importlib.util.find_spec("jieba").submodule_search_locations[0], "dict.txt")


def jieba_words():
    """(word, count) of every line of jieba's dictionary, in its order."""
    with open(jieba_dict(), encoding="utf-8") as f:
        for line in f:
            word, _, rest = line.partition(" ")
            yield word, int(rest.split(" ", 1)[0])


@lru_cache(maxsize=None)
def taiwan_own_terms() -> frozenset:
    """The Taiwan terms (mainland_taiwan_terms) whose simplified form mainland
    text hardly writes (jieba's dictionary counts it fewer than
    :data:`RARE_IN_MAINLAND` times: 金鑰, 伺服器; not 使用者, 程式, 向量,
    序列, mainland words too): what a converter never writes."""
    return frozenset(_terms()[2])


#: jieba's count below which a word is hardly mainland writing.
RARE_IN_MAINLAND = 100


def _build_terms() -> tuple:
    tw = read_dict("TWPhrases")
    rev = read_dict("TWPhrasesRev")
    mainland = {k for k in tw if len(k) >= 2} - set(rev)
    taiwan = {k for k in rev if len(k) >= 2} - set(tw)
    table = t2s().table
    simplified = {k: k.translate(table) for k in taiwan}
    wanted = set(simplified.values())
    counts = {word: count for word, count in jieba_words() if word in wanted}
    taiwan = {k for k in taiwan if counts.get(simplified[k], 0) < COMMON_WORD}
    own = {k for k in taiwan if counts.get(simplified[k], 0) < RARE_IN_MAINLAND}
    return sorted(mainland), sorted(taiwan), sorted(own)


@lru_cache(maxsize=None)
def converter_forms() -> frozenset:
    """Forms a converter emits that Taiwan's and Hong Kong's standards both
    replace (爲 -> 為, 衆 -> 眾 …): machine-made traditional text."""
    both = set(read_dict("TWVariants")) & set(read_dict("HKVariants"))
    return frozenset(c for c in both if len(c) == 1)


@lru_cache(maxsize=None)
def converter_forms_re():
    return re.compile("[" + "".join(sorted(converter_forms())) + "]")


#: Simplified characters whose own form Taiwan and Hong Kong also write in
#: everyday words the phrase table does not list (台 for 臺, 發布 and 公布,
#: 里 in transliterated names, 才 for 纔, 杰 and 岩 in names): a converter
#: leaving them says nothing.
_ALSO_STANDARD = frozenset("台布里才杰岩")


@lru_cache(maxsize=None)
def converter_leftovers() -> frozenset:
    """Words a character-by-character converter writes wrongly: where
    STPhrases gives a phrase of one-to-many characters its own traditional
    form (之后 -> 之後, 注册 -> 註冊, 联系 -> 聯繫), the same phrase with one
    of them left in its simplified form (之后, 聯系) or put in the table's
    first form (注冊).  Forms that are words of their own in a traditional
    phrase table (TSPhrases, the Taiwan and Hong Kong tables) are left out."""
    return static("converter-leftovers", _build_leftovers, check=lambda v: isinstance(v, frozenset),
                  sources=[jieba_dict()])


def _build_leftovers() -> frozenset:
    chars, phrases = read_dict("STCharacters"), read_dict("STPhrases")
    legit = set(read_dict("TSPhrases"))
    for name in ("TWPhrases", "TWPhrasesRev", "HKVariantsRevPhrases", "TWVariantsRevPhrases"):
        for k, v in read_dict(name).items():
            legit.add(k)
            legit.update(v)
    for v in phrases.values():
        legit.update(v)
    out = set()

    def add(simp: str, trad: str) -> None:
        for i, ch in enumerate(simp):
            forms = chars.get(ch, ())
            if len(forms) < 2 or ch in _ALSO_STANDARD:
                continue
            for left in {forms[0], ch} - {trad[i]}:
                if left in forms:
                    form = trad[:i] + left + trad[i + 1:]
                    if form not in legit:
                        out.add(form)

    for simp, trads in phrases.items():
        if len(simp) == len(trads[0]) >= 2:
            add(simp, trads[0])
    # everyday words the phrase table leaves to the characters' first forms,
    # such as 这里 -> 這裏 and 以后 -> 以後: a converter that keeps the
    # simplified character leaves 這里 or 以后
    for word, count in jieba_words():
        if count >= LEFTOVER_WORD and 2 <= len(word) <= 4 and word not in phrases \
                and any(len(chars.get(ch, ())) > 1 for ch in word):
            add(word, "".join((chars.get(ch) or [ch])[0] for ch in word))
    return frozenset(out)


#: jieba's count from which an everyday word's leftovers are looked for.
LEFTOVER_WORD = 100


#: The dictionaries and the modules that define the sets static() values are
#: built from (their cache key).
_STATIC_MODULES = ("classes", "data/tables", "data/chars")
_STATIC_DICTS = ("TSCharacters", "TSPhrases", "STCharacters", "STPhrases", "TWPhrases", "TWPhrasesRev",
                 "TWVariants", "HKVariants", "HKVariantsRevPhrases", "TWVariantsRevPhrases")


def static(prefix: str, build, check, sources=()):
    """A value built from OpenCC's dictionaries, Python's codecs and zhfix's
    own sets, kept in the user cache directory (zhfix.data.store.derived) under a key
    made of everything such values are built from: the dictionary files,
    zhfix's modules that define the sets, Python's version (and `sources`,
    other files it is built from)."""
    from .._version import __version__
    from .store import derived

    return derived(prefix, _static_sources() + list(sources), build,
                   extra=f"{sys.version} {__version__} {sys.byteorder}", check=check)


def _static_sources() -> list:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return ([os.path.join(root, *m.split("/")) + ".py" for m in _STATIC_MODULES]
            + [os.path.join(dictionary_dir(), d + ".txt") for d in _STATIC_DICTS])
