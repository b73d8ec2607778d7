"""Photo intake: a participant's upload becomes clean pixels, the right way up, without metadata.

Order matters for speed: a large JPEG is shrunk while decoding to the smallest scale that still
covers the largest photo box, and only then rotated by its EXIF orientation (rotating first
would force a full-size decode). With a box to cover, a colour JPEG is decoded by libjpeg-turbo
through `simplejpeg`, which scales by any eighth (3/8 of a 12 MP photo just covers a story's
box, where Pillow's draft mode only halves: a third more pixels to decode and then shrink),
straight into the array the renderer's resizing reads (`Photo.pixels`). Everything else goes
through Pillow (draft mode for JPEG). Either way the result is rebuilt from raw pixels, so no
EXIF (GPS!), XMP, comment or ICC profile can survive into anything rendered, stored or served.
"""
from __future__ import annotations

import math
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from PIL import Image

from frames.bundled import SAMPLE_PHOTO
from frames.images import load_pixels, open_untrusted, to_srgb
from remix.errors import PhotoError

if TYPE_CHECKING:
    import numpy as np

MAX_SIDE = 2048
DRAFT_SLACK = 0.9
WHAT = "the photo"
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class Photo:
    """Clean pixels: RGB, or RGBA when the upload had transparency. Compared by identity, so
    caches keyed on a Photo hold one entry per decoded upload.

    It holds a Pillow image, or an RGBX array (height x width x 4, uint8, the fourth byte
    unused) when libjpeg-turbo decoded it; each is made from the other on first use and then
    kept. RGBX is how Pillow keeps RGB pixels in memory, so the image made from the array
    shares its memory (no copy), and libjpeg-turbo writes it faster than packed RGB.
    """

    __slots__ = ("__weakref__", "_image", "_pixels")
    _lock = threading.Lock()

    def __init__(self, image: Image.Image | None = None, pixels: np.ndarray | None = None) -> None:
        if image is None and pixels is None:
            raise ValueError("a Photo needs an image or pixels")
        self._image = image
        self._pixels = pixels

    @property
    def image(self) -> Image.Image:
        if self._image is None:
            with self._lock:
                if self._image is None and self._pixels is not None:
                    self._image = rgb_image(self._pixels)
        assert self._image is not None
        return self._image

    @property
    def pixels(self) -> np.ndarray | None:
        """The pixels as an RGBX array (None for a photo with transparency)."""
        if self._pixels is None and self._image is not None and self._image.mode == "RGB":
            import numpy as np

            with self._lock:
                if self._pixels is None:
                    w, h = self._image.size
                    pixels = np.frombuffer(self._image.tobytes("raw", "RGBX"), np.uint8).reshape(h, w, 4)
                    # From now on the image is a view of the array: the photo is not held twice.
                    self._pixels, self._image = pixels, rgb_image(pixels)
        return self._pixels

    @property
    def size(self) -> tuple[int, int]:
        if self._pixels is not None:
            return self._pixels.shape[1], self._pixels.shape[0]
        assert self._image is not None
        return self._image.size


def load_photo(data: bytes, fit_within: tuple[int, int] | None = None) -> Photo:
    """Decode, orient, colour-convert and shrink an upload; raises PhotoError with one sentence.

    `fit_within` is the largest box the photo will be cover-fitted into: the photo is kept just
    large enough to cover it (and never larger than 2048 px on its long side without need).
    """
    image = open_untrusted(data, what=WHAT, error=PhotoError)
    orientation = _orientation(image)
    if fit_within and scaled_decoding(image):
        pixels = decode_scaled(data, draft_request(image.size, fit_within, orientation))
        if pixels is not None:
            return _from_pixels(pixels, fit_within, orientation, image.info.get("icc_profile"))
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


def rgb_image(pixels: np.ndarray) -> Image.Image:
    """An RGB image over an RGBX array's own memory, without a copy (~0.5 ms saved on a 1080 px
    photo): Pillow keeps RGB in four bytes a pixel, so its buffer mapping serves as it is.
    Read-only, as Pillow marks every mapped image (anything that draws into it copies it first).
    `Image.frombuffer` maps only the modes it lists (RGBX, not RGB), hence its core call here."""
    import numpy as np

    h, w = pixels.shape[:2]
    pixels = np.ascontiguousarray(pixels)
    image = Image.new("RGB", (0, 0))._new(Image.core.map_buffer(pixels, (w, h), "raw", 0, ("RGB", 0, 1)))
    image.readonly = 1
    return image


def scaled_decoding(image: Image.Image) -> bool:
    """True for what `decode_scaled` decodes: a colour (YCbCr or RGB) JPEG."""
    return image.format == "JPEG" and image.mode == "RGB"


def decode_scaled(data: bytes, request: tuple[int, int]) -> np.ndarray | None:
    """A JPEG decoded by libjpeg-turbo at the smallest eighth of its size that is at least
    `request` (in stored coordinates), as RGBX pixels; None when libjpeg-turbo refuses it
    (damaged, cut short, an unusual coding): Pillow then decodes it or says what is wrong.
    Header checks (format, byte and pixel caps) are the caller's, done before."""
    import simplejpeg

    try:
        return simplejpeg.decode_jpeg(data, "RGBX", min_width=request[0], min_height=request[1])
    except (ValueError, MemoryError):
        return None


def _from_pixels(pixels: np.ndarray, fit_within: tuple[int, int], orientation: int, icc: bytes | None) -> Photo:
    """Shrink (when the decoder's scale left it over twice the need), turn upright, colour-correct."""
    from remix.faces import opencv

    cv2 = opencv()
    h, w = pixels.shape[:2]
    target = _stored_box(_needed((w, h), fit_within, orientation), orientation)
    if max(w, h) > 2 * max(target) and (target[0] < w or target[1] < h):
        pixels = cv2.resize(pixels, target, interpolation=cv2.INTER_AREA)
    if orientation in _ROTATE:
        pixels = _ROTATE[orientation](cv2, pixels)
    if icc:  # a phone's Display P3, say: Pillow's colour path, as for every other photo
        image = rgb_image(pixels)
        image.info["icc_profile"] = icc
        return Photo(_plain(to_srgb(image)))
    return Photo(pixels=pixels)


_ROTATE = {  # EXIF orientation -> the same turn as _TRANSPOSE, on an array (a contiguous copy)
    2: lambda cv2, a: cv2.flip(a, 1), 3: lambda cv2, a: cv2.rotate(a, cv2.ROTATE_180),
    4: lambda cv2, a: cv2.flip(a, 0), 5: lambda cv2, a: cv2.transpose(a),
    6: lambda cv2, a: cv2.rotate(a, cv2.ROTATE_90_CLOCKWISE),
    7: lambda cv2, a: cv2.rotate(cv2.transpose(a), cv2.ROTATE_180),
    8: lambda cv2, a: cv2.rotate(a, cv2.ROTATE_90_COUNTERCLOCKWISE),
}


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
