"""Where the faces are in a photo, so a default crop keeps people whole.

OpenCV's Haar cascade (`haarcascade_frontalface_alt2.xml`, shipped inside the
`opencv-python-headless` wheel: nothing is downloaded at run time) runs on a grey copy of the
decoded photo at most DETECT_SIDE px on its long side. That keeps the cost near 10 ms
(`benchmarks.run faces`); faces smaller than an eighth of the photo's short side are not looked
for. The answer is cached per decoded photo, so a live preview pays for it once per upload.
The participant's own focus always wins (see `remix.render.RenderOptions.photo_crop`); when no
face is found the layer's focal point is used.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PIL import Image

from remix.photo import Photo

if TYPE_CHECKING:
    import numpy as np

DETECT_SIDE = 224
SCALE_STEP = 1.25
MIN_NEIGHBOURS = 4
MIN_FACE = 0.12  # of the photo's short side
CASCADE = "haarcascade_frontalface_alt2.xml"


@dataclass(frozen=True)
class FaceBox:
    """A face as fractions of the photo (left, top, width, height)."""

    x: float
    y: float
    w: float
    h: float


_cache: weakref.WeakKeyDictionary[Photo, tuple[FaceBox, ...]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def faces(photo: Photo) -> tuple[FaceBox, ...]:
    """Faces found in the photo (cached per decoded photo; thread-safe)."""
    with _lock:
        found = _cache.get(photo)
    if found is None:
        pixels = photo.pixels
        found = detect(photo.image if pixels is None else pixels)
        with _lock:
            _cache[photo] = found
    return found


def face_focal(photo: Photo) -> tuple[float, float] | None:
    """The centre of the box around every face found, or None when there is no face."""
    found = faces(photo)
    if not found:
        return None
    left, top = min(f.x for f in found), min(f.y for f in found)
    right, bottom = max(f.x + f.w for f in found), max(f.y + f.h for f in found)
    return (left + right) / 2, (top + bottom) / 2


def detect(image: Image.Image | np.ndarray) -> tuple[FaceBox, ...]:
    """Faces in a PIL image or an RGBX array (`Photo.pixels`), as fractions of its size (largest first)."""
    import numpy as np

    small = np.asarray(_small_grey(image)) if isinstance(image, Image.Image) else _small_grey_pixels(image)
    h, w = small.shape
    side = max(1, round(min(w, h) * MIN_FACE))
    found = _cascade().detectMultiScale(small, scaleFactor=SCALE_STEP, minNeighbors=MIN_NEIGHBOURS, minSize=(side, side))
    boxes = [FaceBox(x / w, y / h, fw / w, fh / h) for x, y, fw, fh in (found if len(found) else [])]
    return tuple(sorted(boxes, key=lambda b: -b.w * b.h))


def _small_grey(image: Image.Image) -> Image.Image:
    """A grey copy at most DETECT_SIDE px long.

    A large photo is first sampled (nearest) down to twice that, then averaged 2x2: reading
    every pixel of a 3 MP decode would cost more than the detection itself, and a face's
    shape survives the sampling.
    """
    if max(image.size) > 2 * DETECT_SIDE:
        k = 2 * DETECT_SIDE / max(image.size)
        image = image.resize((max(2, round(image.width * k)), max(2, round(image.height * k))), Image.Resampling.NEAREST)
    factor = max(1, max(image.size) // DETECT_SIDE)
    grey = (image.reduce(factor) if factor > 1 else image).convert("L")
    if max(grey.size) > DETECT_SIDE:
        grey.thumbnail((DETECT_SIDE, DETECT_SIDE), Image.Resampling.BILINEAR)
    return grey


def _small_grey_pixels(pixels: np.ndarray) -> np.ndarray:
    """`_small_grey` for an RGBX array, with OpenCV: sampled (nearest) to twice the size, made
    grey (the same ITU-R 601 weights as Pillow's "L"), then averaged 2x2."""
    cv2 = opencv()
    h, w = pixels.shape[:2]
    k = min(1.0, DETECT_SIDE / max(w, h))
    size = (max(1, round(w * k)), max(1, round(h * k)))
    if k < 0.5:
        pixels = cv2.resize(pixels, (2 * size[0], 2 * size[1]), interpolation=cv2.INTER_NEAREST)
    grey = cv2.cvtColor(pixels, cv2.COLOR_RGBA2GRAY)
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA) if k < 1 else grey


@lru_cache(maxsize=1)
def opencv() -> Any:
    """OpenCV, imported on first use (~0.3 s; processes that never see a photo do not pay it).
    One thread for OpenCV: the machine's cores belong to the renderers."""
    import cv2

    cv2.setNumThreads(1)
    return cv2


@lru_cache(maxsize=1)
def _cascade() -> Any:
    """The cascade, loaded on first use."""
    cv2 = opencv()
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + CASCADE)
    if cascade.empty():
        raise RuntimeError(f"OpenCV's {CASCADE} is missing; reinstall opencv-python-headless")
    return cascade
