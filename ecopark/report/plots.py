"""Inline SVG plots: an indicator's reported values across the archive against the
standard's threshold. Server-side SVG needs no JavaScript library and no network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT, PAD = 420, 196, 40


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    passed: bool | None
    label: str  # park and year, shown on hover


def _scale(lo: float, hi: float, size: float, invert: bool = False):  # type: ignore[no-untyped-def]
    span = (hi - lo) or 1.0

    def f(v: float) -> float:
        t = (v - lo) / span
        return PAD + (1 - t if invert else t) * (size - 2 * PAD)

    return f


def scatter(
    points: Sequence[Point], threshold: float | None, title: str, unit: str | None = None
) -> str:
    """Values (y, in ``unit``) by report year (x), the threshold dashed."""
    if not points:
        return '<p class="muted">no values</p>'
    years = [p.year for p in points]
    values = [p.value for p in points] + ([threshold] if threshold is not None else [])
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or 1.0
    x = _scale(min(years) - 0.5, max(years) + 0.5, WIDTH)
    y = _scale(lo - pad, hi + pad, HEIGHT, invert=True)
    parts = [
        f'<svg class="plot" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
    ]
    base = HEIGHT - PAD
    parts.append(f'<line x1="{PAD}" y1="{base}" x2="{WIDTH - PAD}" y2="{base}" class="axis"/>')
    for yr in sorted(set(years)):
        parts.append(f'<text x="{x(yr):.1f}" y="{HEIGHT - PAD + 14}" class="tick">{yr}</text>')
    parts.append(f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{base}" class="axis"/>')
    for v in (lo, hi):
        parts.append(f'<text x="{PAD - 3}" y="{y(v) + 4:.1f}" class="tick end">{v:g}</text>')
    ylabel = escape(unit) if unit and unit not in ("—", "-") else "value"
    parts.append(
        f'<text x="{PAD}" y="{PAD - 8}" class="label ylabel">{ylabel}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 4}" class="label xlabel end">report year</text>'
    )
    if threshold is not None:
        ty = y(threshold)
        parts.append(
            f'<line x1="{PAD}" y1="{ty:.1f}" x2="{WIDTH - PAD}" y2="{ty:.1f}" class="threshold"/>'
        )
        parts.append(
            f'<text x="{WIDTH - PAD}" y="{ty - 4:.1f}" class="tick end">{threshold:g}</text>'
        )
    for i, p in enumerate(points):
        jitter = ((i * 7) % 11 - 5) * 0.035
        cls = {True: "pass", False: "fail", None: "open"}[p.passed]
        parts.append(
            f'<circle cx="{x(p.year + jitter):.1f}" cy="{y(p.value):.1f}" r="4" '
            f'class="{cls}"><title>{escape(p.label)}: {p.value:g}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)
