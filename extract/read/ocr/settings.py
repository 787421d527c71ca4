"""Named thresholds of the OCR path, in one place.

Distances are PDF points unless the name says ``_px`` (pixels of the rendered page) or
``_ratio``. Unknown keys are an error, as in ``PdfSettings``: a typo in a config must
not silently change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from extract.read.ocr.engine import Packing
from extract.settings import replace_known


@dataclass(frozen=True, slots=True)
class OcrSettings:
    # --- rendering and engine ---------------------------------------------------------
    # Render resolution. 7.5 pt table text is ~20 px high at 200 dpi, what PP-OCR's
    # detector was trained on; 150 dpi loses decimal points on small print.
    dpi: int = 200
    # Threads per process for the models (the batch runs one document per process).
    threads: int = 1
    # Where the models run: "onnxruntime" (RapidOCR's own sessions, f32 on every CPU) or
    # "openvino" (bf16 on CPUs that compute it natively: recognition ~1.8x faster per
    # batch on one core, but fewer cells read right on the own randomised scans; see
    # ``runtime``). Needs the ``openvino`` extra.
    runtime: str = "onnxruntime"
    # The detector sees the page downscaled to this longest side (pixels). 1280 found
    # the same cells as 1600 on the scanned samples in 0.4 s less per page; glyphs it
    # misses are caught by the re-read of inked empty cells and of uncovered ink.
    det_limit_px: int = 1280
    # A page without ruled grids is narrative (body text 10.5-12 pt, 29-33 px) or a
    # borderless table: the detector sees it at this longest side first, in half the
    # time; where that first reading holds a borderless table (small print) the page is
    # detected again at ``det_limit_px``.
    narrative_det_limit_px: int = 960
    # Recognition scale. The recogniser scales every line crop to 48 px high, and its
    # time is linear in the resulting width; a crop padded to ``pad`` times its height
    # is read at 1 / pad of the scale in 1 / pad of the time. Ruled table cells: at
    # 1.33 every digit, decimal point and ≥/≤ of the scanned samples' table pages read
    # as at full scale (1.5 began to lose ≥ and 1 vs i). Lines outside ruled grids
    # (narrative, headings): at 2, body text reads the same, figures included; a page
    # that may hold a borderless table has those lines read again at ``cell_pad``.
    # 1 turns either off.
    cell_pad: float = 1.33
    # A cell line read at ``cell_pad`` whose least certain glyph is below this is read
    # again at full scale, and that reading kept: degraded print (blur, JPEG, 150 dpi)
    # reads as at full scale, clean print costs one pass at the smaller scale (about
    # one cell line in twelve is read twice on the scanned samples).
    cell_sure: float = 0.95
    line_pad: float = 2.0
    # A line read at ``line_pad`` that holds a digit and whose least certain glyph is
    # below this is read again at full scale: at half scale a recogniser merges repeated
    # digits (1355.44 read 155.44, 884.89 read 84.89 on 150-dpi scans) and unsure glyphs
    # mark it; lines of words alone are not read twice.
    line_sure: float = 0.95
    # Lines read at ``line_pad`` are read in strips this high, their glyphs the size
    # ``line_pad`` gives them in the recogniser's 48 px strip (see
    # ``runtime.AnyHeightSession``): 48 / 2 = 24 px crops in 24 px strips, no paper
    # added above and below the detector's own margin, half the recognition of 48 px
    # strips (32 px strips, 8 px of paper, read the same: family E and the scanned
    # samples scored alike at 24 and 32, 5-8 % less time a page at 24). 48 turns it
    # off; onnxruntime only.
    line_strip_px: int = 24
    # The recogniser pads every strip to 128 px at its 48 px height, and most cell lines
    # (是, %, 0.28) are far narrower: lines whose strip would be narrower than
    # ``pack_below_px`` are read side by side in shared strips up to ``pack_width_px``
    # wide, ``pack_gap_px`` of paper between them, each glyph given back to the line
    # its column lies in. 0 turns it off.
    pack_below_px: int = 128
    pack_gap_px: int = 16
    pack_width_px: int = 256

    # Turn pages fed sideways or upside down (decided from the page's own detection
    # pass; an upright page pays nothing).
    detect_orientation: bool = True

    # --- deskew ------------------------------------------------------------------------
    # Tilt searched, in degrees either way (scans tilt by up to ~2°).
    max_skew: float = 3.0
    # Final resolution of the tilt search, in degrees.
    skew_step: float = 0.05
    # A tilt below this is left alone (rotation resamples the image and costs time).
    min_skew: float = 0.1

    # --- ruling lines ------------------------------------------------------------------
    # A dark run at least this long is a ruling, not a stroke of a glyph (一 at 12 pt is
    # ~10 pt wide).
    min_ruling_length: float = 25.0
    # Shorter vertical rulings down to this count where both ends meet a long ruling
    # (the borders of one low row, 邮编 | 061113). At 6 pt glyph strokes near cell
    # borders passed as rulings and split cells; 12 pt keeps the annex grids unchanged
    # and finds the 邮编 cell on every ruled scan.
    min_anchored_ruling_length: float = 12.0
    # Rulings thicker than this are filled boxes or bars, not lines.
    max_ruling_thickness: float = 4.0
    # Rulings whose positions differ by at most this are one grid line.
    snap_tolerance: float = 4.0
    # A cell boundary counts as drawn if ruling ink covers at least this share of it;
    # otherwise the two cells on either side are one merged cell.
    min_boundary_coverage: float = 0.6
    # Grids need at least this many rows and columns of cells to be a table.
    # One row is enough: a table's header row alone at the foot of a page is a part.
    min_grid_rows: int = 1
    min_grid_cols: int = 2

    # --- confidence --------------------------------------------------------------------
    # A cell whose least certain glyph is below this is low-confidence.
    cell_confidence: float = 0.9
    # Share of dark pixels inside an empty-read cell that says text was missed there:
    # the cell is read again by recognition alone.
    missed_ink_ratio: float = 0.01
    # Confidence given to such a re-read at most: the detector did not see it.
    reread_confidence_cap: float = 0.85
    # A glyph whose box a red seal covers by this share or more is at most this sure:
    # taking the seal's ink out may take a stroke of the digit under it.
    seal_min_share: float = 0.03
    seal_confidence_cap: float = 0.85
    # A number in a ruled cell with a dash-shaped blob before it that no glyph covers
    # lost its minus to the detector: read signed, at most this sure.
    lost_sign_confidence_cap: float = 0.6
    # Ink outside ruled grids that no detected line covers is read by recognition
    # alone on pages that may hold a borderless table; readings below this are noise
    # (a lone 1 or 7 the detector missed reads at 0.9 and more; a speck under a seal read
    # as "2" at 0.55 made a column of its own and cut the header's 2020年 in two).
    missed_min_score: float = 0.75
    # A lone ×, √ (a claim cell's mark) or dash (a minus wrapped above its number)
    # reads less surely, 0.6-0.75: kept from this.
    missed_mark_min_score: float = 0.5
    # A faint √ or × (a 150-dpi, blurred scan) reads lower, 0.45-0.5: kept from this when
    # its ink has the mark's shape (``glyphs.mark_shape``), no surer than it read.
    missed_shaped_mark_min_score: float = 0.3
    # A line detected within this of a whole page's edge is the scan's border (a speck
    # or the paper's shadow read as "2"): no report prints that close to the paper edge.
    page_edge_pt: float = 1.5

    # --- text-layer triage (page_needs_ocr) --------------------------------------------
    # Fewer printable chars than this per 1000 pt² of page is "no text layer".
    min_chars_per_kpt2: float = 0.02
    # Share of (cid:NN), U+FFFD, control and private-use chars that makes a layer garbage.
    max_bad_ratio: float = 0.2
    # A page with at least this many letters but fewer CJK than ``min_cjk_ratio`` of them
    # is mojibake (Latin-1 glyph names for Chinese text) in these reports.
    min_letters_for_cjk_test: int = 40
    min_cjk_ratio: float = 0.05

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> OcrSettings:
        """Build settings from a mapping, rejecting keys that are not settings."""
        return cls().with_(**values)

    def with_(self, **changes: Any) -> OcrSettings:
        """A copy with some values changed; unknown names raise ``ValueError``."""
        return replace_known(self, "OCR", changes)

    @property
    def packing(self) -> Packing:
        return Packing(self.pack_below_px, self.pack_gap_px, self.pack_width_px)

    @property
    def px_per_pt(self) -> float:
        return self.dpi / 72.0
