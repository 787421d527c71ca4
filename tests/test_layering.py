"""The stage layering holds (tools/check_imports.py), and the checker can see a breach."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_imports", ROOT / "tools/check_imports.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["check_imports"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_the_tree_has_no_upward_import_and_no_cycle() -> None:
    assert _checker().problems(ROOT) == []


def _write(root: Path, rel: str, text: str = "") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_an_upward_import_and_a_cycle_are_found(tmp_path: Path) -> None:
    for pkg in ("schemas", "extract", "normalize", "ecopark"):
        _write(tmp_path, f"{pkg}/__init__.py")
    _write(tmp_path, "schemas/text.py", "def clean(s): return s\n")
    _write(tmp_path, "extract/a.py", "def f():\n    from extract.b import g\n")  # lazy
    _write(tmp_path, "extract/b.py", "from extract import a\nfrom normalize.labels import x\n")
    _write(tmp_path, "normalize/labels.py", "from schemas.text import clean\nx = 1\n")
    found = _checker().problems(tmp_path)
    assert "upward import: extract.b (extract) imports normalize.labels (normalize)" in found
    assert "import cycle: extract.a ↔ extract.b" in found
    assert len(found) == 2
