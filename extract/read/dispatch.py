"""Pick a reader by what a file holds, not by its name."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from extract.errors import ReadError
from extract.limits import ReadLimits, read_head
from extract.read.markdown import read_markdown
from extract.read.office import OLE_MAGIC, ZIP_MAGIC
from extract.source import SourceDoc

SNIFF_BYTES = 1024


def sniff(head: bytes) -> str:
    """'pdf', 'text', 'zip' (Word/Excel are zip files), 'ole' (.doc/.xls/.wps) or
    'binary' from the first bytes of a file."""
    if b"%PDF-" in head[:SNIFF_BYTES]:
        return "pdf"
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
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
    if kind == "zip":
        return _read_office_xml(path, limits)
    if kind == "ole":
        from extract.read.office import converted

        target, fmt, tmp = converted(path, head)
        with tmp:
            return _read_office_xml(target, limits, fmt)
    if kind == "binary":
        raise ReadError(
            "not a report: the file is neither a PDF nor text, nor a Word or Excel document"
        )
    return read_markdown(path, limits)


def _read_office_xml(path: Path, limits: ReadLimits | None, fmt: str | None = None) -> SourceDoc:
    """A .docx or .xlsx, told apart by the parts inside the zip."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as err:
        raise ReadError(f"damaged zip file: it cannot be opened ({err})") from err
    if fmt == "docx" or "word/document.xml" in names:
        from extract.read.docx import read_docx

        return read_docx(path, limits)
    if fmt == "xlsx" or "xl/workbook.xml" in names:
        from extract.read.xlsx import read_xlsx

        return read_xlsx(path, limits)
    raise ReadError("not a report: a zip archive that is neither a Word nor an Excel document")
