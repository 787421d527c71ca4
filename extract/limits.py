"""Limits on what one document may cost to read. Safe defaults; every limit is a
setting (``ecopark run --max-pages …``) and is documented in the README."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extract.errors import ReadError


@dataclass(frozen=True)
class ReadLimits:
    max_file_mb: int = 512  # a bigger file is refused before it is opened
    max_pages: int = 1000  # a PDF with more pages is refused (reports have 3–60)
    max_stream_mb: int = 256  # decoded bytes of one PDF stream (decompression bombs)
    max_line_chars: int = 200_000  # a longer text line is cut (converters never emit one)
    max_cells_per_row: int = 200  # table rows wider than this are cut
    max_table_rows: int = 5_000  # a longer table is cut
    ocr: bool = True  # read image-only pages with OCR


def read_bounded(path: Path, limits: ReadLimits) -> bytes:
    """The file's bytes, or ReadError when it is over ``max_file_mb`` or unreadable."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_mb * 2**20:
            raise ReadError(
                f"too large: {size / 2**20:.0f} MB, the limit is {limits.max_file_mb} MB "
                "(--max-file-mb)"
            )
        return path.read_bytes()
    except OSError as err:
        raise ReadError(f"cannot read file: {err.strerror or err}") from err
