"""Time the official OpenCC C++ converter (the ``opencc`` wheel from PyPI).

Run by bench/run.py with the python of bench/.venv-opencc, where ``import
opencc`` is the official binding (it shares the module name with
opencc-python-reimplemented, which zhfix depends on, hence the separate
virtual environment).  Standard library only besides opencc.

    python opencc_worker.py JOB.json      ->  JSON timings on stdout

JOB: {"config": "t2s", "corpora": [{"name", "pages": FILE.jsonl,
      "text": FILE.txt, "bytes": N}], "reps": 2, "min_seconds": 2.0}

For each corpus: ``convert`` called once per page (the distinct pages of
FILE.jsonl cycled up to N bytes, as a corpus pipeline calls it) and once on
the whole corpus file (FILE.txt), best of `reps` (the pages: best of
`reps` passes and of more while they have taken under `min_seconds`).
"""
import json
import sys
import time

import opencc


def converter(config):
    try:
        return opencc.OpenCC(config)
    except Exception:  # older bindings want the file name
        return opencc.OpenCC(config + ".json")


def main():
    job = json.load(open(sys.argv[1], encoding="utf-8"))
    conv = converter(job.get("config", "t2s"))
    conv.convert("預熱")
    out = {"version": getattr(opencc, "__version__", "?"), "corpora": {}}
    for c in job["corpora"]:
        with open(c["pages"], encoding="utf-8") as f:
            distinct = [json.loads(line) for line in f]
        pages, size, i = [], 0, 0
        while size < c["bytes"]:
            p = distinct[i % len(distinct)]
            pages.append(p)
            size += len(p.encode("utf-8"))
            i += 1
        # `reps` passes, and more while they have taken under min_seconds (a
        # pass of fast text takes a few ms: a moment's noise would be all of it)
        best_pages, spent, done = float("inf"), 0.0, 0
        while done < job.get("reps", 1) or spent < job.get("min_seconds", 0):
            t = time.perf_counter()
            for p in pages:
                conv.convert(p)
            took = time.perf_counter() - t
            best_pages, spent, done = min(best_pages, took), spent + took, done + 1
        with open(c["text"], encoding="utf-8") as f:
            text = f.read()
        best_whole = float("inf")
        for _ in range(job.get("reps", 1)):
            t = time.perf_counter()
            conv.convert(text)
            best_whole = min(best_whole, time.perf_counter() - t)
        out["corpora"][c["name"]] = {
            "pages_bytes": size, "pages": len(pages), "pages_seconds": best_pages,
            "whole_bytes": len(text.encode("utf-8")), "whole_seconds": best_whole,
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
