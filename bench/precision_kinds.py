"""The kinds of false positive in a ``bench/precision.py --json`` run, and
which of issue 14's decision areas would remove each.

    python bench/precision.py --json after.json
    python bench/precision_kinds.py after.json          # Markdown tables

Only the files that changed are read again (from ../shared/corpora) and
repaired again three more times, with one area switched off each time:

* mojibake stage: ``Config(mojibake=False)`` (the ``fix-mojibake`` step);
* disguise diagnosis: ``Config(undisguise=False, strip_boilerplate=False)``
  (``to-simplified``, ``restore-punctuation``, ``remove-pinyin`` and the
  boilerplate steps, which run on pages diagnosed as mirrors);
* both.

A file counts as fixed by an area when it comes out byte-identical with that
area off (so a cascade -- kana garbled into hanzi, then the page judged a
disguised mirror -- is counted where it starts).  "punctuation in code"
counts the files whose only remaining changes are ASCII punctuation widened
inside code (backticks, indented or fenced blocks, CSV-like lines).

Each change gets a *kind* from its step, the script of what it replaced and
where it stands; the made-up example of each kind below is run through zhfix
live, so the table shows what the current code does with that shape.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import precision  # noqa: E402

#: kind -> (decision area, shape, a made-up example of the shape)
KINDS = {
    "cyrillic-word": ("mojibake stage", "a Cyrillic word (ru, uk, bg, sr, kk) in prose, taken for Big5 bytes read as GB18030 and turned into hanzi",
                      "Показать список всех файлов"),
    "cyrillic-placeholder": ("mojibake stage", "a Cyrillic word inside a `{{placeholder}}`, inline code, a code block or a comma-separated line",
                             "`ls {{путь/к/папке}}`"),
    "cyrillic-letter": ("mojibake stage", "a lone Cyrillic letter or two-letter word (abbreviation, `С`, `и`)",
                        "Книги и курсы"),
    "greek-word": ("mojibake stage", "a Greek word read as mojibake", "Εμφάνιση όλων των αρχείων"),
    "katakana-run": ("mojibake stage", "a katakana word (a loanword: ファイル, サーバー) turned into hanzi",
                     "ページ – ファイル"),
    "hiragana-run": ("mojibake stage", "hiragana alone (particles, okurigana, です/します) turned into hanzi",
                     "昇順でソートする"),
    "kana-mixed-run": ("mojibake stage", "katakana and hiragana together (ファイルを…します) re-encoded as one span",
                       "ファイルをダウンロードします"),
    "kana-kanji-run": ("mojibake stage", "kana with kanji or 、。 inside one re-encoded span",
                       "すべてのファイルを一覧表示する。"),
    "kana-with-brackets": ("mojibake stage", "kana next to 「」 or （）, the brackets replaced too", "「レンダー」します"),
    "en-dash": ("mojibake stage", "an en dash – between words, next to kana, read as mojibake (– → 每)", "ボタン – 押します"),
    "chained-reading": ("mojibake stage", "a second reading (e.g. gb18030 read as big5) of what the stage itself garbled: "
                        "its recorded `before` is not in the input", ""),
    "latin-accented": ("mojibake stage", "accented Latin letters (é, ë, è) of Dutch or French read as mojibake",
                       "Créé een geïndexeerde ééndimensionale lijst"),
    "box-drawing": ("mojibake stage", "a box or tree diagram of box-drawing characters (┌─┐ │ ├──) turned into hanzi",
                    "┌──────┐\n│ app  │\n└──────┘"),
    "hanzi-rare": ("mojibake stage", "a run of hanzi/kanji alone re-encoded (a rare name in Chinese text; kanji between garbled kana)", "作者：旼洙"),
    "other-mojibake": ("mojibake stage", "any other text read as mojibake", "·"),
    # (the page-level verdicts: a one-line example does not reach them)
    "kanji-to-simplified": ("disguise diagnosis", "kanji of a Japanese page converted to simplified Chinese (線 → 线, 昇 → 升)",
                            "取り消し線を表示する"),
    "hanzi-to-simplified": ("disguise diagnosis", "hanzi of a Chinese page converted to simplified on a page judged disguised",
                            "刪除檔案(含子目錄)。"),
    "paren-in-prose": ("disguise diagnosis", "ASCII ( ) next to CJK prose or a Markdown link widened to （ ）",
                       "显示帮助(例如)。"),
    "paren-in-code": ("punctuation in code", "ASCII punctuation widened inside code (`f(x)`, code block, CSV)",
                      "调用 `f(x)` 函数。"),
    "boilerplate": ("disguise diagnosis", "a list of links at the end of a non-mirror page removed as its footer",
                    "* [规则一](/rules/a)\n* [规则二](/rules/b)"),
    "other": ("other", "anything else", ""),
}

_BOX = re.compile(r"[\u2500-\u257f]")
_CODE = re.compile(r"`[^`]*`")


def _scripts(s: str) -> Counter:
    c = Counter()
    for ch in s:
        if ch.isascii():
            c["ascii"] += 1
        elif "\u2500" <= ch <= "\u257f":
            c["box"] += 1
        else:
            n = unicodedata.name(ch, "?")
            c[n.split()[0].split("-")[0]] += 1  # CYRILLIC, GREEK, HIRAGANA, KATAKANA, CJK, LATIN, ...
    return c


def _in_code(line: str, column: int) -> bool:
    """Whether 1-based `column` of `line` is inside `inline code`, an
    indented code line or a CSV-like line (commas or tabs between fields)."""
    if line.startswith(("    ", "\t")) or line.count(",") >= 3 or "\t" in line:
        return True
    return any(m.start() < column <= m.end() for m in _CODE.finditer(line))


def kind(step: str, before: str, after: str, line: str, column: int, in_fence: bool, japanese: bool = False) -> str:
    if step in ("strip-header", "strip-chrome", "strip-footer"):
        return "boilerplate"
    if step == "restore-punctuation":
        return "paren-in-code" if in_fence or _in_code(line, column) else "paren-in-prose"
    if step == "to-simplified":
        return "kanji-to-simplified" if japanese else "hanzi-to-simplified"
    if step != "fix-mojibake":
        return "other"
    sc = _scripts(before)
    if before and before not in line:
        return "chained-reading"
    if sc["box"]:
        return "box-drawing"
    if sc["CYRILLIC"]:
        if in_fence or _in_code(line, column) or re.search(r"\{\{[^}]*" + re.escape(before), line):
            return "cyrillic-placeholder"
        return "cyrillic-letter" if sc["CYRILLIC"] <= 2 else "cyrillic-word"
    if sc["GREEK"]:
        return "greek-word"
    if sc["HIRAGANA"] or sc["KATAKANA"]:
        if any(ch in before for ch in "「」『』（）【】"):
            return "kana-with-brackets"
        if sc["CJK"] or sc["IDEOGRAPHIC"]:
            return "kana-kanji-run"
        return "kana-mixed-run" if sc["HIRAGANA"] and sc["KATAKANA"] else "hiragana-run" if sc["HIRAGANA"] else "katakana-run"
    if "\u2013" in before:
        return "en-dash"
    if sc["LATIN"]:
        return "latin-accented"
    if sc["CJK"]:
        return "hanzi-rare"
    return "other-mojibake"


def file_kinds(text: str, result) -> list:
    """The kind of every change of `result` (a repair of `text`)."""
    lines = text.split("\n")
    fence = []
    inside = False
    for ln in lines:
        if ln.lstrip().startswith(("```", "~~~")):
            inside = not inside
            fence.append(True)
        else:
            fence.append(inside)
    japanese = len(re.findall(r"[\u3040-\u30ff]", text)) >= 10
    out = []
    for s in result.steps:
        if s.kind != "fix" or not s.count:
            continue
        if not s.changes:
            out.append(kind(s.name, "", "", "", 0, False, japanese))
        for c in s.changes:
            i = max(0, min(len(lines) - 1, c.line - 1))
            out.append(kind(s.name, c.before, c.after, lines[i], c.column, fence[i], japanese))
    return out


def texts_of(corpora: Path, keys: set):
    for corpus, path, lang, text in precision.records(corpora):
        if (corpus, path) in keys:
            yield corpus, path, lang, text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path, help="a bench/precision.py --json file")
    ap.add_argument("--corpora", type=Path, default=precision.CORPORA)
    ap.add_argument("--src", type=Path, default=precision.REPO / "src")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.src.resolve()))
    import zhfix

    data = json.loads(args.run.read_text(encoding="utf-8"))
    keys = {(r["corpus"], r["path"]) for r in data["results"] if r["status"] == "changed"}
    files_of = Counter()        # kind -> files with at least one change of it
    changes_of = Counter()      # kind -> changes
    primary = Counter()         # kind -> files whose first change is of it
    fixed = defaultdict(Counter)  # kind -> {area: files fixed with the area off}
    area_total = Counter()
    where = defaultdict(Counter)  # kind -> corpus/language
    off_m = zhfix.Config(mojibake=False)
    off_d = zhfix.Config(undisguise=False, strip_boilerplate=False)
    off_b = zhfix.Config(mojibake=False, undisguise=False, strip_boilerplate=False)
    n = 0
    for corpus, path, lang, text in texts_of(args.corpora, keys):
        n += 1
        kind = precision._kind(path)  # (the file's kind, as precision.py repaired it)
        r = zhfix.repair(text, **kind)
        ks = file_kinds(text, r)
        rest = zhfix.repair(text, off_m._replace(**kind))
        areas = {
            "mojibake stage": rest.text == text,
            "disguise diagnosis": zhfix.repair(text, off_d._replace(**kind)).text == text,
            "mojibake + diagnosis": zhfix.repair(text, off_b._replace(**kind)).text == text,
        }
        rest_kinds = set(file_kinds(text, rest)) if rest.text != text else set()
        areas["mojibake + punctuation in code"] = bool(rest_kinds) and rest_kinds <= {"paren-in-code"} or areas["mojibake stage"]
        for a, ok in areas.items():
            area_total[a] += ok
        primary[ks[0] if ks else "other"] += 1
        for k in set(ks):
            files_of[k] += 1
            where[k][f"{corpus}/{lang}"] += 1
            for a, ok in areas.items():
                fixed[k][a] += ok
        changes_of.update(ks)
    print(f"{n} changed files read again; fixed by switching off an area (files byte-identical):\n")
    print(precision._md([(a, area_total[a], f"{100 * area_total[a] / max(n, 1):.1f}%") for a in area_total],
                        ["area switched off", "files fixed", "share"]))
    print("\nKinds (a file counts once per kind it shows; 'first' = files whose first change is of this kind):\n")
    areas = [a for a in area_total if a != "mojibake + punctuation in code"]  # (in the first table)
    rows = []
    for k, v in files_of.most_common(20):
        area, shape, example = KINDS[k]
        made = zhfix.fix_text(example) if example else ""
        demo = f"`{example!r}` → `{made!r}`" if made != example else f"`{example!r}` (unchanged)"
        rows.append([k, v, primary[k], changes_of[k], area] + [fixed[k][a] for a in areas]
                    + [", ".join(f"{w} {c}" for w, c in where[k].most_common(3)), shape, demo.replace("|", "\\|")])
    print(precision._md(rows, ["kind", "files", "first", "changes", "area"] + [f"fixed: {a} off" for a in areas]
                        + ["where (most)", "shape", "made-up example, run live"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
