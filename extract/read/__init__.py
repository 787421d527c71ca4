"""Readers: one per source kind, each turning a file into a ``SourceDoc`` (lines and cell
grids with page, bbox or line provenance). ``read_source`` picks the reader by content."""

from extract.read.dispatch import SNIFF_BYTES, read_source, sniff

__all__ = ["SNIFF_BYTES", "read_source", "sniff"]
