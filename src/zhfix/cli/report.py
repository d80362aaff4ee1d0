"""Counting what a run did, its exit code, and the summary at the end.

Exit codes (also in ``zhfix --help`` and docs/cli.md):

* 0 - nothing to do, or everything repaired;
* 1 - ``--check``/``--diff --check``: something would be repaired; or
  ``--fail-on lossy`` and a file has lossy places;
* 2 - usage error, or an input/output error for at least one file (the other
  files are still processed);
* 130 - interrupted (Ctrl-C); 141 - output pipe closed (``zhfix ... | head``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from ..result import format_ranges

OK, CHANGES, ERROR, INTERRUPTED = 0, 1, 2, 130


@dataclass
class Report:
    mode: str = "stdout"
    check: bool = False
    fail_on_lossy: bool = False
    scanned: int = 0
    repaired: List[str] = field(default_factory=list)
    unchanged: int = 0
    cached: int = 0
    lossy: List[Tuple[str, List[int]]] = field(default_factory=list)
    skipped: List[Tuple[str, str]] = field(default_factory=list)
    errors: List[Tuple[str, str]] = field(default_factory=list)
    bytes: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    # -- recording ---------------------------------------------------------
    def add(self, r) -> None:
        """Count one :class:`zhfix.cli.batch.FileResult`."""
        if r.status == "skipped":
            self.skipped.append((r.path, r.message))
            return
        if r.status == "error":
            self.scanned += 1
            self.errors.append((r.path, r.message))
            return
        self.scanned += 1
        self.bytes += r.size
        if r.status == "changed":
            self.repaired.append(r.path)
        else:
            self.unchanged += 1
            if r.status == "cached":
                self.cached += 1
        if r.lossy:
            self.lossy.append((r.path, list(r.lossy_lines)))
        for p in r.problems:
            path, _, msg = p.partition(": ")
            self.errors.append((path, msg))

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append((path, reason))

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    # -- verdict -----------------------------------------------------------
    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return INTERRUPTED
        if self.errors:
            return ERROR
        if self.check and self.repaired:
            return CHANGES
        if self.fail_on_lossy and self.lossy:
            return CHANGES
        return OK

    def to_dict(self) -> dict:
        return {
            "mode": self.mode,
            "check": self.check,
            "scanned": self.scanned,
            "repaired": len(self.repaired),
            "unchanged": self.unchanged,
            "cached": self.cached,
            "lossy": len(self.lossy),
            "skipped": len(self.skipped),
            "errors": len(self.errors),
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
            "exit_code": self.exit_code,
            "files": {
                "repaired": list(self.repaired),
                "lossy": [{"file": f, "lines": lines} for f, lines in self.lossy],
                "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
                "errors": [{"file": f, "message": m} for f, m in self.errors],
            },
        }

    # -- for people --------------------------------------------------------
    def sentence(self) -> str:
        verb = "would be repaired" if self.check else "repaired"
        parts = [f"{_n(len(self.repaired))} {verb}", f"{_n(self.unchanged)} left unchanged"]
        if self.lossy:
            parts.append(f"{_n(len(self.lossy))} with lossy places")
        if self.skipped:
            parts.append(f"{_n(len(self.skipped))} skipped")
        if self.errors:
            parts.append(f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}")
        s = ", ".join(parts) + "."
        if self.interrupted:
            s = "Interrupted: " + s
        return s

    def render(self, console) -> None:
        """Print the summary table on `console` (a rich Console on stderr)."""
        from rich.table import Table

        table = Table(title=None, show_edge=False, pad_edge=False, box=None, header_style="bold")
        cols = ["scanned", "would repair" if self.check else "repaired", "unchanged", "lossy",
                "skipped", "errors", "bytes", "time"]
        for c in cols:
            table.add_column(c, justify="right")
        table.add_row(
            str(self.scanned), str(len(self.repaired)), str(self.unchanged), str(len(self.lossy)),
            str(len(self.skipped)), str(len(self.errors)), human_bytes(self.bytes), f"{self.seconds:.2f} s",
        )
        console.print(table)
        console.print(self.sentence(), highlight=False)


def lossy_note(path: str, lines: List[int]) -> str:
    where = f" (lines {format_ranges(lines)})" if lines else ""
    return f"lossy places in {path}{where}"


def _n(k: int) -> str:
    return f"{k} file{'s' if k != 1 else ''}"


def human_bytes(n: int) -> str:
    size: float = n
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} B"


def parse_size(text: str) -> Optional[int]:
    """``50MB`` -> 50_000_000; ``1MiB``, ``512k``, ``1000``; ``0``/``none``: no limit."""
    t = str(text).strip().lower().replace(" ", "")
    if t in ("", "0", "none", "off", "unlimited"):
        return None
    units = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000 ** 2, "mb": 1000 ** 2,
             "mib": 1024 ** 2, "g": 1000 ** 3, "gb": 1000 ** 3, "gib": 1024 ** 3}
    num = t.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = t[len(num):]
    if unit not in units or not num:
        raise ValueError(f"not a size: {text!r} (try 50MB, 512k, 1GiB)")
    return int(float(num) * units[unit])
