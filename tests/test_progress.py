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
