"""Repairing inputs too large to hold: line-bounded chunks, constant memory.
(A line longer than a chunk is held whole: the header, chrome, footer and
first-character tests judge whole lines, so a line is never cut; memory then
grows with the longest line.)

The encoding is judged once, on the first bytes (a bounded prefix, as for
any document); the chunks of text are repaired by the runner
(:class:`zhfix.runner.Chunked`), which takes the document-level decisions
once, on the first chunk.
"""
from __future__ import annotations

import codecs
from typing import BinaryIO, Iterator, Optional

from .config import Config
from .errors import DecodeError, NotChineseError
from .result import Result
from .runner import Chunked
from .stages.decode import decode

#: Bytes read at a time; a chunk ends at the last line break in it (see _cut).
CHUNK = 4 << 20
#: Inputs larger than this are streamed by the command line.
STREAM_AT = 8 << 20


def _text_chunks(fin: BinaryIO, first: bytes, more: bytes, head) -> Iterator[str]:
    """Decode `first` + `more` + the rest of `fin` (`head`: how `first` was
    judged), yielding text chunks that end at a line break (a line longer than
    a chunk is held whole).  A character split between two reads is decoded
    whole (the incremental decoder keeps its first bytes for the next read)."""
    if head.encoding.replace("_", "-").lower() in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
        raise DecodeError("streaming needs an ASCII-compatible encoding; this input is " + head.encoding)
    name = "utf-8" if head.encoding == "utf-8-sig" else head.encoding
    decoder = codecs.getincrementaldecoder(name)()
    if head.bom:
        decoder.decode(codecs.BOM_UTF8)  # the BOM is not text
    pending = ""
    rest = [first[i:i + CHUNK] for i in range(0, len(first), CHUNK)] + [more]
    data = rest.pop(0)
    while True:
        try:
            pending += decoder.decode(data, final=not data)
        except UnicodeDecodeError as e:
            raise DecodeError(f"bytes that are not {name} further in ({e.reason})")
        if not data:
            if pending:
                yield pending
            return
        while len(pending) >= CHUNK // 4:
            cut = _cut(pending)
            if not cut:
                break  # a line longer than a chunk is held whole until it ends
            yield pending[:cut]
            pending = pending[cut:]
        data = rest.pop(0) if rest else fin.read(CHUNK)


def _cut(text: str) -> int:
    """Where to end a chunk of `text`: after its last line break, if that is
    in its second half (0: not yet: a short title and the start of a long
    line wait for the rest of the line, so the first chunk is not the title
    alone, and a long line is held whole)."""
    cut = text.rfind("\n") + 1
    return cut if cut >= len(text) // 2 else 0


#: Bytes below "0" to NUL, the others to 1.
_BELOW_0 = bytes(0 if b < 0x30 else 1 for b in range(256))


def _judge(first: bytes, complete: bool):
    """Decode a prefix of `first` that ends between two characters, for the
    encoding (and the BOM) of the whole input.  `complete`: `first` is all of
    it."""
    if complete:
        return decode(first)
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        raise DecodeError("streaming needs an ASCII-compatible encoding; this input is UTF-16 or UTF-32")
    cut = first.rfind(b"\n") + 1
    if cut < len(first) // 2:
        # else after the last byte below "0", a space or ASCII punctuation:
        # never part of a UTF-8 character, nor a trail byte of GB18030, GBK,
        # Big5.  A line break comes first because in HZ, ~{ ... ~} ends with
        # the line.
        cut = first.translate(_BELOW_0).rfind(b"\0") + 1
    if cut >= len(first) // 2:
        return decode(first[:cut])
    # no such byte, or only near the start, as when a short first line is
    # followed by a long one: cut where each encoding would end its last whole
    # character
    cuts = []
    for name in ("utf-8", "gb18030", "big5"):
        d = codecs.getincrementaldecoder(name)()
        try:
            d.decode(first, final=False)
        except UnicodeDecodeError:
            continue
        n = len(first) - len(d.getstate()[0])
        if n > cut and n not in cuts:
            cuts.append(n)
    if cut:
        cuts.append(cut)
    error = DecodeError("no encoding plausible for Chinese text (UTF-8, GB18030/GBK, Big5) "
                        "explains these bytes")
    for n in cuts:
        try:
            return decode(first[:n])
        except NotChineseError:
            raise
        except DecodeError as e:
            error = e
    raise error


def repair_stream(fin: BinaryIO, fout: BinaryIO, config: Optional[Config] = None,
                  first: bytes = b"") -> Result:
    """Repair what `fin` holds (after the already-read bytes `first`) into
    `fout` as UTF-8, chunk by chunk (zhfix.runner.Chunked).  Returns a Result
    without text (it went to `fout`).  Input that is not Chinese (see
    zhfix.stages.decode) is copied to `fout` as it came, then
    :class:`NotChineseError` is raised."""
    config = config or Config()
    if len(first) < CHUNK:
        first += fin.read(CHUNK - len(first))
    more = fin.read(CHUNK)
    try:
        head = _judge(first, complete=not more)
    except NotChineseError:
        # another language: copied through as it came, then said
        fout.write(first)
        while more:
            fout.write(more)
            more = fin.read(CHUNK)
        fout.flush()
        raise
    chunked = Chunked(config)
    for text in chunked.repair(_text_chunks(fin, first, more, head)):
        fout.write(text.encode("utf-8"))
        # flushed before reading more, so that the command line's stdout ends
        # the run here when its reader has gone away
        fout.flush()
    return chunked.result()
