"""Throughput of zhfix as a datatrove step (zhfix.integrations.datatrove).

    python bench/datatrove_bench.py                    # 20k records of ~2 KB, 1 worker and all cores
    python bench/datatrove_bench.py --records 5000 --workers 1 2 4

Writes JSONL shards of synthetic records (by default 70 % clean simplified,
15 % genuine traditional, 15 % disguised: s2t + ASCII commas + pinyin
annotations; each record its own random draw of sentences), then for each
worker count runs

    JsonlReader -> ZhfixRepair -> JsonlWriter      (LocalPipelineExecutor)

and prints documents/s and MB/s of input text (UTF-8) on stdout, by the wall
clock of the whole run (process start-up, reading, writing included; each run in
a fresh interpreter, so nothing is cached from the previous one), plus the
same pipeline without the zhfix step as the I/O floor, and the time the step
itself spent (datatrove's per-step time stats, summed over tasks) and the CPU
time of the whole run (all its processes): on a machine shared with other work,
wall clock understates what the cores can do, CPU time does not.  datatrove
logs to stderr: ``2>/dev/null`` for the table alone.

``--distinct`` takes no synthetic record: every record is a different real
page, as in a crawl (issue 15), from bench/distinct.py's corpora: the clean
simplified pages of tldr ``pages.zh``, its genuine traditional ``pages.zh_TW``,
and ``pages.zh`` disguised as a mirror does (1 in 4 of the pages of 400-700
bytes with a span read one GBK byte out of step), drawn without repeats in
the proportions of ``--mix`` (as many records as the scarcest kind allows);
needs ../shared/corpora (or ``ZHFIX_CORPORA``).

Needs ``pip install 'zhfix[datatrove]'`` (datatrove, orjson) and opencc.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

SIMPLIFIED = [
    "今年春天，城市图书馆延长了开放时间，周末也可以借书。",
    "研究人员发现，适量运动有助于改善睡眠质量。",
    "这家工厂去年引进了新的生产线，产量提高了三成。",
    "市民可以通过手机应用查询公交车的实时位置。",
    "专家提醒，夏季高温天气要注意防暑降温。",
    "学校组织学生参观科技馆，了解人工智能的发展历史。",
    "农民们正在抓紧时间收割小麦，预计产量比去年增加。",
    "新开通的地铁线路连接了机场和火车站。",
    "这部电影讲述了一个普通家庭在大城市打拼的故事。",
    "环保部门加强了对河流水质的监测工作。",
    "越来越多的年轻人选择在网上购买日常用品。",
    "医院推出了预约挂号服务，减少了患者排队的时间。",
    "博物馆新展出了一批出土文物，吸引了大量游客。",
    "社区为老年人开设了免费的电脑培训课程。",
]
TRADITIONAL = [
    "臺北市政府今天宣布，捷運新路線將於明年底正式通車。",
    "這間咖啡廳的甜點很受歡迎，週末常常大排長龍。",
    "颱風即將登陸，氣象局呼籲民眾做好防颱準備。",
    "他在大學主修資訊工程，畢業後到軟體公司上班。",
    "夜市裡的小吃種類繁多，觀光客都讚不絕口。",
    "圖書館週一休館，其餘時間開放到晚上九點。",
]


def sentences():
    """(simplified, traditional) sentence lists: ours above, plus the synthetic
    fixtures' sentences and their Taiwan-style conversion (OpenCC s2twp) when
    the repository is at hand."""
    import opencc

    simplified, traditional = list(SIMPLIFIED), list(TRADITIONAL)
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "synthetic" / "sentences.py"
    if fixtures.exists():
        import runpy

        more = runpy.run_path(str(fixtures)).get("SENTENCES", [])
        simplified += more
        traditional += [opencc.OpenCC("s2twp").convert(x) for x in more]
    return simplified, traditional


def make_text(kind: str, size: int, rng: random.Random, s2t, simplified, traditional) -> str:
    from pypinyin import Style, pinyin

    src = traditional if kind == "traditional" else simplified
    lines, n = [], 0
    while n < size:
        line = "".join(rng.choice(src) for _ in range(rng.randint(2, 5)))
        lines.append(line)
        n += len(line.encode()) + 1
    text = "\n".join(lines)
    if kind != "disguised":
        return text
    out = []
    for simp, trad in zip(text, s2t.convert(text)):
        if trad == "，":
            out.append(",")
            continue
        out.append(trad)
        if trad != simp and rng.random() < 0.1:
            out.append("(" + pinyin(simp, style=Style.TONE)[0][0] + ")")
    return "".join(out)


def write_shards(folder: Path, records: int, size: int, shards: int, mix, seed: int = 0) -> int:
    import opencc

    s2t = opencc.OpenCC("s2t")
    simplified, traditional = sentences()
    rng = random.Random(seed)
    kinds, weights = zip(*mix)

    def drawn():  # every record drawn afresh: no two alike
        for _ in range(records):
            kind = rng.choices(kinds, weights)[0]
            yield kind, make_text(kind, size, rng, s2t, simplified, traditional)

    return _write(folder, shards, drawn())[0]


def _write(folder: Path, shards: int, records):
    """(bytes of text, records) of `records` ((kind, text) pairs) written to
    `shards` JSONL files in `folder`, dealt round."""
    folder.mkdir(parents=True)
    files = [open(folder / f"shard-{i:03d}.jsonl", "w", encoding="utf-8") for i in range(shards)]
    total = n = 0
    for n, (kind, text) in enumerate(records, 1):
        total += len(text.encode())
        files[(n - 1) % shards].write(json.dumps({"id": str(n - 1), "text": text, "kind": kind},
                                                 ensure_ascii=False) + "\n")
    for f in files:
        f.close()
    return total, n


def write_distinct_shards(folder: Path, shards: int, mix, seed: int = 0):
    """(bytes, records) of shards of distinct real pages (see --distinct), in
    the proportions of `mix` (clean, traditional, disguised)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import distinct

    corpora = distinct.build(quick=False)
    pools = {"clean": [p["text"] for p in corpora["tldr-zh"]],
             "traditional": [p["text"] for p in corpora["tldr-zh_TW"]],
             "disguised": [p["text"] for p in corpora["tldr-zh-mirror"]]}
    weights = dict(mix)
    total_w = sum(weights.values())
    # the most records the pools allow at these proportions, none drawn twice
    records = int(min(len(pools[k]) * total_w / w for k, w in weights.items() if w))
    rng = random.Random(seed)
    chosen = []
    for kind, w in weights.items():
        chosen += [(kind, t) for t in rng.sample(pools[kind], int(records * w / total_w))]
    rng.shuffle(chosen)
    return _write(folder, shards, chosen)


def run(inp: Path, work: Path, tasks: int, workers: int, with_zhfix: bool):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from zhfix.integrations.datatrove import ZhfixRepair

    out, logs = work / "out", work / "logs"
    shutil.rmtree(work, ignore_errors=True)
    steps = [JsonlReader(str(inp))]
    if with_zhfix:
        steps.append(ZhfixRepair())
    steps.append(JsonlWriter(str(out), compression=None))
    t = time.perf_counter()
    # "fork": the pool's processes are children of this one, so their CPU time is counted
    LocalPipelineExecutor(pipeline=steps, tasks=tasks, workers=workers, logging_dir=str(logs),
                          start_method="fork").run()
    wall = time.perf_counter() - t
    stats = json.loads((logs / "stats.json").read_text())
    step_time = sum(s["time_stats"]["total"] for s in stats if "zhfix" in s["name"])
    counters = next((s["stats"] for s in stats if "zhfix" in s["name"]), {})
    return wall, step_time, counters


def run_fresh(inp: Path, work: Path, tasks: int, workers: int, with_zhfix: bool):
    """:func:`run` in a new interpreter, so that no run finds zhfix's tables
    loaded or its caches warm from an earlier one."""
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, __file__, "--one", json.dumps([str(inp), str(work), tasks, workers,
                                                                         with_zhfix])],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    wall, step, counters = json.loads(out.strip().splitlines()[-1])
    return wall, step, counters, cpu


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--one"]:
        inp, work, tasks, workers, with_zhfix = json.loads(argv[1])
        print(json.dumps(run(Path(inp), Path(work), tasks, workers, with_zhfix)))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--size", type=int, default=2000, help="approximate bytes of text per record")
    ap.add_argument("--shards", type=int, default=8, help="input files = datatrove tasks")
    ap.add_argument("--workers", type=int, nargs="+", default=None,
                    help="worker counts to try (default: 1 and all cores)")
    ap.add_argument("--mix", default="clean:70,traditional:15,disguised:15")
    ap.add_argument("--repeat", type=int, default=1, help="runs per row; the fastest is shown")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--distinct", action="store_true",
                    help="distinct real pages (tldr pages.zh, zh_TW, pages.zh disguised) instead of "
                         "synthetic records; --records and --size do not apply")
    args = ap.parse_args(argv)
    cores = os.cpu_count() or 1
    workers = args.workers or sorted({1, cores})
    mix = [(k, float(w)) for k, w in (p.split(":") for p in args.mix.split(","))]

    tmp = Path(tempfile.mkdtemp(prefix="zhfix-dt-bench-"))
    try:
        t = time.perf_counter()
        if args.distinct:
            nbytes, args.records = write_distinct_shards(tmp / "in", args.shards, mix)
        else:
            nbytes = write_shards(tmp / "in", args.records, args.size, args.shards, mix)
        mb = nbytes / 1e6
        print(f"# {args.records} {'distinct real pages' if args.distinct else 'records'}, {mb:.1f} MB of text "
              f"({nbytes / args.records:.0f} B/record), "
              f"{args.shards} shards, mix {args.mix}; {cores} cores; python {sys.version.split()[0]}; "
              f"data made in {time.perf_counter() - t:.1f} s", flush=True)
        print(f"{'pipeline':<28} {'workers':>7} {'wall s':>8} {'docs/s':>9} {'MB/s':>7} {'step s':>8} {'cpu s':>7}")
        def best(w, with_zhfix):
            return min(run_fresh(tmp / "in", tmp / f"run-{w}", args.shards, w, with_zhfix)
                       for _ in range(max(1, args.repeat)))

        for w in workers:
            wall, _, _, cpu = best(w, False)
            print(f"{'reader -> writer (I/O)':<28} {w:>7} {wall:>8.1f} {args.records / wall:>9.0f} "
                  f"{mb / wall:>7.2f} {'-':>8} {cpu:>7.1f}", flush=True)
            wall, step, counters, cpu = best(w, True)
            print(f"{'reader -> zhfix -> writer':<28} {w:>7} {wall:>8.1f} {args.records / wall:>9.0f} "
                  f"{mb / wall:>7.2f} {step:>8.1f} {cpu:>7.1f}", flush=True)
        print(f"# zhfix stats (last run): changed={counters.get('changed', 0)} "
              f"disguised={counters.get('disguised', 0)} lossy={counters.get('lossy', 0)}")
    finally:
        if args.keep:
            print(f"# kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
