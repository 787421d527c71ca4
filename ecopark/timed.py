"""A per-document time limit inside the calling process (the Python API's
``ecopark.extract``; ``ecopark run`` and ``extract`` use the worker pool's limit).

SIGALRM interrupts the document wherever it is; the interruption is a BaseException so the
pipeline's per-stage error handling cannot swallow it. Signals reach only the main thread:
called from another thread, the document runs without a limit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType

from schemas.record import Report, SourceInfo, StageError


class _TimeUp(BaseException):
    pass


def _raise(signum: int, frame: FrameType | None) -> None:
    raise _TimeUp


def run_with_timeout(fn: Callable[[], Report], seconds: float, path: str) -> Report:
    """``fn()``, or a failed record for ``path`` when it takes more than ``seconds``."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        return fn()
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    except _TimeUp:
        from ecopark.version import ECOPARK_VERSION

        return Report(
            ecopark_version=ECOPARK_VERSION,
            source=SourceInfo(path=path),
            status="failed",
            errors=[
                StageError(
                    stage="run", message=f"timeout: more than {seconds:g} s for this document"
                )
            ],
        )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
