"""The run's progress bar: done/total, rate, ETA and counts by status."""

from __future__ import annotations

from collections import Counter
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from schemas.record import Report


class RunProgress:
    def __init__(self, enabled: bool = True, console: Console | None = None) -> None:
        console = console or Console(stderr=True)
        self.enabled = enabled and console.is_terminal
        self.counts: Counter[str] = Counter()
        self.progress = Progress(
            TextColumn("[bold]ecopark"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[speed_text]}"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[counts]}"),
            console=console,
            disable=not self.enabled,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> RunProgress:
        self.progress.__enter__()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.__exit__(et, ev, tb)

    def start(self, total: int) -> None:
        self.task = self.progress.add_task("run", total=total, counts="", speed_text="")

    def advance(self, report: Report) -> None:
        self.counts[report.status] += 1
        if self.task is None:
            return
        t = self.progress.tasks[self.task]
        rate = f"{t.speed * 60:.0f}/min" if t.speed else ""
        counts = " ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        self.progress.update(self.task, advance=1, counts=counts, speed_text=rate)
