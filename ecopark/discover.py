"""Inputs → the files to process: files as given, folders walked, globs expanded.

Files are recognised by what they hold: a folder's file counts when it is a PDF, or text
that looks like a report or a converter's rendition, whatever its name.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from extract.read import SNIFF_BYTES, sniff

KNOWN_SUFFIXES = frozenset({".pdf", ".md", ".markdown", ".html", ".htm", ".txt"})
# Code and data files are never reports, whatever words they contain.
NEVER_SUFFIXES = frozenset(
    {
        ".py",
        ".json",
        ".yaml",
        ".yml",
        ".toml",
        ".js",
        ".css",
        ".csv",
        ".jsonl",
        ".duckdb",
        ".parquet",
        ".png",
        ".jpg",
        ".zip",
    }
)
REPORT_WORDS = ("生态工业", "园区", "国家生态工业示范园区")
TEXT_PROBE_BYTES = 64 * 1024


def looks_like_input(path: Path) -> bool:
    """A folder member worth processing: a PDF by content, or text naming parks."""
    try:
        with path.open("rb") as fh:
            head = fh.read(TEXT_PROBE_BYTES)
    except OSError:
        return path.suffix.lower() in KNOWN_SUFFIXES  # unreadable: let the pipeline say so
    kind = sniff(head[:SNIFF_BYTES])
    if kind == "pdf":
        return True
    if path.suffix.lower() in NEVER_SUFFIXES:
        return False
    if path.suffix.lower() in KNOWN_SUFFIXES:
        return True
    if kind != "text":
        return False
    text = head.decode("utf-8", errors="ignore")
    return any(w in text for w in REPORT_WORDS)


def _walk(folder: Path) -> Iterable[Path]:
    # followlinks=False: a symlink loop cannot make the walk endless.
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            p = Path(root) / name
            if p.is_file() and not name.startswith(".") and looks_like_input(p):
                yield p


def discover(inputs: Iterable[str | Path]) -> list[Path]:
    """Every input file, each once, in a stable order."""
    seen: set[str] = set()
    out: list[Path] = []

    def add(p: Path) -> None:
        k = str(p.absolute())
        if k not in seen:
            seen.add(k)
            out.append(p)

    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in _walk(p):
                add(f)
        elif p.exists() or p.is_symlink():
            add(p)
        elif any(ch in str(item) for ch in "*?["):
            for m in sorted(glob.glob(str(item), recursive=True)):
                mp = Path(m)
                if mp.is_dir():
                    for f in _walk(mp):
                        add(f)
                else:
                    add(mp)
        else:
            add(p)  # missing: the pipeline gives it a failed record that says so
    return out
