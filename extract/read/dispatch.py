"""Pick a reader by what a file holds, not by its name."""

from __future__ import annotations

import stat
from pathlib import Path

from extract.errors import ReadError
from extract.limits import ReadLimits, read_head
from extract.read.markdown import read_markdown
from extract.source import SourceDoc

SNIFF_BYTES = 1024


def sniff(head: bytes) -> str:
    """'pdf', 'text' or 'binary' from the first bytes of a file."""
    if b"%PDF-" in head[:SNIFF_BYTES]:
        return "pdf"
    if not head:
        return "empty"
    sample = head[:SNIFF_BYTES]
    if b"\x00" in sample:
        return "binary"
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return "text"
        except UnicodeDecodeError as err:
            if err.start >= len(sample) - 4:  # a character cut by the sniff window
                return "text"
    return "binary"


def read_source(path: Path, limits: ReadLimits | None = None) -> SourceDoc:
    """Read any supported file into a SourceDoc; raises ReadError with a plain message."""
    try:
        st = path.stat()
    except OSError as err:
        raise ReadError(f"cannot read file: {err.strerror or err}") from err
    if stat.S_ISDIR(st.st_mode):
        raise ReadError("not a file: it is a directory")
    if not stat.S_ISREG(st.st_mode):
        # A FIFO or device would block or never end.
        raise ReadError("not a regular file: a pipe, socket or device")
    try:
        head = read_head(path, SNIFF_BYTES)
    except OSError as err:
        raise ReadError(f"cannot read file: {err.strerror or err}") from err
    kind = sniff(head)
    if kind == "empty":
        raise ReadError("empty file: nothing to read")
    if kind == "pdf":
        from extract.read.pdf.reader import read_pdf  # heavy imports only when a PDF comes

        return read_pdf(path, limits=limits)
    if kind == "binary":
        raise ReadError("not a report: the file is neither a PDF nor text")
    return read_markdown(path, limits)
