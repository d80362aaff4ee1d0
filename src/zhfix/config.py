"""All switches of a repair, in one immutable value (like ftfy's TextFixerConfig)."""
from __future__ import annotations

from typing import NamedTuple


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
    #: Take the fast paths (skip stages the text's characters cannot need, by
    #: one scan of their classes; the bulk of t2s in one pass).  False runs
    #: every stage and converts character by character: slower, and by test
    #: identical in output.
    fast: bool = True
    #: Force a diagnosis: None decides from the text, True/False override.
    disguised: object = None
