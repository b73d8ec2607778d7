"""Opening untrusted image bytes (participants' photos, organizers' assets) safely.

Only JPEG, PNG and WebP decoders are ever tried; the byte cap and the pixel cap are checked
from the header, before any pixel is decoded, so no file can make Pillow allocate gigabytes.
`to_srgb` is the one colour conversion for photos and organizer art alike. Orientation,
sizing and metadata belong to `remix.photo` (photos) and `frames.editing` (assets).
"""
from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, ImageCms

from frames.errors import FrameError, FrameRemixError

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000
ACCEPTED = ("JPEG", "PNG", "WEBP")
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
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


def to_srgb(image: Image.Image) -> Image.Image:
    """sRGB pixels (RGB, or RGBA when any pixel is see-through): ICC profiles applied, CMYK
    converted, 16-bit scaled, palettes expanded. The one colour path for photos and organizer art."""
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "CMYK"):
        converted = _apply_icc(image, icc)
        if converted is not None:
            return converted
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        alpha_min = rgba.getchannel("A").getextrema()[0]
        assert isinstance(alpha_min, (int, float))  # one band: (min, max) numbers, not per-band pairs
        return rgba if alpha_min < 255 else rgba.convert("RGB")
    return image.convert("RGB") if image.mode != "RGB" else image


def _apply_icc(image: Image.Image, icc: bytes) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken profile: fall back to a plain conversion
