"""The run's progress: on a terminal a bar (done/total, rate, ETA, counts by status, the
last file done); without one (cron, CI, a pipe) a plain line every ``LOG_EVERY`` documents
or ``LOG_SECONDS`` seconds, so a long run never looks hung."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

if TYPE_CHECKING:
    from schemas.record import Report

LOG_EVERY = 25  # documents between two log lines without a terminal
LOG_SECONDS = 30.0  # … or seconds, whichever comes first
NAME_CHARS = 40


def eta_text(done: int, total: int, elapsed: float) -> str:
    """Time left at the mean rate so far (a rate over the whole run: documents differ too
    much for a short window to say anything)."""
    if done <= 0 or elapsed <= 0:
        return "eta …"
    left = (total - done) * elapsed / done
    if left < 60:
        return f"eta {left:.0f} s"
    if left < 3600:
        return f"eta {left / 60:.0f} min"
    return f"eta {left / 3600:.1f} h"


def short_name(path: str, width: int = NAME_CHARS) -> str:
    name = Path(path).name
    return name if len(name) <= width else "…" + name[-(width - 1) :]


class RunProgress:
    def __init__(
        self,
        enabled: bool = True,
        console: Console | None = None,
        log: bool = True,
        stream: TextIO | None = None,
    ) -> None:
        console = console or Console(stderr=True)
        self.enabled = enabled and console.is_terminal
        self.log = log and not console.is_terminal  # plain lines only where no bar can be
        self.stream = stream
        self.counts: Counter[str] = Counter()
        self.total = 0
        self.done = 0
        self.t0 = time.monotonic()
        self.last_log = (0, self.t0)
        self.progress = Progress(
            TextColumn("[bold]ecopark"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[speed_text]}"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[eta]}"),
            TextColumn("{task.fields[counts]}"),
            TextColumn("{task.fields[name]}", style="dim"),
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
        self.total, self.done, self.t0 = total, 0, time.monotonic()
        self.last_log = (0, self.t0)
        self.task = self.progress.add_task(
            "run", total=total, counts="", speed_text="", eta="eta …", name=""
        )
        if self.log and total:
            self._write(f"ecopark: {total} to process")

    def _write(self, line: str) -> None:
        import sys

        stream = self.stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()

    def _rate(self, elapsed: float) -> str:
        return f"{self.done / elapsed * 60:.0f}/min" if elapsed > 0 and self.done else ""

    def advance(self, report: Report) -> None:
        self.counts[report.status] += 1
        self.done += 1
        now = time.monotonic()
        elapsed = now - self.t0
        counts = " ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        eta = eta_text(self.done, self.total, elapsed)
        if self.task is not None:
            self.progress.update(
                self.task,
                advance=1,
                counts=counts,
                speed_text=self._rate(elapsed),
                eta=eta,
                name=short_name(report.source.path),
            )
        n, t = self.last_log
        if self.log and (
            self.done - n >= LOG_EVERY or now - t >= LOG_SECONDS or self.done == self.total
        ):
            self._write(
                f"ecopark: {self.done}/{self.total} done ({counts}), {self._rate(elapsed)}, "
                f"{eta}; last {short_name(report.source.path)}"
            )
            self.last_log = (self.done, now)
