"""zhfix as a datatrove pipeline step (zhfix.integrations.datatrove).

The end-to-end test runs ``JsonlReader -> ZhfixRepair -> JsonlWriter`` with a
LocalPipelineExecutor (4 tasks, 2 worker processes) over 4 JSONL shards and
checks every output text against the ``zhfix --jsonl`` command line run as a
real subprocess on the same shards: the step and the CLI must agree record by
record.  The metadata is checked against what the records are known to be
(clean simplified, genuine traditional, disguised, with lost characters).
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_import_zhfix_does_not_import_datatrove():
    # Meaningful only with datatrove installed (the module is skipped without it).
    code = ("import sys, zhfix, zhfix.integrations; "
            "assert 'datatrove' not in sys.modules, sorted(m for m in sys.modules if 'datatrove' in m)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


datatrove = pytest.importorskip("datatrove")
pytest.importorskip("orjson")  # JsonlReader/JsonlWriter need it (datatrove[io])
opencc = pytest.importorskip("opencc")

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402
from pypinyin import Style, pinyin  # noqa: E402

import zhfix  # noqa: E402
from zhfix.integrations.datatrove import ZhfixRepair  # noqa: E402

# -- data ----------------------------------------------------------------------

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
    "他每天早上骑自行车上班，坚持了整整五年。",
    "社区为老年人开设了免费的电脑培训课程。",
    "气象台预报明天有中到大雨，请市民出门带好雨具。",
]

TRADITIONAL = [
    "臺北市政府今天宣布，捷運新路線將於明年底正式通車。",
    "這間咖啡廳的甜點很受歡迎，週末常常大排長龍。",
    "颱風即將登陸，氣象局呼籲民眾做好防颱準備。",
    "他在大學主修資訊工程，畢業後到軟體公司上班。",
    "夜市裡的小吃種類繁多，觀光客都讚不絕口。",
    "我們下個月要去花蓮旅行，已經訂好了民宿。",
    "圖書館週一休館，其餘時間開放到晚上九點。",
    "這部紀錄片記錄了臺灣原住民族的傳統文化。",
]

S2T = opencc.OpenCC("s2t")


def disguise(text: str, rng: random.Random) -> str:
    """Simplified -> traditional, ASCII commas, tone-marked pinyin after some
    characters (``網(wǎng)``): the usual disguise of a copied page."""
    out = []
    for simp, trad in zip(text, S2T.convert(text)):
        if trad == "，":
            out.append(",")
            continue
        out.append(trad)
        if trad != simp and rng.random() < 0.4:
            out.append("(" + pinyin(simp, style=Style.TONE)[0][0] + ")")
    return "".join(out)


def make_records(n_shards=4, per_shard=80, seed=7):
    rng = random.Random(seed)
    kinds = ["clean", "traditional", "disguised", "lossy"]
    shards = []
    for s in range(n_shards):
        shard = []
        for i in range(per_shard):
            kind = kinds[(i + s) % 4] if i % 10 else "disguised"
            if kind == "traditional":
                text = "".join(rng.sample(TRADITIONAL, rng.randint(2, 4)))
            else:
                # a disguise needs a few traditional characters to be seen: 2+ sentences
                lo = 2 if kind == "disguised" else 1
                lines = ["".join(rng.sample(SIMPLIFIED, rng.randint(lo, 3))) for _ in range(rng.randint(1, 3))]
                if kind == "disguised":
                    lines = [disguise(line, rng) for line in lines]
                elif kind == "lossy":  # a character GBK lacks, saved as "?"
                    line = lines[-1]
                    at = rng.randrange(2, len(line) - 2)
                    while not ("\u4e00" <= line[at - 1] <= "\u9fff" and "\u4e00" <= line[at + 1] <= "\u9fff"):
                        at = rng.randrange(2, len(line) - 2)
                    lines[-1] = line[:at] + "?" + line[at + 1:]
                text = "\n".join(lines)
            shard.append({"id": f"s{s}-{i}", "text": text, "kind": kind, "n": i})
        shards.append(shard)
    return shards


def write_shards(folder: Path, shards):
    folder.mkdir()
    paths = []
    for s, shard in enumerate(shards):
        p = folder / f"shard-{s:02d}.jsonl"
        p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in shard), encoding="utf-8")
        paths.append(p)
    return paths


def read_jsonl(paths):
    out = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            out += [json.loads(line) for line in f if line.strip()]
    return out


# -- tests ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def pipeline_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dt")
    shards = make_records()
    paths = write_shards(tmp / "in", shards)
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp / "in")),
            ZhfixRepair(),
            JsonlWriter(str(tmp / "out"), compression=None),
        ],
        tasks=4, workers=2, logging_dir=str(tmp / "logs"),
    ).run()
    out = read_jsonl(sorted((tmp / "out").glob("*.jsonl")))
    return tmp, shards, paths, {d["id"]: d for d in out}


def test_pipeline_keeps_every_record(pipeline_run):
    _, shards, _, out = pipeline_run
    records = [r for shard in shards for r in shard]
    assert len(records) == 320
    assert sorted(out) == sorted(r["id"] for r in records)
    for r in records:  # other keys pass through as metadata
        assert out[r["id"]]["metadata"]["kind"] == r["kind"]
        assert out[r["id"]]["metadata"]["n"] == r["n"]


def test_pipeline_matches_the_command_line(pipeline_run):
    tmp, shards, paths, out = pipeline_run
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "zhfix", "--jsonl", "--field", "text", *map(str, paths)],
                          capture_output=True, cwd=tmp, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    cli = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]
    records = [r for shard in shards for r in shard]
    assert [r["id"] for r in cli] == [r["id"] for r in records]
    changed = 0
    for before, after in zip(records, cli):
        assert {k: v for k, v in after.items() if k != "text"} == {k: v for k, v in before.items() if k != "text"}
        assert out[before["id"]]["text"] == after["text"], before["id"]
        changed += after["text"] != before["text"]
    assert changed >= 80  # the disguised records, at least


def test_metadata_says_what_was_done(pipeline_run):
    _, shards, _, out = pipeline_run
    for r in (r for shard in shards for r in shard):
        doc = out[r["id"]]
        meta = doc["metadata"]["zhfix"]
        assert set(meta) == {"changed", "diagnosis", "steps", "lossy", "lossy_count"}
        assert meta["changed"] == (doc["text"] != r["text"])
        assert meta["changed"] == bool(meta["steps"])
        kind = r["kind"]
        if kind == "clean":
            assert not meta["changed"] and not meta["lossy"] and not meta["diagnosis"]["disguised"]
        elif kind == "traditional":
            assert not meta["changed"] and not meta["diagnosis"]["disguised"], meta
            assert doc["text"] == r["text"]
        elif kind == "disguised":
            names = [s["name"] for s in meta["steps"]]
            assert meta["changed"] and meta["diagnosis"]["disguised"], meta
            assert "to-simplified" in names and meta["diagnosis"]["reason"]
            if "(" in r["text"]:
                assert "remove-pinyin" in names
            assert "(" not in doc["text"] and "," not in doc["text"]
            assert all(s["count"] > 0 for s in meta["steps"])
            # the plan replays: the recorded steps are the repair
            assert zhfix.apply_plan(r["text"], names) == doc["text"]
        elif kind == "lossy":
            assert not meta["changed"]
            lossy_line = r["text"].count("\n") + 1  # the "?" is on the last line
            assert meta["lossy_count"] == 1
            assert meta["lossy"] == [{"line": lossy_line, "kind": "lost-char"}]


def test_drop_lossy_counts_and_excludes(tmp_path):
    shards = make_records(n_shards=1, per_shard=40)
    docs = [Document(text=r["text"], id=r["id"], metadata={"kind": r["kind"]}) for r in shards[0]]
    n_lossy = sum(r["kind"] == "lossy" for r in shards[0])
    assert n_lossy
    excluded = JsonlWriter(str(tmp_path / "excluded"), compression=None)
    step = ZhfixRepair(drop_lossy=True, exclusion_writer=excluded)
    kept = list(step.run(iter(docs)))
    assert len(kept) == len(docs) - n_lossy
    assert all(d.metadata["kind"] != "lossy" for d in kept)
    stats = step.stats.to_dict()["stats"]
    assert stats["dropped_lossy"] == stats["lossy"] == stats["dropped"] == n_lossy
    assert stats["total"] == len(docs)
    assert stats["changed"] == stats["disguised"] == sum(r["kind"] == "disguised" for r in shards[0])
    dropped = read_jsonl((tmp_path / "excluded").glob("*.jsonl"))
    assert len(dropped) == n_lossy
    assert all(d["metadata"]["filter_reason"] == "lossy" and d["metadata"]["zhfix"]["lossy_count"]
               for d in dropped)


def test_options_config_and_metadata_key():
    text = "中國質(zhì)量新聞網(wǎng)報道,今年全國網(wǎng)絡零售額持續增長。"
    doc = Document(text=text, id="x")
    [out] = ZhfixRepair(metadata_key=None).run(iter([doc]))
    assert out.text == zhfix.repair(text).text != text
    assert "zhfix" not in out.metadata
    # config fields as keywords: no undisguising, so nothing to do here
    [out] = ZhfixRepair(undisguise=False, metadata_key="fix").run(iter([Document(text=text, id="y")]))
    assert out.text == text and out.metadata["fix"]["changed"] is False
    json.dumps(out.metadata)


def test_a_failing_repair_passes_the_document_on(monkeypatch):
    def boom(text, config=None, **kw):
        raise RuntimeError("stage bug")

    monkeypatch.setattr(zhfix, "repair", boom)
    step = ZhfixRepair()
    [out] = step.run(iter([Document(text="中國", id="z")]))
    assert out.text == "中國"
    assert out.metadata["zhfix"] == {"error": "RuntimeError: stage bug"}
    assert step.stats.to_dict()["stats"]["error"] == 1
