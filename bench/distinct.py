#!/usr/bin/env python
"""zhfix on corpora of distinct pages, first sight and repeated, beside OpenCC C++.

    python bench/distinct.py               # 3 rounds (medians), about 5 minutes
    python bench/distinct.py --rounds 1 --quick

bench/run.py's per-page corpora cycle 40 distinct pages: after the first
cycle zhfix's caches (a misread span's scored readings, t2s's choices by
window) answer most of the work.  A crawl never repeats a page.  Here every
page is distinct:

* ``tldr-zh-mirror``: the 1,535 simplified pages of tldr ``pages.zh`` (from
  ../shared/corpora, found as bench/precision.py finds them), each disguised
  as an SEO mirror does (tests/damage.py: traditional, pinyin after a few
  characters chosen per page, halfwidth punctuation); of the pages of
  400-700 bytes exactly 1 in 4 has a GBK span read one byte out of step
  (tests/damage.py misalign_gbk; a span of its own per page, ending at the
  "(" of an annotation or at a folded comma);
* ``sentences-mirror``: 400 pages of 400-700 bytes of our own sentences
  (bench/corpus.py), disguised the same way, exactly 1 in 4 with a misread span;
* the clean real pages, as they are: tldr ``pages.zh``, ``pages.zh_TW``,
  ``pages.ja``, ``pages.ko``, React docs ja and ko.

Each round runs, for each corpus, a new python that imports zhfix, warms it
on other pages (the seed page and our disguised sentences: tables loaded, as
in a worker that has run for a while), then calls ``zhfix.fix_text`` on each
page once (*first sight*: nothing of these pages is in any cache) and again
(*repeated*), timing each page (less the clock's own interval, measured in
the worker: clock_overhead); the hits and misses of zhfix's memo caches
during each pass are printed.  OpenCC C++ ``t2s`` (bench/opencc_worker.py, the
official wheel in bench/.venv-opencc, made by bench/run.py) converts the same
pages in the same round; every process runs on one core.  Figures are the
median of the rounds.  A cold process is timed too: ``import zhfix`` and the
first misread page of about 10 KB (the word model's load included).

Writes bench/out/distinct.json and prints a Markdown table.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
MB = 1e6

#: pinyin is appended after these (traditional) characters, a few per page
PINYIN_POOL = "網區發業創聯現協醫監體據應這說時實點經開關學題與國務"
SMALL = (400, 700)


def _damage():
    sys.path.insert(0, str(REPO / "tests"))
    import damage
    return damage


def _corpora_dir() -> Path:
    sys.path.insert(0, str(HERE))
    import precision
    return precision.find_corpora()


def real_pages(corpus: str, top: str = "") -> list:
    """The texts of the records of ``<corpus>.jsonl.gz`` (those under `top`/ when given)."""
    out = []
    with gzip.open(_corpora_dir() / f"{corpus}.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if not top or r["path"].split("/", 1)[0] == top:
                out.append(r["text"])
    return out


def _double_byte(text: str, i: int) -> bool:
    return len(text[i].encode("gbk", errors="replace")) == 2


def misread_span(text: str, rng: random.Random):
    """A span for misalign_gbk: 2-4 double-byte characters ending with the
    "(" of an annotation or with a folded ",", or None."""
    ends = [i for i, ch in enumerate(text) if ch in "(," and i >= 5 and text[i - 1] != ")"]
    rng.shuffle(ends)
    for e in ends:
        n = rng.randint(2, 4)
        s = e - n
        if s > 0 and all(_double_byte(text, j) for j in range(s, e)) and _double_byte(text, s - 1):
            return s, e + 1
    return None


def mirror(sources: list, seed: int) -> list:
    """[(page, misread)]: each source disguised (pinyin after a few characters
    drawn per page); of those of 400-700 bytes, exactly 1 in 4 with a span read
    one byte out of step (pages where no span fits are not counted in)."""
    damage = _damage()
    rng = random.Random(seed)
    pages = []
    for src in sources:
        chars = "".join(rng.sample(PINYIN_POOL, 6))
        try:
            pages.append(damage.disguise(src, chars))
        except ValueError:
            pages.append(damage.to_traditional(src))
    small = [i for i, p in enumerate(pages) if SMALL[0] <= len(p.encode()) <= SMALL[1]]
    spans = {i: misread_span(pages[i], rng) for i in small}
    fit = [i for i in small if spans[i]]
    k = len(small) // 4
    chosen = set(fit[j * len(fit) // k] for j in range(k)) if k and len(fit) >= k else set(fit)
    # pages where no span fits, beyond 3 in 4, leave the small set
    out = []
    for i, p in enumerate(pages):
        if i in chosen:
            s, e = spans[i]
            out.append((damage.misalign_gbk(p, s, e), True))
        else:
            out.append((p, False))
    return out


def sentence_sources(n: int, seed: int) -> list:
    sys.path.insert(0, str(HERE))
    import corpus
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        target = rng.randint(SMALL[0] + 30, SMALL[1] - 60) // 1.15  # disguise adds ~15 %
        parts, size = [], 0
        while size < target:
            s = rng.choice(corpus.SENTENCES)
            parts.append(s)
            size += len(s.encode())
        out.append("".join(parts))
    return out


def build(quick: bool) -> dict:
    """{corpus: [{"text", "misread", "small"}]} (cached in bench/out/)."""
    key = f"distinct-{'quick' if quick else 'full'}-v1"
    path = OUT / f"{key}.json"
    me = Path(__file__).read_bytes() + (REPO / "tests" / "damage.py").read_bytes()
    import hashlib
    digest = hashlib.sha256(me).hexdigest()[:12]
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("digest") == digest:
            return data["corpora"]
    zh = real_pages("tldr-pages", "pages.zh")
    corpora = {}
    lim = 200 if quick else None
    for name, pages in (("tldr-zh-mirror", mirror(zh[:lim], 15)),
                        ("sentences-mirror", mirror(sentence_sources(80 if quick else 400, 15), 16))):
        corpora[name] = [{"text": t, "misread": m, "small": SMALL[0] <= len(t.encode()) <= SMALL[1] or m}
                         for t, m in pages]
    for name, (corpus_, top) in {"tldr-zh": ("tldr-pages", "pages.zh"),
                                 "tldr-zh_TW": ("tldr-pages", "pages.zh_TW"),
                                 "tldr-ja": ("tldr-pages", "pages.ja"),
                                 "tldr-ko": ("tldr-pages", "pages.ko"),
                                 "react-ja": ("react-docs-ja", ""),
                                 "react-ko": ("react-docs-ko", "")}.items():
        corpora[name] = [{"text": t, "misread": False, "small": False} for t in real_pages(corpus_, top)[:lim]]
    OUT.mkdir(exist_ok=True)
    path.write_text(json.dumps({"digest": digest, "corpora": corpora}, ensure_ascii=False), encoding="utf-8")
    return corpora


MIRRORS = ("tldr-zh-mirror", "sentences-mirror")

# --------------------------------------------------------------------------
# the zhfix side (a new process per corpus and round)


def _caches():
    """{name: (hits, misses)} of zhfix's memo caches (functools caches)."""
    out = {}
    for modname, mod in list(sys.modules.items()):
        if not modname.startswith("zhfix"):
            continue
        for attr, obj in list(vars(mod).items()):
            info = getattr(obj, "cache_info", None)
            if callable(info) and getattr(obj, "__module__", "") == modname:
                i = info()
                out[f"{modname.rsplit('.', 1)[-1]}.{attr}"] = (i.hits, i.misses)
            elif attr in _DICT_CACHES and isinstance(obj, dict):
                out[f"{modname.rsplit('.', 1)[-1]}.{attr} (entries)"] = (0, len(obj))
    return out


#: memo dicts (not functools caches): their growth in entries is printed
_DICT_CACHES = {"_CHOICES", "_AROUND", "_NEAR", "_SIMPLIFIED", "_SIMPLIFIED_STR"}


def _delta(before, after):
    out = {}
    for k, (h, m) in after.items():
        h0, m0 = before.get(k, (0, 0))
        if h - h0 or m - m0:
            out[k] = [h - h0, m - m0]
    return out


def warm_pages() -> list:
    sys.path.insert(0, str(HERE))
    import corpus
    pages = [corpus.seed_page()]
    rng = random.Random(99)
    pages += [corpus.disguise("".join(rng.choice(corpus.SENTENCES) for _ in range(8))) for _ in range(40)]
    # and traditional pages with halfwidth commas alone: a repair that does
    # not explain itself searches the vocabulary (and builds its tables) only
    # where the verdict is still open, which pinyin leaves it never
    pages += [corpus.traditional("".join(rng.choice(corpus.SENTENCES) for _ in range(8))).replace("，", ",")
              for _ in range(5)]
    # and 20 of them with a misread span each (the word model loaded as far as
    # a worker that has met a few loads it: its one-time costs are the cold
    # process's figure, not the pages')
    damage = _damage()
    for p in pages[1:21]:
        span = misread_span(p, rng)
        if span:
            pages.append(damage.misalign_gbk(p, *span))
    return pages


def clock_overhead(samples: int = 20001) -> float:
    """The median of `samples` empty intervals timed as a page is timed
    (``t = clock(); clock() - t``): what each page's time holds besides
    the call.  On a virtual machine it can be 0.2 µs, more than half of a
    clean short page's repair; OpenCC's passes are timed whole."""
    clock = time.perf_counter
    spans = []
    for _ in range(samples):
        t = clock()
        spans.append(clock() - t)
    return statistics.median(spans)


def zhfix_worker(job: dict) -> dict:
    import zhfix
    for p in warm_pages():
        zhfix.fix_text(p)
    pages = [p["text"] for p in json.load(open(job["pages"], encoding="utf-8"))]
    res = {"build": zhfix.build_info(), "clock_overhead": clock_overhead()}
    for label in ("first", "repeated"):
        before = _caches()
        times = []
        clock = time.perf_counter
        for p in pages:
            t = clock()
            zhfix.fix_text(p)
            times.append(clock() - t)
        res[label] = times
        res[label + "_caches"] = _delta(before, _caches())
    return res


def cold_worker(job: dict) -> dict:
    t = time.perf_counter()
    import zhfix
    imported = time.perf_counter() - t
    text = open(job["page"], encoding="utf-8").read()
    t = time.perf_counter()
    out = zhfix.repair(text, explain=False)
    took = time.perf_counter() - t
    return {"import": imported, "first_page": took, "steps": [getattr(s, "name", str(s)) for s in getattr(out, "steps", []) or []]}


# --------------------------------------------------------------------------
# the driver


def _run(cmd, env=None) -> dict:
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-2000:])
    return json.loads(p.stdout.strip().splitlines()[-1])


def _one_core(cmd):
    return ["taskset", "-c", "0"] + cmd if os.path.exists("/usr/bin/taskset") else cmd


def opencc_python() -> str:
    py = HERE / ".venv-opencc" / "bin" / "python"
    if not py.exists():
        raise SystemExit("bench/.venv-opencc missing: run bench/run.py once (it makes it)")
    return str(py)


def subsets(name: str, pages: list) -> dict:
    """{label: [page indexes]} of a corpus."""
    every = list(range(len(pages)))
    if name not in MIRRORS:
        return {"all": every}
    small = [i for i in every if pages[i]["small"]]
    return {"all": every,
            "400-700 B, 1 in 4 misread": small,
            "400-700 B, no misread": [i for i in small if not pages[i]["misread"]],
            "400-700 B, misread only": [i for i in small if pages[i]["misread"]]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="200 pages a corpus at most")
    ap.add_argument("--only", help="comma-separated corpora")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--cold", help=argparse.SUPPRESS)
    ap.add_argument("--out", default=str(OUT / "distinct.json"))
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(zhfix_worker(json.loads(args.worker))))
        return 0
    if args.cold:
        print(json.dumps(cold_worker(json.loads(args.cold))))
        return 0
    corpora = build(args.quick)
    if args.only:
        corpora = {k: v for k, v in corpora.items() if k in args.only.split(",")}
    work = OUT / "distinct"
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    me = [sys.executable, str(Path(__file__).resolve())]
    occ = opencc_python()
    # the pages of each subset, for OpenCC C++
    occ_corpora, files = [], {}
    for name, pages in corpora.items():
        files[name] = work / f"{name}.json"
        files[name].write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
        for label, idx in subsets(name, pages).items():
            sub = [pages[i]["text"] for i in idx]
            stem = work / f"{name}--{len(occ_corpora)}"
            with open(f"{stem}.jsonl", "w", encoding="utf-8") as f:
                for t in sub:
                    f.write(json.dumps(t, ensure_ascii=False) + "\n")
            Path(f"{stem}.txt").write_text("\n\n".join(sub), encoding="utf-8")
            occ_corpora.append({"name": f"{name}|{label}", "pages": f"{stem}.jsonl", "text": f"{stem}.txt",
                                "bytes": sum(len(t.encode()) for t in sub)})
    job = work / "opencc-job.json"
    job.write_text(json.dumps({"config": "t2s", "reps": 3, "min_seconds": 0.5, "corpora": occ_corpora}))
    # a cold process: import, then one misread page of about 10 KB
    damage = _damage()
    rng = random.Random(7)
    ten = ""
    src = real_pages("tldr-pages", "pages.zh")
    while len(ten.encode()) < 10000:
        ten += rng.choice(src) + "\n"
    ten = damage.disguise(ten)
    s, e = misread_span(ten, rng)
    cold_page = work / "cold-10k.txt"
    cold_page.write_text(damage.misalign_gbk(ten, s, e), encoding="utf-8")

    rounds = {"zhfix": {n: [] for n in corpora}, "opencc": [], "cold": []}
    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}", file=sys.stderr, flush=True)
        rounds["opencc"].append(_run(_one_core([occ, str(HERE / "opencc_worker.py"), str(job)])))
        for name in corpora:
            rounds["zhfix"][name].append(_run(_one_core(me + ["--worker", json.dumps({"pages": str(files[name])})]),
                                              env))
        rounds["cold"].append(_run(_one_core(me + ["--cold", json.dumps({"page": str(cold_page)})]), env))

    R = {"rounds": args.rounds, "load": os.getloadavg(), "build": rounds["zhfix"][next(iter(corpora))][0]["build"],
         "rows": [], "cold": rounds["cold"],
         "clock_overhead": statistics.median(run["clock_overhead"] for runs in rounds["zhfix"].values() for run in runs)}
    for name, pages in corpora.items():
        sizes = [len(p["text"].encode()) for p in pages]
        for label, idx in subsets(name, pages).items():
            n_bytes = sum(sizes[i] for i in idx)
            row = {"corpus": name, "subset": label, "pages": len(idx), "bytes": n_bytes}
            for which in ("first", "repeated"):
                # (each page's time less the clock's own interval: see clock_overhead)
                secs = [sum(run[which][i] for i in idx) - len(idx) * run["clock_overhead"]
                        for run in rounds["zhfix"][name]]
                row[which] = n_bytes / MB / statistics.median(secs)
                run0 = rounds["zhfix"][name][0]
                per = sorted(run0[which][i] - run0["clock_overhead"] for i in idx)
                row[which + "_page_ms"] = {"mean": 1e3 * statistics.median(secs) / max(1, len(idx)),
                                           "median": 1e3 * per[len(per) // 2] if per else 0,
                                           "max": 1e3 * per[-1] if per else 0}
            occ_secs = [o["corpora"][f"{name}|{label}"]["pages_seconds"] for o in rounds["opencc"]]
            row["opencc"] = n_bytes / MB / statistics.median(occ_secs)
            if label == "all":
                row["first_caches"] = rounds["zhfix"][name][0]["first_caches"]
                row["repeated_caches"] = rounds["zhfix"][name][0]["repeated_caches"]
            R["rows"].append(row)
    Path(args.out).write_text(json.dumps(R, indent=1, ensure_ascii=False), encoding="utf-8")
    print(markdown(R))
    return 0


def markdown(R: dict) -> str:
    lines = [f"Distinct pages, `zhfix.fix_text` per page, one core, median of {R['rounds']} rounds "
             f"({R['build']}); load average {R['load'][0]:.2f}.  Each page's time is less the clock's own "
             f"interval, {1e9 * R['clock_overhead']:.0f} ns (the median of 20,001 empty ones in each worker; "
             "OpenCC's passes are timed whole).", "",
             "| corpus | pages | MB | first sight MB/s | repeated MB/s | OpenCC C++ t2s MB/s | first / OpenCC | "
             "repeated / OpenCC | first sight ms a page (mean / median / max) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in R["rows"]:
        pm = row["first_page_ms"]
        lines.append(f"| {row['corpus']} {'' if row['subset'] == 'all' else '(' + row['subset'] + ')'} | "
                     f"{row['pages']} | {row['bytes'] / MB:.2f} | {row['first']:.2f} | {row['repeated']:.2f} | "
                     f"{row['opencc']:.1f} | {row['first'] / row['opencc']:.3f}× | "
                     f"{row['repeated'] / row['opencc']:.3f}× | "
                     f"{pm['mean']:.3f} / {pm['median']:.3f} / {pm['max']:.1f} |")
    cold = R["cold"]
    lines += ["", "Cold process (median): import zhfix %.0f ms, first misread page of ~10 KB %.0f ms." % (
        1e3 * statistics.median(c["import"] for c in cold), 1e3 * statistics.median(c["first_page"] for c in cold))]
    lines += ["", "Cache hits / misses in the first and the repeated pass (round 1):", ""]
    for row in R["rows"]:
        if row["subset"] != "all":
            continue
        def fmt(d):
            return ", ".join(f"{k} {h}/{m}" for k, (h, m) in sorted(d.items())) or "none"
        lines.append(f"- {row['corpus']}: first: {fmt(row['first_caches'])}; repeated: {fmt(row['repeated_caches'])}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
