"""Disguises without pinyin (issue 14, item 5), built at test time as
bench/disguise_free.py builds them: documents of at least 300 characters made
of our own sentences (fixtures/synthetic/sentences.py), converted by OpenCC
``s2t``, a character-only table (STCharacters' first candidate) and the
``chinese-converter`` package, with halfwidth punctuation; and genuine
traditional text beside them (OpenCC's own Taiwan / Hong Kong forms, Faker's
zh_TW ``text()``, tldr's ``pages.zh_TW`` from ../shared/corpora).

The target is >= 95 % of the disguised documents diagnosed and repaired
exactly, and 0 genuine documents diagnosed disguised.  Until zhfix gets there
this is a ratchet on tests/disguise-free-baseline.json (counted with the
package versions pinned in pyproject's ``test`` extra): a converter's
documents repaired exactly may not fall below the baseline, the genuine
documents diagnosed may not rise above it.  After a gain, record it:

    python tests/test_disguise_free.py --write-baseline

A missing package skips (fails under ``CI=true``, where the test extra is
installed); so do missing corpora for the tldr set.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BASELINE = HERE / "disguise-free-baseline.json"
DOCS = 60  # documents per converter (the bench makes 240)
FAKER_DOCS = 100
SEED = 14
UPDATE = "python tests/test_disguise_free.py --write-baseline"


def _bench(name):
    spec = importlib.util.spec_from_file_location(f"{name}_bench_for_disguise_free", REPO / "bench" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


bench = _bench("disguise_free")


def _need(module: str):
    """The module, or a skip (a failure under CI, where the test extra is installed)."""
    if os.environ.get("CI"):
        return __import__(module)
    return pytest.importorskip(module)


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for p in ("chinese-converter", "hanziconv", "opencc-python-reimplemented", "faker"):
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = None
    return out


def _baseline() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def _check_versions(base, packages=("opencc-python-reimplemented",)):
    have = {p: _versions()[p] for p in packages}
    if have != {p: base["versions"][p] for p in packages}:
        pytest.fail(f"installed {have}, the baseline was counted on {base['versions']} (pinned in pyproject's "
                    f"test extra): install those, or count again ({UPDATE}) and commit the new baseline")


def measure_disguised(names=bench.CONVERTERS, docs=DOCS) -> dict:
    """converter -> {"docs", "diagnosed", "exact"} on the halfwidth set."""
    res = bench.run_disguised(bench.disguised_set(bench.documents(docs, SEED), names=names))
    return {k: {x: res[k][x] for x in ("docs", "diagnosed", "exact")} for k in names}


def genuine_sets(corpora_required: bool = False) -> dict:
    sets = {"opencc-dicts": bench.opencc_genuine(), "faker-zh_TW": bench.faker_zh_tw(FAKER_DOCS, SEED)}
    tldr = bench.tldr_zh_tw(_bench("precision").find_corpora())
    if tldr or corpora_required:
        sets["tldr-zh_TW"] = tldr
    return sets


def test_the_documents_are_ours_long_and_distinct():
    docs = bench.documents(DOCS, SEED)
    assert len(set(docs)) == DOCS
    assert min(len(d) for d in docs) >= bench.MIN_CHARS


@pytest.mark.parametrize("converter", bench.CONVERTERS)
def test_pinyin_free_disguises_repaired_no_fewer(converter):
    _need("opencc")
    if converter == "chinese-converter":
        if sys.version_info < (3, 10):
            pytest.skip("chinese-converter needs Python 3.10 or later")
        _need("chinese_converter")
    if converter == "hanziconv":
        _need("hanziconv")
    base = _baseline()
    _check_versions(base, ("opencc-python-reimplemented",) + ((converter,) if converter in ("chinese-converter", "hanziconv")
                                                             else ()))
    got = measure_disguised((converter,))[converter]
    floor = base["repaired_exactly"][converter]
    assert got["docs"] == base["docs"]
    # target: >= 95 % of the documents (issue 14)
    assert got["exact"] >= floor, (
        f"{converter}: {got['exact']} of {got['docs']} pinyin-free disguised documents repaired exactly, "
        f"fewer than the baseline's {floor} (diagnosed: {got['diagnosed']}) -- a disguise zhfix used to undo is "
        f"left (or repaired wrongly) now")


@pytest.mark.parametrize("name", ["opencc-dicts", "faker-zh_TW", "tldr-zh_TW"])
def test_genuine_traditional_not_diagnosed_more(name):
    _need("opencc")
    _need("faker")
    base = _baseline()
    _check_versions(base, ("opencc-python-reimplemented", "faker"))
    sets = genuine_sets(corpora_required=bool(os.environ.get("CI")))
    if name not in sets:
        pytest.skip("../shared/corpora is not there (tldr pages.zh_TW)")
    if not sets[name]:
        pytest.fail(f"no {name} documents in the corpora")
    got = bench.run_genuine(sets[name])
    allowed = base["genuine_diagnosed"][name]
    # target: 0 (genuine Taiwan / Hong Kong text is not a disguise)
    assert got["diagnosed"] <= allowed, (
        f"{name}: {got['diagnosed']} of {got['docs']} genuine traditional documents diagnosed disguised, the "
        f"baseline allows {allowed}: a new false positive ({dict(got['reasons'])}; first: {got['examples'][:2]})")


def write_baseline() -> None:
    sys.path.insert(0, str(REPO / "src"))
    base = {"docs": DOCS, "versions": _versions(),
            "repaired_exactly": {k: v["exact"] for k, v in measure_disguised().items()},
            "genuine_diagnosed": {k: bench.run_genuine(v)["diagnosed"]
                                  for k, v in genuine_sets(corpora_required=True).items()}}
    BASELINE.write_text(json.dumps(base, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(base, indent=1))


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write-baseline", action="store_true", required=True)
    ap.parse_args()
    write_baseline()
