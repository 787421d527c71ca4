"""Golden records: the code writes them (`python -m tests.golden_util`), a person checks
them against the source document, the tests hold the code to them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ecopark.pipeline import process
from schemas.record import Report

GOLDEN_DIR = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parent.parent
# Fields that depend on where and with which build the test runs.
VOLATILE = ("ecopark_version",)


def comparable(report: Report) -> dict[str, Any]:
    data = report.model_dump(mode="json")
    for k in VOLATILE:
        data.pop(k, None)
    data["source"] = {k: v for k, v in data["source"].items() if k != "path"}
    return data


GOLDENS = {"changchun_2018": ROOT / "samples" / "markdown" / "changchun_2018_report.md"}


def write_goldens() -> None:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for name, src in GOLDENS.items():
        data = comparable(process(src))
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        (GOLDEN_DIR / f"{name}.json").write_text(text, encoding="utf-8")
        print(f"wrote {name}.json — now check it against {src}", file=sys.stderr)


if __name__ == "__main__":
    write_goldens()
