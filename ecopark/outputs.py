"""Writing results: files written atomically and readable by colleagues, output folders
checked before anything is written into them, and the lines and tables the CLI prints."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemas.record import Report

# What marks a folder written by ecopark run (or extract, which writes the same).
MARKERS = ("records", "sources.jsonl", "ecopark.duckdb")
# What the old ``ecopark extract`` layout left at the top of its folder.
OLD_EXTRACT_FILES = ("indicators.csv", "audit.md")
OLD_RECORD = re.compile(r".+\.[0-9a-f]{8}\.json$")


class OutdirError(ValueError):
    """An output folder that cannot be used, said in one line."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()  # what open() gives: 0644 under the usual umask 022


def atomic_write(path: Path, data: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
        os.chmod(tmp, FILE_MODE)  # mkstemp makes 0600; records are for colleagues too
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_ecopark_folder(outdir: Path) -> bool:
    return any((outdir / m).exists() for m in MARKERS)


def check_outdir(outdir: Path) -> None:
    """Refuse an output folder that is a file, holds the old ``extract`` layout or holds
    something else; an empty, missing or ecopark folder is fine. Creates nothing."""
    if outdir.exists() and not outdir.is_dir():
        raise OutdirError(f"output folder {outdir} is a file; give a folder (-o DIR)")
    if not outdir.is_dir() or is_ecopark_folder(outdir):
        return
    names = [p.name for p in outdir.iterdir()]
    if any(n in OLD_EXTRACT_FILES or OLD_RECORD.match(n) for n in names):
        raise OutdirError(
            f"{outdir} holds the output of an older ecopark extract (indicators.csv, "
            "<name>.<hash>.json); give another folder or remove those files"
        )
    if names:
        raise OutdirError(
            f"{outdir} is not an ecopark output folder (it holds other files); "
            "give a new or empty folder"
        )


def require_dataset(outdir: Path) -> None:
    """Refuse a folder that ``ecopark run``/``extract`` did not write."""
    if not outdir.exists():
        raise OutdirError(f"{outdir}: no such folder")
    if not outdir.is_dir():
        raise OutdirError(f"{outdir} is a file, not an output folder of ecopark run")
    if not (outdir / "records").is_dir():
        what = (
            "the output of an older ecopark extract"
            if any((outdir / n).exists() for n in OLD_EXTRACT_FILES)
            else "no dataset"
        )
        raise OutdirError(f"{outdir} holds {what}; write one with ecopark run INPUT... -o {outdir}")


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 document``, ``2 documents``."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def verdict_word(report: Report) -> str:
    v = report.verdict
    return (
        "-"
        if v is None
        else {True: "meets", False: "fails", None: "undetermined"}[v.meets_standard]
    )


def verdict_note(report: Report) -> str:
    """What the verdict rests on, when it is not the standard's rules on confident cells."""
    v, dt = report.verdict, report.document_type
    notes = []
    if dt is not None and dt.kind != "hj274_2015_annual":
        notes.append(dt.label)
    if v is not None and v.basis == "printed_requirements":
        notes.append("printed requirements")
    if v is not None and v.needs_review:
        notes.append("needs review: " + ", ".join(f"#{c.indicator}" for c in v.needs_review))
    return f" ({'; '.join(notes)})" if notes else ""


def summary_line(report: Report) -> str:
    msg = f"; {report.errors[0].message}" if report.errors else ""
    return (
        f"{report.status:7} {Path(report.source.path).name}: "
        f"{plural(len(report.indicators), 'indicator')}, {plural(len(report.figures), 'figure')}, "
        f"{plural(len(report.findings), 'finding')}, verdict {verdict_word(report)}"
        f"{verdict_note(report)}{msg}"
    )


def text_table(header: Sequence[str], rows: Iterable[Sequence[str]], indent: str = "  ") -> str:
    """Rows as aligned plain text (a terminal, a log file and a test read it alike)."""
    rows = [list(map(str, r)) for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = [header, *rows]
    return "\n".join(
        indent
        + "  ".join(c.ljust(w) for c, w in zip(line[:-1], widths, strict=False))
        + (("  " if len(line) > 1 else "") + line[-1])
        for line in lines
    )
