"""A process pool that enforces a time and a memory limit per document.

concurrent.futures cannot stop a task that hangs or balloons; here each worker is a
process the parent can kill. A worker that times out, exceeds its memory limit or dies
is replaced, and its document gets a failed result that says why. Workers are also
replaced after ``tasks_per_worker`` documents, which bounds slow leaks (pdfplumber's,
FIELD-NOTES.md).

Workers die with the parent: each is its own process group (killed as a group, so a
converter it started goes too) and asks the kernel for SIGKILL when its parent dies
(PR_SET_PDEATHSIG; the parent of a worker is the forkserver, which exits when the run's
process does). SIGTERM to the parent stops the pool and kills its workers.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing as mp
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

import psutil

from ecopark.state import pid_alive

POLL_SECONDS = 0.1
_PR_SET_PDEATHSIG = 1


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


def _die_with(run_pid: int) -> None:
    """Own process group; gone when the run's process goes, however it goes.

    PR_SET_PDEATHSIG covers our direct parent (the forkserver); the run's own process
    is watched by a thread blocked on its pidfd (or polling where there is none), which
    exits this worker the moment that process ends — even while the main thread is deep
    in a parser."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    try:
        fd = os.pidfd_open(run_pid)
    except (AttributeError, OSError):
        fd = None
    if not pid_alive(run_pid):
        os._exit(1)  # the run died before we started watching it

    def watch() -> None:
        if fd is not None:
            select.select([fd], [], [])
        else:
            while pid_alive(run_pid):
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-run", daemon=True).start()


def _serve(conn: Connection, fn: Callable[[str], Any], parent_pid: int) -> None:
    _die_with(parent_pid)
    conn.send("ready")  # the time limit starts when the worker can work, not before
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
    ready: bool = False


class Pool:
    def __init__(self, fn: Callable[[str], Any], workers: int, limits: Limits) -> None:
        self.fn, self.n, self.limits = fn, max(1, workers), limits
        self.peak_rss_mb = 0.0  # the largest worker seen, for benchmarks and the summary
        self.ctx = mp.get_context("forkserver")
        self.ctx.set_forkserver_preload(["ecopark.pipeline"])  # workers start warm

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_serve, args=(child, self.fn, os.getpid()), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    @staticmethod
    def _kill(w: _Worker) -> None:
        pid = w.proc.pid
        if pid is not None:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)  # the worker and whatever it started
        with contextlib.suppress(OSError, ValueError):
            w.proc.kill()

    @classmethod
    def _stop(cls, w: _Worker, kill: bool = False) -> None:
        try:
            if kill:
                cls._kill(w)
            else:
                w.conn.send(None)
        except (OSError, ValueError):
            pass
        w.proc.join(timeout=5)
        if w.proc.is_alive():
            cls._kill(w)
            w.proc.join()
        w.conn.close()

    def _rss_mb(self, w: _Worker) -> float:
        try:
            return float(psutil.Process(w.proc.pid).memory_info().rss) / 2**20
        except (psutil.Error, TypeError):
            return 0.0

    def run(self, tasks: Sequence[str]) -> Iterator[Outcome]:
        """Yield one Outcome per task, in completion order. SIGTERM (in the main thread)
        raises SystemExit(143) here after the workers are killed."""
        todo = list(reversed(tasks))
        workers: list[_Worker] = []
        restore = _on_sigterm()
        try:
            workers.extend(self._start() for _ in range(min(self.n, len(tasks))))
            while todo or any(w.task is not None for w in workers):
                for w in workers:
                    if not w.ready:
                        w.ready = self._ready(w)
                    if w.ready and w.task is None and todo:
                        w.task, w.started = todo.pop(), time.monotonic()
                        w.conn.send(w.task)
                busy = [w for w in workers if w.task is not None]
                waiting = [w for w in workers if not w.ready]
                ready = wait(
                    [w.conn for w in busy + waiting] + [w.proc.sentinel for w in busy + waiting],
                    timeout=POLL_SECONDS,
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
            restore()

    def _ready(self, w: _Worker) -> bool:
        """Whether a starting worker has said it is ready (a dead one is replaced)."""
        if not w.proc.is_alive():
            w.proc.join(timeout=1)
            w.conn.close()
            fresh = self._start()
            w.proc, w.conn = fresh.proc, fresh.conn
            return False
        try:
            return bool(w.conn.poll(0)) and w.conn.recv() == "ready"
        except (EOFError, OSError):
            return False

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


def _on_sigterm() -> Callable[[], None]:
    """Turn SIGTERM into SystemExit(143) while the pool runs, so ``finally`` kills the
    workers; returns what restores the previous handler. Only the main thread can."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


class OneWorker:
    """One worker kept between calls, each call under the pool's limits — for work the
    parent must not do itself (drawing a report's page images of an untrusted PDF)."""

    def __init__(self, fn: Callable[[str], Any], limits: Limits) -> None:
        self.pool = Pool(fn, 1, limits)
        self.w: _Worker | None = None

    def call(self, task: str) -> Outcome:
        pool = self.pool
        if self.w is None:
            self.w = pool._start()
        w = self.w
        deadline = time.monotonic() + pool.limits.seconds_per_doc
        while not w.ready:
            w.ready = pool._ready(w)
            if not w.ready:
                if time.monotonic() > deadline:
                    self.close()
                    return Outcome(task, None, "worker did not start")
                wait([w.conn, w.proc.sentinel], timeout=POLL_SECONDS)
        w.task, w.started = task, time.monotonic()
        w.conn.send(task)
        while True:
            ready = wait([w.conn, w.proc.sentinel], timeout=POLL_SECONDS)
            outcome, replace = pool._poll(w, ready)
            if outcome is None:
                continue
            if replace or w.done >= pool.limits.tasks_per_worker:
                self.close(kill=replace)
            return outcome

    def close(self, kill: bool = True) -> None:
        if self.w is not None:
            Pool._stop(self.w, kill=kill)
            self.w = None
