"""The documentation as a reader meets it: the README opens with the two
commands a new user types and stays short, every relative link of README.md
and docs/*.md leads somewhere, the exit codes are written out once, and the
table of options in docs/cli.md names exactly the options ``zhfix`` has.

(That every code block runs is tests/test_examples.py.)"""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from zhfix.cli import cli

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = [README, *sorted((REPO / "docs").glob("*.md"))]
CLI_MD = REPO / "docs" / "cli.md"

#: The install-and-run command and the test command, as the README gives them.
RUN_SEED = ("python3 -m venv .venv && . .venv/bin/activate && python -m pip install . "
            "&& zhfix fixtures/in-the-wild/seed.txt")
RUN_TESTS = ('python3 -m venv .venv && . .venv/bin/activate && python -m pip install -e ".[test]" '
             "&& python -m pytest")


def fenced_blocks(text: str):
    """(first line, lines) of every fenced block, 0-based line numbers."""
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        if lines[i].startswith("```"):
            start, i = i, i + 1
            while i < len(lines) and lines[i] != "```":
                i += 1
            out.append((start, lines[start + 1:i]))
        i += 1
    return out


def prose(text: str) -> str:
    """The text without its fenced blocks and inline code."""
    lines = text.splitlines()
    for start, body in fenced_blocks(text):
        for k in range(start, start + len(body) + 2):
            if k < len(lines):
                lines[k] = ""
    return re.sub(r"`[^`\n]*`", "", "\n".join(lines))


# -- the README ---------------------------------------------------------------------

def test_readme_opens_with_the_two_commands():
    """The first two blocks, before any heading but the title: install and run
    zhfix on the seed; install the test extras and run the suite."""
    text = README.read_text(encoding="utf-8")
    (_, first), (_, second) = fenced_blocks(text)[:2]
    assert first == [RUN_SEED]
    assert second == [RUN_TESTS]
    before = text[:text.index(RUN_TESTS)]
    assert [ln for ln in before.splitlines() if ln.startswith("#")] == ["# zhfix — repair damaged Chinese text"]


def test_ci_runs_the_readme_test_command():
    ci = REPO / ".ci" / "run"
    if not ci.exists():
        pytest.skip("no .ci/run (an unpacked sdist)")
    commands = [ln for ln in ci.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    assert commands[-1] == RUN_TESTS


def test_readme_is_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 150


def test_exit_codes_are_written_once():
    """One table of exit codes in the whole documentation (docs/cli.md), which
    the README links to."""
    holders = [p.relative_to(REPO).as_posix() for p in DOCS
               if re.search(r"^\| 141 \|", p.read_text(encoding="utf-8"), re.M)]
    assert holders == ["docs/cli.md"]
    assert "](docs/cli.md#exit-codes)" in README.read_text(encoding="utf-8")


# -- links --------------------------------------------------------------------------

def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped (letters
    of any script, digits, '-' and '_' kept), spaces to hyphens."""
    heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    in_block = set()
    for start, body in fenced_blocks(text):
        in_block.update(range(start, start + len(body) + 2))
    seen, out = {}, set()
    for n, line in enumerate(lines):
        m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m and n not in in_block:
            base = slug(m.group(1))
            k = seen.get(base, 0)
            seen[base] = k + 1
            out.add(base if k == 0 else f"{base}-{k}")
    return out


LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def relative_links():
    for doc in DOCS:
        for target in dict.fromkeys(LINK.findall(prose(doc.read_text(encoding="utf-8")))):
            if not re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, mailto: ...
                yield doc, target


LINKS = list(relative_links())


def test_there_are_links_to_check():
    assert len(LINKS) > 30


@pytest.mark.parametrize("doc,target", LINKS, ids=[f"{d.relative_to(REPO)}->{t}" for d, t in LINKS])
def test_relative_link_resolves(doc, target):
    path, _, anchor = target.partition("#")
    dest = (doc.parent / path).resolve() if path else doc
    assert dest.exists(), f"{doc.relative_to(REPO)}: {target}: no such file"
    assert REPO in dest.parents or dest == REPO, f"{target} leaves the repository"
    if anchor:
        assert dest.suffix == ".md", f"{target}: an anchor in a file that is not Markdown"
        assert anchor in anchors(dest), f"{doc.relative_to(REPO)}: {target}: no such heading"


def test_slug_matches_github():
    assert slug("3. Mojibake: bytes read with the wrong encoding") == "3-mojibake-bytes-read-with-the-wrong-encoding"
    assert slug("Any other engine: `zhfix.repair_record`") == "any-other-engine-zhfixrepair_record"
    assert slug("Why each dependency") == "why-each-dependency"


# -- the table of options in docs/cli.md ---------------------------------------------

def options_table():
    """{option names of a row: (argument cell, default cell)} from the table
    under '## Options'."""
    text = CLI_MD.read_text(encoding="utf-8")
    section = text.split("\n## Options\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if not line.startswith("| `-"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        assert len(cells) == 4, line
        names = frozenset(re.findall(r"`(-[^`]+)`", cells[0]))
        assert names not in rows, f"two rows for {sorted(names)}"
        rows[names] = (cells[1], cells[2])
    return rows


def command_options():
    ctx = click.Context(cli, **cli.context_settings)
    return {frozenset(p.opts + p.secondary_opts): p for p in cli.get_params(ctx) if isinstance(p, click.Option)}


def test_every_option_has_a_row_and_every_row_an_option():
    rows, options = options_table(), command_options()
    missing = sorted(sorted(names) for names in options.keys() - rows.keys())
    unknown = sorted(sorted(names) for names in rows.keys() - options.keys())
    assert not missing and not unknown, (f"options of zhfix with no row in docs/cli.md's table: {missing}; "
                                         f"rows naming no option of zhfix: {unknown}")


@pytest.mark.parametrize("names", sorted(command_options(), key=sorted), ids=lambda n: max(n, key=len))
def test_option_row_gives_its_argument_and_default(names):
    """A flag has no argument; an option shows its metavar, or its choices;
    a default given as text (``50MB``, ``auto``) is the table's."""
    rows, param = options_table(), command_options()[names]
    if names not in rows:
        pytest.skip("no row (test_every_option_has_a_row_and_every_row_an_option)")
    argument, default = rows[names]
    if param.is_flag:
        assert argument == "—"
    elif param.metavar:
        assert f"`{param.metavar}`" in argument
    elif isinstance(param.type, click.Choice):
        shown = re.findall(r"`([^`]*)`", argument)
        assert shown and shown[0].split("\\|") == list(param.type.choices)
    if param.multiple:
        assert "repeatable" in argument
    if isinstance(param.default, str) and param.default:
        assert f"`{param.default}`" in default
