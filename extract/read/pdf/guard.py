"""A look at a PDF before pdfium draws it: decompression bombs and active content.

Bombs: pdfium would inflate a bomb into memory when it reads the page; here each Flate
stream is inflated with a cap first, so a 1 KB file that inflates to gigabytes costs at
most the cap and is refused with a plain message. This runs before anything parses the
file (qpdf would inflate object streams too).

Active content: the file is parsed (pikepdf, i.e. qpdf) and followed from its catalog to
where a viewer finds what it would run — /OpenAction and /AA actions of type JavaScript
or Launch, /JS entries, the /JavaScript and /EmbeddedFiles name trees, file-attachment
and rich-media annotations. Bytes inside streams (a JPEG that happens to hold ``/JS``)
are data, not objects, and never match.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from typing import Any

from extract.errors import ReadError

_STREAM = re.compile(rb"stream\r?\n")
_ENDSTREAM = b"endstream"
_DICT_LOOKBACK = 400  # bytes before "stream" that hold the stream's dictionary
_CHUNK = 1 << 20

# Action types that run something (a destination or /GoTo runs nothing, and that is
# what most /OpenAction entries are).
_RUNS = {"/JavaScript": "JavaScript", "/Launch": "Launch", "/RichMediaExecute": "RichMedia"}
_ANNOT_KINDS = {"/FileAttachment": "EmbeddedFile", "/RichMedia": "RichMedia"}
_MAX_VISITS = 100_000  # objects looked at in one file: a crafted chain cannot loop


def _flate_streams(data: bytes) -> Iterator[bytes]:
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - _DICT_LOOKBACK) : m.start()]
        start = head.rfind(b"<<")
        if start == -1 or b"FlateDecode" not in head[start:]:
            continue
        end = data.find(_ENDSTREAM, m.end())
        yield data[m.end() : end if end != -1 else len(data)]


def _inflates_past(raw: bytes, cap: int) -> bool:
    """Whether the stream inflates past ``cap`` bytes. Inflates in 1 MB steps and keeps
    none of it: a bomb costs time, not memory."""
    d = zlib.decompressobj()
    total = 0
    try:
        pending = raw
        while pending and total <= cap:
            chunk = d.decompress(pending, _CHUNK)
            pending = d.unconsumed_tail
            total += len(chunk)
            if not chunk and not pending:
                break
    except zlib.error:
        return False  # damaged stream: pdfium will say what it makes of it
    return total > cap


class _Walk:
    """Where a viewer finds what it would run, followed from the catalog: /OpenAction
    and /AA (document, pages, annotations, form fields), annotation and outline actions
    with their /Next chains, the /JavaScript and /EmbeddedFiles name trees."""

    def __init__(self) -> None:
        self.found: set[str] = set()
        self.seen: set[tuple[int, int]] = set()

    def _first_visit(self, obj: Any) -> bool:
        if len(self.seen) > _MAX_VISITS:
            return False
        if obj.is_indirect:
            og = obj.objgen
            if og in self.seen:
                return False
            self.seen.add(og)
        return True

    def action(self, a: Any) -> None:
        import pikepdf

        if isinstance(a, pikepdf.Array):  # /Next may be an array of actions
            for item in a:
                self.action(item)
            return
        if not isinstance(a, pikepdf.Dictionary) or not self._first_visit(a):
            return
        kind = _RUNS.get(str(a.get("/S", "")))
        if kind:
            self.found.add(kind)
        if "/JS" in a:
            self.found.add("JavaScript")
        if "/Next" in a:
            self.action(a.get("/Next"))

    def additional(self, aa: Any) -> None:
        import pikepdf

        if isinstance(aa, pikepdf.Dictionary):
            for _, value in aa.items():
                self.action(value)

    def holder(self, d: Any) -> None:
        """An object that may carry /A and /AA: a page, annotation, field, outline item."""
        import pikepdf

        if not isinstance(d, pikepdf.Dictionary):
            return
        self.action(d.get("/A"))
        self.additional(d.get("/AA"))
        kind = _ANNOT_KINDS.get(str(d.get("/Subtype", "")))
        if kind:
            self.found.add(kind)

    def tree(self, node: Any, depth: int = 0) -> None:
        """Form fields (/Kids) or outline items (/First … /Next), as holders."""
        import pikepdf

        while isinstance(node, pikepdf.Dictionary) and depth < 64 and self._first_visit(node):
            self.holder(node)
            for kid in node.get("/Kids", []):
                self.tree(kid, depth + 1)
            if "/First" in node:
                self.tree(node.get("/First"), depth + 1)
            node = node.get("/Next")

    def document(self, pdf: Any) -> None:
        import pikepdf

        root = pdf.Root
        self.action(root.get("/OpenAction"))
        self.additional(root.get("/AA"))
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            if "/JavaScript" in names:
                self.found.add("JavaScript")
            if "/EmbeddedFiles" in names:
                self.found.add("EmbeddedFile")
        form = root.get("/AcroForm")
        if isinstance(form, pikepdf.Dictionary):
            for field in form.get("/Fields", []):
                self.tree(field)
        outlines = root.get("/Outlines")
        if isinstance(outlines, pikepdf.Dictionary):
            self.tree(outlines.get("/First"))
        for page in pdf.pages:
            self.holder(page.obj)
            for annot in page.obj.get("/Annots", []):
                self.holder(annot)


def active_content(data: bytes) -> set[str]:
    """The kinds of active content a viewer would find in the PDF; empty when there is
    none or when qpdf cannot parse the file (pdfium then says what it makes of it)."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except Exception:  # damaged, encrypted with a user password, not a PDF: no verdict
        return set()
    walk = _Walk()
    try:
        walk.document(pdf)
    except Exception:
        pass  # a broken object part-way (a cyclic page tree …): keep what was found
    finally:
        pdf.close()
    return walk.found


def scan(data: bytes, max_stream_bytes: int) -> list[str]:
    """Warnings about active content; raises ReadError for a decompression bomb."""
    for raw in _flate_streams(data):
        if _inflates_past(raw, max_stream_bytes):
            raise ReadError(
                f"decompression bomb: a stream inflates to more than "
                f"{max_stream_bytes // 2**20} MB (limit --max-stream-mb)"
            )
    active = active_content(data)
    if not active:
        return []
    return [
        f"the PDF carries active content ({', '.join(sorted(active))}); "
        "ecopark reads only its text and never runs it"
    ]
