"""ecopark: checked records from Chinese eco-industrial park evaluation reports.

The Python API (importing ``ecopark`` loads nothing heavy; each function imports what it
needs when called)::

    >>> import ecopark
    >>> report = ecopark.extract("samples/markdown/changchun_2018_report.md")
    >>> report.status, report.park.name, report.verdict.meets_standard
    ('ok', '长春汽车经济技术开发区', True)
    >>> summary = ecopark.run(["samples/markdown"], "out")       # doctest: +SKIP
    >>> ecopark.tables("out")["indicator_values"].head()         # doctest: +SKIP

Settings are the config file's names (``ecopark.toml``): ``standard``,
``water_scarce_cities``, ``regions``, ``min_optional_assessed``, ``timeout``,
``memory_mb``, ``max_pages``, ``max_file_mb``, ``max_stream_mb``, ``ocr``, ``workers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecopark.batch import RunSummary
    from schemas.record import Report

__all__ = ["export", "extract", "run", "tables"]


def extract(path: str | Path, **settings: Any) -> Report:
    """Read one report file (PDF, Word, Excel, Markdown, HTML) into its checked record.
    Never raises for a bad file: the record's ``status`` and ``errors`` say what is wrong.
    ``timeout`` (seconds, default 300) bounds the document as in ``ecopark run``."""
    from ecopark import config
    from ecopark.pipeline import process
    from ecopark.timed import run_with_timeout
    from schemas.standard import load_standard

    s = config.from_kwargs(**settings)
    check = s.check_settings()
    std = load_standard(check.standard) if check.standard else None
    target = Path(path)
    return run_with_timeout(
        lambda: process(target, std, check, s.read_limits()), s["timeout"], str(target)
    )


def run(inputs: Iterable[str | Path], out: str | Path, **settings: Any) -> RunSummary:
    """Process many files (folders and globs allowed) into the folder ``out`` — records,
    ``ecopark.duckdb`` — exactly as ``ecopark run`` does; resumable. Also takes
    ``retry_failed`` and ``force``."""
    import os

    from ecopark import batch, config
    from ecopark.outputs import check_outdir
    from ecopark.pool import Limits

    retry_failed, force = (
        bool(settings.pop("retry_failed", False)),
        bool(settings.pop("force", False)),
    )
    s = config.from_kwargs(**settings)
    outdir = Path(out)
    check_outdir(outdir)
    opts = batch.RunOptions(
        workers=s["workers"] or os.cpu_count() or 1,
        limits=Limits(seconds_per_doc=s["timeout"], memory_mb_per_worker=s["memory_mb"]),
        read_limits=s.read_limits(),
        check=s.check_settings(),
        retry_failed=retry_failed,
        force=force,
    )
    return batch.run(list(inputs), outdir, opts)


def tables(out: str | Path) -> dict[str, Any]:
    """The dataset's tables (documents, indicator_values, claims, figures, findings,
    parks) as pandas DataFrames."""
    from ecopark.exports import tables as _tables

    return _tables(Path(out))


def export(out: str | Path, fmt: str = "parquet", bom: bool = False) -> list[Path]:
    """Write the dataset's tables under ``out/export/`` (parquet, csv or xlsx)."""
    from ecopark.exports import export as _export

    return _export(Path(out), fmt, bom=bom)
