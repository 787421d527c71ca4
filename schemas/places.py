"""Whether a text names a place: '西安' in '陕西省西安市…', not in a street name (北京路).

Shared by the region lookup of normalize/region.py (the listed places of regions.yaml)
and the checker's user settings (CheckSettings.water_scarce_cities).
"""

from __future__ import annotations

import regex

from schemas.text import clean

# A place followed by a street word names a street, not the region.
STREET_AFTER = r"(?!路|街|大街|大道|道|巷|胡同|里|村)"


def names_place(text: str | None, place: str) -> bool:
    if not text or not place:
        return False
    return regex.search(regex.escape(clean(place)) + STREET_AFTER, clean(text)) is not None


def first_place(places: tuple[str, ...], *texts: str | None) -> str | None:
    """The first place named, texts in order (address first, then name)."""
    for text in texts:
        for place in places:
            if names_place(text, place):
                return place
    return None
