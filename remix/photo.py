"""Photo intake: a participant's upload becomes clean pixels, the right way up, without metadata.

Order matters for speed: a large JPEG is shrunk while decoding (draft mode) to the smallest
scale that still covers the largest photo box, and only then rotated by its EXIF orientation
(rotating first would force a full-size decode). The result is rebuilt from raw pixels, so no
EXIF (GPS!), XMP, comment or ICC profile can survive into anything rendered, stored or served.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

from frames.bundled import SAMPLE_PHOTO
from frames.images import load_pixels, open_untrusted, to_srgb
from remix.errors import PhotoError

MAX_SIDE = 2048
DRAFT_SLACK = 0.9
WHAT = "the photo"
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True, eq=False)
class Photo:
    """Clean pixels: RGB, or RGBA when the upload had transparency. Compared by identity, so
    caches keyed on a Photo hold one entry per decoded upload."""

    image: Image.Image

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size


def load_photo(data: bytes, fit_within: tuple[int, int] | None = None) -> Photo:
    """Decode, orient, colour-convert and shrink an upload; raises PhotoError with one sentence.

    `fit_within` is the largest box the photo will be cover-fitted into: the photo is kept just
    large enough to cover it (and never larger than 2048 px on its long side without need).
    """
    image = open_untrusted(data, what=WHAT, error=PhotoError)
    orientation = _orientation(image)
    if image.format == "JPEG" and fit_within:
        image.draft(None, draft_request(image.size, fit_within, orientation))
    load_pixels(image, what=WHAT, error=PhotoError)
    try:
        clean = _shrink(to_srgb(image), fit_within, orientation)
        if orientation in _TRANSPOSE:
            clean = clean.transpose(_TRANSPOSE[orientation])
        clean = _plain(clean)  # a new plain Image with empty info: no EXIF, XMP, comment or ICC travels
    except (OSError, ValueError, SyntaxError, MemoryError):
        raise PhotoError(f"{WHAT} could not be read; save it again as JPEG or PNG and retry") from None
    return Photo(clean)


def _plain(image: Image.Image) -> Image.Image:
    """A plain `Image` over the same pixels, with no file, EXIF, XMP, comment or ICC attached.

    Not a copy: copying a half-scale 12 MP decode (9 MB) costs a story render ~2-3 ms. The
    decoder's object (which still knows the file and its EXIF) is dropped by the caller.
    """
    clean = image._new(image.im)  # Pillow's own constructor for "an Image over this core image"
    clean.info = {}
    return clean


def draft_request(stored: tuple[int, int], fit_within: tuple[int, int], orientation: int) -> tuple[int, int]:
    """The size to ask JPEG draft mode for: 90% of what covers the box.

    Draft scales are powers of two; accepting a photo up to 10% short of the box (scaled up
    invisibly later) often halves the decoded size, which is most of a render's cost.
    """
    w, h = _stored_box(_needed(stored, fit_within, orientation), orientation)
    return max(1, int(w * DRAFT_SLACK)), max(1, int(h * DRAFT_SLACK))


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block (any error Pillow's parser raises) must not refuse a good photo
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _stored_box(box: tuple[int, int], orientation: int) -> tuple[int, int]:
    """A box in upright coordinates, expressed in the file's stored (unrotated) coordinates."""
    return (box[1], box[0]) if orientation in (5, 6, 7, 8) else box


def _needed(stored: tuple[int, int], fit_within: tuple[int, int], orientation: int) -> tuple[int, int]:
    """The upright size at which the photo just covers fit_within (capped at MAX_SIDE, then 4096)."""
    w, h = _stored_box(stored, orientation)
    scale = min(1.0, max(fit_within[0] / w, fit_within[1] / h))
    return max(1, math.ceil(w * scale)), max(1, math.ceil(h * scale))


def _shrink(image: Image.Image, fit_within: tuple[int, int] | None, orientation: int) -> Image.Image:
    """Downscale (in stored coordinates) to what the largest box needs, at most MAX_SIDE unless needed."""
    if fit_within:
        target = _stored_box(_needed(image.size, fit_within, orientation), orientation)
    else:
        scale = min(1.0, MAX_SIDE / max(image.size))
        target = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if target[0] >= image.width and target[1] >= image.height:
        return image
    if fit_within and max(image.size) <= 2 * max(target):
        return image  # close enough: the layer's one resize keeps more detail than two
    return image.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)


@lru_cache(maxsize=1)
def sample_photo() -> Photo:
    """The bundled sample photo (frames.bundled.SAMPLE_PHOTO), decoded once per process."""
    return load_photo(SAMPLE_PHOTO.read_bytes())
