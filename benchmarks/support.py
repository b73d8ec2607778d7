"""What the benchmarks need besides the public API: a phone-like photo and a headless Chromium.

Kept apart from the tests' fixtures on purpose: a benchmark must not change when a test helper
does, and the tests must not grow benchmark needs.
"""
from __future__ import annotations

import io
import socket

from PIL import Image, ImageDraw

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def free_port() -> int:
    """A free loopback port for a benchmark's own server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _scene(width: int, height: int) -> Image.Image:
    """Sky, ground, a sun and a bus: edges and gradients like a photo, so decoding costs what it does for one."""
    sky = Image.linear_gradient("L").resize((width, height))
    img = Image.merge("RGB", (sky.point(lambda v: 90 + v // 3), sky.point(lambda v: 140 + v // 4),
                              Image.new("L", (width, height), 220)))
    d = ImageDraw.Draw(img)
    d.rectangle((0, int(height * 0.7), width, height), fill=(70, 90, 60))
    d.ellipse((int(width * 0.72), int(height * 0.08), int(width * 0.86), int(height * 0.27)), fill=(255, 220, 120))
    d.rounded_rectangle((int(width * 0.15), int(height * 0.45), int(width * 0.7), int(height * 0.78)),
                        radius=width // 40, fill=(200, 40, 40))
    return img


def phone_jpeg(width: int = 4032, height: int = 3024, *, grain: bool = False, orientation: int = 1) -> bytes:
    """A 12-megapixel JPEG with GPS EXIF and an EXIF orientation; `grain` adds sensor-like noise so
    the file is as large (and as slow to decode) as a real phone photo (~4 MB)."""
    img = _scene(width, height)
    if grain:
        img = Image.blend(img, Image.effect_noise((width, height), 24).convert("RGB"), 0.12)
    exif = Image.Exif()
    exif[0x0110] = "Phone 12"
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (50.0, 3.0, 41.0), "E", (19.0, 56.0, 18.0)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, exif=exif.tobytes(), comment=b"shot at home")
    return buf.getvalue()


def astronaut_jpeg() -> bytes:
    """scikit-image's public-domain astronaut portrait (NASA) as a JPEG: a photo with one face."""
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buf, "JPEG", quality=92)
    return buf.getvalue()
