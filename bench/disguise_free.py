"""Disguises without pinyin (issue 14, item 5): synthetic pages of our own
sentences put through real simplified-to-traditional converters, and genuine
traditional text beside them.

The disguised side: documents of at least 300 characters made of the
sentences and paragraphs of ``fixtures/synthetic/sentences.py`` (our own
text; seeded, every document distinct), converted by

* ``opencc-s2t`` -- OpenCC ``s2t`` (opencc-python-reimplemented: phrases, then characters);
* ``char-only`` -- one traditional character for each simplified one, no
  phrases: the first candidate of OpenCC's ``STCharacters`` (后 -> 後 and
  发 -> 發 everywhere, so 皇後, 頭發);
* ``chinese-converter`` -- the ``chinese-converter`` package (characters
  chosen by monogram and bigram frequencies; Taiwan's forms: 裡, 週末, 遊客
  -- close to OpenCC ``s2tw``, so it leaves few marks);
* ``hanziconv`` -- the ``hanziconv`` package (a character table of its own:
  乾部, 頭發, 討論著 -- the mistakes mirror pages show),

each once with halfwidth punctuation (``，（）：；？！`` folded to ASCII, as the
mirrors do: in scope) and once keeping fullwidth punctuation (reported apart:
a plain conversion with nothing else is out of scope, issue 14).  Per
converter: documents *diagnosed* disguised (``repair(text).diagnosis``) and
*repaired exactly* (the simplified original back, byte for byte).

The genuine side (must be 0 diagnosed, 0 changed):

* ``tldr-zh_TW`` -- every tldr ``pages.zh_TW`` page of ../shared/corpora;
* ``opencc-dicts`` -- the genuine Taiwan / Hong Kong forms of OpenCC's own
  dictionaries (values of TWPhrases, TWVariants, HKVariants,
  HKVariantsPhrases; keys of TWPhrasesRev, TWVariantsRevPhrases,
  HKVariantsRevPhrases), 20 lines a document;
* ``faker-zh_TW`` -- Faker's zh_TW ``text()``, seeded.

Then the reasons the in-scope disguised documents are not diagnosed, from the
evidence zhfix returns, most common first.

    python bench/disguise_free.py                    # 240 documents per converter
    python bench/disguise_free.py --docs 400 --json out.json
    python bench/disguise_free.py --src /other/checkout/src
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MIN_CHARS = 300
CONVERTERS = ("opencc-s2t", "char-only", "chinese-converter", "hanziconv")
#: the fold the mirrors apply (the same as tests/damage.py's HALFWIDTH)
HALFWIDTH = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "？": "?", "！": "!"})
OPENCC_GENUINE = (("TWPhrases", "values"), ("TWPhrasesRev", "keys"), ("TWVariants", "values"),
                  ("TWVariantsRevPhrases", "keys"), ("HKVariants", "values"), ("HKVariantsPhrases", "values"),
                  ("HKVariantsRevPhrases", "keys"))
LINES_PER_DOC = 20


# -- our own text -----------------------------------------------------------

def _sentences_module():
    spec = importlib.util.spec_from_file_location("zhfix_synthetic_sentences",
                                                  REPO / "fixtures" / "synthetic" / "sentences.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def pieces() -> list:
    """Our own sentences, and the prose paragraphs of our own documents (at
    least one full stop; titles, date lines and credits left out)."""
    s = _sentences_module()
    out = list(s.SENTENCES)
    for doc in s.DOCUMENTS:
        for para in doc.split("\n\n"):
            para = para.strip()
            if "。" in para and len(para) >= 20 and para not in out:
                out.append(para)
    return out


def documents(n: int, seed: int = 14, min_chars: int = MIN_CHARS) -> list:
    """*n* distinct simplified documents of at least *min_chars* characters:
    pieces drawn at random (seeded), two to four to a paragraph, paragraphs
    separated by a blank line, a final newline."""
    pool = pieces()
    rng = random.Random(seed)
    docs, seen = [], set()
    while len(docs) < n:
        chosen = []
        while sum(len(p) for p in chosen) < min_chars:
            p = rng.choice(pool)
            if p not in chosen:
                chosen.append(p)
        paras, i = [], 0
        while i < len(chosen):
            k = rng.randint(2, 4)
            paras.append("".join(chosen[i:i + k]))
            i += k
        doc = "\n\n".join(paras) + "\n"
        if doc not in seen:
            seen.add(doc)
            docs.append(doc)
    return docs


# -- the converters ---------------------------------------------------------

def _opencc_dir() -> Path:
    spec = importlib.util.find_spec("opencc")
    for base in (spec.submodule_search_locations or []) if spec else []:
        if (Path(base) / "dictionary" / "STCharacters.txt").is_file():
            return Path(base) / "dictionary"
    raise ImportError("OpenCC's text dictionaries (opencc-python-reimplemented) are not installed")


def read_opencc(name: str) -> dict:
    """key -> [candidates] of one of OpenCC's text dictionaries."""
    table = {}
    with open(_opencc_dir() / f"{name}.txt", encoding="utf-8") as f:
        for line in f:
            if "\t" in line and not line.startswith("#"):
                key, values = line.rstrip("\n").split("\t", 1)
                table[key] = values.split(" ")
    return table


def converter(name: str):
    """The simplified-to-traditional function *name* (ImportError when its package is missing)."""
    if name == "opencc-s2t":
        import opencc
        return opencc.OpenCC("s2t").convert
    if name == "char-only":
        table = str.maketrans({k: v[0] for k, v in read_opencc("STCharacters").items() if len(k) == 1})
        return lambda text: text.translate(table)
    if name == "chinese-converter":
        import chinese_converter
        return chinese_converter.to_traditional
    if name == "hanziconv":
        from hanziconv import HanziConv
        return HanziConv.toTraditional
    raise ValueError(name)


def disguised_set(docs: list, fullwidth: bool = False, names=CONVERTERS) -> list:
    """[(converter, original, disguised)] for every document and converter."""
    out = []
    for name in names:
        convert = converter(name)
        for doc in docs:
            trad = convert(doc)
            out.append((name, doc, trad if fullwidth else trad.translate(HALFWIDTH)))
    return out


# -- genuine traditional text -------------------------------------------------

def tldr_zh_tw(corpora: Path) -> list:
    f = corpora / "tldr-pages.jsonl.gz"
    if not f.is_file():
        return []
    with gzip.open(f, "rt", encoding="utf-8") as fh:
        return [r["text"] for r in map(json.loads, fh) if r["path"].startswith("pages.zh_TW/")]


def opencc_genuine() -> list:
    """OpenCC's genuine Taiwan and Hong Kong forms, 20 lines a document."""
    docs = []
    for name, side in OPENCC_GENUINE:
        table = read_opencc(name)
        items = list(table) if side == "keys" else [v for vs in table.values() for v in vs]
        items = list(dict.fromkeys(items))
        docs += ["\n".join(items[i:i + LINES_PER_DOC]) + "\n" for i in range(0, len(items), LINES_PER_DOC)]
    return docs


def faker_zh_tw(n: int, seed: int = 14) -> list:
    from faker import Faker

    fake = Faker("zh_TW")
    fake.seed_instance(seed)
    return [fake.text() for _ in range(n)]


# -- measuring ----------------------------------------------------------------

def _bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2-3" if n < 4 else "4+"


def why_not(diagnosis) -> str:
    """A short account of why a disguised document was not diagnosed: the
    verdict's reason, and the evidence behind it in buckets."""
    ev = diagnosis.evidence
    if "simplified_chars" not in ev:
        return diagnosis.reason
    m, t = sum(ev.get("mainland_terms", {}).values()), sum(ev.get("taiwan_terms", {}).values())
    half, full = ev.get("halfwidth_punct_in_chinese", 0), ev.get("fullwidth_punct", 0)
    return (f"{diagnosis.reason}\tmainland terms {_bucket(m)}, Taiwan terms {_bucket(t)}, "
            f"halfwidth {'>' if half > 2 * full else '<='} 2x fullwidth, "
            f"converter forms {_bucket(ev.get('converter_forms', 0))}, "
            f"simplified chars {_bucket(ev.get('simplified_chars', 0))}")


_S2T = None


def factors(original: str, disguised: str, diagnosis) -> list:
    """What a missed disguise holds that could tell it, or tells against it
    (looked for with the original in hand): mainland terms too few or
    outweighed, each Taiwan term counted against the disguise, each
    character the converter left that Taiwan writes otherwise, and each
    one-to-many character (STCharacters: 后, 发, 面, 里 …) resolved otherwise
    than OpenCC ``s2tw`` resolves it with its phrases (面馆 -> 面館 where
    Taiwan writes 麵館, 头发 -> 頭發: a character-level converter's mistake;
    s2tw is not always right either: 发布 -> 發佈, 并为 -> 併為)."""
    global _S2T
    if _S2T is None:
        import opencc
        st = read_opencc("STCharacters")
        s2tw = opencc.OpenCC("s2tw").convert
        _S2T = (s2tw, frozenset(k for k in st if len(k) == 1 and s2tw(k) != k),
                frozenset(k for k, v in st.items() if len(v) > 1))
    s2t, simplified_only, one_to_many = _S2T
    ev = diagnosis.evidence
    out = []
    m, t = sum(ev.get("mainland_terms", {}).values()), sum(ev.get("taiwan_terms", {}).values())
    if m and not (m >= 2 and m > 2 * t):
        out.append(f"mainland terms {m}, Taiwan terms {t}: no vocabulary signal")
    elif not m:
        out.append("no mainland term")
    out += [f"Taiwan term counted against: {term}" for term in ev.get("taiwan_terms", {})]
    if len(disguised) == len(original):
        ref = s2t(original)
        left, wrong = set(), set()
        for i, (a, b) in enumerate(zip(original, disguised)):
            if a == b and a in simplified_only:
                left.add(a)
            elif a in one_to_many and len(ref) == len(original) and b != ref[i]:
                wrong.add(f"{original[max(0, i - 1):i + 2]} -> {disguised[max(0, i - 1):i + 2]}")
        out += [f"character Taiwan writes otherwise left as it was: {c}" for c in sorted(left)]
        out += [f"one-to-many resolved unlike s2tw: {w}" for w in sorted(wrong)]
    return out


def run_disguised(items) -> dict:
    """Per converter: documents, diagnosed, repaired exactly, changed; and
    the reasons of the documents not diagnosed."""
    import zhfix

    out = {}
    for name, original, damaged in items:
        c = out.setdefault(name, {"docs": 0, "diagnosed": 0, "exact": 0, "changed": 0, "not_diagnosed": Counter(),
                                  "terms_seen": Counter(), "taiwan_terms_seen": Counter(),
                                  "factors": Counter()})
        r = zhfix.repair(damaged)
        c["docs"] += 1
        c["diagnosed"] += r.diagnosis.disguised
        c["exact"] += r.text == original
        c["changed"] += r.text != damaged
        if not r.diagnosis.disguised:
            c["not_diagnosed"][why_not(r.diagnosis)] += 1
            c["terms_seen"].update(r.diagnosis.evidence.get("mainland_terms", {}))
            c["taiwan_terms_seen"].update(r.diagnosis.evidence.get("taiwan_terms", {}))
            c["factors"].update(factors(original, damaged, r.diagnosis))
    return out


def run_genuine(docs: list) -> dict:
    """Documents, diagnosed disguised, changed; the first few diagnosed (shortened)."""
    import zhfix

    c = {"docs": len(docs), "diagnosed": 0, "changed": 0, "reasons": Counter(), "examples": []}
    for doc in docs:
        r = zhfix.repair(doc)
        c["diagnosed"] += r.diagnosis.disguised
        c["changed"] += r.text != doc
        if r.diagnosis.disguised:
            c["reasons"][r.diagnosis.reason] += 1
            if len(c["examples"]) < 5:
                c["examples"].append(doc[:80])
    return c


def _md(rows, head):
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] + ["---:"] * (len(head) - 1)) + " |"]
    return "\n".join(out + ["| " + " | ".join(str(x) for x in row) + " |" for row in rows])


def _pct(a, b):
    return f"{100 * a / b:.1f}%" if b else "-"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, default=REPO / "src", help="the zhfix to measure (a checkout's src)")
    ap.add_argument("--docs", type=int, default=240, help="documents per converter")
    ap.add_argument("--faker", type=int, default=300, help="Faker zh_TW text() documents")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--corpora", type=Path, default=None)
    ap.add_argument("--reasons", type=int, default=20, help="how many reasons for a miss to list")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    sys.path.insert(0, str(args.src.resolve()))
    import zhfix
    if Path(zhfix.__file__).resolve().parent.parent != args.src.resolve():
        raise SystemExit(f"disguise_free: imported {zhfix.__file__}, not the zhfix of {args.src}")
    if args.corpora is None:
        sys.path.insert(0, str(HERE))
        from precision import find_corpora
        args.corpora = find_corpora()

    t0 = time.perf_counter()
    docs = documents(args.docs, args.seed)
    lengths = sorted(len(d) for d in docs)
    print(f"zhfix from {args.src} ({zhfix.build_info() if hasattr(zhfix, 'build_info') else '?'}); "
          f"{len(docs)} distinct documents of {lengths[0]}-{lengths[-1]} characters "
          f"(median {lengths[len(lengths) // 2]}) "
          f"from {len(pieces())} sentences and paragraphs of fixtures/synthetic/sentences.py, seed {args.seed}")
    half = run_disguised(disguised_set(docs))
    full = run_disguised(disguised_set(docs, fullwidth=True))
    rows = []
    for label, res in (("halfwidth", half), ("fullwidth (out of scope)", full)):
        for name in CONVERTERS:
            c = res[name]
            rows.append((name, label, c["docs"], c["diagnosed"], _pct(c["diagnosed"], c["docs"]), c["exact"],
                         _pct(c["exact"], c["docs"]), c["changed"]))
    print("\nDisguised without pinyin (target, halfwidth: >= 95 % diagnosed and repaired exactly):\n")
    print(_md(rows, ["converter", "punctuation", "documents", "diagnosed", "share", "repaired exactly", "share",
                     "changed"]))

    genuine = {"tldr-zh_TW": tldr_zh_tw(args.corpora), "opencc-dicts": opencc_genuine(),
               "faker-zh_TW": faker_zh_tw(args.faker, args.seed)}
    gen = {k: run_genuine(v) for k, v in genuine.items()}
    print("\nGenuine traditional text (target: 0 diagnosed, 0 changed):\n")
    print(_md([(k, c["docs"], c["diagnosed"], c["changed"]) for k, c in gen.items()],
              ["set", "documents", "diagnosed disguised", "changed"]))
    for k, c in gen.items():
        for reason, n in c["reasons"].most_common(5):
            print(f"  {k}: {n} x {reason}")

    reasons = Counter()
    terms, tw_terms, facts = Counter(), Counter(), Counter()
    for name in CONVERTERS:
        facts.update(half[name]["factors"])
        reasons.update(half[name]["not_diagnosed"])
        terms.update(half[name]["terms_seen"])
        tw_terms.update(half[name]["taiwan_terms_seen"])
    missed = sum(reasons.values())
    print(f"\nWhy an in-scope (halfwidth) disguised document is not diagnosed: {missed} documents, "
          f"{len(reasons)} distinct accounts; the {args.reasons} most common:\n")
    print(_md([(n, *(r.split("\t") + [""])[:2]) for r, n in reasons.most_common(args.reasons)],
              ["documents", "reason", "evidence"]))
    print(f"\nWhat those {missed} documents hold (each counted once a document; found with the original in hand), "
          f"the {args.reasons} most common:\n")
    print(_md([(n, f) for f, n in facts.most_common(args.reasons)], ["documents", "factor"]))
    if terms:
        print("\nmainland terms found in those documents: " + ", ".join(f"{t} {n}" for t, n in terms.most_common(15)))
    if tw_terms:
        print("Taiwan terms found in those documents (our simplified sentences hold them): "
              + ", ".join(f"{t} {n}" for t, n in tw_terms.most_common(15)))
    print(f"\n{time.perf_counter() - t0:.0f} s")
    if args.json:
        data = {"seed": args.seed, "docs": len(docs),
                "halfwidth": {k: {x: (dict(v[x]) if isinstance(v[x], Counter) else v[x]) for x in v}
                              for k, v in half.items()},
                "fullwidth": {k: {x: v[x] for x in ("docs", "diagnosed", "exact", "changed")} for k, v in full.items()},
                "genuine": {k: {x: c[x] for x in ("docs", "diagnosed", "changed")} | {"reasons": dict(c["reasons"])}
                            for k, c in gen.items()}}
        args.json.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
