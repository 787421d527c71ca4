"""Inputs → the files to process: files as given, folders walked, globs expanded.

Files are recognised by what they hold: a folder's file counts when it is a PDF, or text
that looks like a report or a converter's rendition, whatever its name. An input is its
resolved path: two spellings of one file are one input.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extract.read import SNIFF_BYTES, sniff

KNOWN_SUFFIXES = frozenset(
    {".pdf", ".md", ".markdown", ".html", ".htm", ".txt"}
    | {".docx", ".xlsx", ".doc", ".wps", ".xls", ".et"}  # Word, Excel, WPS (extract/read)
)
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

# Why a file found in a folder is not processed (Discovery.skipped).
SKIP_OUTSIDE = "symlink to a place outside the input folder: not followed"
SKIP_FOLDER_LINK = "symlink to a folder: not followed"
SKIP_BROKEN_LINK = "broken symlink or symlink loop"
SKIP_SPECIAL = "not a regular file (a pipe, socket or device)"
SKIP_NOT_REPORT = "not a report by its content (neither a PDF nor text naming a park)"


def looks_like_input(path: Path) -> bool:
    """A folder member worth processing: a PDF by content, or text naming parks."""
    suffix = path.suffix.lower()
    if suffix in KNOWN_SUFFIXES:
        return True  # whatever it holds: the reader says what it is (no need to open it)
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
            kind = sniff(head)
            if kind == "pdf":
                return True
            if suffix in NEVER_SUFFIXES or kind != "text":
                return False
            head += fh.read(TEXT_PROBE_BYTES - len(head))  # only unknown names read more
    except OSError:
        return False
    text = head.decode("utf-8", errors="ignore")
    return any(w in text for w in REPORT_WORDS)


@dataclass
class Discovery:
    """The inputs to process (resolved paths, each once) and the files passed over with
    why. Iterating a Discovery gives its paths."""

    paths: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False)

    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def add(self, path: Path) -> None:
        self.add_resolved(resolve(path))

    def add_resolved(self, resolved: Path) -> None:
        k = os.fsdecode(resolved)
        if k not in self._seen:
            self._seen.add(k)
            self.paths.append(resolved)

    def add_real(self, resolved: str) -> None:
        """``add_resolved`` for a path known to be resolved, given as a string."""
        if resolved not in self._seen:
            self._seen.add(resolved)
            self.paths.append(Path(resolved))

    def skip(self, path: Path, why: str) -> None:
        self.skipped.append((path, why))


def resolve(path: Path) -> Path:
    """An input's identity: its absolute path with every symlink and ``..`` resolved, so
    ``in/a.md``, ``./in/a.md`` and ``/abs/in/a.md`` are one input. A symlink loop stays
    as it is (the reader then says it cannot be read)."""
    return Path(os.path.realpath(path))


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _walk(folder: Path, found: Discovery) -> None:
    root = resolve(folder)
    _walk_dir(os.fspath(folder), os.fspath(root), root, found)


def _walk_dir(shown: str, real: str, root: Path, found: Discovery) -> None:
    """One folder as ``os.walk(followlinks=False)`` sees it — its files in name order,
    then its subfolders — but from the directory entries' own types: no stat, no
    ``realpath`` and no path object per plain file of a report suffix (10,000 of them
    are the whole of a large archive). ``real`` is ``shown`` resolved; a plain file's
    resolved path is then ``real/name``, and a plain subfolder's too (it is no symlink)."""
    try:
        with os.scandir(shown) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return  # an unreadable folder is passed over, as os.walk does
    subdirs: list[str] = []
    files: list[os.DirEntry[str]] = []
    for e in entries:
        if e.is_dir(follow_symlinks=False):
            subdirs.append(e.name)
        elif e.is_symlink() and e.is_dir():
            found.skip(Path(e.path), SKIP_FOLDER_LINK)
        else:
            files.append(e)
    for e in files:
        name = e.name
        if name.startswith("."):
            continue
        if e.is_symlink():
            p = Path(e.path)
            target = resolve(p)
            if not _inside(target, root):
                found.skip(p, SKIP_OUTSIDE)
            elif not target.is_file():
                found.skip(p, SKIP_BROKEN_LINK)
            elif looks_like_input(p):
                found.add_resolved(target)
            else:
                found.skip(p, SKIP_NOT_REPORT)
        elif not e.is_file(follow_symlinks=False):
            found.skip(Path(e.path), SKIP_SPECIAL)
        elif os.path.splitext(name)[1].lower() in KNOWN_SUFFIXES or looks_like_input(Path(e.path)):
            found.add_real(os.path.join(real, name))
        else:
            found.skip(Path(e.path), SKIP_NOT_REPORT)
    for name in subdirs:
        _walk_dir(os.path.join(shown, name), os.path.join(real, name), root, found)


def _glob_root(pattern: str) -> Path:
    """The folder a glob cannot leave: its parts before the first wildcard."""
    parts: list[str] = []
    for part in Path(pattern).parts:
        if any(ch in part for ch in "*?["):
            break
        parts.append(part)
    return resolve(Path(*parts)) if parts else resolve(Path("."))


def discover(inputs: Iterable[str | Path]) -> Discovery:
    """Every input file, each once (by resolved path), in a stable order, and the files
    passed over. A file named on the command line is read even through a symlink; inside
    a folder or a glob, a symlink that leads out of it is not followed."""
    found = Discovery()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            _walk(p, found)
        elif p.exists() or p.is_symlink():
            found.add(p)
        elif any(ch in str(item) for ch in "*?["):
            root = _glob_root(str(item))
            for m in sorted(glob.glob(str(item), recursive=True)):
                mp = Path(m)
                if mp.is_symlink() and not _inside(resolve(mp), root):
                    found.skip(mp, SKIP_OUTSIDE)
                elif mp.is_dir():
                    _walk(mp, found)
                else:
                    found.add(mp)
        else:
            found.add(p)  # missing: the pipeline gives it a failed record that says so
    return found
