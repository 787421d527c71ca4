from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "markdown" / "changchun_2018_report.md"


def park_variant(path: Path, i: int) -> Path:
    """The seed report with its park renamed (distinct content, same shape), at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    seed = SEED.read_text(encoding="utf-8")
    path.write_text(
        seed.replace("长春汽车经济技术开发区", f"第{i}号汽车经济技术开发区"), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
