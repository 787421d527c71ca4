"""Recovery: SourceDoc → RawReport. Tables (column roles, rows, parts stitched across
pages), the basic-information form, the report's meta data, headline figures and narrative
quantities — from any reader's lines and cell grids, whatever the source kind."""

from extract.recover.report import recover

__all__ = ["recover"]
