"""A cheap look at a PDF's raw bytes before pdfium parses it: decompression bombs and
active content. pdfium would inflate a bomb into memory when it reads the page; here each
Flate stream is inflated with a cap, so a 1 KB file that inflates to gigabytes costs at
most the cap and is refused with a plain message."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from extract.errors import ReadError

_STREAM = re.compile(rb"stream\r?\n")
_ENDSTREAM = b"endstream"
_DICT_LOOKBACK = 400  # bytes before "stream" that hold the stream's dictionary
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")
_CHUNK = 1 << 20


def _flate_streams(data: bytes) -> Iterator[bytes]:
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - _DICT_LOOKBACK) : m.start()]
        start = head.rfind(b"<<")
        if start == -1 or b"FlateDecode" not in head[start:]:
            continue
        end = data.find(_ENDSTREAM, m.end())
        yield data[m.end() : end if end != -1 else len(data)]


def _inflate_capped(raw: bytes, cap: int) -> tuple[bytes, bool]:
    """(the first MB of the inflated stream, whether it inflates past ``cap`` bytes).
    Inflates in 1 MB steps and keeps only the first: a bomb costs time, not memory."""
    d = zlib.decompressobj()
    head = b""
    total = 0
    try:
        pending = raw
        while pending and total <= cap:
            chunk = d.decompress(pending, _CHUNK)
            pending = d.unconsumed_tail
            if not head:
                head = chunk
            total += len(chunk)
            if not chunk and not pending:
                break
    except zlib.error:
        return head, False  # damaged stream: pdfium will say what it makes of it
    return head, total > cap


def scan(data: bytes, max_stream_bytes: int) -> list[str]:
    """Warnings about active content; raises ReadError for a decompression bomb."""
    active: set[str] = {m.group(1).decode() for m in _ACTIVE.finditer(data)}
    for raw in _flate_streams(data):
        inflated, too_big = _inflate_capped(raw, max_stream_bytes)
        if too_big:
            raise ReadError(
                f"decompression bomb: a stream inflates to more than "
                f"{max_stream_bytes // 2**20} MB (limit --max-stream-mb)"
            )
        # Object streams hide dictionaries (and their actions) from the raw scan.
        active |= {m.group(1).decode() for m in _ACTIVE.finditer(inflated)}
    if not active:
        return []
    return [
        f"the PDF carries active content ({', '.join(sorted(active))}); "
        "ecopark reads only its text and never runs it"
    ]
