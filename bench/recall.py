"""Recall on real pages: tldr's ``pages.zh`` (clean simplified Chinese, from
../shared/corpora) damaged with ``tests/damage.py``, then repaired by zhfix,
and every page counted as *exact* (zhfix gives back the clean page byte for
byte), *changed* (zhfix changed the damaged page, but not back to the clean
one) or *untouched* (zhfix returned the damaged page as it came).

The kinds of damage (one damaged copy of each page per kind):

* ``disguised-pinyin`` -- the seed's mirror: ``damage.disguise`` (s2t with
  着 -> 著, tone-marked pinyin glued after every occurrence of some
  characters, halfwidth ``，（）：；？！``).  The annotated characters are the
  seed-like site's 網區發業創聯現協醫監 and 4 more drawn (seeded) from the
  page's own Han characters, so that every page carries pinyin;
* ``disguised-no-pinyin`` -- s2t (着 -> 著) and halfwidth punctuation only;
* ``misread`` -- the disguised page (with pinyin) with one GBK span of 2-4
  characters read one byte out of step (``damage.misalign_gbk``), the span
  ending at an ASCII character as in the seed;
* ``mojibake`` -- the clean page with one of its lines misread by one of
  ``damage.MOJIBAKE``'s readings (UTF-8 as GBK, GBK as Big5, GBK as Latin-1,
  UTF-8 as cp1252, ...; the reading turns with the page, and only lines the
  reading can undo exactly are used); also counted per reading.

The damaged inputs are built here, with this checkout's helpers and a seed,
so two checkouts are measured on the same inputs; zhfix itself runs in a
subprocess with ``PYTHONPATH=DIR/src``::

    python bench/recall.py                                   # this checkout, all 1,535 pages
    python bench/recall.py --src /work/wt-old --json bench/recall-6125449.json
    python bench/recall.py --pages 300                       # a seeded sample of 300 pages
    python bench/recall.py --compare bench/recall-6125449.json bench/recall-now.json

The JSON holds counts and, per kind, the status of each page (one letter a
page, in the order of its ``paths``; no corpus text).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
KINDS = ("disguised-pinyin", "disguised-no-pinyin", "misread", "mojibake")
STATUSES = ("exact", "changed", "untouched", "slow", "error")
#: fullwidth marks folded for the "changed, but only in punctuation width" count
_FOLD = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "？": "?", "！": "!"})
#: readings of damage.MOJIBAKE used, in turn (utf8-as-gb18030 is the same
#: reading as utf8-as-gbk; utf8-as-big5 is almost never lossless)
READINGS = ("utf8-as-gbk", "gbk-as-big5", "big5-as-gbk", "gbk-as-latin1", "gbk-as-cp1252",
            "utf8-as-cp1252", "utf8-as-latin1", "utf8-as-cp1252-twice")
TIMEOUT = 20.0


# --------------------------------------------------------------------------
# building the damaged pages (this checkout's helpers)

def _damage():
    sys.path.insert(0, str(REPO / "tests"))
    import damage
    return damage


def tldr_pages(corpora: Path, lang: str = "pages.zh"):
    """(path, text) of every tldr page under *lang*/, in corpus order."""
    f = corpora / "tldr-pages.jsonl.gz"
    if not f.is_file():
        raise SystemExit(f"recall: {f} is missing (see bench/precision.py: ZHFIX_CORPORA)")
    out = []
    with gzip.open(f, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["path"].startswith(lang + "/"):
                out.append((r["path"], r["text"]))
    return out


def _double_byte(text: str, i: int) -> bool:
    return len(text[i].encode("gbk", errors="replace")) == 2 and ord(text[i]) > 0x2E7F


def misread_span(text: str, rng: random.Random):
    """A span for misalign_gbk: 2-4 double-byte Han characters followed by an
    ASCII character (the ``(`` of a pinyin annotation, a folded ``,`` or
    ``:``), which puts the reader back in step, as in the seed.  None when the
    page has no such place."""
    ends = [i for i, ch in enumerate(text) if ch in "(,:;" and i >= 2 and _double_byte(text, i - 1)
            and _double_byte(text, i - 2)]
    rng.shuffle(ends)
    for e in ends:
        length = rng.randint(2, 4)
        s = e - length
        while s < e - 2 and not all(_double_byte(text, j) for j in range(s, e)):
            s += 1
        if s > 0 and all(_double_byte(text, j) for j in range(s, e)):
            return s, e + 1
    return None


def mojibake_line(text: str, rng: random.Random, first: int, damage):
    """(reading, damaged page) with one line misread, trying the readings from
    READINGS[first] on and the lines holding Han characters in a seeded
    order; None when no reading can be undone exactly on any line."""
    lines = text.split("\n")
    order = [i for i, ln in enumerate(lines) if any("\u4e00" <= c <= "\u9fff" for c in ln)]
    rng.shuffle(order)
    for k in range(len(READINGS)):
        name = READINGS[(first + k) % len(READINGS)]
        for i in order:
            if damage.mojibake_is_lossless(name, lines[i]):
                fn = damage.MOJIBAKE[name][0]
                bad = fn(lines[i])
                if bad != lines[i]:
                    return name, "\n".join(lines[:i] + [bad] + lines[i + 1:])
    return None


def build_inputs(pages, seed: int):
    """[(kind, path, clean, damaged, detail)] for every page and kind (a page
    with no place for a kind's damage is left out of that kind)."""
    damage = _damage()
    items = []
    for n, (path, clean) in enumerate(pages):
        rng = random.Random(f"{seed}:{path}")
        han = sorted({c for c in damage.to_traditional(clean) if "\u4e00" <= c <= "\u9fff"})
        chars = damage.DEFAULT_CHARS + "".join(rng.sample(han, min(4, len(han))))
        try:
            disguised = damage.disguise(clean, chars)
            no_pinyin = damage.halfwidth_punct(damage.to_traditional(clean))
        except ValueError:  # s2t changed the length (never seen on these pages)
            continue
        items.append(("disguised-pinyin", path, clean, disguised, ""))
        items.append(("disguised-no-pinyin", path, clean, no_pinyin, ""))
        span = misread_span(disguised, rng)
        if span:
            items.append(("misread", path, clean, damage.misalign_gbk(disguised, *span), disguised[span[0]:span[1]]))
        moji = mojibake_line(clean, rng, n % len(READINGS), damage)
        if moji:
            items.append(("mojibake", path, clean, moji[1], moji[0]))
    return items


# --------------------------------------------------------------------------
# the worker: runs inside the subprocess, with the measured zhfix first on the path

class _Slow(Exception):
    pass


def _alarm(signum, frame):
    raise _Slow()


def _one(item, timeout=TIMEOUT):
    import zhfix

    kind, path, clean, damaged, detail = item
    if timeout and hasattr(signal, "setitimer"):
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    t0 = time.perf_counter()
    try:
        out = zhfix.repair(damaged).text
        status = "exact" if out == clean else "untouched" if out == damaged else "changed"
        if status == "changed" and out.translate(_FOLD) == clean.translate(_FOLD):
            detail = (detail, "punct")
    except _Slow:
        status = "slow"
    except Exception:  # noqa: BLE001 - a crash is counted, not raised
        status = "error"
    finally:
        if timeout and hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    return kind, path, detail, status, time.perf_counter() - t0


def worker(inputs: Path, jobs: int) -> None:
    import zhfix

    items = json.loads(inputs.read_text(encoding="utf-8"))
    zhfix.repair("隨著網(wǎng)絡發(fā)展")  # (loads the stages and, where there is one, the C extension)
    info = zhfix.build_info() if hasattr(zhfix, "build_info") else (
        "compiled" if any(m.startswith("zhfix") and m.endswith("_speedups") for m in sys.modules) else "pure Python")
    if jobs > 1:
        from multiprocessing import get_context
        with get_context("fork").Pool(jobs) as pool:
            results = pool.map(_one, items, chunksize=8)
    else:
        results = [_one(it) for it in items]
    json.dump({"zhfix": zhfix.__file__, "build": info, "results": results}, sys.stdout)


# --------------------------------------------------------------------------
# the parent: build, run, count

#: one letter per page and kind in the JSON ("-": no place for that damage on the page)
LETTER = {"exact": "e", "changed": "c", "untouched": "u", "slow": "s", "error": "x"}


def summarize(results, paths):
    """Counts per kind and per mojibake reading; ``per_page``: per kind one
    letter per page of *paths* (:data:`LETTER`)."""
    kinds = {k: Counter() for k in KINDS}
    readings = {}
    per_page = {k: {} for k in KINDS}
    seconds = Counter()
    for kind, path, detail, status, secs in results:
        if isinstance(detail, list):  # changed, and only in the width of some punctuation marks
            detail = detail[0]
            kinds[kind]["punct_only"] += 1
            if kind == "mojibake":
                readings.setdefault(detail, Counter())["punct_only"] += 1
        kinds[kind][status] += 1
        per_page[kind][path] = status
        seconds[kind] += secs
        if kind == "mojibake":
            readings.setdefault(detail, Counter())[status] += 1
    cols = STATUSES + ("punct_only",)
    return {"kinds": {k: {s: kinds[k][s] for s in cols} | {"pages": sum(kinds[k][s] for s in STATUSES),
                                                           "seconds": round(seconds[k], 1)}
                      for k in KINDS},
            "mojibake_readings": {r: {s: c[s] for s in cols} | {"pages": sum(c[s] for s in STATUSES)}
                                  for r, c in sorted(readings.items())},
            "paths": paths,
            "per_page": {k: "".join(LETTER[per_page[k][p]] if p in per_page[k] else "-" for p in paths)
                         for k in KINDS}}


def _git_head(src: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(src), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def measure(src: Path, corpora: Path, pages: int, seed: int, jobs: int) -> dict:
    all_pages = tldr_pages(corpora)
    chosen = all_pages if not pages or pages >= len(all_pages) else sorted(
        random.Random(seed).sample(all_pages, pages))
    items = build_inputs(chosen, seed)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as tmp:
        json.dump(items, tmp, ensure_ascii=False)
    env = dict(os.environ, PYTHONPATH=str(src / "src"))
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", tmp.name,
                               "--jobs", str(jobs)], env=env, capture_output=True, text=True)
    finally:
        os.unlink(tmp.name)
    if proc.returncode:
        raise SystemExit(f"recall: the worker failed:\n{proc.stderr[-3000:]}")
    data = json.loads(proc.stdout)
    if not Path(data["zhfix"]).resolve().is_relative_to((src / "src").resolve()):
        raise SystemExit(f"recall: the worker imported {data['zhfix']}, not the zhfix of {src}")
    out = {"src": str(src), "commit": _git_head(src), "build": data["build"], "seed": seed,
           "pages": len(chosen), "of_pages": len(all_pages), "wall_seconds": round(time.perf_counter() - t0, 1)}
    out.update(summarize(data["results"], [p for p, _ in chosen]))
    return out


def _md(rows, head):
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] + ["---:"] * (len(head) - 1)) + " |"]
    return "\n".join(out + ["| " + " | ".join(str(x) for x in row) + " |" for row in rows])


def _cells(v) -> tuple:
    return (v.get("exact", 0), v.get("changed", 0), v.get("punct_only", 0), v.get("untouched", 0),
            v.get("slow", 0) + v.get("error", 0))


def report(r: dict) -> str:
    rows = [(k, v["pages"], *_cells(v)) for k, v in r["kinds"].items()]
    rows += [("mojibake: " + k, v["pages"], *_cells(v)) for k, v in r["mojibake_readings"].items()]
    head = f"zhfix {r['commit'] or r['src']} ({r['build']}), {r['pages']} of {r['of_pages']} pages, seed {r['seed']}, " \
           f"{r['wall_seconds']} s"
    return head + "\n\n" + _md(rows, ["kind", "pages", "exact", "changed", "of which punctuation width only",
                                      "untouched", "slow/error"])


def compare(a: dict, b: dict) -> str:
    """Two results side by side: each cell is "A / B"; the last two columns
    count the pages repaired exactly by one and not the other."""
    la, lb = a["commit"] or "A", b["commit"] or "B"
    rows = []
    pairs = [(k, a["kinds"][k], b["kinds"][k], True) for k in KINDS]
    pairs += [("mojibake: " + r, a["mojibake_readings"].get(r, {}), b["mojibake_readings"].get(r, {}), False)
              for r in sorted(set(a["mojibake_readings"]) | set(b["mojibake_readings"]))]
    for name, va, vb, whole in pairs:
        row = [name, f"{va.get('pages', 0)} / {vb.get('pages', 0)}"]
        row += [f"{x} / {y}" for x, y in zip(_cells(va), _cells(vb))]
        if whole:
            pa = dict(zip(a["paths"], a["per_page"][name]))
            pb = dict(zip(b["paths"], b["per_page"][name]))
            row.append(sum(1 for p, s in pb.items() if s == "e" and pa.get(p, "-") not in "-e"))
            row.append(sum(1 for p, s in pa.items() if s == "e" and pb.get(p, "-") not in "-e"))
        else:
            row += ["", ""]
        rows.append(row)
    head = ["kind", "pages", "exact", "changed", "of which punctuation width only", "untouched", "slow/error",
            f"exact only in {lb}", f"exact only in {la}"]
    return (f"each cell: A / B, A = {la} ({a['src']}, {a['build']}), B = {lb} ({b['src']}, {b['build']}); "
            f"seed {a['seed']} / {b['seed']}\n\n" + _md(rows, head))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, default=REPO, help="the checkout whose src/ is measured (default: this one)")
    ap.add_argument("--corpora", type=Path, default=None, help="default: as bench/precision.py finds them")
    ap.add_argument("--pages", type=int, default=0, help="a seeded sample of this many pages (0: all)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write the result here")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"), help="two --json results side by side")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        worker(args.worker, args.jobs)
        return 0
    if args.compare:
        a, b = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        print(compare(a, b))
        return 0
    corpora = args.corpora
    if corpora is None:
        sys.path.insert(0, str(HERE))
        from precision import find_corpora
        corpora = find_corpora()
    r = measure(args.src.resolve(), corpora, args.pages, args.seed, args.jobs)
    print(report(r))
    if args.json:
        args.json.write_text(json.dumps(r, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
