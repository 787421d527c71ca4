"""Limits on what one document may cost to read. Safe defaults; every limit is a
setting (``ecopark run --max-pages …``) and is documented in the README."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


# One buffer per document: a batch worker reads the file once, hashes those bytes and
# pins them here, so every reader parses exactly the bytes the record's hash is of even
# when the file is being rewritten meanwhile.
_PINNED: ContextVar[tuple[str, bytes] | None] = ContextVar("pinned_read", default=None)


@contextmanager
def pinned(path: Path, data: bytes) -> Iterator[None]:
    """While active, ``read_bounded``/``read_head`` of ``path`` return ``data``."""
    token = _PINNED.set((os.fspath(path), data))
    try:
        yield
    finally:
        _PINNED.reset(token)


def _pinned_bytes(path: Path) -> bytes | None:
    pin = _PINNED.get()
    return pin[1] if pin is not None and pin[0] == os.fspath(path) else None


def read_head(path: Path, n: int) -> bytes:
    """The first ``n`` bytes (from the pinned buffer when there is one)."""
    data = _pinned_bytes(path)
    if data is not None:
        return data[:n]
    with path.open("rb") as fh:
        return fh.read(n)


def read_bounded(path: Path, limits: ReadLimits) -> bytes:
    """The file's bytes, or ReadError when it is over ``max_file_mb`` or unreadable."""
    data = _pinned_bytes(path)
    if data is not None:
        return data
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
