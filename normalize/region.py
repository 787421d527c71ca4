"""The park's region for region-tiered rules, from its address or name."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

import schemas
from normalize.text import clean

REGIONS_FILE = Path(schemas.__file__).parent / "data" / "regions.yaml"


@cache
def _places() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8"))
    return {k: tuple(v.get("places") or ()) for k, v in data.items()}


def region_of(*texts: str | None) -> str | None:
    """'jingjinji' or 'water_scarce' when a listed place is named; None when unknown.
    京津冀 is checked first: it is the stricter tier and its list is sourced."""
    joined = " ".join(clean(t) for t in texts if t)
    places = _places()
    for region in ("jingjinji", "water_scarce"):
        if any(p in joined for p in places.get(region, ())):
            return region
    return None
