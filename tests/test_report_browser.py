"""The HTML report in a real browser (Debian's chromium driven by Playwright): overview
numbers against the dataset, a claim mismatch's page crop, filtering, escaping."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ecopark import batch
from ecopark.batch import RunOptions
from ecopark.cli import write_html_report
from schemas.standard import load_standard
from tests.conftest import ROOT, SEED

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
MISMATCH_PDF = ROOT / "samples" / "pdf" / "hebei_bohai_2019.pdf"  # claims #16 met at 26.75 %
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("in")
    shutil.copy(SEED, src / "changchun.md")
    shutil.copy(MISMATCH_PDF, src / MISMATCH_PDF.name)
    # A converter writes text that looks like markup as entities; the record then holds
    # the literal <script> text, which the report must show as text.
    hostile = SEED.read_text(encoding="utf-8").replace(
        "园区名称\t长春汽车经济技术开发区",
        "园区名称\t&lt;script&gt;window.HACKED=1&lt;/script&gt;示范园区",
    )
    (src / "hostile.md").write_text(hostile, encoding="utf-8")
    (src / "broken.pdf").write_bytes(b"%PDF-1.7\n broken")
    out = tmp_path_factory.mktemp("out")
    batch.run([src], out, RunOptions(workers=2))
    write_html_report(out, load_standard())
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _count(out: Path, where: str) -> int:
    con = duckdb.connect(str(out / "ecopark.duckdb"), read_only=True)
    try:
        row = con.execute(f"SELECT count(*) FROM documents WHERE {where}").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def test_overview_matches_dataset(run_dir: Path, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto((run_dir / "report" / "index.html").as_uri())
    for status in ("ok", "partial", "failed"):
        assert int(page.inner_text(f"#n-{status}")) == _count(run_dir, f"status = '{status}'")
    assert int(page.inner_text("#n-total")) == _count(run_dir, "true")
    assert int(page.inner_text("#n-verdict-fails")) == _count(run_dir, "meets_standard = false")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    page.fill("input[data-filter-table=documents]", "hebei")
    assert page.inner_text("#documents-count") == "1"


def test_claim_mismatch_shows_outlined_crop(run_dir: Path, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto((run_dir / "report" / "index.html").as_uri())
    page.click("text=hebei_bohai_2019.pdf")
    assert page.inner_text("#doc-verdict") in ("meets", "fails", "undetermined")
    row = page.locator("tr.finding.claim_mismatch").first
    assert "#16" in row.inner_text() or "16" in row.inner_text()
    row.locator("button.loc").first.click()
    page.wait_for_selector("#viewer.open")
    img = page.locator("#crop img")
    img.wait_for()
    page.wait_for_function("document.querySelector('#crop img').complete")
    assert page.locator("#outline").is_visible()
    box = page.locator("#outline").bounding_box()
    assert box is not None and box["width"] > 5 and box["height"] > 5
    page.screenshot(path=str(ARTIFACTS / "claim_crop.png"))
    page.click("#viewer-close")
    total = int(page.inner_text("#findings-count"))
    page.select_option("select[data-filter-table=findings]", "claim_mismatch")
    shown = int(page.inner_text("#findings-count"))
    assert 1 <= shown <= total
    assert page.locator("tr.finding:visible").count() == shown
    page.screenshot(path=str(ARTIFACTS / "document.png"), full_page=True)


def test_markdown_source_lines_and_escaping(run_dir: Path, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    page.goto((run_dir / "report" / "index.html").as_uri())
    page.click("text=hostile.md")
    assert "<script>window.HACKED=1</script>" in page.inner_text("#park")
    assert page.evaluate("window.HACKED") is None and not dialogs
    page.locator("#park button.loc").first.click()
    src = page.inner_text("#srclines")  # the source lines, markup shown as text
    assert "&lt;script&gt;" in src and '<input checked="" type="checkbox"/>' in src
