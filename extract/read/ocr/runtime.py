"""Where the OCR models run: RapidOCR's onnxruntime sessions (f32), or OpenVINO.

RapidOCR builds onnxruntime sessions for the bundled models; the engine swaps a model's
session for an ``OpenVinoSession`` compiled by OpenVINO from the same ``.onnx`` file. On CPUs
that compute bfloat16 natively (AVX512-BF16, AMX) OpenVINO runs the convolutions and
matrix products in bf16, which on the scanned samples took recognition from ~0.078 to
~0.044 s per batch of three 48 x 480 strips on one core; elsewhere it runs f32 at
about onnxruntime's speed. bf16 reads some lines differently, and on the project's own
randomised scans it read fewer cells right (seed 83, first contact: 95.6 % against
onnxruntime's 97.0 %; seed 79: 93.8 % against 96.0 %, mostly from the detector's boxes
moving), so onnxruntime is the default and OpenVINO a choice for speed over
accuracy. RapidOCR's own OpenVINO engine is not used: its options set neither the
precision nor the shape cache below.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

RUNTIMES = ("onnxruntime", "openvino")
# OpenVINO keeps the kernels it compiled for every input shape it has seen (5000 by
# default): the recogniser's strips come in hundreds of widths, and on a 10-page scan
# that cache held ~200 MB more than fifty shapes do (1138 against 921 MB peak; 300
# random widths: 1435 against 537 MB).
SHAPE_CACHE = 50


def check(runtime: str) -> str:
    """``runtime`` if it names one (``RUNTIMES``); else ``ValueError``."""
    if runtime not in RUNTIMES:
        raise ValueError(f"unknown OCR runtime {runtime!r}: one of {', '.join(RUNTIMES)}")
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
