"""QR codes back to a frame on this instance, cached per URL and size (generation costs ~7 ms).

The URL is always built from the instance's public URL and the frame id, never from a manifest.
The public URL comes in with the render options (the shells read the configuration); the
engine never reads the environment.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

import qrcode
from PIL import Image

DEFAULT_PUBLIC_URL = "http://localhost:8501"  # only when a caller gave no public URL at all
QUIET_ZONE = 4  # modules of light margin on every side, inside the layer's box


def frame_link(base_url: str, frame_id: str, lang: str | None = None) -> str:
    """`BASE/?frame=ID`, with `&lang=xx` for a translation so the app opens in that language."""
    query = f"?frame={quote(frame_id)}" + (f"&lang={quote(lang)}" if lang else "")
    return f"{base_url.rstrip('/')}/{query}"


@lru_cache(maxsize=64)
def _matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The code with the four-module quiet zone the standard asks for, at level L: on a screen
    nothing tears or stains the code, and fewer, larger modules are what survive an image shown
    360 px wide and re-encoded as JPEG (decoding tests: tests/test_qr.py)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=QUIET_ZONE)
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


@lru_cache(maxsize=64)
def qr_image(url: str, size: int, color: str, background: str) -> Image.Image:
    """A square RGB QR image of exactly size x size pixels (modules scaled with nearest)."""
    matrix = _matrix(url)
    n = len(matrix)
    small = Image.new("1", (n, n), 0)
    small.putdata([1 if cell else 0 for row in matrix for cell in row])
    mask = small.resize((size, size), Image.Resampling.NEAREST)
    img = Image.new("RGB", (size, size), background[:7])
    img.paste(color[:7], (0, 0, size, size), mask)
    return img
