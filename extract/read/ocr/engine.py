"""The OCR engine: RapidOCR (PP-OCR det + rec ONNX models), CPU only.

The models ship inside the ``rapidocr`` wheel (``rapidocr/models/*.onnx``). RapidOCR
downloads a model only when it is given no ``model_path`` and the file under its
``model_root_dir`` is missing or fails its checksum, and the recogniser's character
list only when the model lacks it in its metadata. We pass explicit paths to the
bundled files and check the metadata, so a run never touches the network; a broken
install fails with ``OcrUnavailable`` instead of a download attempt.

One engine per process (lazy), one thread by default: the batch runs one document per
worker process, so threads inside a worker would only contend. The models run on
RapidOCR's onnxruntime sessions, or on OpenVINO (``runtime``).
"""

from __future__ import annotations

import logging
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
from extract.read.ocr import runtime as runtimes
from extract.read.ocr import windows

Image = npt.NDArray[np.uint8]
PixBox = tuple[float, float, float, float]  # x0, top, x1, bottom in image pixels

# The files of rapidocr 3.x's default Chinese pipeline, as shipped in its wheel.
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
REC_MIN_WIDTH = 128
# The recogniser's strip height, as trained.
REC_HEIGHT = 48
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
        # One crop per recognition call: a batch pads its crops to its widest, and what
        # a line read as then hung on which lines shared its batch (the same scan read
        # differently from run to run, as the order of equal-width lines followed string
        # hashing). Alone, each strip is read at its own width, 3-4 % faster on one core
        # than batches of 3 (smaller tensors stay in cache; no padding computed).
        "Rec.rec_batch_num": 1,
    }
    for task, path in bundled_models().items():
        params[f"{task}.model_path"] = str(path)
    return params


def get_engine(threads: int = 1, det_limit: int = 1280, runtime: str = "onnxruntime") -> Any:
    """The process's engine (built on first use; models are mmapped), its detector and
    recogniser running on ``runtime`` (``runtime.RUNTIMES``)."""
    return _engine(threads, det_limit, runtimes.check(runtime))


@lru_cache(maxsize=2)
def _engine(threads: int, det_limit: int, runtime: str) -> Any:
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
    if runtime == "onnxruntime":
        try:
            rec.session = runtimes.AnyHeightSession(bundled_models()["Rec"], threads)
        except Exception as err:  # a recogniser of another shape: RapidOCR's, at 48 px
            logging.getLogger(__name__).warning("recogniser kept at 48 px strips: %s", err)
    if runtime == "openvino":
        models = bundled_models()
        det = engine._load_det_model()
        try:
            rec_session = runtimes.OpenVinoSession(models["Rec"], threads)
            # The detector's buffers hold a whole page's feature maps (~200 MB at 1280
            # px): freed after each pass (two a page at most), not kept through the
            # page's recognition.
            det_session = runtimes.OpenVinoSession(models["Det"], threads, release=True)
        except Exception as err:  # not installed, or no CPU plugin for this machine
            raise OcrUnavailable(f"OCR unavailable: OpenVINO failed: {err}") from err
        rec.session, det.session = rec_session, det_session
    return engine


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None where the C library has none."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


def release_freed_memory() -> None:
    """Hand the heap's free memory back to the system. onnxruntime runs without its
    arena (RapidOCR's setting), so every detection pass allocates and frees a few
    hundred MB; between pages the freed heap stayed mapped, fragmented, and a 10-page
    scan's peak grew from page to page (600 to 890 MB on one document)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


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


def detect(
    image: Image,
    threads: int = 1,
    det_limit: int = 1280,
    limit: int | None = None,
    runtime: str = "onnxruntime",
) -> list[Quad]:
    """Text-line quads of an image (detection only), top to bottom, in its pixels; the
    detector sees the image downscaled to ``limit`` px on its longest side (default: the
    engine's ``det_limit``).

    RapidOCR's own steps before its detector (size bounds, padding of a wide strip) and
    after it (boxes mapped back), without the crops it would cut for recognition."""
    from rapidocr.utils.process_img import apply_vertical_padding, map_boxes_to_original

    engine = get_engine(threads, det_limit, runtime)
    rgb = as_rgb(image)
    img, record = engine.preprocess_img(rgb)
    img, record = apply_vertical_padding(img, record, engine.width_height_ratio, engine.min_height)
    det = engine._load_det_model()
    det.limit_side_len = limit or det_limit
    try:
        found = _run_detector(det, img)
    finally:
        det.limit_side_len = det_limit  # the engine is shared
    if found is None or len(found) == 0:
        return []
    boxes = map_boxes_to_original(np.array(found), record, *rgb.shape[:2])
    return [np.asarray(q, dtype=np.float32) for q in boxes]


@lru_cache(maxsize=4)
def _normalise_table(scale: float, mean: float, std: float) -> npt.NDArray[np.float32]:
    """The detector's input value of each of the 256 pixel values, computed exactly as
    RapidOCR's ``DetPreProcess.normalize`` computes it (float32 scaled, float64 shifted
    and divided, float32 in the end)."""
    values = np.arange(256, dtype=np.uint8).astype("float32") * scale
    return np.asarray((values - np.float64(mean)) / np.float64(std), dtype=np.float32)


def _run_detector(det: Any, img: Image) -> Any:
    """RapidOCR's ``TextDetector.__call__`` (resize to a multiple of 32, normalise, run,
    DB post-processing, boxes sorted), with the normalisation a lookup of the 256 pixel
    values per channel instead of float64 arithmetic over every pixel: the same input
    to the last bit, in a tenth of the time (it was ~0.05 s of a page's detection)."""
    pre = det.get_preprocess()
    resized = pre.resize(img)
    if resized is None:
        return None
    planes = [
        _normalise_table(float(pre.scale), float(pre.mean[c]), float(pre.std[c]))[resized[..., c]]
        for c in range(resized.shape[2])
    ]
    batch = np.ascontiguousarray(np.stack(planes)[np.newaxis])
    preds = det.session(batch)
    boxes, _scores = det.postprocess_op(preds, img.shape[:2])
    if len(boxes) < 1:
        return None
    return det.sorted_boxes(boxes)


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


def strip_height(engine: Any, height: int) -> int:
    """The strip height a read asked at ``height`` px gets: 48 unless the recogniser
    reads any height (``runtime.AnyHeightSession``; the OpenVINO sessions are compiled
    for 48 px)."""
    rec = engine._load_rec_model()
    if height >= REC_HEIGHT or not isinstance(rec.session, runtimes.AnyHeightSession):
        return REC_HEIGHT
    return height


def _recognise(
    engine: Any,
    crops: Sequence[Image],
    pads: Sequence[float],
    words: bool,
    min_width: int = REC_MIN_WIDTH,
    height: int = REC_HEIGHT,
) -> Any:
    """One recognition call over ``crops`` (RGB; each strip read alone, see
    ``engine_params``), each padded by its ``pads``, strips at least ``min_width`` wide
    (at 48 px). ``height`` below 48: the strips are
    that high, each line's glyphs as large as its pad makes them in a 48 px strip (see
    ``runtime.AnyHeightSession``)."""
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    rec = engine._load_rec_model()
    height = strip_height(engine, height)
    fit = height / REC_HEIGHT
    strips = [_padded(c, p * fit) for c, p in zip(crops, pads, strict=True)]
    rec.rec_image_shape = [3, height, max(1, round(min_width * fit))]
    try:
        return rec(TextRecInput(img=strips, return_word_box=words))
    finally:
        rec.rec_image_shape = [3, REC_HEIGHT, REC_MIN_WIDTH]  # the engine is shared


def _least_sure(result: Any, n: int) -> float:
    """The probability of the least certain glyph of reading ``n`` (0 for none)."""
    words = result.word_results[n] if result.word_results else None
    confs = getattr(words, "confs", None) or [0.0]
    return float(min(confs)) if str(result.txts[n]).strip() else 0.0


@dataclass(slots=True)
class _Reading:
    """One line's reading: text, mean probability, least certain glyph, and either the
    recogniser's column detail (a line read alone) or glyph boxes already in image
    pixels (a line read in a shared strip)."""

    text: str
    score: float
    least: float
    words: Any = None
    chars: tuple[OcrChar, ...] | None = None


@dataclass(frozen=True, slots=True)
class Packing:
    """Short lines read side by side in one strip: the recogniser pads every strip to
    ``REC_MIN_WIDTH`` (at height 48), and most table cells (是, %, 0.28) are far
    narrower, so half a table page's recognition was padding. Lines whose strip would
    be narrower than ``below`` px share strips up to ``width`` px, ``gap`` px of paper
    between them; each glyph goes back to the line its column lies in."""

    below: int = 0  # 0: every line read alone
    gap: int = 16
    width: int = 256


def _strip_width(crop: Image, pad: float) -> float:
    """Width of ``crop``'s strip at the recogniser's height, read at ``1 / pad``."""
    h, w = crop.shape[:2]
    return 48.0 * int(w) / (int(h) * max(pad, 1.0))


def _paper(crop: Image) -> int:
    edge = np.concatenate([crop[0].reshape(-1), crop[-1].reshape(-1)])
    return int(np.median(edge))


@dataclass(frozen=True, slots=True)
class _Segment:
    index: int  # the quad's index
    x0: int  # where the line's picture starts in the strip (px)
    x1: int
    scale: float  # strip px per crop px
    height: int  # the crop's height (px)


def _pack(
    crops: dict[int, Image],
    order: Sequence[int],
    pads: Sequence[float],
    packing: Packing,
    height: int = REC_HEIGHT,
) -> list[tuple[Image, list[_Segment]]]:
    """The lines ``order`` laid side by side in strips ``height`` px high, each scaled as
    it would be read alone (``_padded`` by its pad, then to the strip's height)."""
    import cv2

    fit = height / REC_HEIGHT
    gap_px, width_px = max(1, round(packing.gap * fit)), round(packing.width * fit)

    strips: list[tuple[Image, list[_Segment]]] = []
    parts: list[Image] = []
    segs: list[_Segment] = []
    x = 0

    def close() -> None:
        nonlocal parts, segs, x
        if parts:
            strips.append((np.ascontiguousarray(np.hstack(parts)), segs))
        parts, segs, x = [], [], 0

    for i in order:
        padded = _padded(crops[i], pads[i] * fit)
        scale = height / padded.shape[0]
        w = max(1, round(padded.shape[1] * scale))
        if parts and x + gap_px + w > width_px:
            close()
        if parts:
            gap = np.full((height, gap_px, 3), _paper(padded), dtype=np.uint8)
            parts.append(gap)
            x += gap_px
        parts.append(np.asarray(cv2.resize(padded, (w, height)), dtype=np.uint8))
        segs.append(_Segment(i, x, x + w, scale, crops[i].shape[0]))
        x += w
    close()
    return strips


def _split_strip(
    cal: Any, strip: Image, segs: Sequence[_Segment], text: str, info: Any, quads: Sequence[Quad]
) -> dict[int, _Reading]:
    """The reading of a shared strip cut back into its lines: each glyph to the line its
    column lies in (or the nearest), its box sized as RapidOCR sizes glyphs (the mean
    pitch of the line's words of two or more glyphs, else the line's width per glyph)
    from that line's glyphs alone, and mapped back to image pixels."""
    out = {g.index: _Reading("", 0.0, 0.0, chars=()) for g in segs}
    if not text.strip() or info is None or not info.line_txt_len:
        return out
    col_w = strip.shape[1] / float(info.line_txt_len)
    cols = [int(c) for wc in info.word_cols for c in wc]
    word_of = [k for k, word in enumerate(info.words) for _ in word]
    # The recogniser's probabilities come one per character of ``text``, spaces too.
    confs = list(getattr(info, "confs", None) or [])
    solid = [n for n, ch in enumerate(text) if not ch.isspace()]
    spelled = [str(ch) for word in info.words for ch in word]
    if spelled != [text[n] for n in solid] or len(cols) != len(solid) or len(confs) < len(text):
        return out  # the glyph split does not spell the strip: its lines read as nothing
    per: dict[int, list[tuple[int, int]]] = {}
    for k, n in enumerate(solid):
        mid = (cols[k] + 0.5) * col_w
        seg = min(segs, key=lambda g: max(g.x0 - mid, mid - g.x1, 0.0))
        per.setdefault(seg.index, []).append((k, n))
    for g in segs:
        got = per.get(g.index, [])
        if not got:
            continue
        words: dict[int, list[int]] = {}
        for k, _ in got:
            words.setdefault(word_of[k], []).append(cols[k])
        pitches = [(c[-1] - c[0]) * col_w / (len(c) - 1) for c in words.values() if len(c) > 1]
        width = sum(pitches) / len(pitches) if pitches else (g.x1 - g.x0) / len(got)
        boxes = []
        for k, _ in got:
            mid = (cols[k] + 0.5) * col_w
            x0, x1 = max(mid - width / 2, g.x0), min(mid + width / 2, g.x1)
            # In the line's crop: x unscaled from the strip, y its full height.
            a, b = (x0 - g.x0) / g.scale, (x1 - g.x0) / g.scale
            boxes.append([[a, 0.0], [b, 0.0], [b, g.height], [a, g.height]])
        boxes = cal.adjust_box_overlap(boxes)
        points = _to_image(quads[g.index], np.asarray(boxes, dtype=np.float64))
        probs = [float(confs[n]) for _, n in got]
        line = "".join(
            (" " if j and text[n - 1].isspace() else "") + text[n] for j, (_, n) in enumerate(got)
        )
        chars = tuple(
            OcrChar(text[n], _box_of(p), c) for (_, n), p, c in zip(got, points, probs, strict=True)
        )
        # A line of Chinese whose reading leaves much of its picture unread lost glyphs
        # to its neighbours in the strip (必选 达标 达标 read as 必选达标标): unsure,
        # whatever the probabilities say, so it is read again alone. Not numbers: wide-set
        # digits (84 . 21) leave paper between them, and read alone, then at full scale,
        # they read worse (842.1).
        glyphs = [text[n] for _, n in got]
        short = all(_full_width(ch) for ch in glyphs) and _unread_ems(g, glyphs) > UNREAD_EMS
        least = 0.0 if short else min(probs)
        out[g.index] = _Reading(line, float(np.mean(probs)), least, chars=chars)
    return out


# A line's crop is about this many times its glyphs' height: the detector's box (and
# the one a ruled cell's line is given) reaches ~0.4 of it beyond the ink either way.
CROP_PER_EM = 1.8
# More than this many ems of a line's picture without a glyph read: glyphs were lost.
UNREAD_EMS = 0.75


def _unread_ems(g: _Segment, glyphs: Sequence[str]) -> float:
    """Ems of segment ``g``'s ink (its width less the crop's margins) that ``glyphs``
    do not account for (a full-width glyph one em, any other half)."""
    em = g.height * g.scale / CROP_PER_EM
    if em <= 0:
        return 0.0
    ink = (g.x1 - g.x0) / em - (CROP_PER_EM - 1.0)
    read = sum(1.0 if _full_width(ch) else 0.5 for ch in glyphs)
    return ink - read


def _full_width(ch: str) -> bool:
    return ord(ch) > 0x2E7F


def _box_of(pts: npt.NDArray[np.float64]) -> PixBox:
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    return (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))


def _to_image(quad: Quad, local: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Points (n × 4 × 2) in the upright crop of a horizontal ``quad`` → image pixels,
    through the crop's perspective transform (RapidOCR's mapping, for all at once)."""
    import cv2

    q = np.array(quad, dtype=np.float32)
    left, top = int(np.min(q[:, 0])), int(np.min(q[:, 1]))
    rel = q - np.array([left, top], dtype=np.float32)
    cw = int(np.linalg.norm(rel[0] - rel[1]))
    ch = int(np.linalg.norm(rel[0] - rel[3]))
    std = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], dtype=np.float32)
    _, inverse = cv2.invert(cv2.getPerspectiveTransform(rel, std))
    flat = np.asarray(local, dtype=np.float64).reshape(-1, 2)
    mapped = np.hstack([flat, np.ones((len(flat), 1))]) @ inverse.T
    xy = np.trunc(mapped[:, :2] / mapped[:, 2:3]) + np.array([left, top])
    return np.asarray(xy.reshape(-1, 4, 2), dtype=np.float64)


def _horizontal(cal: Any, quad: Quad) -> bool:
    return bool(
        cal.get_box_direction(np.array(quad, dtype=np.float32)).value == "horizontal_direct"
    )


def _read(
    engine: Any,
    crops: dict[int, Image],
    quads: Sequence[Quad],
    order: Sequence[int],
    pads: Sequence[float],
    packing: Packing,
    heights: Sequence[int] | None = None,
) -> dict[int, _Reading]:
    """Readings of the lines ``order``, one recognition call per strip height (``heights``,
    one per quad; 48 for all when None): lines alone, and short horizontal ones side by
    side in shared strips (``Packing``)."""
    tall = [REC_HEIGHT] * len(quads) if heights is None else heights
    out: dict[int, _Reading] = {}
    for height in sorted({strip_height(engine, tall[i]) for i in order}):
        group = [i for i in order if strip_height(engine, tall[i]) == height]
        out.update(_read_at(engine, crops, quads, group, pads, packing, height))
    return out


def _read_at(
    engine: Any,
    crops: dict[int, Image],
    quads: Sequence[Quad],
    order: Sequence[int],
    pads: Sequence[float],
    packing: Packing,
    height: int,
) -> dict[int, _Reading]:
    """``_read`` for lines that share one strip height."""
    cal = engine.cal_rec_boxes
    short = [
        i
        for i in order
        if _strip_width(crops[i], pads[i]) < packing.below and _horizontal(cal, quads[i])
    ]
    if len(short) < 2:
        short = []
    alone = [i for i in order if i not in set(short)]
    strips = _pack(crops, short, pads, packing, height) if short else []
    images = [crops[i] for i in alone] + [st for st, _ in strips]
    # A shared strip is built at its height already: no pad.
    strip_pads = [pads[i] for i in alone] + [REC_HEIGHT / height] * len(strips)
    result = _recognise(engine, images, strip_pads, True, height=height)
    out: dict[int, _Reading] = {}
    for n, i in enumerate(alone):
        out[i] = _Reading(
            str(result.txts[n]),
            float(result.scores[n]),
            _least_sure(result, n),
            result.word_results[n],
        )
    for m, (strip, segs) in enumerate(strips):
        n = len(alone) + m
        out.update(
            _split_strip(cal, strip, segs, str(result.txts[n]), result.word_results[n], quads)
        )
    return out


def read_quads(
    image: Image,
    quads: Sequence[Quad],
    pads: Sequence[float] | float = 1.0,
    threads: int = 1,
    det_limit: int = 1280,
    sure: Sequence[float] | float = 0.0,
    min_score: float = TEXT_SCORE,
    packing: Packing | None = None,
    digits_only: Sequence[bool] | None = None,
    runtime: str = "onnxruntime",
    heights: Sequence[int] | int = REC_HEIGHT,
) -> list[OcrBox]:
    """Recognise the text lines ``quads`` of ``image`` (crops of the image at its own
    resolution, in one recognition call), with per-glyph boxes in image pixels. ``pads``
    (one per quad, or one for all) reads a line at reduced scale (see ``_padded``); a
    line so read whose least certain glyph is below its ``sure``, or that reads as
    nothing, is read again alone at full scale and that reading kept (where
    ``digits_only`` says so, only when it reads a digit). Short lines may
    share strips (``packing``). ``heights`` (one per quad, or one for all): the strip
    height a line is first read in (see ``_recognise``); the full-scale re-read is at
    48. Lines that read as nothing or below ``min_score`` are dropped, as RapidOCR does."""
    if not quads:
        return []
    engine = get_engine(threads, det_limit, runtime)
    rgb = as_rgb(image)
    pad_list = [float(pads)] * len(quads) if isinstance(pads, float | int) else list(pads)
    sure_list = [float(sure)] * len(quads) if isinstance(sure, float | int) else list(sure)
    # A quad less than a pixel wide or high has nothing to read.
    usable = [i for i, q in enumerate(quads) if min(np.ptp(q[:, 0]), np.ptp(q[:, 1])) >= 1.0]
    crops = {i: _crop(rgb, quads[i]) for i in usable}
    usable = [i for i in usable if crops[i].size]
    if not usable:
        return []
    tall = [int(heights)] * len(quads) if isinstance(heights, int) else list(heights)
    reads = _read(engine, crops, quads, usable, pad_list, packing or Packing(), tall)

    def unsure(i: int) -> bool:
        if reads[i].score < min_score:
            return True
        if digits_only is not None and digits_only[i]:
            return reads[i].least < sure_list[i] and any(ch.isdigit() for ch in reads[i].text)
        return reads[i].least < sure_list[i]

    # A line read in a shared strip and unsure is read alone at its scale first (its
    # neighbours in the strip can sway the recogniser), then, still unsure, at full scale.
    shared = [i for i in usable if reads[i].chars is not None and unsure(i)]
    if shared:
        reads.update(_read(engine, crops, quads, shared, pad_list, Packing(), tall))
    again = [i for i in usable if pad_list[i] > 1.0 and unsure(i)]
    if again:
        # A narrative line has only its numbers and unsure glyphs read again (``windows``).
        parts: dict[int, list[_Window]] = {}
        if digits_only is not None:
            for i in again:
                if digits_only[i]:
                    cut = _windows_of(engine, crops[i], quads[i], reads[i], sure_list[i])
                    if cut:
                        parts[i] = cut
        whole = [i for i in again if i not in parts]
        if whole:
            reads.update(_read(engine, crops, quads, whole, [1.0] * len(quads), Packing()))
        reads.update(_read_windows(engine, crops, quads, reads, parts))
    out: list[OcrBox] = []
    for i in usable:
        r = reads[i]
        if not r.text.strip() or r.score < min_score:
            continue
        q = tuple((float(p[0]), float(p[1])) for p in quads[i])
        chars = r.chars
        if chars is None:
            chars = _glyphs(engine.cal_rec_boxes, crops[i], quads[i], r.text, r.words)
        if "".join(c.text for c in chars) != r.text.replace(" ", ""):
            chars = ()  # the glyph split does not spell the line: do not trust it
        out.append(OcrBox(r.text, q, _bbox(q), r.score, chars))
    return out


def _glyphs_of(engine: Any, crop: Image, quad: Quad, r: _Reading) -> tuple[OcrChar, ...]:
    """A reading's glyphs in image pixels, or () when they do not spell its text."""
    chars = r.chars
    if chars is None:
        chars = _glyphs(engine.cal_rec_boxes, crop, quad, r.text, r.words)
    if "".join(c.text for c in chars) != r.text.replace(" ", ""):
        return ()
    return chars


def _to_crop(quad: Quad, points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Image points (n × 2) → the upright crop of a horizontal ``quad`` (``_to_image``'s
    inverse)."""
    import cv2

    q = np.array(quad, dtype=np.float32)
    left, top = int(np.min(q[:, 0])), int(np.min(q[:, 1]))
    rel = q - np.array([left, top], dtype=np.float32)
    cw = int(np.linalg.norm(rel[0] - rel[1]))
    ch = int(np.linalg.norm(rel[0] - rel[3]))
    std = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], dtype=np.float32)
    forward = cv2.getPerspectiveTransform(rel, std)
    flat = np.asarray(points, dtype=np.float64).reshape(-1, 2) - np.array([left, top])
    mapped = np.hstack([flat, np.ones((len(flat), 1))]) @ forward.T
    return np.asarray(mapped[:, :2] / mapped[:, 2:3], dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _Window:
    x0: int  # crop columns read again
    x1: int
    margin: int  # paper px added either side
    first: int  # the glyphs (no spaces) they replace
    last: int
    quad: Quad  # the columns' quad in the image


def _windows_of(
    engine: Any, crop: Image, quad: Quad, r: _Reading, sure: float
) -> list[_Window] | None:
    """The stretches of a line to read again (``windows``), or None: the whole line."""
    chars = _glyphs_of(engine, crop, quad, r)
    if not chars or not _horizontal(engine.cal_rec_boxes, quad):
        return None
    h = crop.shape[0]
    mids = [((c.box[1] + c.box[3]) / 2.0) for c in chars]
    ends = np.array(
        [[[c.box[0], m], [c.box[2], m]] for c, m in zip(chars, mids, strict=True)]
    ).reshape(-1, 2)
    xs = _to_crop(quad, ends)[:, 0].reshape(-1, 2)
    boxes = [(float(a), float(b)) for a, b in xs]
    spans = windows.number_spans([c.text for c in chars], [c.confidence < sure for c in chars])
    cols = windows.window_columns(spans, boxes, windows.ink_columns(crop), h / CROP_PER_EM)
    if not cols:
        return None
    # Paper either side of a window, as the detector leaves either side of a line: a
    # glyph cut flush with the crop's edge is lost (小镇 read 镇).
    margin = round(windows.EDGE_PAPER_EM * h / CROP_PER_EM)
    out = []
    for x0, x1, first, last in cols:
        a, b = float(x0 - margin), float(x1 + margin)
        corners = np.array([[[a, 0.0], [b, 0.0], [b, float(h)], [a, float(h)]]])
        local = _to_image(quad, corners)[0].astype(np.float32)
        out.append(_Window(x0, x1, margin, first, last, local))
    return out


def _with_paper(crop: Image, margin: int) -> Image:
    """``crop`` with ``margin`` columns of its own paper either side."""
    side = np.full((crop.shape[0], margin, *crop.shape[2:]), _paper(crop), dtype=np.uint8)
    return np.ascontiguousarray(np.concatenate([side, crop, side], axis=1))


def _read_windows(
    engine: Any,
    crops: dict[int, Image],
    quads: Sequence[Quad],
    reads: dict[int, _Reading],
    parts: dict[int, list[_Window]],
) -> dict[int, _Reading]:
    """The lines ``parts`` with their windows read again at full scale (one recognition call)
    and spliced in: text, glyphs (the rest keep their first reading's) and scores. A
    line whose window reads as nothing, does not begin and end with the glyphs it
    replaces (a cut went through a glyph: 小镇 read 镇), or whose glyphs do not spell
    it, is read again whole."""
    jobs = [(i, w) for i, ws in parts.items() for w in ws]
    if not jobs:
        return {}
    wcrops = {n: _with_paper(crops[i][:, w.x0 : w.x1], w.margin) for n, (i, w) in enumerate(jobs)}
    wquads = [w.quad for _, w in jobs]
    got = _read(engine, wcrops, wquads, list(range(len(jobs))), [1.0] * len(jobs), Packing())
    out: dict[int, _Reading] = {}
    whole: list[int] = []
    for i in parts:
        first = reads[i]
        chars = list(_glyphs_of(engine, crops[i], quads[i], first))
        text = first.text
        ok = True
        # Right to left (windows come left to right), so the glyph numbers of the
        # windows still to splice hold.
        for n in sorted((n for n, (j, _) in enumerate(jobs) if j == i), reverse=True):
            w, wr = jobs[n][1], got[n]
            wchars = _glyphs_of(engine, wcrops[n], wquads[n], wr)
            kept, new = [c.text for c in chars], [c.text for c in wchars]
            if not windows.edges_hold(kept, w.first, w.last, new):
                ok = False
                break
            text = windows.splice(text, w.first, w.last, wr.text)
            chars[w.first : w.last + 1] = wchars
        if not ok:
            whole.append(i)
            continue
        confs = [c.confidence for c in chars]
        out[i] = _Reading(text, float(np.mean(confs)), float(min(confs)), chars=tuple(chars))
    if whole:
        out.update(_read(engine, crops, quads, whole, [1.0] * len(quads), Packing()))
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
        points = _to_image(quad, np.asarray(boxes, dtype=np.float64))
    out = []
    # As RapidOCR pairs them (its confidence list may run longer than the glyphs).
    for t, c, pts in zip(contents, confs, points, strict=False):
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        box = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))
        out.append(OcrChar(str(t), box, float(c)))
    return tuple(out)


def recognize(
    image: Image,
    threads: int = 1,
    det_limit: int = 1280,
    pad: float = 1.0,
    runtime: str = "onnxruntime",
) -> list[OcrBox]:
    """Detect and read every text line of a page image (gray or RGB uint8)."""
    quads = detect(image, threads, det_limit, runtime=runtime)
    return read_quads(image, quads, pad, threads, det_limit, runtime=runtime)


def read_lines(
    crops: Sequence[Image], threads: int = 1, det_limit: int = 1280, runtime: str = "onnxruntime"
) -> list[tuple[str, float]]:
    """Recognition only, in one call, on crops holding one line of text each
    (cells detection missed, probes of a page's orientation)."""
    if not crops:
        return []
    engine = get_engine(threads, det_limit, runtime)
    strips = [as_rgb(c) for c in crops]
    result = _recognise(engine, strips, [1.0] * len(crops), False, LONE_MIN_WIDTH)
    return [(str(t), float(sc)) for t, sc in zip(result.txts, result.scores, strict=True)]


def read_line(
    image: Image, threads: int = 1, det_limit: int = 1280, runtime: str = "onnxruntime"
) -> tuple[str, float]:
    """Recognition only, on a crop holding one line of text (a cell detection missed)."""
    if image.size == 0:
        return "", 0.0
    return read_lines([image], threads, det_limit, runtime)[0]
