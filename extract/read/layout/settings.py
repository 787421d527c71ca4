"""Named tolerances of the PDF reader, in one place.

All distances are PDF points (1/72 inch) unless the name says ``_ratio`` (a fraction of
the local character height). Like pdfplumber's ``TableSettings``, unknown keys are an
error rather than silently ignored, so a typo in a config never changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from extract.settings import replace_known


@dataclass(frozen=True, slots=True)
class PdfSettings:
    # --- rulings (vector lines and thin rectangles) -------------------------------------
    # A filled rectangle at most this thick is a line, not a box.
    max_ruling_thickness: float = 3.0
    # Segments shorter than this are glyph parts, ticks or dashes, not table borders.
    min_ruling_length: float = 3.0
    # Rulings whose positions differ by at most this are the same line (double strokes,
    # Word drawing each cell's border separately).
    snap_tolerance: float = 3.0
    # Collinear pieces with a gap up to this are one ruling (dashed or per-cell borders).
    join_tolerance: float = 3.0
    # A horizontal and a vertical ruling closer than this at their ends still intersect.
    intersection_tolerance: float = 3.0
    # A cell boundary counts as drawn if rulings cover at least this share of it;
    # otherwise the two cells on either side are one merged cell.
    min_boundary_coverage: float = 0.5
    # Grids need at least this many rows and columns of cells to be a table (one row:
    # the last row of a table can be alone on the next page).
    min_grid_rows: int = 1
    min_grid_cols: int = 2

    # --- text lines --------------------------------------------------------------------
    # Two chars are on one visual line if their vertical overlap is at least this share
    # of the smaller char's height (superscripts still join their line).
    line_overlap_ratio: float = 0.5
    # A horizontal gap wider than this share of the char height becomes a space.
    word_gap_ratio: float = 0.5
    # Overprinted copies (fake bold) lie within this distance of the original glyph.
    dedupe_tolerance: float = 1.0

    # --- page triage -------------------------------------------------------------------
    # Keyword hits (序号, 指标, 要求, ...) that make a page a table candidate.
    min_table_keywords: int = 2
    # Share of unmappable chars (control codes, U+FFFD, private use) that marks a text
    # layer as garbage (fonts without a ToUnicode map).
    garbage_char_ratio: float = 0.3
    # Ruling pieces a page needs before ruled-table recovery runs on it (a one-row,
    # two-cell grid has six); pages with fewer are decoration at most.
    min_page_rulings: int = 6

    # --- headers and footers -----------------------------------------------------------
    # A line repeating (digits ignored) near the top/bottom on at least this share of
    # pages is a running header/footer.
    repeat_page_ratio: float = 0.5
    # How many lines at the top and bottom of a page are header/footer candidates.
    margin_lines: int = 2

    # --- borderless tables -------------------------------------------------------------
    # Whitespace columns narrower than this are word spacing, not column gaps.
    stream_min_col_gap: float = 3.5
    # The same, as a share of the median char height (the larger of the two applies).
    stream_min_col_gap_ratio: float = 0.45
    # A vertical gap larger than this many line heights ends a borderless table.
    stream_max_row_gap_ratio: float = 3.0
    # A borderless table needs this many lines with two or more column chunks.
    stream_min_rows: int = 3
    # ... whose gaps add up to at least this share of the line (justified narrative
    # splits into chunks too, around numbers, but its gaps are a few percent).
    stream_min_blank_ratio: float = 0.1
    # A run of text wider than this share of the table spans columns (a colspan row,
    # a section title): it does not define columns and stays whole in its first one.
    stream_max_cell_width_ratio: float = 0.3

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> PdfSettings:
        """Build settings from a mapping, rejecting keys that are not settings."""
        return cls().with_(**values)

    def with_(self, **changes: Any) -> PdfSettings:
        """A copy with some values changed; unknown names raise ``ValueError``."""
        return replace_known(self, "PDF", changes)
