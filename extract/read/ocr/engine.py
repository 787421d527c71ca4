"""The OCR engine: RapidOCR (PP-OCR det + rec ONNX models) on onnxruntime, CPU only.

The models ship inside the ``rapidocr`` wheel (``rapidocr/models/*.onnx``). RapidOCR
downloads a model only when it is given no ``model_path`` and the file under its
``model_root_dir`` is missing or fails its checksum, and the recogniser's character
list only when the model lacks it in its metadata. We pass explicit paths to the
bundled files and check the metadata, so a run never touches the network; a broken
install fails with ``OcrUnavailable`` instead of a download attempt.

One engine per process (lazy), one onnxruntime thread by default: the batch runs one
document per worker process, so threads inside a worker would only contend.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from extract.errors import ReadError

Image = npt.NDArray[np.uint8]
PixBox = tuple[float, float, float, float]  # x0, top, x1, bottom in image pixels

# The files of rapidocr 3.x's default Chinese pipeline, as shipped in its wheel.
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
REC_MIN_WIDTH = 160


class OcrUnavailable(ReadError):
    """The OCR engine or its bundled models are not installed."""


@dataclass(frozen=True, slots=True)
class OcrChar:
    """One recognised glyph, its box in image pixels and its probability."""

    text: str
    box: PixBox
    confidence: float


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One detected text line: text, quad and axis-aligned box in image pixels, the
    recogniser's mean probability and per-glyph detail (empty when unavailable)."""

    text: str
    quad: tuple[tuple[float, float], ...]
    bbox: PixBox
    confidence: float
    chars: tuple[OcrChar, ...] = ()


def model_dir() -> Path:
    spec = find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise OcrUnavailable("OCR unavailable: the rapidocr package is not installed")
    return Path(spec.origin).parent / "models"


def bundled_models() -> dict[str, Path]:
    """The det/rec/cls model files inside the installed wheel; raises if one is missing."""
    root = model_dir()
    paths = {"Det": root / DET_MODEL, "Rec": root / REC_MODEL, "Cls": root / CLS_MODEL}
    missing = [p.name for p in paths.values() if not p.is_file()]
    if missing:
        raise OcrUnavailable(
            f"OCR unavailable: bundled model(s) {', '.join(missing)} not found in {root}"
        )
    return paths


def engine_params(threads: int, det_limit: int) -> dict[str, Any]:
    """RapidOCR parameters: bundled models by explicit path (never a download), CPU
    onnxruntime with ``threads`` threads, per-glyph boxes for cell placement."""
    params: dict[str, Any] = {
        "Global.log_level": "error",
        "Global.use_cls": False,  # scans are upright; deskew handles small tilt
        "Global.return_word_box": True,
        "Global.return_single_char_box": True,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        # Detection on a page downscaled to this longest side: 200 dpi text stays
        # detectable and detection time drops by ~40 %.
        "Det.limit_type": "max",
        "Det.limit_side_len": det_limit,
        # Crops are padded to at least this width (at height 48) before recognition.
        # RapidOCR's default, 320, pads every short table cell (是, %, 0.28) to a
        # 6.7:1 strip; 160 reads the same text and halves recognition on table pages.
        "Rec.rec_img_shape": [3, 48, REC_MIN_WIDTH],
        # Crops per recognition batch (sorted by width, padded to the batch's widest):
        # 3 pads less than the default 6 and measured 5-10 % faster on one core.
        "Rec.rec_batch_num": 3,
    }
    for task, path in bundled_models().items():
        params[f"{task}.model_path"] = str(path)
    return params


@lru_cache(maxsize=2)
def get_engine(threads: int = 1, det_limit: int = 1280) -> Any:
    """The process's engine (built on first use, ~0.1 s; models are mmapped)."""
    try:
        from rapidocr import RapidOCR
    except ImportError as err:
        raise OcrUnavailable(f"OCR unavailable: {err}") from err
    # rapidocr reads these before creating sessions; keep the math libraries to our
    # thread budget as well.
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    engine: Any = RapidOCR(params=engine_params(threads, det_limit))
    # Load the recogniser now: without a character list in its metadata rapidocr
    # would fetch a dictionary file on first use.
    rec = engine._load_rec_model()
    if not rec.session.have_key():
        raise OcrUnavailable("OCR unavailable: the recognition model has no character list")
    return engine


def _bbox(quad: Sequence[Sequence[float]]) -> PixBox:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return (min(xs), min(ys), max(xs), max(ys))


def _chars(word_line: Any) -> tuple[OcrChar, ...]:
    out: list[OcrChar] = []
    for item in word_line or ():
        text, score, quad = item[0], item[1], item[2]
        if quad is None:
            return ()
        out.append(OcrChar(str(text), _bbox(quad), float(score)))
    return tuple(out)


def to_boxes(result: Any) -> list[OcrBox]:
    """RapidOCR's output object → plain boxes (nothing when it found no text)."""
    if result is None or result.boxes is None or result.txts is None:
        return []
    words = list(result.word_results or ())
    out: list[OcrBox] = []
    for k, (quad, text, score) in enumerate(
        zip(result.boxes, result.txts, result.scores, strict=False)
    ):
        q = tuple((float(p[0]), float(p[1])) for p in quad)
        chars = _chars(words[k]) if k < len(words) else ()
        if "".join(c.text for c in chars) != str(text).replace(" ", ""):
            chars = ()  # the glyph split does not spell the line: do not trust it
        out.append(OcrBox(str(text), q, _bbox(q), float(score), chars))
    return out


def as_rgb(image: Image) -> Image:
    if image.ndim == 2:
        return np.ascontiguousarray(np.stack([image] * 3, axis=-1))
    return image


def recognize(image: Image, threads: int = 1, det_limit: int = 1280) -> list[OcrBox]:
    """Detect and read every text line of a page image (gray or RGB uint8)."""
    engine = get_engine(threads, det_limit)
    # Flags are passed every call: RapidOCR keeps the last call's flags as its state.
    result = engine(
        as_rgb(image),
        use_det=True,
        use_cls=False,
        use_rec=True,
        return_word_box=True,
        return_single_char_box=True,
    )
    return to_boxes(result)


def read_line(image: Image, threads: int = 1, det_limit: int = 1280) -> tuple[str, float]:
    """Recognition only, on a crop holding one line of text (a cell detection missed)."""
    engine = get_engine(threads, det_limit)
    result = engine(
        as_rgb(image),
        use_det=False,
        use_cls=False,
        use_rec=True,
        return_word_box=False,
        return_single_char_box=False,
    )
    if result is None or not result.txts:
        return "", 0.0
    return str(result.txts[0]), float(result.scores[0])
