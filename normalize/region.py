"""The park's region for region-tiered rules, from its address or name.

The place lists are data (schemas/data/regions.yaml), each with the source it comes from;
a match says which place matched and that source, so the record can show why a park was
put in a tier. A place followed by a street word (北京路, 天津街) names a street, not a region.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

import schemas
from schemas.places import names_place

REGIONS_FILE = Path(schemas.__file__).parent / "data" / "regions.yaml"
# Checked in this order: 京津冀 is the stricter tier and its list is sourced.
REGION_ORDER = ("jingjinji", "water_scarce")


@dataclass(frozen=True, slots=True)
class RegionMatch:
    region: str  # a RegionKey: jingjinji | water_scarce
    place: str  # the listed place found in the text
    source: str  # where the list comes from (regions.yaml)


@cache
def _regions() -> dict[str, tuple[tuple[str, ...], str]]:
    data = yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8")) or {}
    return {
        k: (tuple(v.get("places") or ()), str(v.get("source") or "unknown"))
        for k, v in data.items()
        if isinstance(v, dict)
    }


def find_region(*texts: str | None) -> RegionMatch | None:
    """The first listed place named in the texts (address first, then name)."""
    regions = _regions()
    for text in texts:
        if not text:
            continue
        for region in REGION_ORDER:
            places, source = regions.get(region, ((), ""))
            for place in places:
                if names_place(text, place):
                    return RegionMatch(region, place, source)
    return None


def region_of(*texts: str | None) -> str | None:
    """'jingjinji' or 'water_scarce' when a listed place is named; None when unknown."""
    m = find_region(*texts)
    return m.region if m else None
