"""Writing repaired text back: encoding, byte-order mark, line endings, and
atomic replacement of files.

* Output is UTF-8 unless ``--keep-encoding`` asks for the input's encoding
  (then a character that does not fit is an error and nothing is written).
* A byte-order mark on the input is kept on the output.
* Line endings: the repair works on the text as decoded, so CRLF survives;
  should a stage ever hand back bare LF for a document that used CRLF
  throughout, :func:`restore_newlines` puts the CRLF back.
* Files are replaced by :func:`zhfix.data.store.atomic_write`: a reader (or a
  crash, or SIGKILL) sees the old file or the new one, never half of either.
"""
from __future__ import annotations

import codecs
import os
import stat
from typing import Optional

from .. import lazyre


class WriteError(Exception):
    """The output could not be produced or written; nothing was changed."""


_LONE_LF = lazyre.compile(r"(?<!\r)\n")


def newline_style(text: str) -> Optional[str]:
    """``"\\r\\n"`` if every line break is CRLF, ``"\\n"`` if every one is LF,
    None for no line breaks or a mix."""
    lf = text.count("\n")
    if not lf:
        return None
    crlf = text.count("\r\n")
    if crlf == lf:
        return "\r\n"
    if crlf == 0:
        return "\n"
    return None


def restore_newlines(original: str, repaired: str) -> str:
    """Give `repaired` the line endings `original` used throughout."""
    if newline_style(original) == "\r\n" and newline_style(repaired) != "\r\n":
        return _LONE_LF.sub("\r\n", repaired)
    return repaired


_BOM_CODECS = {
    codecs.BOM_UTF32_LE: "utf-32-le",
    codecs.BOM_UTF32_BE: "utf-32-be",
    codecs.BOM_UTF8: "utf-8",
    codecs.BOM_UTF16_LE: "utf-16-le",
    codecs.BOM_UTF16_BE: "utf-16-be",
}


def _bom_of(data: bytes) -> Optional[bytes]:
    for bom in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8,
                codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            return bom
    return None


def encode(text: str, original: bytes = b"", encoding: Optional[str] = None,
           bom: bool = False, keep_encoding: bool = False) -> bytes:
    """Encode repaired `text` for output.

    `original` is the input's bytes (for the byte-order mark and its byte
    order); `encoding` the one it was decoded with.
    """
    in_bom = _bom_of(original) if bom else None
    if not keep_encoding or not encoding:
        return (codecs.BOM_UTF8 if in_bom else b"") + text.encode("utf-8", "surrogatepass")
    if in_bom:
        codec = _BOM_CODECS[in_bom]
        return in_bom + _strict(text, codec, encoding)
    codec = encoding
    if codec.replace("_", "-").lower() in ("utf-16", "utf-32"):
        codec += "-le"  # no BOM was there: do not add one
    return _strict(text, codec, encoding)


def _strict(text: str, codec: str, shown: str) -> bytes:
    try:
        return text.encode(codec)
    except UnicodeEncodeError as e:
        bad = e.object[e.start:e.end]
        line = text.count("\n", 0, e.start) + 1
        col = e.start - (text.rfind("\n", 0, e.start) + 1) + 1
        raise WriteError(f"--keep-encoding: {bad!r} at {line}:{col} does not fit {shown}; file left alone")
    except LookupError:
        raise WriteError(f"--keep-encoding: unknown encoding {shown}")


def check_writable(path: str) -> None:
    """Refuse to replace a read-only file (as root the rename would succeed:
    the permission bits are still the owner's wish)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise WriteError("vanished before it could be written; nothing written")
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise WriteError("read-only file, left alone")
