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


class AnyHeightSession:
    """The bundled recogniser, built to read strips of any height (a multiple of 8, 16
    to 48 px) instead of only its 48.

    The network is convolutional up to one average pooling that folds the backbone's
    rows (3 at 48 px) into one and halves the width; here that pooling is a mean over
    whatever rows there are followed by the same halving, which at 48 px computes what
    the original does. In a lower strip the same weights read text of a given size with
    less paper above and below it, and recognition time is linear in the strip's area:
    a line read at half scale (24 px glyphs) costs two thirds in a 32 px strip of what
    it costs in a 48 px one. The graph is edited in memory at load (the file on disk is
    untouched) and replaces RapidOCR's own session, so one copy of the model is held."""

    def __init__(self, model: Path, threads: int) -> None:
        import onnx
        import onnxruntime as ort
        from onnx import helper

        graph = onnx.load(str(model))
        graph.graph.input[0].type.tensor_type.shape.dim[2].dim_param = "height"
        del graph.graph.value_info[:]  # shapes inferred at 48 px; ort infers them anew
        nodes = list(graph.graph.node)
        pools = [n for n in nodes if n.op_type == "AveragePool"]
        if len(pools) != 1 or list(_ints(pools[0], "kernel_shape")) != [3, 2]:
            raise ValueError(f"recogniser {model.name}: not the one 3 x 2 pooling expected")
        pool = pools[0]
        rows = pool.output[0] + "_rows"
        mean = helper.make_node("ReduceMean", [pool.input[0]], [rows], axes=[2], keepdims=1)
        halve = helper.make_node(
            "AveragePool", [rows], list(pool.output), kernel_shape=[1, 2], strides=[1, 2]
        )
        at = nodes.index(pool)
        del graph.graph.node[:]
        graph.graph.node.extend([*nodes[:at], mean, halve, *nodes[at + 1 :]])
        # As RapidOCR builds its sessions: no memory arena (an arena keeps the largest
        # strip's buffers for good: ~200 MB more at peak on the 11-page Changchun scan).
        options = ort.SessionOptions()
        options.log_severity_level = 4
        options.enable_cpu_mem_arena = False
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            graph.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )
        self._input = self._session.get_inputs()[0].name

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        out: np.ndarray = self._session.run(None, {self._input: batch})[0]
        return out


def _ints(node: object, name: str) -> list[int]:
    for attr in getattr(node, "attribute", []):
        if attr.name == name:
            return list(attr.ints)
    return []
