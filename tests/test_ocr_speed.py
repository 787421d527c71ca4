"""The OCR path's speed-ups that must not change what is read."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from extract.read.ocr import engine

pytest.importorskip("rapidocr")


def _page() -> npt.NDArray[np.uint8]:
    img = np.full((900, 640, 3), 235, np.uint8)
    rng = np.random.default_rng(3)
    img = np.clip(img.astype(np.int16) + rng.integers(-12, 12, img.shape), 0, 255).astype(np.uint8)
    for n, y in enumerate(range(80, 820, 60)):
        cv2.putText(
            img,
            f"Line {n} 4743.5 and 48.55%",
            (40, y),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.9,
            (30, 30, 30),
            2,
        )
    out: npt.NDArray[np.uint8] = img
    return out


def test_detector_input_is_rapidocrs_to_the_last_bit() -> None:
    det = engine.get_engine()._load_det_model()
    pre = det.get_preprocess()
    img = np.random.default_rng(1).integers(0, 256, (64, 96, 3), dtype=np.uint8)
    want = np.expand_dims(pre.permute(pre.normalize(img)), 0).astype(np.float32)
    planes = [
        engine._normalise_table(float(pre.scale), float(pre.mean[c]), float(pre.std[c]))[
            img[..., c]
        ]
        for c in range(3)
    ]
    assert np.array_equal(np.stack(planes)[np.newaxis], want)


@pytest.mark.parametrize("limit", [960, 1280])
def test_detected_lines_are_rapidocrs_own(limit: int) -> None:
    """``detect`` (normalisation by lookup) finds exactly the boxes RapidOCR's own
    detector call finds on the same image at the same scale."""
    img = _page()
    got = engine.detect(img, 1, 1280, limit)
    ocr = engine.get_engine()
    det = ocr._load_det_model()
    det.limit_side_len = limit
    try:
        ref = det(img)
    finally:
        det.limit_side_len = 1280
    assert ref.boxes is not None and len(got) == len(ref.boxes) > 5
    for q, r in zip(got, ref.boxes, strict=True):
        assert np.array_equal(q, np.asarray(r, dtype=np.float32))


def test_short_vertical_rulings_come_from_the_same_closing() -> None:
    """One closing serves both vertical masks: the short one is what a pass of its own
    at that length gives."""
    from extract.read.ocr.grid import binarize, ruling_masks

    gray = np.ascontiguousarray(_page()[:, :, 0])
    cv2.rectangle(gray, (20, 40), (600, 860), 0, 2)
    for x in (200, 420):
        cv2.line(gray, (x, 40), (x, 860), 0, 2)
    cv2.line(gray, (300, 500), (300, 530), 0, 2)  # a short border of one low row
    binary = binarize(gray)
    long_h, long_v, short_v = ruling_masks(binary, 69, 33)
    alone_h, alone_v, same = ruling_masks(binary, 69)
    assert np.array_equal(long_h, alone_h) and np.array_equal(long_v, alone_v)
    assert same is alone_v
    assert np.array_equal(short_v, ruling_masks(binary, 33)[1])
    assert short_v[510, 299:302].any() and not long_v[510, 299:302].any()


@pytest.mark.parametrize("paper", [235, 60])
def test_seal_split_in_eight_bits_is_the_signed_arithmetic(paper: int) -> None:
    """``split_seal``'s redness in saturated 8-bit arithmetic marks exactly the pixels
    the signed (int16) formula marks, on light paper and on paper darker than the
    light margin."""
    from extract.read.ocr.grid import (
        SEAL_FRINGE_PX,
        SEAL_LIGHT_MARGIN,
        SEAL_MIN_REDNESS,
        split_seal,
    )

    rng = np.random.default_rng(7)
    rgb = np.clip(rng.normal(paper, 25, (300, 400, 3)), 0, 255).astype(np.uint8)
    cv2.circle(rgb, (200, 150), 90, (220, 40, 50), 6)  # a red round seal
    cv2.putText(rgb, "48.55", (120, 160), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (20, 20, 20), 3)
    r = rgb[:, :, 0].astype(np.int16)
    gb = np.maximum(rgb[:, :, 1], rgb[:, :, 2]).astype(np.int16)
    want_paper = int(np.median(rgb[::8, ::8, 0]))
    light = r > want_paper - SEAL_LIGHT_MARGIN
    seal = ((r - gb > SEAL_MIN_REDNESS) & light).astype(np.uint8)
    k = 2 * SEAL_FRINGE_PX + 1
    grown = cv2.dilate(seal, np.ones((k, k), np.uint8)).astype(bool) & light
    want = rgb[:, :, 0].copy()
    want[grown] = want_paper
    gray, mask = split_seal(rgb)
    assert mask is not None and np.array_equal(mask > 0, grown)
    assert np.array_equal(gray, want)


def test_a_narrative_line_is_read_again_at_full_scale_only_when_it_holds_an_unsure_digit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At half scale a recogniser merges repeated digits (1355.44 read 155.44), its
    glyphs unsure: a narrative line with a digit and an unsure glyph is read again at
    full scale; an unsure line of words alone, or a sure line with digits, is not."""
    from extract.read.ocr import engine

    first = {
        0: engine._Reading("生产总值155.44亿元", 0.9, 0.6, chars=()),
        1: engine._Reading("园区坚持绿色发展", 0.9, 0.6, chars=()),
        2: engine._Reading("增长5.8%", 0.99, 0.99, chars=()),
    }
    again: list[list[int]] = []

    def fake_read(eng, crops, quads, order, pads, packing, heights=None):  # type: ignore[no-untyped-def]
        if all(p == 1.0 for p in pads):
            again.append(list(order))
            return {i: engine._Reading("生产总值1355.44亿元", 0.99, 0.99, chars=()) for i in order}
        return {i: first[i] for i in order}

    monkeypatch.setattr(engine, "_read", fake_read)
    monkeypatch.setattr(engine, "get_engine", lambda *a: None)
    image = np.full((60, 400), 255, np.uint8)
    quads = [
        np.array([[0, y], [300, y], [300, y + 15], [0, y + 15]], np.float32) for y in (0, 20, 40)
    ]
    out = engine.read_quads(image, quads, 2.0, sure=0.95, digits_only=[True] * 3)
    assert again == [[0]]
    assert out[0].text == "生产总值1355.44亿元"


def test_the_any_height_recogniser_at_48_px_is_the_bundled_one() -> None:
    """The recogniser edited to take strips of any height computes, at 48 px, what the
    bundled model computes (its one 3 x 2 pooling is a mean over the rows, then the
    same halving of the width)."""
    import onnxruntime as ort

    from extract.read.ocr import runtime

    model = engine.bundled_models()["Rec"]
    ours = runtime.AnyHeightSession(model, 1)
    theirs = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    img = _page()[60:110, 30:430]
    strip = cv2.resize(img, (round(img.shape[1] * 48 / img.shape[0]), 48))
    batch = ((strip.astype(np.float32) / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)[None]
    want = theirs.run(None, {theirs.get_inputs()[0].name: batch})[0]
    got = ours(batch)
    assert got.shape == want.shape
    assert np.allclose(got, want, atol=1e-4)
    low = cv2.resize(strip, (strip.shape[1] * 32 // 48, 32))
    out = ours(((low.astype(np.float32) / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)[None])
    assert out.shape[:2] == (1, low.shape[1] // 8)  # one time step per 8 columns


@pytest.mark.parametrize("strip", [32, 24])
def test_lines_read_in_lower_strips_read_as_in_48_px_strips(strip: int) -> None:
    """A line read at half scale is a 24 px crop in a 48 px strip, or the same crop in
    a 32 or 24 px strip for two thirds or half the time: the same text either way."""
    img = _page()
    quads = engine.detect(img, 1, 1280)
    tall = engine.read_quads(img, quads, 2.0)
    low = engine.read_quads(img, quads, 2.0, heights=strip)
    assert len(tall) == len(low) > 5
    assert [b.text for b in low] == [b.text for b in tall]
    assert any("4743.5" in b.text for b in low)
    assert all(b.chars for b in low)  # glyph boxes mapped back from the lower strip


def test_lines_asked_in_a_lower_strip_stay_at_48_px_on_openvino() -> None:
    """OpenVINO's sessions are compiled for 48 px strips: a lower strip is not asked of
    them."""
    ocr = engine.get_engine(runtime="openvino")
    assert engine.strip_height(ocr, 32) == 48
    assert engine.strip_height(engine.get_engine(), 32) == 32


def test_openvino_reads_what_onnxruntime_reads() -> None:
    """The models moved to OpenVINO (bf16 where the CPU has it) read clean print as
    RapidOCR's onnxruntime sessions do: same lines, same text."""
    img = _page()
    ov = engine.recognize(img, runtime="openvino")
    ort = engine.recognize(img, runtime="onnxruntime")
    assert len(ov) == len(ort) > 5
    assert [b.text for b in ov] == [b.text for b in ort]
    assert "4743.5" in ov[0].text


def test_an_unknown_runtime_is_refused() -> None:
    from extract.read.ocr import runtime

    assert runtime.check("openvino") == "openvino"
    with pytest.raises(ValueError, match="unknown OCR runtime 'cuda'"):
        runtime.check("cuda")


def test_an_openvino_that_cannot_run_is_an_error_that_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """OpenVINO asked for where it cannot compile the models (not installed, no CPU
    plugin) fails with ``OcrUnavailable`` saying why, not with OpenVINO's own error."""
    from extract.read.ocr import runtime

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("no CPU plugin")

    monkeypatch.setattr(runtime, "OpenVinoSession", broken)
    engine._engine.cache_clear()
    try:
        with pytest.raises(engine.OcrUnavailable, match="OpenVINO failed: no CPU plugin"):
            engine.get_engine(runtime="openvino")
        default = engine.get_engine()._load_rec_model().session
        assert isinstance(default, runtime.AnyHeightSession)  # onnxruntime, as ever
    finally:
        engine._engine.cache_clear()


def test_a_line_reads_the_same_whatever_is_read_beside_it() -> None:
    """A line's reading is its strip's alone: read by itself, or in one call with lines
    of other widths (a batch pads its strips to its widest), the same text and score."""
    img = _page()
    quads = engine.detect(img, 1, 1280)
    assert len(quads) > 5
    rgb = engine.as_rgb(img)
    crops = [engine._crop(rgb, q) for q in quads]
    wide = np.concatenate([crops[0], crops[1]], axis=1)  # a strip twice as wide
    ocr = engine.get_engine()
    alone = engine._recognise(ocr, [crops[2]], [1.0], False)
    beside = engine._recognise(ocr, [wide, crops[2], crops[3][:, :40]], [1.0] * 3, False)
    assert alone.txts[0] == beside.txts[1] and "4743.5" in alone.txts[0]
    assert alone.scores[0] == pytest.approx(beside.scores[1], abs=1e-6)
