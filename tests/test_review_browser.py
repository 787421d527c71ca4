"""`ecopark review` in a real browser (Debian's chromium driven by Playwright): the queue,
a page crop, a correction from the keyboard that changes the verdict, kept on reload;
a second correction wins with both in the history; requests without the token or from
another origin are refused."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from ecopark import batch, corrections
from ecopark.batch import RunOptions
from tests.conftest import ROOT, SEED
from tests.test_report_browser import ARGS, ARTIFACTS, CHROMIUM, MISMATCH_PDF

GREENING = 29


@dataclass
class Server:
    out: Path
    url: str
    base: str
    token: str
    proc: subprocess.Popen[str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    src = tmp_path_factory.mktemp("in")
    # A converter's misread of #29 (绿化覆盖率, mandatory): 2b.28 for 26.28 leaves the
    # verdict open until a person reads the page.
    text = SEED.read_text(encoding="utf-8").replace("必选\t25.66\t26.28", "必选\t25.66\t2b.28")
    (src / "changchun_misread.md").write_text(text, encoding="utf-8")
    shutil.copy(MISMATCH_PDF, src / MISMATCH_PDF.name)
    out = tmp_path_factory.mktemp("out")
    batch.run([src], out, RunOptions(workers=2))
    proc = subprocess.Popen(
        [sys.executable, "-m", "ecopark.cli", "review", str(out), "--no-open", "--who", "reviewer"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=(\S+)", line)
    assert m, line
    try:
        yield Server(out, m.group(0), m.group(1), m.group(2), proc)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=60)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _record(out: Path, name: str):  # type: ignore[no-untyped-def]
    return next(r for r in batch.load_records(out).values() if r.source.path.endswith(name))


def _wait_for(pred, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.2)
    return False


def _db_corrections(out: Path) -> int:
    try:
        con = duckdb.connect(str(out / "ecopark.duckdb"), read_only=True)
    except duckdb.Error:
        return -1
    try:
        row = con.execute("SELECT count(*) FROM corrections").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def test_review_a_flagged_cell_from_the_keyboard(server: Server, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page.goto(server.url)
    page.wait_for_selector("#list li")
    # most decisive first: the mandatory cell that leaves the verdict open
    assert "#29" in page.inner_text("#list li.current")
    assert page.inner_text("#verdict") == "undetermined"
    assert "2b.28" in page.inner_text("#printed")
    assert "2b.28" in page.inner_text("#srclines")  # a Markdown source shows its lines

    # the PDF's claim mismatch: the crop shows the whole row, label included
    page.keyboard.press("j")
    page.wait_for_selector("#crop img")
    assert _wait_for(lambda: page.locator("#crop img").evaluate("img => img.complete"))
    assert "#16" in page.inner_text("#cell-title") and "page" in page.inner_text("#cell-title")
    crop = page.locator("#crop").bounding_box()
    natural = page.evaluate("document.querySelector('#crop img').naturalWidth")
    assert crop is not None and crop["width"] >= natural - 4  # the page's full width
    assert page.locator("#outline").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review_crop.png"))
    page.keyboard.press("k")
    assert "#29" in page.inner_text("#cell-title")

    page.keyboard.press("n")
    page.keyboard.type("page 9 reads 26.28")
    page.keyboard.press("Escape")
    page.keyboard.press("e")
    page.keyboard.type("26.28")
    page.keyboard.press("Enter")
    expect(page.locator("#verdict")).to_have_text("meets", timeout=30_000)  # from the POST
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review.png"))

    r = _record(server.out, "changchun_misread.md")
    assert r.verdict.meets_standard is True
    yv = next(v for v in r.indicator(GREENING).values if v.year == 2018)
    assert (yv.text, yv.value, yv.value_corrected, yv.corrected_by) == (
        "2b.28",
        None,
        26.28,
        "reviewer",
    )

    page.reload()  # the hash keeps the cell; the server kept the correction
    page.wait_for_selector("#list li.current")
    assert "#29" in page.inner_text("#cell-title")
    assert page.inner_text("#verdict") == "meets"
    assert "26.28" in page.inner_text("#current") and "reviewer" in page.inner_text("#current")
    assert page.locator("#history tbody tr").count() == 1

    # a second reading of the same cell wins; both stay in the history
    page.keyboard.press("e")
    page.keyboard.type("12.6")
    page.keyboard.press("Enter")
    expect(page.locator("#verdict")).to_have_text("fails", timeout=30_000)
    expect(page.locator("#history tbody tr")).to_have_count(2, timeout=30_000)
    news = [json.loads(x)["new"] for x in (server.out / corrections.CORRECTIONS).open()]
    assert news == [26.28, 12.6]
    r = _record(server.out, "changchun_misread.md")
    assert r.verdict.meets_standard is False and r.verdict.mandatory_failed == [GREENING]
    assert _wait_for(lambda: _db_corrections(server.out) == 2)  # rebuilt in the background


def test_requests_without_the_token_or_from_elsewhere_are_refused(
    server: Server, browser: object
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    before = (
        (server.out / corrections.CORRECTIONS).read_text(encoding="utf-8")
        if (server.out / corrections.CORRECTIONS).exists()
        else ""
    )
    r = _record(server.out, "changchun_misread.md")
    body = {
        "sha256": r.source.sha256,
        "indicator": GREENING,
        "field": "value",
        "year": 2018,
        "action": "correct",
        "new": "1",
        "note": "forged",
    }
    api = page.request
    assert api.get(f"{server.base}/api/queue").status == 403
    assert api.get(f"{server.base}/").status == 403
    no_token = api.post(f"{server.base}/api/correct", data=body)
    assert no_token.status == 403
    in_url_only = api.post(f"{server.base}/api/correct?token={server.token}", data=body)
    assert in_url_only.status == 403  # a form on another site could put it in a URL
    elsewhere = api.post(
        f"{server.base}/api/correct",
        data=body,
        headers={"x-ecopark-token": server.token, "origin": "http://evil.example"},
    )
    assert elsewhere.status == 403
    rebound = api.get(
        f"{server.base}/api/queue",
        headers={"x-ecopark-token": server.token, "host": "evil.example"},
    )
    assert rebound.status == 403
    after = (
        (server.out / corrections.CORRECTIONS).read_text(encoding="utf-8")
        if (server.out / corrections.CORRECTIONS).exists()
        else ""
    )
    assert after == before


def test_the_report_follows_when_review_ends(server: Server) -> None:
    """Runs last (file order): the corrections made above reach the static report."""
    assert (server.out / corrections.CORRECTIONS).exists()
    server.proc.terminate()
    server.proc.wait(timeout=120)
    index = (server.out / "report" / "index.html").read_text(encoding="utf-8")
    assert "page 9 reads 26.28" in index and "reviewer" in index
