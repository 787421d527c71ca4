"""Office files that are not Office Open XML: Word 97–2003 (.doc), WPS (.wps) and Excel
97–2003 (.xls/.et) are converted by LibreOffice (``soffice --headless --convert-to``) into
.docx/.xlsx in a private temporary folder, then read like those. Without LibreOffice the
file fails with a message that says how to convert it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from extract.errors import ReadError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEET_SUFFIXES = frozenset({".xls", ".et", ".xlt"})
CONVERT_SECONDS = 120  # LibreOffice on a 60-page report takes a few seconds


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def target_format(path: Path, head: bytes) -> str:
    """'xlsx' for a legacy spreadsheet, else 'docx'."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return "xlsx"
    if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
        return "xlsx"
    return "docx"


def convert(path: Path, fmt: str, tmpdir: Path) -> Path:
    """``path`` converted to ``fmt`` inside ``tmpdir``; ReadError when it cannot be."""
    exe = soffice()
    kind = "spreadsheet" if fmt == "xlsx" else "Word"
    if exe is None:
        raise ReadError(
            f"an old {kind} file ({path.suffix or 'no suffix'}): install LibreOffice "
            f"(apt-get install libreoffice-writer-nogui) so ecopark can convert it, or save it "
            f"as .{fmt} and run again"
        )
    src = tmpdir / f"input{path.suffix.lower() or '.doc'}"
    try:
        os.symlink(path.resolve(), src)
    except OSError:
        shutil.copyfile(path, src)
    cmd = [
        exe,
        f"-env:UserInstallation=file://{tmpdir / 'profile'}",  # no clash with a user's office
        "--headless",
        "--norestore",
        "--convert-to",
        fmt,
        "--outdir",
        str(tmpdir),
        str(src),
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=CONVERT_SECONDS, check=False)
    except subprocess.TimeoutExpired as err:
        raise ReadError(
            f"LibreOffice took more than {CONVERT_SECONDS} s to convert this file"
        ) from err
    out = tmpdir / f"input.{fmt}"
    if done.returncode != 0 or not out.exists():
        raise ReadError(
            f"LibreOffice could not convert this {kind} file to .{fmt} "
            f"(damaged, encrypted or not an office file)"
        )
    return out


def converted(path: Path, head: bytes) -> tuple[Path, str, tempfile.TemporaryDirectory[str]]:
    """The converted file, its format and the folder to clean up after reading it."""
    fmt = target_format(path, head)
    tmp = tempfile.TemporaryDirectory(prefix="ecopark-office-")
    try:
        return convert(path, fmt, Path(tmp.name)), fmt, tmp
    except BaseException:
        tmp.cleanup()
        raise
