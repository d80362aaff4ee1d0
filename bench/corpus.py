"""Corpora for bench/run.py, built at run time (never committed).

* ``disguised``: the user's seed page (shared/seeds/000_*.txt) and pages of our
  own simplified sentences disguised the way the seed's mirror did it
  (damage.md section 1): OpenCC s2t then 着 -> 著, tone-marked pinyin in ASCII
  parentheses after a few chosen characters, fullwidth ``，（）：；？！`` folded
  to ASCII;
* ``clean-simplified``: the same sentences, clean;
* ``traditional``: genuine Taiwan-style text (OpenCC s2twp of the sentences,
  fullwidth punctuation kept): zhfix must leave it alone;
* ``english-code``: English prose and the Python source of installed packages
  (click, and a few more if present), read from site-packages at run time.

Every corpus is a list of pages (documents of about :data:`PAGE_BYTES`); a
corpus file on disk is its pages joined by a blank line.  Generation is
deterministic (a fixed random seed).
"""
from __future__ import annotations

import importlib.util
import os
import random
from pathlib import Path
from typing import Dict, List

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PAGE_BYTES = 5000

#: Our own sentences (written for this benchmark; simplified, mainland usage,
#: fullwidth punctuation).  Several carry the particle 着 (a mirror writes 著),
#: mainland vocabulary (网络, 信息, 软件, 数据, 质量) and the characters the
#: mirror annotates with pinyin (网区发业创联现协医监).
SENTENCES = [
    "随着网络技术的发展，越来越多的企业开始把业务搬到线上。",
    "区政府今天召开会议，研究部署下半年的质量监管工作。",
    "这家软件公司去年营业收入增长了三成，利润创下新高。",
    "记者从市医院了解到，新建的门诊楼将于明年春天投入使用。",
    "他看着窗外的雨，心里想着明天的考试。",
    "数据显示，今年前三季度全省工业产值同比增长百分之六。",
    "协会负责人表示，将联合各方力量推动行业健康发展。",
    "面对激烈的市场竞争，企业必须坚持创新，提高产品质量。",
    "图书馆的阅览室里坐满了学生，大家都在安静地看书。",
    "专家提醒：冬季气温较低，老年人出门要注意保暖。",
    "为什么有些城市的空气质量总是比较好？原因有很多。",
    "监测结果表明，这条河流的水质已经明显改善！",
    "社区工作人员挨家挨户发放宣传材料（共计两千余份），讲解防火知识。",
    "现场观众纷纷鼓掌，为运动员们的精彩表现喝彩。",
    "公司计划在未来三年内建设十个区域物流中心。",
    "本报讯（记者 李明）昨天上午，全市科技创新大会在会展中心举行。",
    "信息化建设为基层治理提供了有力支撑；群众办事更加方便。",
    "农业部门正组织技术人员下乡，指导农民做好春耕准备。",
    "孩子们沿着小路跑向山顶，笑声传得很远。",
    "这项研究发现，每天步行半小时有助于降低患病风险。",
    "他在一家互联网企业从事数据分析工作，已经五年了。",
    "随着气温回升，公园里的樱花陆续开放，吸引了大批游客。",
    "联合检查组对辖区内的食品生产企业进行了突击检查。",
    "老师耐心地回答着学生提出的每一个问题。",
    "新修订的条例明确了经营者的责任，加大了处罚力度。",
    "该项目总投资约八十亿元，建成后可提供三千多个就业岗位。",
    "医生建议：感冒期间多喝水，保证充足的睡眠。",
    "现代物流网络的完善，让偏远地区的农产品也能卖到全国。",
    "展览会上，一台会下棋的机器人引起了孩子们的兴趣。",
    "市场监管部门发布消费提示，提醒市民理性购买保健食品。",
    "大家围着火炉坐着，听老人讲过去的故事。",
    "发展数字经济，关键在于核心技术的自主创新。",
]

#: English prose for the english-code corpus (also our own).
ENGLISH = [
    "The quarterly report shows that revenue grew steadily while costs stayed flat.",
    "Please make sure the configuration file is readable before you start the service.",
    "She walked along the river for an hour, thinking about the letter she had not sent.",
    "Benchmarks are only useful when the machine, the data and the method are written down.",
    "The committee will meet again next Tuesday to discuss the new budget proposal.",
    "Most of the errors came from a single misconfigured server in the eastern region.",
    "If the download fails, check your proxy settings and try again in a few minutes.",
    "The museum reopened after two years of renovation, with three new galleries.",
]

#: Characters (simplified) after which our mirror appends the pinyin.
PINYIN_CHARS = set("网区发业创联现协医监")
HALFWIDTH = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "？": "?", "！": "!"})


class _Converters:
    def __init__(self) -> None:
        import opencc  # opencc-python-reimplemented (zhfix's dependency)
        self.s2t = opencc.OpenCC("s2t")
        self.s2twp = opencc.OpenCC("s2twp")


_CONV = None


def _conv() -> _Converters:
    global _CONV
    if _CONV is None:
        _CONV = _Converters()
    return _CONV


def disguise(text: str) -> str:
    """Simplified -> the seed mirror's disguise (damage.md section 1)."""
    from pypinyin import Style, pinyin

    trad = _conv().s2t.convert(text).replace("着", "著")
    if len(trad) != len(text):
        raise ValueError("s2t changed the length")
    readings = pinyin(text, style=Style.TONE, errors=lambda chars: list(chars))
    out = []
    for simp, t, r in zip(text, trad, readings):
        out.append(t)
        if simp in PINYIN_CHARS and r[0] != simp:
            out.append("(" + r[0].lower() + ")")
    return "".join(out).translate(HALFWIDTH)


def traditional(text: str) -> str:
    """Genuine Taiwan-style text: s2twp, fullwidth punctuation kept."""
    return _conv().s2twp.convert(text)


def seed_page() -> str:
    for base in (REPO.parent / "shared" / "seeds", Path("/work/shared/seeds")):
        p = base / "000_040b2792d32edf68.txt"
        if p.exists():
            return p.read_text(encoding="utf-8").strip("\n")
    raise FileNotFoundError("seed page shared/seeds/000_040b2792d32edf68.txt not found")


def _pages_of(sentences: List[str], rng: random.Random, n_pages: int) -> List[str]:
    """Pages of ~PAGE_BYTES: paragraphs of 3-6 random sentences."""
    pages = []
    for _ in range(n_pages):
        paras, size = [], 0
        while size < PAGE_BYTES:
            para = "".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))
            paras.append(para)
            size += len(para.encode()) + 1
        pages.append("\n".join(paras))
    return pages


#: Distinct pages generated per corpus; larger corpora repeat them.
DISTINCT_PAGES = 40


def build_pages(seed: int = 0) -> Dict[str, List[str]]:
    """One cycle of distinct pages per corpus (about DISTINCT_PAGES x 5 KB)."""
    rng = random.Random(seed)
    clean = _pages_of(SENTENCES, rng, DISTINCT_PAGES)
    disguised_sentences = [disguise(p) for p in clean]
    # the user's page in the mix: one page in four is the seed
    seed = seed_page()
    mixed = []
    for i, p in enumerate(disguised_sentences):
        if i % 4 == 0:
            mixed.append(seed)
        mixed.append(p)
    return {
        "disguised": mixed,
        "disguised-seed": [seed],
        "disguised-sentences": disguised_sentences,
        "clean-simplified": clean,
        "traditional": [traditional(p) for p in clean],
        "english-code": english_code_pages(rng),
    }


def _code_files() -> List[Path]:
    files = []
    for name in ("click", "json", "argparse", "email"):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            continue
        root = Path(spec.origin).parent
        if Path(spec.origin).name == "__init__.py":
            files += sorted(root.rglob("*.py"))
        else:
            files.append(Path(spec.origin))
    return files


def english_code_pages(rng: random.Random) -> List[str]:
    """English paragraphs and chunks of Python source, ~PAGE_BYTES each."""
    pages = []
    for f in _code_files():
        src = f.read_text(encoding="utf-8", errors="replace")
        for i in range(0, len(src), PAGE_BYTES):
            pages.append(src[i:i + PAGE_BYTES])
        prose = []
        while sum(map(len, prose)) < PAGE_BYTES:
            prose.append(" ".join(rng.choice(ENGLISH) for _ in range(rng.randint(3, 6))))
        pages.append("\n\n".join(prose))
    return pages


def scale(pages: List[str], n_bytes: int) -> List[str]:
    """Repeat `pages` cyclically until they hold at least `n_bytes` of UTF-8."""
    out, size, i = [], 0, 0
    sizes = [len(p.encode()) + 2 for p in pages]
    while size < n_bytes:
        out.append(pages[i % len(pages)])
        size += sizes[i % len(pages)]
        i += 1
    return out


def write_corpus(path: Path, pages: List[str], limit: int = None) -> int:
    """Write `pages` joined by a blank line, streaming (a 1 GB corpus never
    sits in memory as one string).  With `limit`, stop at about that many
    bytes, cutting the last page at a line end."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    size = 0
    with open(tmp, "wb") as f:
        for i, page in enumerate(pages):
            data = (("\n\n" if i else "") + page).encode()
            if limit is not None and size + len(data) > limit:
                part = data[:limit - size].decode("utf-8", "ignore")
                cut = part.rfind("\n")
                part = part[:cut + 1] if cut > 0 else part
                data = part.encode()
                f.write(data)
                size += len(data)
                break
            f.write(data)
            size += len(data)
        if limit is None:
            f.write(b"\n")
            size += 1
    os.replace(tmp, path)
    return size


if __name__ == "__main__":  # a look at the corpora
    for name, pages in build_pages().items():
        print(f"== {name}: {len(pages)} pages, {sum(len(p.encode()) for p in pages)} bytes")
        print(pages[min(1, len(pages) - 1)][:300])
