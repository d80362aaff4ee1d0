"""Fingerprint what zhfix does, to prove a change of structure changed nothing.

Runs every fixture input and every page of the bench corpora (and a few
fuzz-found strings) through ``repair`` (explained), ``repair(explain=False)``
and ``fix_text``, and hashes the text, the diagnosis and the steps.  Run it on
two commits (and with ``ZHFIX_PURE=1``) and compare:

    python bench/fingerprint.py --out /tmp/before.json
    ... change ...
    python bench/fingerprint.py --compare /tmp/before.json

``--rename old=new`` maps a step name that was renamed on purpose (the
documented renames), so that only real differences are listed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))

#: Strings found by fuzzing whose replay once differed from their repair.
FUZZED = [
    '\xe5\x9b\xa0\xe9\x9d\xa9\xe8\x87\xaa\u3454\uff08z\xec\uff09\xe5\x9b\xa0\xe9\x9d\xa9\xe8\x87\xaa',
    'h\u01ceo\u34a8(ma)\u300f\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440\uff5e\uff09\ufffd'
    '\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440',
    '\xe9\u2013\u20ac\xe4\xba\u201d?ma\u251c\u2500\u2500 a\n\u2502   \u2514\u2500\u2500 bma'
    '\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440',
]


def inputs(distinct: bool = False, clean: bool = False):
    """(key, text) for every input, in a stable order (with the distinct
    mirror pages of bench/distinct.py when `distinct`, its clean real pages
    when `clean`)."""
    for f in sorted((REPO / "fixtures").glob("*/*.json")):
        d = f.parent
        for i, case in enumerate(json.loads(f.read_text(encoding="utf-8"))):
            text = case.get("input")
            if text is None and case.get("input_file"):
                text = (d / case["input_file"]).read_text(encoding="utf-8")
            if text is not None:
                yield f"{d.name}/{f.stem}/{case.get('label', i)}", text
    from corpus import build_pages
    for name, pages in sorted(build_pages().items()):
        for i, page in enumerate(pages):
            yield f"bench/{name}/{i}", page
    for i, text in enumerate(FUZZED):
        yield f"fuzz/{i}", text
    if distinct:
        import distinct as distinct_pages
        corpora = distinct_pages.build(quick=False)
        for name in distinct_pages.MIRRORS:
            for i, page in enumerate(corpora[name]):
                yield f"distinct/{name}/{i}", page["text"]
    if clean:
        import distinct as distinct_pages
        corpora = distinct_pages.build(quick=False)
        for name in sorted(set(corpora) - set(distinct_pages.MIRRORS)):
            for i, page in enumerate(corpora[name]):
                yield f"clean/{name}/{i}", page["text"]


def _h(obj) -> str:
    data = obj.encode("utf-8", "surrogatepass") if isinstance(obj, str) else \
        json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]


def _rename(step: dict, renames: dict) -> dict:
    """A step renamed on purpose, as it was called (and described) before."""
    if step["name"] in renames:
        from zhfix.runner import DESCRIPTIONS
        step["name"] = renames[step["name"]]
        step["description"] = DESCRIPTIONS[step["name"]]
    return step


def fingerprint(text: str, renames: dict) -> dict:
    import zhfix

    r = zhfix.repair(text)
    steps = [_rename(asdict(s), renames) for s in r.steps]
    quiet = zhfix.repair(text, explain=False)
    quiet_steps = [_rename(dict(asdict(s), changes=None), renames) for s in quiet.steps]
    replayed = zhfix.apply_plan(text, r.plan)
    return {
        "text": _h(r.text),
        "diagnosis": _h(asdict(r.diagnosis)),
        "steps": _h(steps),
        "quiet_text": _h(quiet.text),
        "quiet_diagnosis": _h(asdict(quiet.diagnosis)),
        "quiet_steps": _h(quiet_steps),
        "fix_text": _h(zhfix.fix_text(text)),
        "replay_equal": replayed == r.text,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="write the fingerprints here (JSON)")
    ap.add_argument("--compare", help="compare with fingerprints written earlier")
    ap.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                    help="a step renamed on purpose (repeatable)")
    ap.add_argument("--distinct", action="store_true",
                    help="also the distinct mirror pages of bench/distinct.py (1,935 pages)")
    ap.add_argument("--clean", action="store_true",
                    help="also the clean real pages of bench/distinct.py (tldr zh, zh_TW, ja, ko; React ja, ko)")
    args = ap.parse_args(argv)
    renames = dict(r.split("=", 1) for r in args.rename)
    prints = {key: fingerprint(text, renames) for key, text in inputs(args.distinct, args.clean)}
    total = _h({k: {f: v for f, v in p.items() if f != "replay_equal"} for k, p in prints.items()})
    bad_replays = [k for k, p in prints.items() if not p["replay_equal"]]
    print(f"{len(prints)} inputs, fingerprint {total}; replay differs from repair on {len(bad_replays)}"
          + (f": {', '.join(bad_replays[:10])}" if bad_replays else ""))
    if args.out:
        Path(args.out).write_text(json.dumps(prints, indent=1, sort_keys=True), encoding="utf-8")
    if args.compare:
        old = json.loads(Path(args.compare).read_text(encoding="utf-8"))
        diffs = []
        for key in sorted(set(old) | set(prints)):
            a, b = old.get(key), prints.get(key)
            if a is None or b is None:
                diffs.append(f"{key}: only in {'new' if a is None else 'old'}")
                continue
            fields = [f for f in b if f != "replay_equal" and a.get(f) != b.get(f)]
            if fields:
                diffs.append(f"{key}: {', '.join(fields)}")
        print(f"{len(diffs)} inputs differ from {args.compare}")
        for d in diffs[:50]:
            print("  " + d)
        return 1 if diffs else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
