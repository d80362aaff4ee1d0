"""Repairing inputs too large to hold: line-bounded chunks, constant memory.

The document-level decisions are taken once, on the first chunk (a bounded
prefix, as for any document: see :data:`zhfix.diagnose.SAMPLE`): the
encoding, and whether the text is disguised.  Every chunk is then repaired
with that diagnosis; the spam header and site chrome are looked for in the
first chunk only, the footer in the last only.  Steps are merged, with their
line numbers counted from the start of the whole input.
"""
from __future__ import annotations

import codecs
from dataclasses import replace
from typing import BinaryIO, Dict, Iterator, Optional

from .stages import boilerplate, spans
from .config import Config
from .stages.decode import decode
from .errors import DecodeError
from .runner import MAX_CHANGES, boilerplate_steps, mirror_page, run
from .result import Diagnosis, Result, Step

#: Bytes read at a time; a chunk ends at the last line break in it.
CHUNK = 4 << 20
#: Inputs larger than this are streamed by the command line.
STREAM_AT = 8 << 20


def _text_chunks(fin: BinaryIO, first: bytes) -> Iterator[str]:
    """Decode `first` + the rest of `fin`, yielding line-bounded text chunks."""
    cut = first.rfind(b"\n") + 1 or len(first)
    head = decode(first[:cut])
    if head.encoding.replace("_", "-").lower() in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
        raise DecodeError("streaming needs an ASCII-compatible encoding; this input is " + head.encoding)
    name = "utf-8" if head.encoding == "utf-8-sig" else head.encoding
    decoder = codecs.getincrementaldecoder(name)()
    if head.bom:
        decoder.decode(codecs.BOM_UTF8)  # the BOM is not text
    pending = ""
    rest = [first[i:i + CHUNK] for i in range(0, len(first), CHUNK)]
    data = rest.pop(0) if rest else b""
    while True:
        try:
            pending += decoder.decode(data, final=not data)
        except UnicodeDecodeError as e:
            raise DecodeError(f"bytes that are not {name} further in ({e.reason})")
        if not data:
            if pending:
                yield pending
            return
        cut = pending.rfind("\n") + 1
        if cut and len(pending) >= CHUNK // 4:
            yield pending[:cut]
            pending = pending[cut:]
        data = rest.pop(0) if rest else fin.read(CHUNK)


def repair_stream(fin: BinaryIO, fout: BinaryIO, config: Optional[Config] = None,
                  first: bytes = b"") -> Result:
    """Repair what `fin` holds (after the already-read bytes `first`) into
    `fout` as UTF-8.  Returns a Result without text (it went to `fout`)."""
    from .stages.diagnose import diagnose

    config = config or Config()
    if len(first) < CHUNK:
        first += fin.read(CHUNK - len(first))
    steps: Dict[str, Step] = {}
    diagnosis: Optional[Diagnosis] = None
    line0 = 0
    chunks = _text_chunks(fin, first)
    current = next(chunks, None)
    at_start = True
    mirror = False
    while current is not None:
        following = next(chunks, None)
        if following is not None and config.strip_boilerplate:
            # lines at the end of a chunk that may begin the page's footer wait
            # for the next chunk, so the footer is judged whole at the end
            current, held = _hold_footer(current)
            following = held + following
        if diagnosis is None:
            diagnosis = diagnose(current, fast=config.fast) if config.disguised is None else \
                Diagnosis(bool(config.disguised), "set by the caller")
        disguised = diagnosis.disguised and config.undisguise
        part = run(current, config._replace(disguised=disguised, strip_boilerplate=False))
        text = part.text
        if at_start and config.strip_boilerplate:
            mirror = mirror_page(text, disguised)  # decided once, for the whole page
        if mirror:
            text = _edges(text, part, at_start, following is None, config.explain)
        for s in part.steps:
            _merge(steps, s, line0)
        fout.write(text.encode("utf-8"))
        line0 += current.count("\n")
        current, at_start = following, False
    return Result(text="", steps=list(steps.values()), diagnosis=diagnosis or Diagnosis())


#: At most this many lines wait for the next chunk.
MAX_HELD = 200


def _hold_footer(text: str):
    from .stages.convert import to_simplified

    rows = spans.lines(text)
    k = len(rows)
    while k > 0 and len(rows) - k < MAX_HELD:
        row = rows[k - 1]
        if row.strip() and not boilerplate.is_footer_line(to_simplified(row)):
            break
        k -= 1
    if k == 0:
        return text, ""
    return "".join(rows[:k]), "".join(rows[k:])


def _edges(text: str, part: Result, first: bool, last: bool, explain: bool) -> str:
    if not (first or last):
        return text
    found = boilerplate.find(text, header=first, chrome=first, footer=last)
    part.steps += boilerplate_steps(text, found, explain)
    stripped = boilerplate.strip(text, found)
    if not last and stripped and not stripped.endswith("\n"):
        stripped += "\n"  # a chunk ends at a line break; keep it there
    return stripped


def _merge(steps: Dict[str, Step], s: Step, line0: int) -> None:
    """Add a chunk's step to the whole input's, its lines counted from line0."""
    lines = [n + line0 for n in s.lines]
    changes = [replace(c, line=c.line + line0) for c in s.changes]
    if s.name not in steps:
        steps[s.name] = replace(s, lines=lines, changes=changes[:MAX_CHANGES])
        return
    t = steps[s.name]
    t.count += s.count
    t.lines += lines
    t.changes += changes[:max(0, MAX_CHANGES - len(t.changes))]
