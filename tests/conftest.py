from __future__ import annotations

from pathlib import Path
from typing import Any

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


def query(outdir: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` over OUTDIR's ecopark.duckdb, opened read-only and closed again."""
    import duckdb

    con = duckdb.connect(str(outdir / "ecopark.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
