"""The user overrules the heuristics (issue 14, item 8): ``--assume
auto|disguised|clean`` sets the diagnosis, ``--skip STEP`` keeps a step from
running; in the library ``Config(disguised=...)`` and ``Config(skip=...)``."""
from __future__ import annotations

import io
import json

import pytest

import zhfix
from zhfix import stream
from zhfix.runner import FIXES, PARTIAL, STRIP
from cli_support import DAMAGED, cli_env, invoke, run_zhfix, tree  # noqa: F401  (cli_env: autouse)
from damage import add_boilerplate, disguise

#: Genuine Taiwan text (written for this test): traditional characters, one
#: halfwidth comma, no pinyin.  zhfix leaves it alone by default.
TAIWAN = "今天下午我們在臺北車站附近吃了牛肉麵,然後去看電影。\n"
TAIWAN_SIMPLIFIED = "今天下午我们在台北车站附近吃了牛肉面，然后去看电影。\n"
#: The same kind of text with fullwidth punctuation only: under --assume
#: disguised, converting its characters is all there is to do.
TAIWAN_FULLWIDTH = "這家書店的老闆很親切，每次都會推薦好書給我們。\n"


def out(r) -> str:
    return r.stdout_bytes.decode("utf-8")


# -- --assume ------------------------------------------------------------------

def test_assume_clean_leaves_a_disguised_text_as_it_is():
    assert out(invoke(input=DAMAGED.encode())) != DAMAGED  # (repaired by default)
    r = invoke("--assume", "clean", input=DAMAGED.encode())
    assert r.exit_code == 0
    # not even the pinyin annotations go (no partial fix under "clean")
    assert out(r) == DAMAGED


def test_assume_clean_still_repairs_mojibake():
    """clean is about the disguise: a wrong-codec reading is still repaired."""
    text = "这是一段干净的简体中文文本，没有任何问题。\n"
    garbled = text.encode("utf-8").decode("latin-1")
    assert zhfix.repair(garbled).text == text  # (the default repairs it)
    r = invoke("--assume", "clean", input=garbled.encode("utf-8"))
    assert r.exit_code == 0 and out(r) == text


def test_assume_disguised_converts_genuine_taiwan_text():
    assert out(invoke(input=TAIWAN.encode())) == TAIWAN  # (left alone by default)
    r = invoke("--assume", "disguised", input=TAIWAN.encode())
    assert r.exit_code == 0 and out(r) == TAIWAN_SIMPLIFIED


def test_assume_auto_is_the_default():
    assert out(invoke("--assume", "auto", input=DAMAGED.encode())) == out(invoke(input=DAMAGED.encode()))
    assert out(invoke("--assume", "auto", input=TAIWAN.encode())) == TAIWAN


def test_explain_and_json_say_the_diagnosis_was_set_by_the_user():
    r = invoke("--explain", "--assume", "clean", input=DAMAGED.encode())
    assert r.exit_code == 0
    assert "not disguised — set by the user (--assume clean)" in r.stdout
    assert "nothing to repair" in r.stdout
    r = invoke("--json", "--assume", "disguised", input=TAIWAN.encode())
    info = json.loads(r.stdout)
    assert info["diagnosis"]["disguised"] is True
    assert info["diagnosis"]["reason"] == "set by the user (--assume disguised)"
    assert [s["name"] for s in info["steps"]] == ["to-simplified", "restore-punctuation"]
    # without --assume, the reason is the diagnosis's own
    info = json.loads(invoke("--json", input=TAIWAN.encode()).stdout)
    assert "set by the user" not in info["diagnosis"]["reason"]


def test_unknown_assumption_is_a_usage_error():
    r = invoke("--assume", "maybe", input=DAMAGED.encode())
    assert r.exit_code == 2 and "'auto', 'disguised', 'clean'" in r.stderr


# -- --skip --------------------------------------------------------------------

def test_skip_restore_punctuation_keeps_the_halfwidth_commas_but_converts():
    r = invoke("--skip", "restore-punctuation", input=DAMAGED.encode())
    assert r.exit_code == 0
    assert out(r) == "中国质量新闻网发布,企业质量数据显示产品合格率稳步提升\n"
    r = invoke("--assume", "disguised", "--skip", "restore-punctuation", input=TAIWAN.encode())
    assert out(r) == TAIWAN_SIMPLIFIED.replace("，", ",")


def test_skip_to_simplified_keeps_traditional_characters():
    r = invoke("--skip", "to-simplified", input=DAMAGED.encode())
    assert r.exit_code == 0
    # the pinyin goes and the comma is restored: only the conversion is skipped
    assert out(r) == "中國質量新聞網發布，企業質量數據顯示產品合格率穩步提升\n"


def test_skip_is_repeatable_and_not_reported():
    r = invoke("--json", "--skip", "to-simplified", "--skip", "remove-pinyin", input=DAMAGED.encode())
    info = json.loads(r.stdout)
    assert [s["name"] for s in info["steps"]] == ["restore-punctuation"]
    assert info["diagnosis"]["disguised"] is True  # (the diagnosis is still the text's)


def test_unknown_step_is_a_usage_error_listing_the_known_ones():
    r = invoke("--skip", "strip-everything", input=DAMAGED.encode())
    assert r.exit_code == 2
    assert "strip-everything" in r.stderr
    for name in FIXES:
        assert f"'{name}'" in r.stderr
    assert r.stdout == ""


SPAM = ["网上赌场开户送彩金", "百家乐在线娱乐", "时时彩平台注册", "体育投注官方网站"]


def _mirror_page(article="随着城市建设的推进，越来越多的居民搬进了新小区。\n\n"
                         "社区服务中心开设了老年食堂和儿童托管班，方便了附近的家庭。\n") -> str:
    """A disguised article under a spam header, with site chrome and a footer."""
    return add_boilerplate(disguise(article), SPAM, "城市新闻网", ["最新评论"])


def test_skip_strip_footer_keeps_the_footer_only():
    page = _mirror_page()
    full = zhfix.repair(page)
    assert {"strip-header", "strip-chrome", "strip-footer"} <= set(full.plan)
    r = invoke("--json", "--skip", "strip-footer", input=page.encode())
    names = [s["name"] for s in json.loads(r.stdout)["steps"]]
    assert "strip-footer" not in names and "strip-header" in names
    text = out(invoke("--skip", "strip-footer", input=page.encode()))
    assert "最新新闻" in text and "网上赌场" not in text
    assert "最新新闻" not in out(invoke(input=page.encode()))


def test_keep_boilerplate_is_skipping_the_three_strip_steps():
    page = _mirror_page()
    kept = out(invoke("--keep-boilerplate", input=page.encode()))
    skip = [a for name in STRIP for a in ("--skip", name)]
    assert kept == out(invoke(*skip, input=page.encode()))
    assert "网上赌场" in kept and "最新新闻" in kept
    assert kept != out(invoke(input=page.encode()))


def test_a_streamed_page_skips_the_footer_too(monkeypatch):
    monkeypatch.setattr(stream, "CHUNK", 2048)
    page = _mirror_page("随着城市建设的推进，越来越多的居民搬进了新小区。\n\n" * 200)
    config = zhfix.Config(skip=("strip-footer",))
    sink = io.BytesIO()
    result = stream.repair_stream(io.BytesIO(page.encode("utf-8")), sink, config)
    text = sink.getvalue().decode("utf-8")
    assert text == zhfix.repair(page, config).text
    assert "最新新闻" in text and "网上赌场" not in text
    assert "strip-footer" not in [s.name for s in result.steps]


def test_real_subprocess_assume_and_skip():
    r = run_zhfix("--assume", "disguised", "--skip", "restore-punctuation", input=TAIWAN.encode())
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode("utf-8") == TAIWAN_SIMPLIFIED.replace("，", ",")
    r = run_zhfix("--assume", "clean", input=DAMAGED.encode())
    assert r.returncode == 0 and r.stdout.decode("utf-8") == DAMAGED
    r = run_zhfix("--skip", "nope", input=DAMAGED.encode())
    assert r.returncode == 2 and b"simplify-first-characters" in r.stderr


# -- the library -----------------------------------------------------------------

def test_library_skip():
    r = zhfix.repair(DAMAGED, skip=("to-simplified",))
    assert r.text == "中國質量新聞網發布，企業質量數據顯示產品合格率穩步提升\n"
    assert r.plan == ["remove-pinyin", "restore-punctuation"]
    config = zhfix.Config(skip=("restore-punctuation",))
    assert zhfix.repair(DAMAGED, config).text == "中国质量新闻网发布,企业质量数据显示产品合格率稳步提升\n"
    assert zhfix.fix_text(DAMAGED, config) == zhfix.repair(DAMAGED, config).text
    assert zhfix.fix_text(DAMAGED, skip="to-simplified") == r.text  # (one name as a string)
    with pytest.raises(ValueError, match="strip-everything.*known: fix-mojibake"):
        zhfix.repair(DAMAGED, skip=("strip-everything",))


def test_library_skip_and_a_replayed_plan():
    """A plan replays only its steps; skip takes steps out of it as well."""
    plan = zhfix.repair(DAMAGED).plan
    assert zhfix.apply_plan(DAMAGED, plan, zhfix.Config(skip=("to-simplified",))) == \
        zhfix.repair(DAMAGED, skip=("to-simplified",)).text


def test_library_forms_of_the_assumptions():
    """--assume disguised is Config(disguised=True); --assume clean is
    Config(disguised=False, skip=PARTIAL) (the README's Python notes)."""
    assert zhfix.repair(TAIWAN, disguised=True).text == TAIWAN_SIMPLIFIED
    assert zhfix.repair(DAMAGED, disguised=False, skip=PARTIAL).text == DAMAGED
    assert zhfix.repair(DAMAGED, disguised=False).text != DAMAGED  # (the partial fixes alone)


# -- settings and the cache --------------------------------------------------------

def test_settings_file_keys(tmp_path):
    proj = tree(tmp_path / "proj", {
        "pyproject.toml": '[tool.zhfix]\nassume = "disguised"\nskip = ["restore-punctuation"]\n',
        "a.txt": TAIWAN})
    r = invoke(proj / "a.txt")
    assert r.exit_code == 0 and out(r) == TAIWAN_SIMPLIFIED.replace("，", ",")
    # flags on the command line win
    assert out(invoke("--assume", "auto", proj / "a.txt")) == TAIWAN
    cfg = tmp_path / "zhfix.toml"
    cfg.write_text('assume = "clean"\nskip = "fix-mojibake"\n')
    r = invoke("--config", cfg, input=DAMAGED.encode())
    assert r.exit_code == 0 and out(r) == DAMAGED
    cfg.write_text('skip = ["strip-everything"]\n')
    r = invoke("--config", cfg, input=DAMAGED.encode())
    assert r.exit_code == 2 and "strip-everything" in r.stderr


def test_the_cache_of_clean_files_knows_the_overrides(tmp_path):
    """A file found clean under an override is clean for that override only."""
    root = tree(tmp_path / "t", {"damaged.txt": DAMAGED, "taiwan.txt": TAIWAN_FULLWIDTH})
    for name, args in (("damaged.txt", ["--assume", "clean"]),
                       ("taiwan.txt", ["--assume", "disguised", "--skip", "to-simplified"])):
        first = invoke("--check", "-v", *args, root / name)
        assert first.exit_code == 0 and "cached" not in first.stderr, first.stderr
        again = invoke("--check", "-v", *args, root / name)
        assert "cached, unchanged" in again.stderr  # (the cache is in use)
    # without the override, neither file was ever found clean
    r = invoke("--check", "-v", root / "damaged.txt")
    assert r.exit_code == 1 and "would repair" in r.stderr and "cached" not in r.stderr
    r = invoke("--check", "-v", "--assume", "disguised", root / "taiwan.txt")
    assert r.exit_code == 1 and "would repair" in r.stderr and "cached" not in r.stderr


def test_help_documents_both_options():
    r = invoke("--help")
    help_text = " ".join(r.stdout.split())
    assert "--assume [auto|disguised|clean]" in help_text
    assert "clean: the input is not disguised, not even in part" in help_text
    assert "--skip STEP" in help_text and "strip-footer" in help_text


def test_jsonl_records_follow_the_overrides(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"id": 1, "text": TAIWAN}, ensure_ascii=False) + "\n", encoding="utf-8")
    r = invoke("--jsonl", "--assume", "disguised", "--skip", "restore-punctuation", f)
    assert json.loads(r.stdout)["text"] == TAIWAN_SIMPLIFIED.replace("，", ",")
