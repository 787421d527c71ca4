"""Indicator and pass/fail tables from the readers' cell grids: column roles
(``roles``), then rows and table parts stitched across pages (``stitch``)."""

from extract.recover.tables.stitch import indicator_tables

__all__ = ["indicator_tables"]
