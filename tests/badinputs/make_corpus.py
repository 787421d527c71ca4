"""Writes the bad-input corpus into tests/badinputs/files/ (small files, committed).

    .venv/bin/python -m tests.badinputs.make_corpus

PDFs are written by hand (a few objects and an xref), except the one encrypted with a
real password, which needs pypdf (the `samples` extra). Files that cannot live in git —
a 10 MB line, odd names, symlink loops, an unreadable file — are made by the test itself
(see ``tests/test_bad_inputs.py``).
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
SEED = HERE.parent.parent / "samples" / "pdf" / "tianjin_binhe_2017.pdf"


def pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from object bodies numbered 1..n, with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer_extra,
        xref,
    )
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", flate: bool = False) -> bytes:
    if flate:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_page(text: str) -> list[bytes]:
    content = b"BT /F1 14 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def many_pages(n: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(n))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
    ]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    return pdf(objs)


def main() -> None:
    FILES.mkdir(exist_ok=True)
    seed = SEED.read_bytes()
    w = {
        "truncated.pdf": seed[: len(seed) * 2 // 5],
        "random_bytes.pdf": os.urandom(8192).replace(b"%PDF", b"%pdf"),
        "zero_pages.pdf": pdf(
            [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
        ),
        "two_thousand_pages.pdf": many_pages(2000),
        # 300 MB of zeros in a 300 KB stream: over the 256 MB default of --max-stream-mb.
        "decompression_bomb.pdf": pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                stream(b"\0" * (300 << 20), flate=True),
            ]
        ),
        # A page tree whose Kids point back at the tree: a cycle.
        "cyclic_pages.pdf": pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>",
            ]
        ),
        # 4,000 levels of nested arrays in the catalog.
        "deeply_nested.pdf": pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * 4000 + b"]" * 4000 + b" >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            ]
        ),
        "javascript_launch.pdf": pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript 7 0 R >> >>",
                *text_page("Quarterly sales review of a bakery")[1:],
                b"<< /S /Launch /F (calc.exe) >>",
                b"<< /Names [(x) << /S /JavaScript /JS (app.alert('hi')) >>] >>",
            ]
        ),
        "not_a_report.pdf": pdf(text_page("Quarterly sales review of a bakery: bread up 4%")),
        # A page whose only content is a small grey image: no text layer.
        "image_only.pdf": pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
                stream(b"q 400 0 0 300 100 400 cm /Im1 Do Q"),
                stream(
                    bytes(range(64)) * 64,
                    b" /Type /XObject /Subtype /Image /Width 64 "
                    b"/Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8",
                ),
            ]
        ),
        "empty.pdf": b"",
        "script_injection.md": (
            "# <script>alert('x')</script> 2018 年国家生态工业示范园区建设评价报告\n\n"
            "<img src=x onerror=alert(1)> 全区地区生产总值完成 661 亿元。\n"
        ).encode(),
    }
    for name, data in w.items():
        (FILES / name).write_bytes(data)
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError:
        print("pypdf missing: encrypted_password.pdf not rewritten")
    else:
        writer = PdfWriter(clone_from=PdfReader(str(SEED)))
        writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
        with (FILES / "encrypted_password.pdf").open("wb") as fh:
            writer.write(fh)
        # A real report that also carries JavaScript and a launch action.
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        writer = PdfWriter(clone_from=PdfReader(str(SEED)))
        js = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('opened');"),
            }
        )
        writer._root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): js})
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("calc.exe"),
            }
        )
        with (FILES / "report_with_javascript.pdf").open("wb") as fh:
            writer.write(fh)
    for p in sorted(FILES.iterdir()):
        print(f"{p.stat().st_size:>9,}  {p.name}")


if __name__ == "__main__":
    main()
