"""What every settings object of the readers shares: changes by name, unknown names
refused (a typo must not silently leave a tolerance at its default)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any, TypeVar

T = TypeVar("T")


def replace_known(settings: T, what: str, changes: Mapping[str, Any]) -> T:
    """A copy of the dataclass ``settings`` with ``changes``; unknown names raise
    ``ValueError`` naming them."""
    known = {f.name for f in fields(settings)}  # type: ignore[arg-type]
    unknown = sorted(set(changes) - known)
    if unknown:
        raise ValueError(f"unknown {what} setting(s): {', '.join(unknown)}")
    return replace(settings, **changes)  # type: ignore[type-var]
