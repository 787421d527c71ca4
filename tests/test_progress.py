"""The run's progress bar renders done/total, rate and counts by status on a terminal."""

from __future__ import annotations

import io

from rich.console import Console

from ecopark.progress import RunProgress
from schemas.record import Report, SourceInfo


def test_progress_bar_on_a_terminal() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140)
    with RunProgress(enabled=True, console=console) as bar:
        bar.start(3)
        for status in ("ok", "failed", "ok"):
            bar.advance(Report(source=SourceInfo(path="x"), status=status))
        bar.progress.refresh()
    text = out.getvalue()
    assert "3/3" in text and "failed 1" in text and "ok 2" in text


def test_progress_bar_shows_the_file_and_an_eta() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=200)
    with RunProgress(enabled=True, console=console) as bar:
        bar.start(4)
        bar.advance(Report(source=SourceInfo(path="in/长春_2018.pdf"), status="ok"))
        bar.progress.refresh()
    text = out.getvalue()
    assert "长春_2018.pdf" in text and "eta " in text and "eta …" not in text.split("1/4")[-1]


def test_without_a_terminal_a_line_every_n_documents() -> None:
    log = io.StringIO()
    console = Console(file=io.StringIO(), force_terminal=False)
    with RunProgress(enabled=True, console=console, stream=log) as bar:
        bar.start(60)
        for i in range(60):
            bar.advance(Report(source=SourceInfo(path=f"d{i}.md"), status="ok"))
    lines = log.getvalue().splitlines()
    assert lines[0] == "ecopark: 60 to process"
    done = [ln for ln in lines[1:] if "done" in ln]
    assert [ln.split()[1] for ln in done] == ["25/60", "50/60", "60/60"]
    assert "last d59.md" in done[-1]


def test_eta_text() -> None:
    from ecopark.progress import eta_text

    assert eta_text(0, 10, 5.0) == "eta …"
    assert eta_text(5, 10, 10.0) == "eta 10 s"
    assert eta_text(1, 30, 60.0) == "eta 29 min"
    assert eta_text(1, 100, 60.0) == "eta 1.6 h"
