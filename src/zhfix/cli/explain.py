"""``--explain`` and ``--json``: what was found in a document and what was done.

Both work from the dictionary :meth:`zhfix.Result.to_dict` gives (plus the
file name), so the readable form and the data always say the same thing and a
worker process can hand it back without pickling a Result.
"""
from __future__ import annotations

import json
from typing import List

from ..result import format_ranges

#: Changes shown per step in the readable form (all are in --json).
SHOWN_CHANGES = 3


def to_json(info: dict) -> str:
    """One line of JSON: ``Result.to_dict()`` with ``"file"`` first."""
    return json.dumps(info, ensure_ascii=False)


def _show(s: str) -> str:
    if s == "":
        return "∅"
    out = s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return out if len(out) <= 40 else out[:37] + "…"


def _evidence(ev: dict) -> List[str]:
    parts = []
    for k, v in ev.items():
        if v in (None, "", [], {}, 0, False):
            continue
        if isinstance(v, dict):
            v = ", ".join(f"{a}×{b}" if not isinstance(b, (dict, list)) else f"{a}" for a, b in v.items())
        elif isinstance(v, (list, tuple)):
            v = ", ".join(map(str, v))
        parts.append(f"{k.replace('_', ' ')}: {v}")
    return parts


def render(info: dict, console) -> None:
    """Print the explanation of one document on a rich `console`."""
    from rich.markup import escape
    from rich.table import Table

    name = info.get("file") or "<stdin>"
    enc = info.get("encoding") or "?"
    bom = ", with BOM" if info.get("bom") else ""
    kind = f", kind {escape(info['kind'])}" if info.get("kind") else ""
    console.print(f"[bold]{escape(name)}[/bold]  [dim]read as {escape(enc)}{bom}{kind}[/dim]")

    d = info.get("diagnosis") or {}
    verdict = "[yellow]disguised[/yellow]" if d.get("disguised") else "[green]not disguised[/green]"
    reason = f" — {escape(d['reason'])}" if d.get("reason") else ""
    console.print(f"  diagnosis: {verdict}{reason}")
    for part in _evidence(d.get("evidence") or {}):
        console.print(f"    [dim]{escape(part)}[/dim]")

    steps = info.get("steps") or []
    fixes = [s for s in steps if s.get("kind", "fix") == "fix"]
    reports = [s for s in steps if s.get("kind") == "report"]
    notes = [s for s in steps if s.get("kind") == "note"]
    if not fixes:
        console.print("  [green]nothing to repair[/green]")
    else:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, padding=(0, 1))
        table.add_column("step")
        table.add_column("count", justify="right")
        table.add_column("what")
        table.add_column("lines")
        for s in fixes:
            table.add_row(escape(s["name"]), str(s["count"]), escape(s["description"]),
                          escape(format_ranges(s.get("lines") or [])))
        console.print(table)
        for s in fixes:
            _changes(console, s, escape)
    for s in reports:
        console.print(f"  [red]{escape(s['name'])}[/red]: {s['count']} {escape(s['description'])}"
                      f" — lines {escape(format_ranges(s.get('lines') or []))}")
        _changes(console, s, escape)
    for s in notes:  # looked at, left alone, and why
        console.print(f"  [dim]{escape(s['name'])}: {s['count']} {escape(s['description'])}"
                      f" — lines {escape(format_ranges(s.get('lines') or []))}[/dim]")
        _changes(console, s, escape)


def _changes(console, s: dict, escape) -> None:
    changes = s.get("changes") or []
    ev = _evidence(s.get("evidence") or {})
    if not changes and not ev:
        return
    head = f"  {escape(s['name'])}:"
    if ev:
        head += " [dim]" + escape("; ".join(ev)) + "[/dim]"
    console.print(head)
    for c in changes[:SHOWN_CHANGES]:
        note = f"  [dim]({escape(c['note'])})[/dim]" if c.get("note") else ""
        if s.get("kind") == "note":  # left as it was: the span and why
            console.print(f"    {c['line']}:{c['column']}  {escape(_show(c['before']))}{note}", highlight=False)
            continue
        console.print(f"    {c['line']}:{c['column']}  {escape(_show(c['before']))} → "
                      f"{escape(_show(c['after']))}{note}", highlight=False)
    more = s["count"] - min(len(changes), SHOWN_CHANGES)
    if more > 0 and changes:
        console.print(f"    [dim]… and {more} more[/dim]")


def render_text(infos, color: bool, width: int = 100) -> str:
    """All explanations as one string (written to stdout as UTF-8 bytes, so
    the terminal's locale never matters)."""
    import io

    from rich.console import Console

    if color:  # on a terminal: its width; in a pipe: long lines stay whole
        import shutil
        width = shutil.get_terminal_size((width, 24)).columns
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                      highlight=False, soft_wrap=not color, emoji=False)
    for i, info in enumerate(infos):
        if i:
            console.print()
        render(info, console)
    return buf.getvalue()
