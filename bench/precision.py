"""Precision on text nobody here wrote: every text of ../shared/corpora (clean
public files: tldr-pages in 39 languages, React's Japanese and Korean docs,
free-programming-books) through ``zhfix.repair``, and every change it makes
counted, by corpus, language and step, with the first change of each.

Each file is repaired as the command line repairs it: with the kind its
path's extension names (``zhfix.structure.kind_for_path``: ``.md`` markdown,
``.json`` json, ...; none: sniffed), where the zhfix measured knows kinds.

Nothing in these corpora is damaged, so every changed file is a false
positive -- unless it is listed in ``bench/precision-exemptions.json`` with
its hand-written expected text (then it must come out exactly so).  A file
that takes longer than ``--timeout`` seconds is stopped and counted as
"slow" (a failure too: a user waits on it).

    python bench/precision.py                     # all corpora, 2 processes
    python bench/precision.py --limit 2000        # the first 2000 records of each
    python bench/precision.py --json after.json   # per-file findings (not for the repository)
    python bench/precision.py --src /tmp/old/src --json before.json   # another checkout's zhfix
    python bench/precision.py --compare before.json after.json        # Markdown before/after tables
    python bench/precision.py --write-baseline    # bench/precision-baseline.json (tests/test_precision.py)

Exit status: 0 when no file changed or was slow (beyond the exemptions), 1 otherwise.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import re
import signal
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

def find_corpora() -> Path:
    """``../shared/corpora`` beside the checkout (where CI lays it); for a
    clone of a checkout (``git clone . /tmp/x``), beside the checkout it was
    cloned from; ``$ZHFIX_CORPORA`` overrides both."""
    import subprocess

    if os.environ.get("ZHFIX_CORPORA"):
        return Path(os.environ["ZHFIX_CORPORA"])
    here = REPO.parent / "shared" / "corpora"
    if here.is_dir():
        return here
    try:
        origin = subprocess.run(["git", "-C", str(REPO), "config", "remote.origin.url"], capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    if origin and os.path.isdir(origin):
        there = Path(origin).resolve().parent / "shared" / "corpora"
        if there.is_dir():
            return there
    return here


CORPORA = find_corpora()
EXEMPTIONS = HERE / "precision-exemptions.json"
BASELINE = HERE / "precision-baseline.json"
TIMEOUT = 20.0  # seconds per file before it counts as slow (a failure)

_FPB_LANG = re.compile(r"-([a-z]{2,3}(?:_[A-Z]{2})?)(?:-[a-z]{2})?\.md$")


def language(corpus: str, path: str) -> str:
    """The language of a record, as its corpus names it."""
    if corpus.startswith("tldr"):
        top = path.split("/", 1)[0]
        return top.split(".", 1)[1] if "." in top else "en"
    if corpus.startswith("react-docs-"):
        return corpus.rsplit("-", 1)[1]
    m = _FPB_LANG.search(os.path.basename(path))  # free-programming-books: books/...-fa_IR.md, docs/HOWTO-zh_TW.md
    if m and m.group(1) not in ("langs", "subjects"):
        return m.group(1)
    return "en" if path.endswith(".md") else "?"


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


class _Slow(Exception):
    pass


def _alarm(signum, frame):
    raise _Slow()


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _kind(path: str) -> dict:
    """``{"kind": ...}`` for a file at `path`, as the command line takes it
    from the extension; {} for a zhfix without kinds (an older checkout)."""
    try:
        from zhfix.structure import kind_for_path
    except ImportError:
        return {}
    kind = kind_for_path(path)
    return {"kind": kind} if kind else {}


def check(item, timeout: float = TIMEOUT, exempt=None, changes_per_step: int = 3):
    """One record through ``zhfix.repair``: a dict with its status ("same",
    "changed", "slow", "error"; "exempt" when it came out as its exemption
    says, "changed" when it did not), seconds, the fix steps that changed
    something and their first few changes (shortened)."""
    import zhfix

    corpus, path, lang, text = item
    expected = (exempt or {}).get(f"{corpus}:{path}", text)
    out = {"corpus": corpus, "path": path, "language": lang, "bytes": len(text.encode("utf-8", "surrogatepass")),
           "status": "same", "steps": [], "changes": []}
    use_alarm = timeout and hasattr(signal, "setitimer")
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    t0 = time.perf_counter()
    try:
        r = zhfix.repair(text, **_kind(path))
    except _Slow:
        out.update(status="slow", seconds=time.perf_counter() - t0)
        return out
    except Exception as e:  # a crash on clean text is worse than a change
        out.update(status="error", seconds=time.perf_counter() - t0, error=f"{type(e).__name__}: {_short(str(e), 200)}")
        return out
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    out["seconds"] = time.perf_counter() - t0
    if expected is not text and r.text == expected:
        out["status"] = "exempt"
    elif r.text != expected:
        out["status"] = "changed"
        for s in r.steps:
            if s.kind == "fix" and s.count:
                out["steps"].append(s.name)
                for c in s.changes[:changes_per_step]:
                    out["changes"].append({"step": s.name, "line": c.line,
                                           "before": _short(c.before), "after": _short(c.after)})
    return out


def run(corpora: Path, limit: int = 0, jobs: int = 2, timeout: float = TIMEOUT, exempt=None):
    """Every record's :func:`check`, in corpus order."""
    items = records(corpora, limit)
    fn = functools.partial(check, timeout=timeout, exempt=exempt)
    if jobs > 1:
        from multiprocessing import get_context
        import zhfix  # noqa: F401  (imported once, before the fork)
        with get_context("fork").Pool(jobs) as pool:
            yield from pool.imap(fn, items, chunksize=8)
    else:
        yield from map(fn, items)


def summarize(results):
    """Counts of a run: files, changed, slow and errors by corpus; changed by
    corpus and language, by corpus and step."""
    s = {"files": Counter(), "changed": Counter(), "slow": Counter(), "error": Counter(),
         "lang_files": defaultdict(Counter), "lang_changed": defaultdict(Counter), "steps": defaultdict(Counter),
         "seconds": 0.0, "bytes": 0, "findings": [], "slowest": []}
    for r in results:
        c = r["corpus"]
        s["files"][c] += 1
        s["lang_files"][c][r["language"]] += 1
        s["seconds"] += r.get("seconds", 0.0)
        s["bytes"] += r["bytes"]
        s["slowest"] = sorted(s["slowest"] + [(r.get("seconds", 0.0), r["bytes"], f"{c}:{r['path']}")],
                              reverse=True)[:20]
        if r["status"] in ("same", "exempt"):
            continue
        s[r["status"]][c] += 1
        if r["status"] == "changed":
            s["lang_changed"][c][r["language"]] += 1
            for step in r["steps"]:
                s["steps"][c][step] += 1
        s["findings"].append(r)
    return s


def failures(s) -> dict:
    """Files that changed, were slow or crashed, by corpus (the ratchet's count)."""
    return {c: s["changed"][c] + s["slow"][c] + s["error"][c] for c in sorted(s["files"])}


def _md(rows, head):
    num = [all(isinstance(row[i], (int, float)) or str(row[i]).rstrip("%").replace(".", "").isdigit() for row in rows)
           for i in range(len(head))]
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join("---:" if n else "---" for n in num) + " |"]
    out += ["| " + " | ".join(str(x) for x in row) + " |" for row in rows]
    return "\n".join(out)


def report(s, quiet=False) -> str:
    lines = []
    total = sum(s["changed"].values())
    lines.append(f"{sum(s['files'].values())} files, {s['bytes'] / 1e6:.1f} MB, {s['seconds']:.0f} s in repair; "
                 f"changed: {total}, slow: {sum(s['slow'].values())}, errors: {sum(s['error'].values())}")
    lines.append("")
    lines.append(_md([(c, s["files"][c], s["changed"][c], f"{100 * s['changed'][c] / s['files'][c]:.1f}%",
                       s["slow"][c], s["error"][c]) for c in sorted(s["files"])],
                     ["corpus", "files", "changed", "share", "slow", "errors"]))
    if quiet:
        return "\n".join(lines)
    lines += ["", "by language (changed / files):"]
    for c in sorted(s["files"]):
        langs = sorted(s["lang_files"][c], key=lambda k: (-s["lang_changed"][c][k], k))
        lines.append(f"  {c}: " + ", ".join(f"{k} {s['lang_changed'][c][k]}/{s['lang_files'][c][k]}" for k in langs
                                            if s["lang_changed"][c][k]))
    lines += ["", "by step (files where the step changed something):"]
    for c in sorted(s["files"]):
        if s["steps"][c]:
            lines.append(f"  {c}: " + ", ".join(f"{k} {v}" for k, v in s["steps"][c].most_common()))
    lines += ["", "first change of each corpus and step:"]
    seen = set()
    for r in s["findings"]:
        for ch in r.get("changes", []):
            if (r["corpus"], ch["step"]) not in seen:
                seen.add((r["corpus"], ch["step"]))
                lines.append(f"  {r['corpus']} {ch['step']}: {r['path']}:{ch['line']}: {ch['before']!r} -> {ch['after']!r}")
    for r in s["findings"]:
        if r["status"] in ("slow", "error"):
            lines.append(f"  {r['status']}: {r['corpus']}:{r['path']} {r.get('error', '')}")
    lines += ["", "slowest files (seconds, bytes):"]
    lines += [f"  {secs:7.3f} s  {size:8d}  {key}" for secs, size, key in s["slowest"][:10]]
    return "\n".join(lines)


def compare(before, after) -> str:
    """Markdown tables, before against after: by corpus, by step, by language."""
    b, a = before, after
    out = ["Changed files (false positives) by corpus:", ""]
    rows = [(c, a["files"][c], b["changed"][c], a["changed"][c], b["slow"][c] + b["error"][c], a["slow"][c] + a["error"][c])
            for c in sorted(set(a["files"]) | set(b["files"]))]
    rows.append(("**all**", sum(a["files"].values()), sum(b["changed"].values()), sum(a["changed"].values()),
                 sum(b["slow"].values()) + sum(b["error"].values()), sum(a["slow"].values()) + sum(a["error"].values())))
    out.append(_md(rows, ["corpus", "files", "changed before", "changed after", "slow/errors before", "slow/errors after"]))
    out += ["", "Files where each step changed something (all corpora):", ""]
    sb, sa = Counter(), Counter()
    for c in b["steps"]:
        sb.update(b["steps"][c])
    for c in a["steps"]:
        sa.update(a["steps"][c])
    out.append(_md([(k, sb[k], sa[k]) for k in sorted(set(sb) | set(sa), key=lambda k: -(sa[k] + sb[k]))],
                   ["step", "before", "after"]))
    out += ["", "Changed files by corpus and language (languages with any change):", ""]
    rows = []
    for c in sorted(a["files"]):
        for k in sorted(a["lang_files"][c], key=lambda k: (-(a["lang_changed"][c][k] + b["lang_changed"][c][k]), k)):
            if a["lang_changed"][c][k] or b["lang_changed"][c][k]:
                rows.append((c, k, a["lang_files"][c][k], b["lang_changed"][c][k], a["lang_changed"][c][k]))
    out.append(_md(rows, ["corpus", "language", "files", "before", "after"]))
    return "\n".join(out)


def load(path: Path):
    """A summary from a ``--json`` file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return summarize(data["results"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--src", type=Path, default=REPO / "src",
                    help="the zhfix to measure: a checkout's src directory (default: this one's)")
    ap.add_argument("--limit", type=int, default=0, help="records of each corpus (0: all)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per file before it counts as slow")
    ap.add_argument("--json", type=Path, help="write every file's result here (holds corpus text: keep it out of the repository)")
    ap.add_argument("--write-baseline", action="store_true", help=f"write the failures per corpus to {BASELINE.name}")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"),
                    help="print before/after Markdown tables from two --json files, run nothing")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    if args.compare:
        print(compare(load(args.compare[0]), load(args.compare[1])))
        return 0
    sys.path.insert(0, str(args.src.resolve()))
    import zhfix
    if Path(zhfix.__file__).resolve().parent.parent != args.src.resolve():
        raise SystemExit(f"precision: imported {zhfix.__file__}, not the zhfix of {args.src}")
    print(f"zhfix from {args.src}" + (f" ({zhfix.build_info()})" if hasattr(zhfix, "build_info") else ""), file=sys.stderr)

    exempt = json.loads(EXEMPTIONS.read_text(encoding="utf-8")) if EXEMPTIONS.is_file() else {}
    start = time.perf_counter()
    results = list(run(args.corpora, args.limit, args.jobs, args.timeout, exempt))
    wall = time.perf_counter() - start
    s = summarize(results)
    print(f"wall {wall:.0f} s with {args.jobs} processes")
    print(report(s, args.quiet))
    if args.json:
        args.json.write_text(json.dumps({"src": str(args.src), "wall": wall, "results": results},
                                        ensure_ascii=False), encoding="utf-8")
    if args.write_baseline:
        if args.limit:
            raise SystemExit("precision: a baseline is written from a full run (no --limit)")
        BASELINE.write_text(json.dumps(failures(s), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {BASELINE}")
    return 1 if any(failures(s).values()) else 0


if __name__ == "__main__":
    sys.exit(main())
