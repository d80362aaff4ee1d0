"""Precision on text nobody here wrote: every text of ../shared/corpora (clean
public files: tldr-pages in 39 languages, React's Japanese and Korean docs,
free-programming-books) through ``zhfix.repair``, and every change it makes
counted, by corpus, language and step, with the first change of each.

Nothing in these corpora is damaged, so every changed file is a false
positive -- unless it is listed in ``bench/precision-exemptions.json`` with
its hand-written expected text (then it must come out exactly so).

    python bench/precision.py                 # all corpora, 2 processes
    python bench/precision.py --limit 2000    # the first 2000 records of each
    python bench/precision.py --json out.json

Exit status: 0 when no file changed (beyond the exemptions), 1 otherwise.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

CORPORA = REPO.parent / "shared" / "corpora"
EXEMPTIONS = HERE / "precision-exemptions.json"


def language(corpus: str, path: str) -> str:
    """The language of a record, as its corpus names it."""
    if corpus.startswith("tldr"):
        top = path.split("/", 1)[0]
        return top.split(".", 1)[1] if "." in top else "en"
    if corpus.startswith("react-docs-"):
        return corpus.rsplit("-", 1)[1]
    name = os.path.basename(path)
    for part in name.replace(".md", "").split("-"):
        if part in ("zh", "ja", "ko", "ru", "el", "ar", "he", "th", "fa", "hi", "bn", "uk", "bg", "sr"):
            return part
    return name.split("-")[-1].replace(".md", "") or "?"


def records(corpora: Path, limit: int = 0):
    """(corpus, path, language, text) of every record, corpus by corpus."""
    files = sorted(corpora.glob("*.jsonl.gz"))
    if not files:
        raise SystemExit(f"precision: no corpora in {corpora}")
    for f in files:
        corpus = f.name[:-len(".jsonl.gz")]
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if limit and n >= limit:
                    break
                r = json.loads(line)
                yield corpus, r["path"], language(corpus, r["path"]), r["text"]


def _check(item):
    import zhfix

    corpus, path, lang, text = item
    t0 = time.perf_counter()
    r = zhfix.repair(text)
    seconds = time.perf_counter() - t0
    first = None
    if r.text != text:
        for s in r.steps:
            if s.kind == "fix" and s.count:
                c = s.changes[0] if s.changes else None
                first = (s.name, f"line {c.line}: {c.before!r} -> {c.after!r}" if c else f"{s.count} changes")
                break
    steps = [s.name for s in r.steps if s.kind == "fix" and s.count]
    return corpus, path, lang, len(text.encode("utf-8")), seconds, r.text if r.text != text else None, steps, first


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--limit", type=int, default=0, help="records of each corpus (0: all)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write the per-file findings here")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    exempt = json.loads(EXEMPTIONS.read_text(encoding="utf-8")) if EXEMPTIONS.is_file() else {}
    files = Counter()
    changed = Counter()
    by_lang = defaultdict(Counter)
    by_step = defaultdict(Counter)
    first_of = {}
    slowest = []
    wrong_exemptions = []
    out = []
    seconds = nbytes = 0.0
    items = records(args.corpora, args.limit)
    if args.jobs > 1:
        from multiprocessing import Pool
        pool = Pool(args.jobs)
        results = pool.imap(_check, items, chunksize=16)
    else:
        pool, results = None, map(_check, items)
    start = time.perf_counter()
    for corpus, path, lang, size, secs, new, steps, first in results:
        files[corpus] += 1
        seconds += secs
        nbytes += size
        slowest.append((secs, size, f"{corpus}:{path}"))
        if len(slowest) > 200:
            slowest = sorted(slowest, reverse=True)[:20]
        key = f"{corpus}:{path}"
        if key in exempt:
            if new != exempt[key]:
                wrong_exemptions.append(key)
            continue
        if new is None:
            continue
        changed[corpus] += 1
        by_lang[corpus][lang] += 1
        for s in steps:
            by_step[corpus][s] += 1
            first_of.setdefault((corpus, s), (key, first))
        out.append({"file": key, "language": lang, "steps": steps, "first": first})
    if pool is not None:
        pool.close()
    wall = time.perf_counter() - start

    total = sum(changed.values())
    print(f"{sum(files.values())} files, {nbytes / 1e6:.1f} MB, {wall:.0f} s "
          f"({seconds:.0f} s in repair); changed: {total}")
    for corpus in sorted(files):
        print(f"\n{corpus}: {files[corpus]} files, {changed[corpus]} changed")
        if changed[corpus] and not args.quiet:
            print("  by language: " + ", ".join(f"{k} {v}" for k, v in by_lang[corpus].most_common()))
            print("  by step: " + ", ".join(f"{k} {v}" for k, v in by_step[corpus].most_common()))
            for (c, s), (key, first) in sorted(first_of.items()):
                if c == corpus:
                    print(f"    {s}: {key}: {first[1] if first else ''}")
    if wrong_exemptions:
        print(f"\nexemptions not repaired as expected: {', '.join(wrong_exemptions)}")
    if not args.quiet:
        print("\nslowest files (seconds, bytes):")
        for secs, size, key in sorted(slowest, reverse=True)[:10]:
            print(f"  {secs:7.3f} s  {size:8d}  {key}")
    if args.json:
        args.json.write_text(json.dumps({"files": dict(files), "changed": dict(changed), "findings": out},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if total or wrong_exemptions else 0


if __name__ == "__main__":
    sys.exit(main())
