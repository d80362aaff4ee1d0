"""The values zhfix returns: what was found (Diagnosis) and done (Step, Change).

A `Result` is the repaired text plus its explanation.  The explanation is the
plan itself: ``[step.name for step in result.steps]`` can be replayed on other
text with :func:`zhfix.apply_plan`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import List, Optional


@dataclass(frozen=True)
class Change:
    """One edit: its 1-based line in the *input* document (no step but the
    boilerplate's, which runs last, adds or removes a line break) and its
    1-based column in that line as the step found it (after the steps
    before it, which may have shortened the line)."""

    line: int
    column: int
    before: str
    after: str
    note: str = ""


@dataclass
class Step:
    """One named stage that changed something (or, for ``kind="report"``, only
    found something that it would not change, such as a lossy ``?``)."""

    name: str
    description: str
    count: int
    changes: List[Change] = field(default_factory=list)
    lines: List[int] = field(default_factory=list)
    evidence: dict = field(default_factory=dict)
    kind: str = "fix"  # "fix" changed the text; "report" only flags places; "note": left alone, and why

    def line_ranges(self) -> str:
        """Lines as compact ranges: ``1, 3–4, 26–45``."""
        return format_ranges(self.lines)


@dataclass
class Diagnosis:
    """The document-level verdict and the evidence behind it."""

    disguised: bool = False
    reason: str = ""
    evidence: dict = field(default_factory=dict)


@dataclass
class Result:
    text: str
    steps: List[Step] = field(default_factory=list)
    diagnosis: Diagnosis = field(default_factory=Diagnosis)
    encoding: Optional[str] = None
    bom: bool = False
    #: The document's kind (zhfix.structure) where it mattered: given, or
    #: sniffed; None when no step needed to know it.
    kind: Optional[str] = None

    @property
    def changed(self) -> bool:
        return any(s.kind == "fix" and s.count for s in self.steps)

    @property
    def plan(self) -> List[str]:
        return [s.name for s in self.steps if s.kind == "fix"]

    @property
    def reports(self) -> List[Step]:
        return [s for s in self.steps if s.kind == "report"]

    @property
    def lossy(self) -> bool:
        return any(s.name.startswith("lossy") and s.count for s in self.steps)

    def to_dict(self, with_text: bool = False) -> dict:
        d = {
            "encoding": self.encoding,
            "bom": self.bom,
            "kind": self.kind,
            "changed": self.changed,
            "diagnosis": asdict(self.diagnosis),
            "steps": [asdict(s) for s in self.steps],
        }
        if with_text:
            d["text"] = self.text
        return d


def format_ranges(lines: List[int]) -> str:
    out = []
    nums = sorted(set(lines))
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else f"{nums[i]}–{nums[j]}")
        i = j + 1
    return ", ".join(out)
