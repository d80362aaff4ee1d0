"""Before the runner: bytes to text.  BOM and strict UTF-8 first (the fast path), then
charset-normalizer restricted to encodings plausible for Chinese text."""
from __future__ import annotations

import codecs
from typing import NamedTuple

from ..errors import DecodeError

#: What charset-normalizer may choose from.  Order matters only for ties.
CHINESE_ENCODINGS = ["gb18030", "gbk", "big5", "big5hkscs", "utf_16", "utf_32", "hz"]

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


class Decoded(NamedTuple):
    text: str
    encoding: str
    bom: bool


def decode(data: bytes) -> Decoded:
    """Decode `data`; raise :class:`DecodeError` if it is binary or undecodable."""
    if not data:
        return Decoded("", "utf-8", False)
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name, True)
            except UnicodeDecodeError as e:
                raise DecodeError(f"starts with a {name} byte-order mark but does not decode ({e.reason})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" in text:
            raise DecodeError("binary data (NUL bytes)")
        return Decoded(text, "utf-8", False)
    return _guess(data)


def _guess(data: bytes) -> Decoded:
    if looks_binary(data):
        raise DecodeError("binary data, not text")
    from charset_normalizer import from_bytes, is_binary  # imported only off the fast path

    best = from_bytes(data, cp_isolation=CHINESE_ENCODINGS).best()
    if best is None:
        # charset-normalizer's whole judgment (every encoding it knows): bytes
        # that no encoding explains are binary (an executable, an image...),
        # bytes that some other encoding explains are text zhfix cannot read
        if is_binary(data):
            raise DecodeError("binary data, not text")
        raise DecodeError("no encoding plausible for Chinese text (UTF-8, GB18030/GBK, Big5, UTF-16) explains these bytes")
    text = str(best)
    if "\x00" in text:
        raise DecodeError("binary data (NUL characters after decoding)")
    return Decoded(text, best.encoding, False)


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """NUL bytes or many C0 control bytes in the first `sample` bytes."""
    head = data[:sample]
    if b"\x00" in head:
        # UTF-16/32 without a BOM has NULs too, but only in the high bytes of
        # its code units: one byte column of width 2 or 4 is (nearly) free of
        # them, and charset-normalizer judges the rest.  A binary format (an
        # executable, a table of lengths) has NULs in every column.
        for width in (2, 4):
            n = len(head) // width
            if any(head[i::width].count(0) <= n // 100 for i in range(width)):
                return False
        return True
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (9, 10, 12, 13, 27))
    return controls > max(4, len(head) // 100)
