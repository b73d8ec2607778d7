"""Opening untrusted image bytes (participants' photos, organizers' assets) safely.

Only JPEG, PNG and WebP decoders are ever tried; the byte cap and the pixel cap are checked
from the header, before any pixel is decoded, so no file can make Pillow allocate gigabytes.
Knows nothing about orientation or metadata: that is `remix.photo`.
"""
from __future__ import annotations

import io
import struct
import warnings

from PIL import Image

from frames.errors import FrameError, FrameRemixError

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000
ACCEPTED = ("JPEG", "PNG", "WEBP")
_KIND = "a JPEG, PNG or WebP image"


def open_untrusted(data: bytes, *, what: str = "the image", error: type[FrameRemixError] = FrameError) -> Image.Image:
    """Open image bytes lazily (header only) after checking size, format and pixel count.

    Raises `error` with one sentence naming `what` and what to do.
    """
    if not data:
        raise error(f"{what} is empty; choose {_KIND}")
    if len(data) > MAX_BYTES:
        raise error(f"{what} is {len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB, use a smaller image")
    try:
        with warnings.catch_warnings():
            # Our own cap below is stricter and says more; Pillow's bomb error stays as a backstop.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED)
    except Image.UnidentifiedImageError:
        raise error(f"{what} is not {_KIND} (or it is damaged); choose a JPEG, PNG or WebP file") from None
    except Image.DecompressionBombError:
        raise error(f"{what} has too many pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels, use a smaller image") from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise error(f"{what} is not {_KIND} (or it is damaged); choose a JPEG, PNG or WebP file") from None
    _check_pixels(image, what, error)
    return image


def _check_pixels(image: Image.Image, what: str, error: type[FrameRemixError]) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise error(f"{what} has no pixels; choose another image")
    if width * height > MAX_PIXELS:
        raise error(
            f"{what} is {width}x{height} pixels ({width * height / 1e6:.0f} megapixels); "
            f"the limit is {MAX_PIXELS // 1_000_000} megapixels, use a smaller image"
        )


def load_pixels(image: Image.Image, *, what: str = "the image", error: type[FrameRemixError] = FrameError) -> Image.Image:
    """Decode the pixels now, turning every decoder failure into one sentence."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise error(f"{what} has too many pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels, use a smaller image") from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError, struct.error):
        raise error(f"{what} is damaged or cut short; save it again or choose another image") from None
    return image
