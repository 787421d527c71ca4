"""PDF post-processing with pypdf: rotated pages and encryption."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

OWNER_PASSWORD = "ecopark-owner"


def append_rotated(main: bytes, rotated: bytes) -> bytes:
    """Append ``rotated``'s pages to ``main`` and mark them /Rotate 90."""
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(main)))
    n = len(w.pages)
    w.append(PdfReader(io.BytesIO(rotated)))
    for page in w.pages[n:]:
        page.rotate(90)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def encrypt_empty_user(data: bytes) -> bytes:
    """Standard security handler, empty user password (opens without asking), owner password set,
    printing allowed but modification/extraction flags cleared as a typical authority's copy."""
    r = PdfReader(io.BytesIO(data))
    w = PdfWriter(clone_from=r)
    w.encrypt(
        user_password="",
        owner_password=OWNER_PASSWORD,
        algorithm="RC4-128",
        permissions_flag=0b0100,
    )  # bit 3: print
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()
