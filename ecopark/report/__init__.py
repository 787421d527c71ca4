"""The offline HTML audit report: ``OUTDIR/report/index.html`` and a page per document."""

from ecopark.report.build import write_report

__all__ = ["write_report"]
