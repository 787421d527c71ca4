"""Where the OCR models run: OpenVINO where it is installed, else onnxruntime.

RapidOCR builds onnxruntime sessions for the bundled models; the engine swaps a model's
session for an ``OpenVinoSession`` compiled by OpenVINO from the same ``.onnx`` file. On CPUs
that compute bfloat16 natively (AVX512-BF16, AMX) OpenVINO runs the convolutions and
matrix products in bf16, which on the scanned samples took recognition from ~0.078 to
~0.044 s per batch of three 48 x 480 strips on one core; elsewhere it runs f32 at
about onnxruntime's speed. RapidOCR's own OpenVINO engine is not used: its options
set neither the precision nor the shape cache below.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import numpy as np

RUNTIMES = ("auto", "openvino", "onnxruntime")
# OpenVINO keeps the kernels it compiled for every input shape it has seen (5000 by
# default): the recogniser's strips come in hundreds of widths, and on a 10-page scan
# that cache held ~500 MB. Fifty shapes hold the widths of a page's batches at no
# measured cost in time (300 random widths: 537 MB with 50, 1435 MB with the default).
SHAPE_CACHE = 50


def resolve(runtime: str) -> str:
    """The runtime ``runtime`` names ("auto": OpenVINO if installed, else onnxruntime)."""
    if runtime not in RUNTIMES:
        raise ValueError(f"unknown OCR runtime {runtime!r}: one of {', '.join(RUNTIMES)}")
    if runtime == "auto":
        return "openvino" if find_spec("openvino") is not None else "onnxruntime"
    return runtime


class OpenVinoSession:
    """A model compiled by OpenVINO, called as RapidOCR calls its sessions (one input
    array in, the first output out); ``release``: its intermediate buffers are freed
    after every call."""

    def __init__(self, model: Path, threads: int, release: bool = False) -> None:
        import openvino as ov

        self._release = release
        core = ov.Core()
        config = {
            "INFERENCE_NUM_THREADS": threads,
            "NUM_STREAMS": 1,
            "PERFORMANCE_HINT": "LATENCY",
            "CPU_RUNTIME_CACHE_CAPACITY": SHAPE_CACHE,
        }
        self._compiled = core.compile_model(core.read_model(str(model)), "CPU", config)
        self._infer = self._compiled.create_infer_request()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        self._infer.infer([batch])
        # The output tensor is OpenVINO's buffer, overwritten by the next call.
        out = np.array(self._infer.get_output_tensor().data)
        if self._release:
            self._compiled.release_memory()
        return out
