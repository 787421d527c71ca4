"""A process pool that enforces a time and a memory limit per document.

concurrent.futures cannot stop a task that hangs or balloons; here each worker is a
process the parent can kill. A worker that times out, exceeds its memory limit or dies
is replaced, and its document gets a failed result that says why. Workers are also
replaced after ``tasks_per_worker`` documents, which bounds slow leaks (pdfplumber's,
FIELD-NOTES.md).
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

import psutil

POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Limits:
    seconds_per_doc: float = 300.0
    memory_mb_per_worker: int = 3072
    tasks_per_worker: int = 100


@dataclass(frozen=True)
class Outcome:
    """What came back for one task: the worker's result, or why there is none."""

    task: str
    result: Any | None
    failure: str | None = None


def _serve(conn: Connection, fn: Callable[[str], Any]) -> None:
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        conn.send(fn(task))


@dataclass
class _Worker:
    proc: BaseProcess
    conn: Connection
    task: str | None = None
    started: float = 0.0
    done: int = 0


class Pool:
    def __init__(self, fn: Callable[[str], Any], workers: int, limits: Limits) -> None:
        self.fn, self.n, self.limits = fn, max(1, workers), limits
        self.peak_rss_mb = 0.0  # the largest worker seen, for benchmarks and the summary
        self.ctx = mp.get_context("forkserver")
        self.ctx.set_forkserver_preload(["ecopark.pipeline"])  # workers start warm

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_serve, args=(child, self.fn), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    @staticmethod
    def _stop(w: _Worker, kill: bool = False) -> None:
        try:
            if kill:
                w.proc.kill()
            else:
                w.conn.send(None)
        except (OSError, ValueError):
            pass
        w.proc.join(timeout=5)
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join()
        w.conn.close()

    def _rss_mb(self, w: _Worker) -> float:
        try:
            return float(psutil.Process(w.proc.pid).memory_info().rss) / 2**20
        except (psutil.Error, TypeError):
            return 0.0

    def run(self, tasks: Sequence[str]) -> Iterator[Outcome]:
        """Yield one Outcome per task, in completion order."""
        todo = list(reversed(tasks))
        workers = [self._start() for _ in range(min(self.n, len(tasks)))]
        try:
            while todo or any(w.task is not None for w in workers):
                for w in workers:
                    if w.task is None and todo:
                        w.task, w.started = todo.pop(), time.monotonic()
                        w.conn.send(w.task)
                busy = [w for w in workers if w.task is not None]
                ready = wait(
                    [w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=POLL_SECONDS
                )
                for i, w in enumerate(workers):
                    if w.task is None:
                        continue
                    outcome, replace = self._poll(w, ready)
                    if outcome is None:
                        continue
                    yield outcome
                    if replace or w.done >= self.limits.tasks_per_worker:
                        self._stop(w, kill=replace)
                        workers[i] = self._start()
        finally:
            for w in workers:
                self._stop(w, kill=True)

    def _poll(self, w: _Worker, ready: Sequence[object]) -> tuple[Outcome | None, bool]:
        task = w.task
        assert task is not None
        if w.conn in ready:
            try:
                result = w.conn.recv()
            except (EOFError, OSError):
                result = None
            else:
                w.task, w.done = None, w.done + 1
                return Outcome(task, result), False
        if w.proc.sentinel in ready or not w.proc.is_alive():
            w.proc.join(timeout=1)
            code = w.proc.exitcode
            w.task = None
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
            return Outcome(task, None, f"worker crashed ({how}) while reading this file"), True
        elapsed = time.monotonic() - w.started
        if elapsed > self.limits.seconds_per_doc:
            w.task = None
            return Outcome(
                task,
                None,
                f"timeout: more than {self.limits.seconds_per_doc:g} s for this document",
            ), True
        rss = self._rss_mb(w)
        self.peak_rss_mb = max(self.peak_rss_mb, rss)
        if rss > self.limits.memory_mb_per_worker:
            w.task = None
            return Outcome(
                task,
                None,
                f"memory: the worker used {rss:.0f} MB, more than "
                f"{self.limits.memory_mb_per_worker} MB",
            ), True
        return None, False
