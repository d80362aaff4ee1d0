"""All switches of a repair, in one immutable value (like ftfy's TextFixerConfig)."""
from __future__ import annotations

from typing import NamedTuple

#: The steps of undoing a whole disguise; of undoing its traces in text that is
#: not diagnosed as disguised; of stripping a mirror page's boilerplate.
UNDISGUISE = ("remove-pinyin", "to-simplified", "restore-punctuation")
PARTIAL = ("remove-glued-pinyin", "simplify-first-characters")
STRIP = ("strip-header", "strip-chrome", "strip-footer")
#: Every step that changes text, in the order they run; ``skip`` names these.
FIXES = ("fix-mojibake", "reread-gbk") + UNDISGUISE + PARTIAL + STRIP


class Config(NamedTuple):
    #: Remove the spam-keyword header, site chrome and footer of a web page.
    strip_boilerplate: bool = True
    #: Undo a simplified-to-traditional disguise (pinyin, t2s, punctuation).
    undisguise: bool = True
    #: Re-read spans garbled by a GBK stream read one byte out of step.
    reread: bool = True
    #: Repair wrong-codec readings (mojibake) span by span.
    mojibake: bool = True
    #: Record every change with its line and column (needed by --explain);
    #: counts are always recorded.  Off is faster on large corpora.
    explain: bool = True
    #: Take the fast paths: skip the stages the text's characters cannot need,
    #: as a scan of their classes shows, and convert the bulk of t2s with one
    #: table.  False runs every stage and converts character by character:
    #: slower, and by test identical in output.
    fast: bool = True
    #: Force a diagnosis: None decides from the text, True/False override.
    #: False alone still lets the partial fixes repair traces of a disguise,
    #: which is why the command line's ``--assume clean`` adds ``skip=PARTIAL``.
    disguised: object = None
    #: Fix steps (names of FIXES) that do not run: their changes are not made
    #: and they are not reported, whatever the text needs.  A tuple of names.
    skip: tuple = ()
    #: What the document is: "text", "markdown", "code", "csv", "tsv",
    #: "json", "jsonl" (zhfix.structure); None or "auto" sniffs the content.
    #: Punctuation is restored only in its prose, boilerplate stripped only
    #: from text and Markdown, and code is not judged a disguised page.
    kind: object = None
