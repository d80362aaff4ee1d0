"""Many files: discovery and filters, each file once, --output-dir mirrors,
--jobs gives the same result as one process, the cache, leftover temporary
files."""
from __future__ import annotations

import json
import os

import pytest

from cli_support import (CLEAN, DAMAGED, cli_env, expected_bytes, invoke, report_json,  # noqa: F401
                         repaired_text, snapshot, tree)
from zhfix.cli import batch, files

BIN = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def _damaged_changes() -> bool:
    return repaired_text(DAMAGED) != DAMAGED


@pytest.fixture
def corpus(tmp_path):
    return tree(tmp_path / "corpus", {
        "a.txt": DAMAGED,
        "b.md": CLEAN,
        "sub/c.html": "<p>" + DAMAGED + "</p>\n",
        "sub/deep/d.csv": "id,text\n1," + CLEAN,
        "sub/image.txt": BIN,            # binary by content, text by name
        "notes.dat": DAMAGED,            # not a text-like name
        ".git/config.txt": DAMAGED,
        "node_modules/pkg/readme.md": DAMAGED,
        "__pycache__/x.txt": DAMAGED,
        "venv/pyvenv.cfg": "home = /usr\n",
        "venv/lib/site.txt": DAMAGED,
        "myenv/pyvenv.cfg": "home = /usr\n",  # a virtualenv by its marker, whatever its name
        "myenv/lib/x.txt": DAMAGED,
    })


def test_discovery_defaults(corpus):
    found = files.discover([str(corpus)])
    rel = sorted(str(s.path.relative_to(corpus)) for s in found.sources)
    assert rel == ["a.txt", "b.md", "sub/c.html", "sub/deep/d.csv", "sub/image.txt"]
    # the binary one is found by name and skipped by content when read:
    r = invoke("--check", "--report", "json", corpus)
    rep = report_json(r)
    assert rep["scanned"] == 4
    assert rep["files"]["skipped"] == [{"file": str(corpus / "sub/image.txt"), "reason": "binary data (NUL bytes)"}] \
        or [s["file"] for s in rep["files"]["skipped"]] == [str(corpus / "sub/image.txt")]
    assert rep["errors"] == 0


def test_include_and_exclude(corpus):
    found = files.discover([str(corpus)], include=["*.dat", "*.md"], exclude=["sub"])
    assert sorted(str(s.path.relative_to(corpus)) for s in found.sources) == ["b.md", "notes.dat"]
    found = files.discover([str(corpus)], exclude=["sub/deep/*", "*.html"])
    assert sorted(str(s.path.relative_to(corpus)) for s in found.sources) == ["a.txt", "b.md", "sub/image.txt"]
    r = invoke("--check", "--include", "*.dat", "--report", "json", corpus)
    assert report_json(r)["scanned"] == 1


def test_explicit_file_is_taken_whatever_its_name(corpus):
    r = invoke("--check", "--report", "json", corpus / "notes.dat")
    assert report_json(r)["scanned"] == 1


def test_each_file_once(corpus):
    """Directory twice, file twice, file inside a named directory, a link to
    a file in the tree: processed once."""
    os.symlink(corpus / "a.txt", corpus / "sub" / "link-to-a.txt")
    args = [corpus, corpus / "a.txt", corpus, corpus / "sub", corpus / "a.txt", str(corpus) + "/"]
    r = invoke("--check", "--report", "json", *args)
    rep = report_json(r)
    assert rep["scanned"] == 4
    assert rep["files"]["repaired"].count(str(corpus / "a.txt")) == (1 if _damaged_changes() else 0)
    assert not any("link-to-a" in f for f in rep["files"]["repaired"])
    # -i: written once, correctly
    want = expected_bytes(DAMAGED.encode())
    r = invoke("-i", *args)
    assert r.exit_code == 0, r.stderr
    assert (corpus / "a.txt").read_bytes() == want
    assert os.path.islink(corpus / "sub" / "link-to-a.txt")  # the link stays a link


def test_max_size(tmp_path):
    tree(tmp_path / "d", {"small.txt": CLEAN, "big.txt": CLEAN * 100})
    r = invoke("--check", "--max-size", "1k", "--report", "json", tmp_path / "d")
    rep = report_json(r)
    assert rep["scanned"] == 1
    assert [s["file"] for s in rep["files"]["skipped"]] == [str(tmp_path / "d" / "big.txt")]
    assert invoke("--check", "--max-size", "0", "--report", "json", tmp_path / "d").exit_code in (0, 1)


def test_binary_in_tree_never_rewritten(corpus):
    before = (corpus / "sub/image.txt").read_bytes()
    mtime = os.stat(corpus / "sub/image.txt").st_mtime_ns
    r = invoke("-i", corpus)
    assert r.exit_code == 0, r.stderr
    assert (corpus / "sub/image.txt").read_bytes() == before
    assert os.stat(corpus / "sub/image.txt").st_mtime_ns == mtime


# -- --output-dir -------------------------------------------------------------------

def test_output_dir_mirrors_the_tree(corpus, tmp_path):
    before = snapshot(corpus)
    out = tmp_path / "out"
    r = invoke("-o", out, "--report", "json", corpus)
    assert r.exit_code == 0, r.stderr
    assert snapshot(corpus) == before  # inputs untouched
    got = snapshot(out)
    assert sorted(got) == ["a.txt", "b.md", "sub/c.html", "sub/deep/d.csv"]
    for rel, data in got.items():
        orig = before[rel]
        if repaired_text(orig.decode()) == orig.decode():
            assert data == orig  # unchanged files copied byte for byte
        else:
            assert data == expected_bytes(orig)
    assert os.stat(out / "a.txt").st_mode == os.stat(corpus / "a.txt").st_mode


def test_output_dir_inside_input_is_refused(corpus):
    before = snapshot(corpus)
    r = invoke("-o", corpus / "sub" / "out", corpus)
    assert r.exit_code == 2 and "inside the input tree" in r.stderr
    assert snapshot(corpus) == before
    r = invoke("-o", corpus, corpus)
    assert r.exit_code == 2


def test_output_dir_never_follows_links_out(tmp_path):
    outside = tree(tmp_path / "outside", {"secret.txt": DAMAGED})
    src = tree(tmp_path / "src", {"a.txt": DAMAGED})
    os.symlink(outside / "secret.txt", src / "link.txt")
    os.symlink(outside, src / "linkdir")
    out = tmp_path / "out"
    r = invoke("-o", out, "-v", src)
    assert r.exit_code == 0, r.stderr
    assert sorted(snapshot(out)) == ["a.txt"]
    assert "symbolic link out of the tree" in r.stderr
    assert (outside / "secret.txt").read_text(encoding="utf-8") == DAMAGED
    # in place too: the file outside is not touched through the link
    r = invoke("-i", src)
    assert (outside / "secret.txt").read_text(encoding="utf-8") == DAMAGED


def test_output_dir_link_escape_refused(tmp_path):
    src = tree(tmp_path / "src", {"sub/a.txt": DAMAGED})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / "sub")  # a link planted in the output tree
    r = invoke("-o", out, src)
    assert r.exit_code == 2 and "leads out of the output directory" in r.stderr
    assert list(elsewhere.iterdir()) == []


def test_output_dir_single_files(tmp_path):
    tree(tmp_path, {"x/a.txt": DAMAGED, "y/a.txt": CLEAN})
    r = invoke("-o", tmp_path / "out", tmp_path / "x/a.txt", tmp_path / "y/a.txt")
    assert r.exit_code == 2 and "already written for" in r.stderr  # same name twice
    assert (tmp_path / "out/a.txt").read_bytes() == expected_bytes(DAMAGED.encode()) or not _damaged_changes()


# -- --jobs --------------------------------------------------------------------------

def _many(root, n=240):
    docs = {}
    for i in range(n):
        body = f"第{i}号文件。\n" + (DAMAGED if i % 7 == 0 else CLEAN)
        if i % 50 == 3:
            body = "{broken"
        docs[f"d{i % 6}/f{i:04d}.txt"] = body.encode("gb18030" if i % 5 == 0 else "utf-8")
    docs["d1/binary.txt"] = BIN
    return tree(root, docs)


def test_jobs_give_identical_results(tmp_path, monkeypatch):
    """A real process pool (forced for this small batch) against one process:
    the same output, report and files."""
    src = _many(tmp_path / "src")
    monkeypatch.setattr(batch, "worth_a_pool", lambda n, b, jobs: jobs > 1 and n > 1)
    outs, reps = [], []
    for jobs in ("1", "2"):
        r = invoke("--jobs", jobs, "--check", "--no-cache", "--report", "json", src)
        rep = report_json(r)
        rep.pop("seconds")
        reps.append(rep)
        outs.append(invoke("--jobs", jobs, src).stdout_bytes)
    assert reps[0] == reps[1]
    assert outs[0] == outs[1]
    trees = []
    for jobs in ("1", "2"):
        o = tmp_path / f"out{jobs}"
        r = invoke("--jobs", jobs, "-o", o, src)
        assert r.exit_code == 0, r.stderr
        trees.append(snapshot(o))
    assert trees[0] == trees[1] and len(trees[0]) == 240


def test_pool_only_for_big_work():
    assert not batch.worth_a_pool(1, 10**9, 8)
    assert not batch.worth_a_pool(200, 200 * 2000, 8)   # a pre-commit batch
    assert not batch.worth_a_pool(10**6, 10**9, 1)
    assert batch.worth_a_pool(3000, 3000 * 300, 2)
    assert batch.worth_a_pool(4, 40 * 10**6, 2)


# -- cache -----------------------------------------------------------------------------

def test_cache_skips_clean_files(tmp_path, monkeypatch):
    src = tree(tmp_path / "src", {"a.txt": CLEAN, "b.txt": "另一个干净的文件。\n", "c.txt": DAMAGED})
    cache_dir = tmp_path / "cachedir"
    monkeypatch.setenv("ZHFIX_CACHE_DIR", str(cache_dir))
    rep1 = report_json(invoke("-i", "--report", "json", src))
    assert rep1["cached"] == 0
    assert list(cache_dir.glob("cache.*.json"))
    rep2 = report_json(invoke("-i", "--report", "json", src))
    assert rep2["scanned"] == 3
    assert rep2["cached"] == 3  # clean, or written by the first run
    assert rep2["repaired"] == 0
    # a changed file is looked at again
    (src / "a.txt").write_text(DAMAGED, encoding="utf-8")
    rep3 = report_json(invoke("--check", "--report", "json", src))
    assert rep3["cached"] <= 2
    assert (str(src / "a.txt") in rep3["files"]["repaired"]) == _damaged_changes()
    # different options: a different cache
    rep4 = report_json(invoke("--check", "--keep-boilerplate", "--report", "json", src))
    assert rep4["cached"] == 0
    # --no-cache
    assert report_json(invoke("--check", "--no-cache", "--report", "json", src))["cached"] == 0


def test_cache_survives_touch(tmp_path, monkeypatch):
    src = tree(tmp_path / "src", {"a.txt": CLEAN})
    invoke("--check", src)
    st = os.stat(src / "a.txt")
    os.utime(src / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    rep = report_json(invoke("--check", "--report", "json", src))
    assert rep["cached"] == (1 if repaired_text(CLEAN) == CLEAN else 0)


# -- leftovers -------------------------------------------------------------------------

def test_stale_temp_files_cleaned_live_ones_kept(tmp_path):
    src = tree(tmp_path / "src", {"a.txt": CLEAN, "sub/b.txt": CLEAN})
    dead = src / "sub" / ".zhfix-999999999-abcd1234.tmp"   # no such process
    live = src / f".zhfix-{os.getpid()}-abcd1234.tmp"      # a run still writing
    dead.write_bytes(b"half")
    live.write_bytes(b"half")
    r = invoke("-i", "--report", "json", src)
    assert report_json(r)["scanned"] == 2  # temp files are never input
    assert not dead.exists() and live.exists()


def test_explain_in_batch(tmp_path):
    src = tree(tmp_path / "src", {"a.txt": DAMAGED, "b.txt": CLEAN})
    r = invoke("--json", src)
    lines = [json.loads(x) for x in r.stdout_bytes.decode().splitlines()]
    assert [x["file"] for x in lines] == [str(src / "a.txt"), str(src / "b.txt")]


def test_empty_path_is_an_error_not_the_current_directory(tmp_path, monkeypatch):
    from cli_support import invoke

    (tmp_path / "a.txt").write_text("中國質量新聞網(wǎng)發(fā)布,企業(yè)質量數據顯示\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = invoke("")
    assert r.exit_code == 2
    assert r.stdout_bytes == b""
    assert "empty path" in r.stderr
