"""Stage 3: remove pinyin annotations glued after characters: 網(wǎng) -> 網.

An annotation is removed only where its syllable is a reading of the character
before it (toned, or toneless for the neutral tone: 的(de), 了(le)), by
pypinyin's table of readings, loaded only when a candidate is present.  Every
other parenthesis ((次), (GDP), (2022), (記者 霍一夫)) is left alone.
"""
from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import lru_cache
from typing import Dict, List, Tuple

from .chardata import HAN
from .spans import Edit

_LETTERS = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
#: A Han character followed by one syllable-shaped word in ASCII parentheses.
CANDIDATE_RE = re.compile(f"([{HAN}])\\(([{_LETTERS}]{{1,7}})\\)")

_TONE_MARKS = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ",
    "aaaaeeeeiiiioooouuuuüüüünnnm",
)


@lru_cache(maxsize=None)
def readings() -> Dict[int, str]:
    """pypinyin's code point -> "reading,reading" table.

    Loaded straight from its module file: importing the pypinyin package also
    builds its phrase tables, which zhfix does not need (0.18 s).
    """
    spec = importlib.util.find_spec("pypinyin")
    path = spec.submodule_search_locations[0] + "/pinyin_dict.py"
    mod_spec = importlib.util.spec_from_file_location("_zhfix_pinyin_dict", path)
    module = importlib.util.module_from_spec(mod_spec)
    mod_spec.loader.exec_module(module)
    return module.pinyin_dict


def _norm(syllable: str) -> str:
    return unicodedata.normalize("NFC", syllable.lower()).replace("v", "ü")


def toneless(syllable: str) -> str:
    return _norm(syllable).translate(_TONE_MARKS)


def is_reading(char: str, syllable: str) -> bool:
    """Is `syllable` a reading of `char`?  Toneless matches any tone's letters
    only when it carries no mark itself (the neutral tone)."""
    known = readings().get(ord(char))
    if not known:
        return False
    syl = _norm(syllable)
    plain = syl.translate(_TONE_MARKS)
    options = known.split(",")
    if syl != plain:
        return syl in {_norm(o) for o in options}
    return plain in {toneless(o).replace("u:", "ü") for o in options}


def find_annotations(text: str) -> List[Edit]:
    """Edits removing every verified annotation."""
    edits = []
    for m in CANDIDATE_RE.finditer(text):
        if is_reading(m.group(1), m.group(2)):
            edits.append(Edit(m.start(1) + 1, m.end(), "", m.group(0)))
    return edits


def has_candidates(text: str) -> bool:
    return CANDIDATE_RE.search(text) is not None


def count_annotations(text: str) -> Tuple[int, int]:
    """(candidates, verified readings) — evidence for the diagnosis."""
    cands = CANDIDATE_RE.findall(text)
    if not cands:
        return 0, 0
    return len(cands), sum(1 for ch, syl in cands if is_reading(ch, syl))


def strip_annotations(text: str) -> str:
    """The plain ``str -> str`` fix: ``strip_annotations("網(wǎng)站") == "網站"``."""
    from .spans import apply
    return apply(text, find_annotations(text))


_HAN_AT = re.compile(f"[{HAN}]")
MIN_HAN_GLUED = 10


def find_glued(text: str) -> List[Edit]:
    """Outside a disguised document, annotations are removed only where every
    one in the text is a verified reading glued inside running text (``发(fā)展``,
    ``头发(fà)，``).  A lesson that shows readings (``一(yī) 二(èr)``,
    ``你好(nǐ hǎo)``) has annotations followed by a space or the end of a line,
    and keeps all of them."""
    if len(_HAN_AT.findall(text[:2000])) < MIN_HAN_GLUED:
        return []  # a title or a file name: too little to go on
    edits = []
    for m in CANDIDATE_RE.finditer(text):
        nxt = text[m.end()] if m.end() < len(text) else ""
        glued = bool(nxt) and (_HAN_AT.match(nxt) is not None or nxt in "，。、；：！？”）")
        if not glued or not is_reading(m.group(1), m.group(2)):
            return []
        edits.append(Edit(m.start(1) + 1, m.end(), "", m.group(0)))
    return edits
