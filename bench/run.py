#!/usr/bin/env python
"""zhfix throughput, side by side with OpenCC's C++ converter, in one run.

    python bench/run.py                 # full run (about 15 minutes on 2 cores)
    python bench/run.py --quick         # about 1 MB corpora, tiny budgets (CI)
    python bench/run.py --quick --no-venv   # and skip the OpenCC C++ venv

Corpora are built at run time (bench/corpus.py) and cached in bench/out/
(gitignored); so is the official OpenCC wheel, installed on first use into
its own virtual environment bench/.venv-opencc (``pip install opencc``; it
shares the module name ``opencc`` with opencc-python-reimplemented).

What is measured (one core unless said; MB = 10^6 bytes of UTF-8 input):

1. zhfix library, ``zhfix.repair(page, explain=False)`` and
   ``zhfix.fix_text(page)`` (the text alone; clean text comes back as it
   came) per page (~5 KB) on each corpus: best of N passes over its pages,
   as OpenCC C++ is timed (a pass is cut short to fit a time budget; the
   amount measured is printed); and whole
   corpora as one document at growing sizes (a point that would not fit its
   budget is scaled down, and says so);
2. the ``zhfix`` CLI on a corpus file, and its start-up (best of N processes);
3. OpenCC C++ ``t2s`` on the same text, per page and whole;
4. opencc-python-reimplemented ``t2s`` and ``ftfy.fix_text`` per page;
5. pathological inputs (one long line, ``?`` runs, ``(abc)`` groups, every CJK
   character once) against normal text, each in a process with a timeout;
6. peak RSS of the CLI on a big file (``--big-gb``);
7. a batch of small files with ``zhfix --check`` at --jobs 1 and 2;
8. corpora of distinct pages (bench/distinct.py: nothing repeats, so no
   cache answers), first sight and repeated, beside OpenCC C++.

Prints a Markdown table and writes bench/out/results.md and results.json.
Every zhfix measurement runs in a subprocess with a timeout: a blow-up is
reported as such, never hangs the run, and a missing feature is "n/a".
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
VENV = HERE / ".venv-opencc"
MB = 1e6

sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

MAIN_CORPORA = ["disguised", "clean-simplified", "traditional", "english-code"]
ALL_CORPORA = ["disguised", "disguised-seed", "disguised-sentences", "clean-simplified",
               "traditional", "english-code"]
CORPUS_NOTES = {
    "disguised": "seed page + our disguised sentences (1 page in 4 is the seed)",
    "disguised-seed": "the seed page alone (has misread GBK spans)",
    "disguised-sentences": "our sentences, disguised (no misread GBK)",
    "clean-simplified": "our sentences, clean",
    "traditional": "s2twp of our sentences (genuine Taiwan-style)",
    "english-code": "English prose + Python source from site-packages",
}


@dataclass
class Profile:
    corpus_bytes: float
    page_budget: float        # seconds of zhfix per corpus, per page mode
    other_budget: float       # seconds for opencc-python-reimplemented / ftfy
    growth_sizes: List[float]
    growth_budget: float      # seconds allowed for one growth point
    growth_corpora: List[str]
    cli_budget: float
    startup_reps: int
    path_line: float          # bytes of the single-line case
    path_q: float
    path_groups: int
    path_timeout: float
    big_timeout: float
    batch_files: int
    batch_timeout: float
    opencc_reps: int
    #: per corpus, zhfix and OpenCC C++ make passes over its pages until both
    #: opencc_reps passes and this much time are done (the best pass counts)
    min_pass_seconds: float = 0.0
    rss_cap: float = 6e9


FULL = Profile(corpus_bytes=50e6, page_budget=20, other_budget=5,
               growth_sizes=[1e6, 10e6, 100e6], growth_budget=100,
               growth_corpora=["disguised", "clean-simplified"], cli_budget=15, startup_reps=5,
               path_line=10e6, path_q=1e6, path_groups=100_000, path_timeout=120,
               big_timeout=150, batch_files=10_000, batch_timeout=150, opencc_reps=5,
               min_pass_seconds=2.0)
QUICK = Profile(corpus_bytes=1e6, page_budget=0.7, other_budget=0.3,
                growth_sizes=[30e3, 100e3], growth_budget=4,
                growth_corpora=["disguised-sentences"], cli_budget=1, startup_reps=2,
                path_line=200e3, path_q=100e3, path_groups=10_000, path_timeout=20,
                big_timeout=15, batch_files=200, batch_timeout=30, opencc_reps=1)


# --------------------------------------------------------------------------
# processes


@dataclass
class Proc:
    rc: Optional[int]
    seconds: float
    peak_rss: int             # bytes (ru_maxrss, or the sampled VmHWM if killed)
    killed: str = ""          # "timeout" | "rss" | ""
    stdout: str = ""
    stderr: str = ""


def _vm_hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> List[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


#: GNU time measures the peak RSS of the command it forks from its own tiny
#: process.  Measuring with wait4() on a child of this (large) python would
#: not do: Linux carries the parent's high-water mark over fork/vfork + exec.
TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
RSS_METHOD = ("GNU time's %M (peak RSS of the largest process; VmHWM sampled from /proc if killed)"
              if TIME else "wait4() ru_maxrss (may include this script's own peak)")


def run_proc(cmd, timeout: float, stdout_path=None, capture=True, env=None, rss_cap=None,
             stdin_path=None) -> Proc:
    """Run `cmd`, timing it by the wall clock; kill it (its whole process group)
    at `timeout` seconds or when a process of it passes `rss_cap` bytes of
    resident memory.  Output goes to files (no pipe can fill up): stdout to
    `stdout_path` when given, else captured or discarded."""
    tmp = tempfile.TemporaryDirectory(prefix="zhfix-bench-")
    rss_file = os.path.join(tmp.name, "rss")
    if TIME:
        cmd = [TIME, "-f", "%M", "-o", rss_file] + list(cmd)
    out_f = open(stdout_path, "wb") if stdout_path else (
        open(os.path.join(tmp.name, "out"), "wb") if capture else open(os.devnull, "wb"))
    err_f = open(os.path.join(tmp.name, "err"), "wb")
    in_f = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    killed, peak, n_polls = "", 0, 0
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=out_f, stderr=err_f, stdin=in_f, env=env, start_new_session=True)
    try:
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            elapsed = time.perf_counter() - start
            if pid:
                break
            n_polls += 1
            if elapsed > 0.2 and n_polls % 5 == 0:
                for d in _descendants(p.pid)[1 if TIME else 0:]:
                    peak = max(peak, _vm_hwm(d))
            if not killed and elapsed > timeout:
                killed = "timeout"
            elif not killed and rss_cap and peak > rss_cap:
                killed = "rss"
            if killed:
                os.killpg(p.pid, 9)
                pid, status, usage = os.wait4(p.pid, 0)
                elapsed = time.perf_counter() - start
                break
            time.sleep(0.001 if elapsed < 1 else 0.02)
    except BaseException:
        try:
            os.killpg(p.pid, 9)
        except OSError:
            pass
        raise
    finally:
        out_f.close()
        err_f.close()
        if stdin_path:
            in_f.close()
    rc = os.waitstatus_to_exitcode(status)
    p.returncode = rc
    if TIME:
        try:  # "Command exited with non-zero status N" comes first when it did
            lines = Path(rss_file).read_text().split()
            rc_m = re.search(r"non-zero status (\d+)", Path(rss_file).read_text())
            if rc_m:
                rc = int(rc_m.group(1))
            if lines and lines[-1].isdigit():
                peak = max(peak, int(lines[-1]) * 1024)
        except OSError:
            pass
    else:
        peak = max(peak, usage.ru_maxrss * 1024)
    res = Proc(None if killed else rc, elapsed, peak, killed)
    if capture and not stdout_path:
        res.stdout = Path(tmp.name, "out").read_text(encoding="utf-8", errors="replace")
    res.stderr = Path(tmp.name, "err").read_text(encoding="utf-8", errors="replace")
    tmp.cleanup()
    return res


WARMUP: Optional[Path] = None


def worker(job: dict, timeout: float, rss_cap=None) -> dict:
    """Run one measurement in a fresh python (``run.py --worker``)."""
    job = dict(job, warmup=str(WARMUP))
    p = run_proc([sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(job)],
                 timeout, rss_cap=rss_cap)
    if p.killed:
        return {"error": f"killed ({p.killed}) after {p.seconds:.0f} s", "killed": p.killed,
                "seconds": p.seconds, "peak_rss": p.peak_rss}
    if p.rc != 0:
        return {"error": f"exit {p.rc}: {_tail(p.stderr)}"}
    try:
        out = json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": f"no result: {_tail(p.stderr)}"}
    out["peak_rss"] = p.peak_rss
    return out


def _tail(text: str, n: int = 200) -> str:
    text = " ".join(text.strip().splitlines()[-3:])
    return text[-n:] if text else "(no message)"


def zhfix_cmd() -> List[str]:
    """The zhfix console script of this python (not a shell shim in front of it)."""
    for cand in (Path(sys.executable).parent / "zhfix", shutil.which("zhfix")):
        if cand and Path(cand).exists():
            return [str(cand)]
    return [sys.executable, "-m", "zhfix"]


# --------------------------------------------------------------------------
# the worker side


def _page_fn(name: str):
    if name in ("zhfix", "zhfix-text"):
        import zhfix
        return zhfix.fix_text if name == "zhfix-text" else (lambda t: zhfix.repair(t, explain=False))
    if name == "reimpl":
        import opencc  # opencc-python-reimplemented
        conv = opencc.OpenCC("t2s")
        return conv.convert
    if name == "ftfy":
        import ftfy
        return ftfy.fix_text
    raise ValueError(name)


def run_worker(job: dict) -> dict:
    t = time.perf_counter()
    fn = _page_fn(job["fn"])
    res = {"import_seconds": time.perf_counter() - t}
    # tables and models are loaded by the first calls: not timed
    warmup = Path(job["warmup"]).read_text(encoding="utf-8").split("\f")
    # (warmup[i] is a page of ALL_CORPORA[i]; warmup[0] is the seed page)
    t = time.perf_counter()
    fn(warmup[ALL_CORPORA.index("disguised-sentences")])
    res["first_call_seconds"] = time.perf_counter() - t
    # a page with misread GBK spans, the first time and again: its re-reading
    # scores candidate readings with the word model, then has them cached
    for key in ("misread_first_seconds", "misread_again_seconds"):
        t = time.perf_counter()
        fn(warmup[0])
        res[key] = time.perf_counter() - t
    for w in warmup:
        fn(w)
    if job["kind"] == "pages":
        res["corpora"] = {}
        for name, path in job["files"].items():
            with open(path, encoding="utf-8") as f:
                distinct = [json.loads(line) for line in f]
            # the same loop as OpenCC's (bench/opencc_worker.py): a plain
            # `for page in pages: fn(page)`, here over batches of the pages
            # cycled, with the clock read between batches; and the same
            # statistic: `reps` passes over the corpus's size, the best pass
            # (the mean of all is kept beside it).  A pass is shorter where
            # `reps` of them would not fit the budget, at the rate of a first
            # (untimed) batch.
            batch = (distinct * (1 + 50 // len(distinct)))[:50]
            batch_bytes = sum(len(page.encode()) for page in batch)  # not timed
            t = time.perf_counter()
            for page in batch:
                fn(page)
            probe = max(time.perf_counter() - t, 1e-9)
            reps = job.get("reps", 1)
            pass_bytes = min(job["max_bytes"], max(batch_bytes, batch_bytes / probe * job["budget"] / reps))
            passes = []
            # (and more passes while they have taken under min_seconds, as
            # OpenCC C++'s worker does: a pass of fast text takes a few ms)
            while len(passes) < reps or sum(p[2] for p in passes) < job.get("min_seconds", 0):
                n_bytes = n_pages = 0
                elapsed = 0.0
                while n_bytes < pass_bytes:
                    t = time.perf_counter()
                    for page in batch:
                        fn(page)
                    elapsed += time.perf_counter() - t
                    n_bytes += batch_bytes
                    n_pages += len(batch)
                passes.append((n_bytes, n_pages, elapsed))
            best = max(passes, key=lambda p: p[0] / p[2] if p[2] else float("inf"))
            res["corpora"][name] = {"bytes": sum(p[0] for p in passes), "pages": sum(p[1] for p in passes),
                                    "seconds": sum(p[2] for p in passes), "passes": len(passes),
                                    "best_bytes": best[0], "best_seconds": best[2]}
    elif job["kind"] == "whole":
        with open(job["file"], encoding="utf-8") as f:
            text = f.read()
        # the first call (what a document costs the first time a process
        # meets it: the decisions its characters need are made, then kept),
        # then, for an input under a second, more calls until a second has
        # passed: their mean is its cost once met (not their luckiest call:
        # a 30 ms call moves by 20 % here, and the best of them would be
        # compared with one call of a large input)
        t = time.perf_counter()
        fn(text)
        first = time.perf_counter() - t
        best, total, reps = float("inf"), 0.0, 0
        while first + total < 1.0 and reps < 5000:
            t = time.perf_counter()
            fn(text)
            took = time.perf_counter() - t
            best, total, reps = min(best, took), total + took, reps + 1
        res.update(bytes=len(text.encode()), first_seconds=first, seconds=total / reps if reps else first,
                   best_seconds=best if reps else first, reps=reps + 1)
    return res


# --------------------------------------------------------------------------
# building the inputs


def corpus_key() -> str:
    import hashlib
    h = hashlib.sha256(Path(corpus.__file__).read_bytes())
    h.update(corpus.seed_page().encode())
    return h.hexdigest()[:10]


class Inputs:
    """Corpus files under bench/out/, rebuilt when bench/corpus.py changes."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.dir = OUT / f"corpora-{corpus_key()}"
        for stale in OUT.glob("corpora-*"):  # built by an older bench/corpus.py
            if stale != self.dir and stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._pages: Optional[Dict[str, List[str]]] = None

    def pages(self) -> Dict[str, List[str]]:
        if self._pages is None:
            cache = self.dir / "pages.json"
            if cache.exists():
                self._pages = json.loads(cache.read_text(encoding="utf-8"))
            else:
                self._pages = corpus.build_pages()
                cache.write_text(json.dumps(self._pages, ensure_ascii=False), encoding="utf-8")
        return self._pages

    def pages_file(self, name: str) -> Path:
        path = self.dir / f"pages-{name}.jsonl"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            with open(tmp, "w", encoding="utf-8") as f:
                for p in self.pages()[name]:
                    f.write(json.dumps(p, ensure_ascii=False) + "\n")
            os.replace(tmp, path)
        return path

    def text_file(self, name: str, n_bytes: float) -> Path:
        """The corpus as one file of at least `n_bytes` (pages joined by a blank line)."""
        path = self.dir / f"{name}-{_size_label(n_bytes).replace(' ', '')}.txt"
        if not path.exists():
            corpus.write_corpus(path, corpus.scale(self.pages()[name], int(n_bytes)))
        return path

    def exact_file(self, label: str, text: str) -> Path:
        path = self.dir / f"{label}.txt"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        return path

    def warmup_file(self) -> Path:
        """Pages of every kind, form-feed separated: a worker repairs them
        before it times anything (lazy tables and models get loaded)."""
        path = self.dir / "warmup.txt"
        if not path.exists():
            pages = self.pages()
            text = "\f".join([pages["disguised"][0]] + [pages[n][-1] for n in ALL_CORPORA[1:]])
            path.write_text(text, encoding="utf-8")
        return path

    def prefix_file(self, label: str, name: str, n_bytes: int) -> Path:
        """About the first `n_bytes` of the corpus, cut at a line end."""
        path = self.dir / f"{label}.txt"
        if not path.exists():
            corpus.write_corpus(path, corpus.scale(self.pages()[name], n_bytes + 20000), limit=n_bytes)
        return path


def _size_label(n: float) -> str:
    for unit, scale_ in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= scale_ * 0.9995 or unit == "KB":
            x = n / scale_
            return f"{x:.0f} {unit}" if x >= 99.95 else f"{x:.3g} {unit}"


# --------------------------------------------------------------------------
# the measurements


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def rate(n_bytes, seconds) -> Optional[float]:
    return n_bytes / MB / seconds if seconds and seconds > 0 else None


def measure_library(inp: Inputs, prof: Profile, fn: str, names: List[str], budget: float) -> dict:
    files = {n: str(inp.pages_file(n)) for n in names}
    job = {"kind": "pages", "fn": fn, "files": files, "budget": budget,
           "max_bytes": prof.corpus_bytes, "reps": prof.opencc_reps, "min_seconds": prof.min_pass_seconds}
    timeout = 60 + len(names) * (budget * 3 + 30)
    return worker(job, timeout)


def ensure_venv(prof: Profile) -> dict:
    """The official OpenCC wheel in bench/.venv-opencc (created on first use)."""
    py = VENV / "bin" / "python"
    check = [str(py), "-c", "import opencc, sys; opencc.OpenCC('t2s'); print(getattr(opencc, '__version__', '?'))"]
    if py.exists():
        p = run_proc(check, 60)
        if p.rc == 0:
            return {"python": str(py), "version": p.stdout.strip()}
    log("creating bench/.venv-opencc (pip install opencc)")
    shutil.rmtree(VENV, ignore_errors=True)
    p = run_proc([sys.executable, "-m", "venv", str(VENV)], 300)
    if p.rc != 0:
        return {"error": f"venv: {_tail(p.stderr)}"}
    p = run_proc([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "opencc"], 600)
    if p.rc != 0:
        return {"error": f"pip install opencc: {_tail(p.stderr)}"}
    p = run_proc(check, 60)
    if p.rc != 0:
        return {"error": f"import opencc: {_tail(p.stderr)}"}
    return {"python": str(py), "version": p.stdout.strip()}


def measure_opencc_cpp(inp: Inputs, prof: Profile, names: List[str], venv: dict) -> dict:
    if "error" in venv:
        return {"error": venv["error"]}
    job = {"config": "t2s", "reps": prof.opencc_reps, "min_seconds": prof.min_pass_seconds, "corpora": [
        {"name": n, "pages": str(inp.pages_file(n)), "text": str(inp.text_file(n, prof.corpus_bytes)),
         "bytes": prof.corpus_bytes} for n in names]}
    job_path = inp.dir / "opencc-job.json"
    job_path.write_text(json.dumps(job), encoding="utf-8")
    p = run_proc([venv["python"], str(HERE / "opencc_worker.py"), str(job_path)], 600)
    if p.rc != 0:
        return {"error": f"opencc worker: {p.killed or p.rc}: {_tail(p.stderr)}"}
    return json.loads(p.stdout)


def measure_growth(inp: Inputs, prof: Profile, name: str) -> List[dict]:
    points, last_rate = [], None
    for size in prof.growth_sizes:
        planned, note = size, ""
        if last_rate:
            fits = last_rate * MB * prof.growth_budget * 0.8
            if size > fits:
                size = float(f"{fits:.1g}") if fits < 1e6 else round(fits / 1e6) * 1e6
                note = f"scaled down from {_size_label(planned)} to fit {prof.growth_budget:.0f} s"
                if size < points[-1]["bytes_planned"] * 2:
                    points.append({"bytes_planned": planned, "skipped": True,
                                   "note": f"skipped: {_size_label(planned)} would take "
                                           f"~{planned / MB / last_rate:.0f} s"})
                    break
        path = inp.text_file(name, size)
        log(f"growth {name} {_size_label(size)}")
        r = worker({"kind": "whole", "fn": "zhfix", "file": str(path)}, prof.growth_budget * 3 + 30,
                   rss_cap=prof.rss_cap)
        r.update(bytes_planned=size, note=note, file=path.name)
        if "error" not in r:
            r["mbps"] = rate(r["bytes"], r["seconds"])
            last_rate = r["mbps"]
        points.append(r)
        if "error" in r:
            break
    return points


def measure_cli(inp: Inputs, prof: Profile, lib: dict) -> dict:
    z = zhfix_cmd()
    res = {"command": " ".join(z), "throughput": {}, "startup": {}}
    for name in MAIN_CORPORA:
        r = (lib.get("corpora") or {}).get(name)
        mbps = rate(r["bytes"], r["seconds"]) if r else 0.5
        size = min(prof.corpus_bytes, max(50e3, mbps * MB * prof.cli_budget))
        size = float(f"{size:.1g}")
        path = inp.prefix_file(f"cli-{name}-{_size_label(size).replace(' ', '')}", name, int(size))
        n_bytes = path.stat().st_size
        log(f"cli {name} {_size_label(n_bytes)}")
        p = run_proc(z + ["--max-size", "0", str(path)], prof.cli_budget * 6 + 30, stdout_path=os.devnull)
        entry = {"file": path.name, "bytes": n_bytes, "seconds": p.seconds, "peak_rss": p.peak_rss}
        if p.rc != 0:
            entry["error"] = f"{p.killed or 'exit ' + str(p.rc)}: {_tail(p.stderr)}"
        else:
            entry["mbps"] = rate(n_bytes, p.seconds)
        res["throughput"][name] = entry
    clean = inp.prefix_file("clean_10KB", "clean-simplified", 10_000)
    damaged = inp.prefix_file("damaged_10KB", "disguised", 10_000)
    sentences = inp.prefix_file("disguised-sentences_10KB", "disguised-sentences", 10_000)
    # as installed: byte-compiled (pip writes .pyc files; a session's
    # PYTHONDONTWRITEBYTECODE would recompile every module on every start), and
    # after one untimed run (which builds the user cache's index of jieba's
    # dictionary on a machine's first damaged page)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for label, args in (("--version", ["--version"]), ("clean_10KB.txt", [str(clean)]),
                        ("damaged_10KB.txt", [str(damaged)]),
                        ("disguised-sentences_10KB.txt", [str(sentences)])):
        times, err = [], ""
        run_proc(z + args, 60, stdout_path=os.devnull, env=env)
        for _ in range(prof.startup_reps):
            p = run_proc(z + args, 60, stdout_path=os.devnull, env=env)
            if p.rc != 0:
                err = f"{p.killed or 'exit ' + str(p.rc)}: {_tail(p.stderr)}"
                break
            times.append(p.seconds)
        res["startup"][label] = {"best": min(times) if times else None, "all": times, "error": err}
    return res


def pathological_inputs(inp: Inputs, prof: Profile) -> Dict[str, str]:
    pages = inp.pages()
    line = "".join(corpus.scale(pages["clean-simplified"], int(prof.path_line))).replace("\n", "")
    line = line.encode()[:int(prof.path_line)].decode("utf-8", "ignore")
    chars = "網區發業創聯現協醫監"
    groups = "".join(chars[i % len(chars)] + "(abc)" for i in range(prof.path_groups))
    return {
        f"single line, {_size_label(prof.path_line)}": line,
        f"`?` x {_size_label(prof.path_q)}": "?" * int(prof.path_q),
        f"{prof.path_groups:,} `字(abc)` groups": groups,
        "every CJK U+4E00-U+9FFF once": "".join(map(chr, range(0x4E00, 0xA000))),
    }


#: Normal text for the pathological cases: the clean sentences (the single
#: line's source, with its line breaks) and the same sentences disguised.
PATH_REFERENCES = ["clean-simplified", "disguised-sentences"]


def _first_spm(r: dict):
    """A whole-document measurement's first call, in seconds per MB (None if none)."""
    first = r.get("first_seconds")
    return first / (r["bytes"] / MB) if first is not None and r.get("bytes") else None


#: How a whole document is timed (the growth and pathological tables say it).
WHOLE_PROTOCOL = (
    "Each document is timed the same way, in its own process after the warm-up pages: its first "
    "call, and, if that took under a second, more calls until a second has passed; "
    "the figure is the mean of those later calls (its cost once met), else the first call (a "
    "document of 10 MB or more: what it first costs is spread over its size).  The "
    "first call is shown apart, and the best call beside the mean (on a 30 ms input the best is "
    "up to 20 % faster than the mean, this machine's noise: comparing it with one call of a "
    "large input would measure the noise).")


def measure_pathological(inp: Inputs, prof: Profile) -> dict:
    res = {"references": {}, "cases": {}}
    spm = {}
    for name in PATH_REFERENCES:
        ref_path = inp.text_file(name, prof.path_line)
        log(f"pathological: normal text {ref_path.name}")
        ref = worker({"kind": "whole", "fn": "zhfix", "file": str(ref_path)}, prof.path_timeout,
                     rss_cap=prof.rss_cap)
        ref["file"] = ref_path.name
        if "error" not in ref:
            ref["seconds_per_mb"] = spm[name] = ref["seconds"] / (ref["bytes"] / MB)
        res["references"][name] = ref
    for i, (label, text) in enumerate(pathological_inputs(inp, prof).items()):
        path = inp.exact_file(f"pathological-{i}-{len(text)}", text)
        log(f"pathological: {label}")
        r = worker({"kind": "whole", "fn": "zhfix", "file": str(path)},
                   prof.path_timeout, rss_cap=prof.rss_cap)
        if "error" not in r:
            r["seconds_per_mb"] = r["seconds"] / (r["bytes"] / MB)
            r["relative"] = {name: r["seconds_per_mb"] / v for name, v in spm.items() if v}
        res["cases"][label] = r
    return res


def measure_memory(inp: Inputs, prof: Profile, gb: float, keep: bool) -> dict:
    size = gb * 1e9
    path = inp.text_file("clean-simplified", size)
    log(f"memory: zhfix on {_size_label(size)} (timeout {prof.big_timeout:.0f} s)")
    p = run_proc(zhfix_cmd() + ["--max-size", "0", str(path)], prof.big_timeout, stdout_path=os.devnull,
                 rss_cap=prof.rss_cap)
    res = {"file": path.name, "bytes": path.stat().st_size, "seconds": p.seconds,
           "peak_rss": p.peak_rss, "finished": p.rc == 0, "killed": p.killed,
           "method": RSS_METHOD}
    if p.rc not in (0, None):
        res["error"] = f"exit {p.rc}: {_tail(p.stderr)}"
    if not keep and size >= 1e8:
        path.unlink(missing_ok=True)
    return res


def build_batch_tree(inp: Inputs, prof: Profile) -> Path:
    root = inp.dir / f"batch-{prof.batch_files}"
    done = root / ".complete"
    if done.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    pages = inp.pages()
    rng = random.Random(1)
    kinds = [("clean-simplified", 0.8), ("traditional", 0.1), ("disguised-sentences", 0.1)]
    for i in range(prof.batch_files):
        kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        page = rng.choice(pages[kind])
        n_chars = rng.randint(1000, 3000) // 3
        start = rng.randint(0, max(0, len(page) - n_chars))
        d = root / f"d{i // 100:03d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i:05d}.txt").write_text(page[start:start + n_chars] + "\n", encoding="utf-8")
    done.touch()
    return root


_VERBS = re.compile(r"^(would repair|unchanged|cached|skipped|error|repaired|lossy)", re.M)


def measure_batch(inp: Inputs, prof: Profile) -> dict:
    root = build_batch_tree(inp, prof)
    n = prof.batch_files
    n_bytes = sum(f.stat().st_size for f in root.rglob("*.txt"))
    cache_dir = tempfile.mkdtemp(prefix="zhfix-bench-cache-")
    env = dict(os.environ, ZHFIX_CACHE_DIR=cache_dir)
    # the tables zhfix keeps in the user cache directory (the class table,
    # t2s's, the index of jieba's dictionary: built once on a machine, ~1.5 s)
    # are built before the timed runs by one untimed run on a disguised file;
    # "no cache" is zhfix's cache of files found clean (--no-cache)
    warm = Path(tempfile.mkdtemp(prefix="zhfix-bench-warm-")) / "disguised.txt"
    warm.write_text(inp.pages()["disguised-sentences"][0], encoding="utf-8")
    run_proc(zhfix_cmd() + ["--check", str(warm)], 120, env=env)
    shutil.rmtree(warm.parent, ignore_errors=True)
    runs = [
        ("--check --jobs 1 (no cache)", ["--check", "-v", "--no-cache", "--jobs", "1"]),
        ("--check --jobs 2 (empty cache)", ["--check", "-v", "--jobs", "2"]),
        ("--check --jobs 2 (cached: second run)", ["--check", "-v", "--jobs", "2"]),
    ]
    res = {"files": n, "bytes": n_bytes, "mix": "80% clean simplified, 10% traditional, "
           "10% disguised sentences; 1-3 KB each", "runs": {}}
    for label, args in runs:
        log(f"batch: {label}")
        p = run_proc(zhfix_cmd() + args + [str(root)], prof.batch_timeout, env=env)
        entry = {"seconds": p.seconds, "peak_rss": p.peak_rss}
        if p.killed:
            done = len(_VERBS.findall(p.stderr))
            entry.update(error=f"timed out after {p.seconds:.0f} s with {done} files reported",
                         files_per_s=done / p.seconds, partial=True)
        elif p.rc not in (0, 1):
            entry["error"] = f"exit {p.rc}: {_tail(p.stderr)}"
        else:
            entry["files_per_s"] = n / p.seconds
        res["runs"][label] = entry
    shutil.rmtree(cache_dir, ignore_errors=True)
    return res


# --------------------------------------------------------------------------
# facts and the report


def machine_facts(venv: dict) -> dict:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    import importlib.metadata as md
    import zhfix

    def ver(dist):
        try:
            return md.version(dist)
        except md.PackageNotFoundError:
            return "not installed"
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable, "memory": mem,
        "python": platform.python_version(), "platform": platform.platform(),
        "zhfix": zhfix.__version__, "zhfix_commit": commit,
        "opencc_cpp": venv.get("version") or venv.get("error") or "n/a",
        "opencc_python_reimplemented": ver("opencc-python-reimplemented"),
        "ftfy": ver("ftfy"), "jieba": ver("jieba"),
        "load_average_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def fmt_rate(x) -> str:
    if x is None:
        return "n/a"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 0.1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def fmt_ratio(x) -> str:
    if x is None:
        return "n/a"
    return f"{x:.2f}×" if x >= 0.1 else f"{x:.2g}×"


def fmt_s(x) -> str:
    if x is None:
        return "n/a"
    return f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def fmt_mem(b) -> str:
    return f"{b / 2**20:.0f} MiB" if b else "n/a"


def _lib_rate(section: dict, name: str, mean: bool = False):
    """MB/s of the best pass (as OpenCC C++ is measured), or the mean of all."""
    r = (section.get("corpora") or {}).get(name)
    if not r:
        return None
    if mean or "best_seconds" not in r:
        return rate(r["bytes"], r["seconds"])
    return rate(r["best_bytes"], r["best_seconds"])


def _by(factor: float, what: str) -> str:
    """How far off a target is: "12 % too slow" below 2×, else "3.4× too slow"."""
    return f"{(factor - 1) * 100:.0f} % {what}" if factor < 2 else f"{factor:.1f}× {what}"


def targets(R: dict) -> List[dict]:
    """The issue's targets, each met or short (and by how much)."""
    out = []

    def add(what, target, actual, ok, short_by, note=""):
        status = "n/a" if ok is None else ("met" if ok else f"short: {short_by}")
        out.append({"target": what, "goal": target, "actual": actual, "status": status, "note": note})

    lib, cpp = R["library"], R.get("opencc_cpp", {})
    # disguised pages: repair() (the text and its explanation); the clean-text
    # check: fix_text(), which returns clean text itself, untouched (repair()
    # builds a Result around it: its ratio is in the note)
    for corpus_name, goal, label, judged in (
            ("disguised", 0.5, "disguised end to end vs OpenCC C++ t2s", "repair"),
            ("clean-simplified", 5.0, "clean-text check (simplified) vs OpenCC C++ t2s", "fix_text"),
            ("traditional", 5.0, "clean-text check (genuine traditional) vs OpenCC C++ t2s", "fix_text"),
            ("english-code", 5.0, "clean-text check (English, code) vs OpenCC C++ t2s", "fix_text")):
        c = (cpp.get("corpora") or {}).get(corpus_name)
        o = rate(c["pages_bytes"], c["pages_seconds"]) if c else None
        rates = {"repair": _lib_rate(lib, corpus_name),
                 "fix_text": _lib_rate(R.get("library_text", {}), corpus_name)}
        z = rates[judged]
        ratio = z / o if z and o else None
        other = "fix_text" if judged == "repair" else "repair"
        note = f"per page, one core; {judged}()"
        if rates[other] and o:
            note += f" ({other}(): {fmt_ratio(rates[other] / o)})"
        add(label, f"≥ {goal}×", fmt_ratio(ratio) + (f" ({fmt_rate(z)} vs {fmt_rate(o)} MB/s)" if ratio else ""),
            None if ratio is None else ratio >= goal,
            _by(goal / ratio, "too slow") if ratio else "", note)
    st = R["cli"]["startup"]
    for label, goal in (("--version", 0.100), ("clean_10KB.txt", 0.150), ("damaged_10KB.txt", 0.300)):
        best = st.get(label, {}).get("best")
        add(f"zhfix {label}", f"≤ {goal * 1000:.0f} ms", fmt_s(best),
            None if best is None else best <= goal,
            _by(best / goal, "over") + f" (+{(best - goal) * 1000:.0f} ms)" if best else "")
    for name, pts in R["growth"].items():
        ok_pts = [p for p in pts if p.get("mbps")]
        if len(ok_pts) >= 2:
            rates = [p["mbps"] for p in ok_pts]
            # the worst fall from any size to any larger one
            drop = max(max(0.0, 1 - rates[j] / rates[i]) for i in range(len(rates))
                       for j in range(i + 1, len(rates)))
            span = f"{_size_label(ok_pts[0]['bytes'])} → {_size_label(ok_pts[-1]['bytes'])}"
            add(f"growth ({name}, {span})", "MB/s within 20 %",
                f"largest vs smallest {(rates[-1] / rates[0] - 1) * 100:+.0f} %; worst fall {drop * 100:.0f} %",
                drop <= 0.20, f"MB/s falls {drop * 100:.0f} %")
        else:
            err = next((p.get("error") for p in pts if p.get("error")), "too few points")
            add(f"growth ({name})", "MB/s within 20 %", "n/a", None, "", err)
    path = R["pathological"]["cases"]
    blown = [k for k, c in path.items() if c.get("error")]
    if blown:
        add("pathological inputs", "≤ 3× normal text per MB", "blow-up: " + ", ".join(blown), False, "did not finish")
    else:
        for ref in PATH_REFERENCES:
            rel = {k: (c.get("relative") or {}).get(ref) for k, c in path.items()}
            if rel and all(v is not None for v in rel.values()):
                worst_case = max(rel, key=rel.get)
                worst = rel[worst_case]
                # clean text stops after one scan: beside it, any input that
                # needs a stage at all is "pathological"; the target is judged
                # against text that runs the stages (the note says which)
                judged = ref != "clean-simplified"
                # (the first call of each, beside the reference's first call)
                ref_first = _first_spm(R["pathological"]["references"].get(ref, {}))
                firsts = {k: _first_spm(c) / ref_first for k, c in path.items()
                          if _first_spm(c) is not None and ref_first}
                first_note = ""
                if firsts and judged:
                    fk = max(firsts, key=firsts.get)
                    first_note = (f"; first calls: worst {firsts[fk]:.1f}× ({fk}: its context-decided "
                                  f"characters are all decided for the first time, then kept)")
                add(f"pathological inputs vs {ref}", "≤ 3× normal text per MB",
                    f"worst {worst:.2f}× ({worst_case}), once met{first_note}", (worst <= 3) if judged else None,
                    _by(worst / 3, "over"),
                    "" if judged else "reference only: clean text does no work past one C scan")
    mem = R["memory"]
    peak = mem.get("peak_rss")
    ok = mem.get("finished") and peak is not None and peak <= 300 * 2**20
    add(f"{_size_label(mem['bytes'])} file streams", "≤ 300 MB RSS",
        f"{fmt_mem(peak)}" + ("" if mem.get("finished") else f" (not finished: {mem.get('killed') or mem.get('error')} "
                                                          f"after {mem['seconds']:.0f} s)"),
        ok, _by(peak / (300 * 2**20), "over") if peak else "did not run")
    b = R["batch"]
    if "runs" in b:
        r2 = b["runs"].get("--check --jobs 2 (empty cache)", {})
        fps = r2.get("files_per_s")
        add(f"{b['files']:,} files on 2 cores", "≥ 2000 files/s",
            "n/a" if fps is None else f"{fps:.0f} files/s" + (" (partial)" if r2.get("partial") else ""),
            None if fps is None else (fps >= 2000 and not r2.get("error")),
            _by(2000 / fps, "too slow") if fps else r2.get("error", ""))
    return out


def markdown(R: dict) -> str:
    F, L = R["facts"], []
    w = L.append
    w(f"## zhfix benchmark ({R['mode']} run, {F['date']})\n")
    w(f"Machine: {F['cpu']}, {F['cores']} cores ({F['usable_cores']} usable), {F['memory']} RAM; "
      f"Python {F['python']}; zhfix {F['zhfix']} ({F['zhfix_commit']}"
      + (f", HEAD moved to {F['zhfix_commit_at_end']} during the run" if F.get('zhfix_commit_at_end', F['zhfix_commit']) != F['zhfix_commit'] else "")
      + f"); OpenCC C++ {F['opencc_cpp']}; "
      f"opencc-python-reimplemented {F['opencc_python_reimplemented']}; ftfy {F['ftfy']}; "
      f"load average (1, 5, 15 min) at start {F['load_average_at_start']}, at end "
      f"{F.get('load_average_at_end', '?')} (other work on the machine shows here).\n")
    w("MB = 10^6 bytes of UTF-8 input; one core unless said.\n")

    w("### Throughput per page (~5 KB documents), MB/s\n")
    w("| corpus | zhfix.repair | zhfix.fix_text | mean of the passes (repair / fix_text) | measured on | OpenCC C++ t2s per page | OpenCC C++ t2s whole | "
      "repair ÷ OpenCC C++ | fix_text ÷ OpenCC C++ | opencc-python-reimplemented t2s | ftfy.fix_text |")
    w("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    lib, cpp = R["library"], R.get("opencc_cpp", {})
    for name in ALL_CORPORA:
        z = _lib_rate(lib, name)
        zt = _lib_rate(R.get("library_text", {}), name)
        zr = (lib.get("corpora") or {}).get(name)
        c = (cpp.get("corpora") or {}).get(name)
        cp = rate(c["pages_bytes"], c["pages_seconds"]) if c else None
        cw = rate(c["whole_bytes"], c["whole_seconds"]) if c else None
        measured = (f"{zr['bytes'] / MB:.2f} MB, {zr['pages']} pages"
                    + (f" in {zr['passes']} pass{'es' if zr['passes'] > 1 else ''}" if zr.get("passes") else "")) if zr else lib.get("error", "n/a")
        cpp_cell = fmt_rate(cp) if c else ("n/a" if name in MAIN_CORPORA else "–")
        if not c and name in MAIN_CORPORA and cpp.get("error"):
            cpp_cell = "n/a"
        zm, ztm = _lib_rate(lib, name, mean=True), _lib_rate(R.get("library_text", {}), name, mean=True)
        w(f"| {name} | {fmt_rate(z)} | {fmt_rate(zt)} | {fmt_rate(zm)} / {fmt_rate(ztm)} | {measured} | {cpp_cell} | {fmt_rate(cw) if c else cpp_cell} | "
          f"{fmt_ratio(z / cp) if z and cp else 'n/a'} | {fmt_ratio(zt / cp) if zt and cp else 'n/a'} | "
          f"{fmt_rate(_lib_rate(R['reimpl'], name))} | {fmt_rate(_lib_rate(R['ftfy'], name))} |")
    w("")
    notes = [f"{k}: {v}" for k, v in CORPUS_NOTES.items()]
    w("Corpora: " + "; ".join(notes) + ".")
    if cpp.get("error"):
        w(f"OpenCC C++: n/a ({cpp['error']}).")
    else:
        some = next(iter((cpp.get("corpora") or {}).values()), None)
        if some:
            more = R["profile"].get("min_pass_seconds")
            w(f"Each converter makes {R['profile']['opencc_reps']} passes over the pages of a corpus "
              f"({some['pages_bytes'] / MB:.0f} MB each)"
              + (f", and more while its passes have taken under {more:g} s (a pass of clean text takes "
                 f"milliseconds: a moment's noise would be all of it)" if more else "")
              + f", and its figure is the best pass, OpenCC C++'s and "
              f"zhfix's alike (zhfix's mean over its passes beside it; the ratios are best to best); a "
              f"pass is shorter where {R['profile']['opencc_reps']} of them would not fit a time budget "
              f"({R['profile']['page_budget']:g} s for zhfix.repair, half that for fix_text, "
              f"{R['profile']['other_budget']:g} s for opencc-python-reimplemented and ftfy): \"measured "
              f"on\" says how much zhfix got through.  OpenCC C++ also converts each corpus whole.")
    if lib.get("first_call_seconds") is not None:
        w(f"zhfix's first call in a process (a disguised page: loads tables and the word model): "
          f"{fmt_s(lib['first_call_seconds'])}; `import zhfix`: {fmt_s(lib.get('import_seconds'))}.")
    if lib.get("misread_first_seconds") is not None:
        w(f"A page with misread GBK spans costs more the first time it is seen: the seed page took "
          f"{fmt_s(lib['misread_first_seconds'])} at its first repair in a process (the part of jieba's "
          f"dictionary its candidate readings need is read, the readings scored) and "
          f"{fmt_s(lib['misread_again_seconds'])} the next time (scores cached).  The disguised corpora "
          f"repeat the seed page, so their figures are of the second kind; bench/RESULTS.md measures "
          f"the cost of a page whose readings are new to a process that has the dictionary part.")
    w("")

    w("### One document, growing (zhfix.repair on the whole corpus)\n")
    w("| corpus | size | seconds (a call) | MB/s | calls | MB/s of the first call | MB/s of the best call | peak RSS | note |")
    w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, pts in R["growth"].items():
        for p in pts:
            if p.get("skipped"):
                w(f"| {name} | {_size_label(p['bytes_planned'])} | – | – | – | – | – | – | {p['note']} |")
            elif p.get("error"):
                w(f"| {name} | {_size_label(p['bytes_planned'])} | n/a | n/a | – | – | – | "
                  f"{fmt_mem(p.get('peak_rss'))} | {p['error']} |")
            else:
                best, first = p.get("best_seconds"), p.get("first_seconds")
                w(f"| {name} | {_size_label(p['bytes'])} | {fmt_s(p['seconds'])} | {fmt_rate(p['mbps'])} | "
                  f"{p.get('reps', 1)} | {fmt_rate(rate(p['bytes'], first)) if first else '–'} | "
                  f"{fmt_rate(rate(p['bytes'], best)) if best else '–'} | "
                  f"{fmt_mem(p.get('peak_rss'))} | {p.get('note', '')} |")
    w("")
    w(WHOLE_PROTOCOL + "\n")

    cli = R["cli"]
    w(f"### CLI (`{cli['command']} FILE > /dev/null`, wall clock incl. start-up)\n")
    w("| input | size | time | MB/s | peak RSS |")
    w("| --- | ---: | ---: | ---: | ---: |")
    for name, e in cli["throughput"].items():
        w(f"| {name} | {_size_label(e['bytes'])} | {fmt_s(e['seconds'])} | "
          f"{fmt_rate(e.get('mbps')) if not e.get('error') else 'n/a: ' + e['error']} | {fmt_mem(e.get('peak_rss'))} |")
    for label, e in cli["startup"].items():
        best = "n/a: " + e["error"] if e.get("error") else f"best of {len(e['all'])}: {fmt_s(e['best'])}"
        w(f"| `zhfix {label}` | | {best} | | |")
    w("")
    w("damaged_10KB.txt: the seed page then disguised sentences (the start of the disguised corpus); "
      "disguised-sentences_10KB.txt: disguised sentences only (no misread GBK); clean_10KB.txt: clean "
      "simplified.  The console script is run directly (a version manager's shim in front of it adds "
      "its own start-up).\n")

    P = R["pathological"]
    w("### Pathological inputs (one document each, in a process with a timeout)\n")
    w("| input | size | seconds (a call) | s/MB | " + " | ".join(f"× {n}" for n in PATH_REFERENCES)
      + " | s/MB of the first call |")
    w("| --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in PATH_REFERENCES) + " | ---: |")

    def first_spm(c):
        spm = _first_spm(c)
        return f"{spm:.3f}" if spm is not None else "–"

    for name, ref in P["references"].items():
        if ref.get("error"):
            w(f"| normal: {ref['file']} | | n/a: {ref['error']} | | " + " | ".join("" for _ in PATH_REFERENCES)
              + " | |")
        else:
            w(f"| normal: {ref['file']} | {_size_label(ref['bytes'])} | {ref['seconds']:.2f} | "
              f"{ref['seconds_per_mb']:.3f} | " + " | ".join(
                  "1×" if n == name else "" for n in PATH_REFERENCES) + f" | {first_spm(ref)} |")
    for label, c in P["cases"].items():
        if c.get("error"):
            w(f"| {label} | | n/a: {c['error']} | | " + " | ".join("blow-up" for _ in PATH_REFERENCES) + " | |")
        else:
            rel = c.get("relative") or {}
            w(f"| {label} | {_size_label(c['bytes'])} | {c['seconds']:.3f} | {c['seconds_per_mb']:.3f} | "
              + " | ".join(f"{rel[n]:.2f}×" if n in rel else "n/a" for n in PATH_REFERENCES)
              + f" | {first_spm(c)} |")
    w("")
    w(WHOLE_PROTOCOL + "  Every CJK character once is the input whose first call costs most "
      "beside its later ones: each of its ~2,700 characters decided in context is decided "
      "for the first time (the word model's look-ups), then kept.\n")

    m = R["memory"]
    w("### Memory (`zhfix --max-size 0 BIG.txt > /dev/null`)\n")
    w("| file | finished | time | peak RSS |")
    w("| --- | --- | ---: | ---: |")
    fin = "yes" if m.get("finished") else f"no ({m.get('killed') or m.get('error')})"
    w(f"| {m['file']} ({_size_label(m['bytes'])}) | {fin} | {fmt_s(m['seconds'])} | {fmt_mem(m['peak_rss'])} |")
    w("")

    b = R["batch"]
    w("### Batch of small files\n")
    if "runs" not in b:
        w(f"n/a: {b.get('error')}\n")
    else:
        w(f"{b['files']:,} files ({b['bytes'] / MB:.1f} MB; {b['mix']}), `zhfix --check -v DIR`:\n")
        w("| run | time | files/s | peak RSS |")
        w("| --- | ---: | ---: | ---: |")
        for label, e in b["runs"].items():
            fps = e.get("files_per_s")
            cell = (f"{fps:.0f}" if fps is not None else "n/a") + (f" (n/a: {e['error']})" if e.get("error") else "")
            w(f"| {label} | {fmt_s(e['seconds'])} | {cell} | {fmt_mem(e.get('peak_rss'))} |")
        w("")
        w("Each run starts with the tables zhfix keeps in its cache directory already built (one "
          "untimed run on a disguised file before them: a machine builds them once, ~1.5 s); \"no "
          "cache\" is without zhfix's cache of the files it found clean (`--no-cache`).\n")

    if R.get("distinct"):
        w("### Distinct pages: first sight and repeated (bench/distinct.py)\n")
        d = R["distinct"]
        if "error" in d:
            w(f"n/a: {d['error']}\n")
        else:
            import distinct
            w(distinct.markdown(d) + "\n")

    w("### Targets (the issue's)\n")
    w("| target | goal | measured | status |")
    w("| --- | --- | --- | --- |")
    for t in R["targets"]:
        w(f"| {t['target']} | {t['goal']} | {t['actual']} | {t['status']}{' (' + t['note'] + ')' if t['note'] else ''} |")
    w("")
    w(f"Total run time: {R['total_seconds']:.0f} s.")
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------


def profile(name: str, top: int) -> int:
    """What `python -m cProfile -s cumtime` says about repairing the pages of
    one corpus (tables and models loaded before, by a warm-up)."""
    import cProfile
    import io
    import pstats

    import zhfix

    inp = Inputs(QUICK)
    pages = inp.pages()[name]
    for w in inp.warmup_file().read_text(encoding="utf-8").split("\f"):
        zhfix.repair(w, explain=False)
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    for page in pages:
        zhfix.repair(page, explain=False)
    prof.disable()
    took = time.perf_counter() - t
    n_bytes = sum(len(p.encode()) for p in pages)
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    text = out.getvalue()
    text = text[text.index("   ncalls"):] if "   ncalls" in text else text
    print(f"{name}: {len(pages)} distinct pages, {n_bytes / MB:.2f} MB, {took:.2f} s under the "
          f"profiler ({rate(n_bytes, took):.3g} MB/s with its overhead)\n")
    print(text.rstrip().replace(str(REPO) + "/src/", "").replace(os.path.dirname(os.__file__) + "/", ""))
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small corpora and budgets (CI; < 60 s)")
    ap.add_argument("--no-venv", action="store_true", help="skip the OpenCC C++ venv (its columns are n/a)")
    ap.add_argument("--big-gb", type=float, default=None,
                    help="size of the memory test file in GB (default 1.0; 0.02 with --quick)")
    ap.add_argument("--keep-big", action="store_true", help="keep the big memory test file in bench/out/")
    ap.add_argument("--profile", metavar="CORPUS", choices=ALL_CORPORA,
                    help="instead: cProfile zhfix.repair per page on CORPUS (its distinct pages, "
                         "after a warm-up) and print the top lines by cumulative time")
    ap.add_argument("--top", type=int, default=15, help="lines of --profile output (default 15)")
    ap.add_argument("--no-distinct", action="store_true",
                    help="skip the corpora of distinct pages (bench/distinct.py, ~3 min)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(run_worker(json.loads(args.worker))))
        return 0
    if args.profile:
        return profile(args.profile, args.top)

    t0 = time.perf_counter()
    prof = QUICK if args.quick else FULL
    big_gb = args.big_gb if args.big_gb is not None else (0.02 if args.quick else 1.0)
    OUT.mkdir(parents=True, exist_ok=True)
    inp = Inputs(prof)
    log("building corpora")
    global WARMUP
    WARMUP = inp.warmup_file()
    R: dict = {"mode": "quick" if args.quick else "full", "profile": prof.__dict__}

    venv = {"error": "skipped (--no-venv)"} if args.no_venv else ensure_venv(prof)
    R["facts"] = machine_facts(venv)

    log("OpenCC C++ t2s")
    R["opencc_cpp"] = measure_opencc_cpp(inp, prof, ALL_CORPORA, venv)
    log("zhfix library, per page")
    R["library"] = measure_library(inp, prof, "zhfix", ALL_CORPORA, prof.page_budget)
    log("zhfix library, fix_text per page")
    R["library_text"] = measure_library(inp, prof, "zhfix-text", ALL_CORPORA, prof.page_budget / 2)
    log("opencc-python-reimplemented, per page")
    R["reimpl"] = measure_library(inp, prof, "reimpl", ALL_CORPORA, prof.other_budget)
    log("ftfy.fix_text, per page")
    R["ftfy"] = measure_library(inp, prof, "ftfy", ALL_CORPORA, prof.other_budget)
    R["growth"] = {name: measure_growth(inp, prof, name) for name in prof.growth_corpora}
    R["cli"] = measure_cli(inp, prof, R["library"])
    R["pathological"] = measure_pathological(inp, prof)
    R["memory"] = measure_memory(inp, prof, big_gb, args.keep_big)
    try:
        R["batch"] = measure_batch(inp, prof)
    except Exception as e:  # the batch CLI is young: report, do not crash
        R["batch"] = {"error": f"{type(e).__name__}: {e}"}
    if not args.no_venv and not args.no_distinct:
        log("distinct pages, first sight and repeated (bench/distinct.py)")
        dest = OUT / "distinct.json"
        p = run_proc([sys.executable, str(HERE / "distinct.py"), "--out", str(dest)]
                     + (["--quick", "--rounds", "1"] if args.quick else []), 3600)
        R["distinct"] = (json.loads(dest.read_text(encoding="utf-8")) if p.rc == 0
                         else {"error": f"{p.killed or p.rc}: {_tail(p.stderr)}"})
    R["total_seconds"] = time.perf_counter() - t0
    R["facts"]["load_average_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    R["facts"]["zhfix_commit_at_end"] = machine_facts({})["zhfix_commit"]
    R["targets"] = targets(R)
    md = markdown(R)
    print(md)
    (OUT / "results.md").write_text(md, encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps(R, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    log(f"wrote {OUT / 'results.md'} and results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
