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
REC_MIN_WIDTH = 128
# Crops read by recognition alone (a cell detection missed, a lone × or √, ink no line
# covers) keep the 160 px their re-reads were tuned with: at 128 a lone × in a narrow
# claim cell read as 网. They are a few per page.
LONE_MIN_WIDTH = 160
# Lines read below this mean probability are dropped (RapidOCR's own default).
TEXT_SCORE = 0.5


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
        # 6.7:1 strip; 128 reads the same text on the scanned samples' table pages in
        # 15 % less time than 160. Less (64) saves more but misreads degraded digits
        # (1 0 0 as 1Q0): the grey the recogniser pads with after a short crop helps it.
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


def as_rgb(image: Image) -> Image:
    if image.ndim == 2:
        import cv2

        return np.asarray(cv2.cvtColor(image, cv2.COLOR_GRAY2RGB), dtype=np.uint8)
    return image


Quad = npt.NDArray[np.float32]  # 4 × 2 corners (clockwise from top-left), image pixels


def detect(image: Image, threads: int = 1, det_limit: int = 1280) -> list[Quad]:
    """Text-line quads of an image (detection only), top to bottom, in its pixels.

    RapidOCR's own steps before its detector (size bounds, padding of a wide strip) and
    after it (boxes mapped back), without the crops it would cut for recognition."""
    from rapidocr.utils.process_img import apply_vertical_padding, map_boxes_to_original

    engine = get_engine(threads, det_limit)
    rgb = as_rgb(image)
    img, record = engine.preprocess_img(rgb)
    img, record = apply_vertical_padding(img, record, engine.width_height_ratio, engine.min_height)
    result = engine._load_det_model()(img)
    if result.boxes is None or len(result.boxes) == 0:
        return []
    boxes = map_boxes_to_original(np.array(result.boxes), record, *rgb.shape[:2])
    return [np.asarray(q, dtype=np.float32) for q in boxes]


def unread(quads: Sequence[Quad]) -> list[OcrBox]:
    """Detected lines before recognition (no text, confidence 0): their shapes alone."""
    out = []
    for q in quads:
        corners = tuple((float(p[0]), float(p[1])) for p in q)
        out.append(OcrBox("", corners, _bbox(corners), 0.0))
    return out


def _padded(crop: Image, pad: float) -> Image:
    """``crop`` centred in a strip ``pad`` times its height, filled with its own
    background: the recogniser scales every strip to 48 px, so the text comes out
    ``1 / pad`` as large and the strip that much narrower (recognition time is linear
    in the strip's width)."""
    if pad <= 1.0 or crop.size == 0:
        return crop
    h = crop.shape[0]
    extra = round(h * (pad - 1.0) / 2)
    edge = np.concatenate([crop[0].reshape(-1), crop[-1].reshape(-1)])
    out = np.full((h + 2 * extra, *crop.shape[1:]), int(np.median(edge)), dtype=np.uint8)
    out[extra : extra + h] = crop
    return out


def _crop(image: Image, quad: Quad) -> Image:
    from rapidocr.utils.process_img import get_rotate_crop_image

    crop: Image = get_rotate_crop_image(image, quad.copy())
    return crop


def _recognise(
    engine: Any,
    crops: Sequence[Image],
    pads: Sequence[float],
    words: bool,
    min_width: int = REC_MIN_WIDTH,
) -> Any:
    """One batched recognition call over ``crops`` (RGB), each padded by its ``pads``,
    strips at least ``min_width`` wide."""
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    rec = engine._load_rec_model()
    strips = [_padded(c, p) for c, p in zip(crops, pads, strict=True)]
    rec.rec_image_shape = [3, 48, min_width]
    try:
        return rec(TextRecInput(img=strips, return_word_box=words))
    finally:
        rec.rec_image_shape = [3, 48, REC_MIN_WIDTH]  # the engine is shared


def _least_sure(result: Any, n: int) -> float:
    """The probability of the least certain glyph of reading ``n`` (0 for none)."""
    words = result.word_results[n] if result.word_results else None
    confs = getattr(words, "confs", None) or [0.0]
    return float(min(confs)) if str(result.txts[n]).strip() else 0.0


def read_quads(
    image: Image,
    quads: Sequence[Quad],
    pads: Sequence[float] | float = 1.0,
    threads: int = 1,
    det_limit: int = 1280,
    sure: Sequence[float] | float = 0.0,
    min_score: float = TEXT_SCORE,
) -> list[OcrBox]:
    """Recognise the text lines ``quads`` of ``image`` (crops of the image at its own
    resolution, in one batched call), with per-glyph boxes in image pixels. ``pads``
    (one per quad, or one for all) reads a line at reduced scale (see ``_padded``); a
    line so read whose least certain glyph is below its ``sure``, or that reads as
    nothing, is read again at full scale and that reading kept. Lines that read as
    nothing or below ``min_score`` are dropped, as RapidOCR does."""
    if not quads:
        return []
    engine = get_engine(threads, det_limit)
    rgb = as_rgb(image)
    pad_list = [float(pads)] * len(quads) if isinstance(pads, float | int) else list(pads)
    sure_list = [float(sure)] * len(quads) if isinstance(sure, float | int) else list(sure)
    # A quad less than a pixel wide or high has nothing to read.
    usable = [i for i, q in enumerate(quads) if min(np.ptp(q[:, 0]), np.ptp(q[:, 1])) >= 1.0]
    crops = {i: _crop(rgb, quads[i]) for i in usable}
    usable = [i for i in usable if crops[i].size]
    if not usable:
        return []
    result = _recognise(engine, [crops[i] for i in usable], [pad_list[i] for i in usable], True)
    again = [
        n
        for n, i in enumerate(usable)
        if pad_list[i] > 1.0
        and (_least_sure(result, n) < sure_list[i] or float(result.scores[n]) < min_score)
    ]
    if again:
        second = _recognise(engine, [crops[usable[n]] for n in again], [1.0] * len(again), True)
        txts, scores, words = list(result.txts), list(result.scores), list(result.word_results)
        for m, n in enumerate(again):
            txts[n], scores[n], words[n] = (
                second.txts[m],
                second.scores[m],
                second.word_results[m],
            )
        result.txts, result.scores, result.word_results = tuple(txts), scores, tuple(words)
    keep = [
        i
        for i, t, sc in zip(usable, result.txts, result.scores, strict=True)
        if str(t).strip() and float(sc) >= min_score
    ]
    at = {i: n for n, i in enumerate(usable)}
    result.txts = tuple(result.txts[at[i]] for i in keep)
    result.scores = [result.scores[at[i]] for i in keep]
    result.word_results = tuple(result.word_results[at[i]] for i in keep)
    if not keep:
        return []
    out: list[OcrBox] = []
    for k, i in enumerate(keep):
        text = str(result.txts[k])
        q = tuple((float(p[0]), float(p[1])) for p in quads[i])
        chars = _glyphs(engine.cal_rec_boxes, crops[i], quads[i], text, result.word_results[k])
        if "".join(c.text for c in chars) != text.replace(" ", ""):
            chars = ()  # the glyph split does not spell the line: do not trust it
        out.append(OcrBox(text, q, _bbox(q), float(result.scores[k]), chars))
    return out


def _glyphs(cal: Any, crop: Image, quad: Quad, text: str, info: Any) -> tuple[OcrChar, ...]:
    """Glyph boxes in image pixels from the recogniser's column positions: RapidOCR's own
    steps (``CalRecBoxes``: boxes in the crop, overlaps evened out, mapped back through
    the crop's perspective transform), with the mapping done for all glyphs of a line at
    once; that per-point step in pure Python was an eighth of a page's time."""
    if not text or info is None or info.line_txt_len == 0:
        return ()
    h, w = crop.shape[:2]
    crop_box = np.array([[0, 0], [w, 0], [w, h], [0, h]])
    contents, boxes, confs = cal.cal_ocr_word_box(text, crop_box, info, True)
    if not boxes:
        return ()
    boxes = cal.adjust_box_overlap(boxes)
    quad = np.array(quad, dtype=np.float32)
    direction = cal.get_box_direction(quad)
    if direction.value != "horizontal_direct":  # a vertical line: RapidOCR's own way
        mapped_back = cal.reverse_rotate_crop_image(quad.copy(), boxes, direction)
        points = np.array(mapped_back, dtype=np.float64)
    else:
        left, top = int(np.min(quad[:, 0])), int(np.min(quad[:, 1]))
        local = quad - np.array([left, top], dtype=np.float32)
        cw = int(np.linalg.norm(local[0] - local[1]))
        ch = int(np.linalg.norm(local[0] - local[3]))
        std = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], dtype=np.float32)
        import cv2

        _, inverse = cv2.invert(cv2.getPerspectiveTransform(local, std))
        flat = np.asarray(boxes, dtype=np.float64).reshape(-1, 2)
        mapped = np.hstack([flat, np.ones((len(flat), 1))]) @ inverse.T
        xy = np.trunc(mapped[:, :2] / mapped[:, 2:3]) + np.array([left, top])
        points = xy.reshape(-1, 4, 2)
    out = []
    # As RapidOCR pairs them (its confidence list may run longer than the glyphs).
    for t, c, pts in zip(contents, confs, points, strict=False):
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        box = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))
        out.append(OcrChar(str(t), box, float(c)))
    return tuple(out)


def recognize(
    image: Image, threads: int = 1, det_limit: int = 1280, pad: float = 1.0
) -> list[OcrBox]:
    """Detect and read every text line of a page image (gray or RGB uint8)."""
    return read_quads(image, detect(image, threads, det_limit), pad, threads, det_limit)


def read_lines(
    crops: Sequence[Image], threads: int = 1, det_limit: int = 1280
) -> list[tuple[str, float]]:
    """Recognition only, in one batched call, on crops holding one line of text each
    (cells detection missed, probes of a page's orientation)."""
    if not crops:
        return []
    engine = get_engine(threads, det_limit)
    strips = [as_rgb(c) for c in crops]
    result = _recognise(engine, strips, [1.0] * len(crops), False, LONE_MIN_WIDTH)
    return [(str(t), float(sc)) for t, sc in zip(result.txts, result.scores, strict=True)]


def read_line(image: Image, threads: int = 1, det_limit: int = 1280) -> tuple[str, float]:
    """Recognition only, on a crop holding one line of text (a cell detection missed)."""
    if image.size == 0:
        return "", 0.0
    return read_lines([image], threads, det_limit)[0]
