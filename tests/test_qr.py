"""QR codes that scan: every bundled frame, format and language decodes with a real decoder
(zxing-cpp) once the image is shown 360 px wide, also after a platform's JPEG q70 re-encode,
and points at this instance with the render's language."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from frames.bundled import bundled_frame, bundled_frames
from frames.errors import FrameError
from frames.localize import languages, words
from frames.model import QR_MIN_MODULE_PX
from frames.pack import frame_from_files
from remix.posttext import build_texts
from remix.render import RenderOptions, render
from remix.values import clean_values

BASE = "https://remix.example.org"
CASES = [(f.id, fmt, lang) for f in bundled_frames() for fmt in f.manifest.formats for lang in languages(f.manifest)]


def shown_small(image: Image.Image, width: int = 360, jpeg_quality: int | None = None) -> Image.Image:
    """The image as a feed shows it: scaled to `width`, optionally re-encoded as JPEG."""
    small = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    if jpeg_quality is None:
        return small
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=jpeg_quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def decoded(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def expected_link(frame_id: str, lang: str) -> str:
    own = bundled_frame(frame_id).manifest.language
    return f"{BASE}/?frame={frame_id}" + ("" if lang == own else f"&lang={lang}")


@pytest.mark.parametrize(("frame_id", "fmt", "lang"), CASES)
def test_every_bundled_qr_decodes_at_360_px_and_after_jpeg_q70(frame_id: str, fmt: str, lang: str) -> None:
    frame = bundled_frame(frame_id)
    values = clean_values(frame.manifest, words(frame.manifest, lang).samples())
    image = render(frame, values, None, fmt, RenderOptions(lang=lang, public_url=BASE, maker="Ana"))
    want = expected_link(frame_id, lang)
    assert decoded(shown_small(image)) == [want]
    assert decoded(shown_small(image, jpeg_quality=70)) == [want]


def test_the_case_list_covers_every_frame_format_and_language() -> None:
    assert len(CASES) == sum(len(f.manifest.formats) * len(languages(f.manifest)) for f in bundled_frames())
    assert any(lang == "ar" for _, _, lang in CASES)


def test_post_texts_carry_the_language_of_a_translation() -> None:
    frame = bundled_frame("clean-air")
    values = clean_values(frame.manifest, words(frame.manifest, "es").samples())
    texts = build_texts(frame, values, RenderOptions(lang="es", public_url=BASE))
    assert all(f"{BASE}/?frame=clean-air&lang=es" in t for t in texts.post.values())
    original = build_texts(frame, values, RenderOptions(public_url=BASE))
    assert all(f"{BASE}/?frame=clean-air" in t and "lang=" not in t for t in original.post.values())


def test_a_qr_box_too_small_to_scan_is_refused_with_one_sentence() -> None:
    source = bundled_frame("ride-the-bus")
    text = source.manifest_bytes.decode().replace("box = { x = 0.745, y = 0.7, w = 0.195, h = 0.195 }",
                                                  "box = { x = 0.8, y = 0.76, w = 0.12, h = 0.12 }", 1)
    with pytest.raises(FrameError) as caught:
        frame_from_files({"frame.toml": text.encode(), **source.assets}, "small qr")
    assert [str(p) for p in caught.value.problems] == [(
        "formats.square.layers[6].box: this QR code is too small to scan once the image is shown small; "
        "make the box at least 205 x 205 px (w >= 0.190, h >= 0.190)")]
    assert QR_MIN_MODULE_PX == 5.0
