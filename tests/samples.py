"""Sample inputs built in code: synthetic phone photos with real structure and real metadata."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw


def photo_image(width: int = 1200, height: int = 900) -> Image.Image:
    """A scene with sky, ground, a sun and a bus-like box: edges and gradients like a photo."""
    sky = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    img = Image.merge("RGB", (sky.getchannel(0).point(lambda v: 90 + v // 3), sky.getchannel(0).point(lambda v: 140 + v // 4), Image.new("L", (width, height), 220)))
    d = ImageDraw.Draw(img)
    d.rectangle((0, int(height * 0.7), width, height), fill=(70, 90, 60))
    d.ellipse((int(width * 0.72), int(height * 0.08), int(width * 0.86), int(height * 0.27)), fill=(255, 220, 120))
    d.rounded_rectangle((int(width * 0.15), int(height * 0.45), int(width * 0.7), int(height * 0.78)), radius=width // 40, fill=(200, 40, 40))
    for i in range(6):
        x = int(width * (0.18 + i * 0.085))
        d.rectangle((x, int(height * 0.5), x + int(width * 0.06), int(height * 0.6)), fill=(190, 220, 240))
    return img


def jpeg_bytes(img: Image.Image, **save_kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, **save_kw)
    return buf.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    """EXIF with GPS coordinates (Kraków), a camera model and an orientation."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x0110] = "Phone 12"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (50.0, 3.0, 41.0), "E", (19.0, 56.0, 18.0)
    return exif


def phone_jpeg(width: int = 4032, height: int = 3024, orientation: int = 1, *, grain: bool = False) -> bytes:
    """A 12-megapixel JPEG carrying GPS EXIF and a comment, like a phone photo.

    `grain` adds sensor-like noise so the file is as large (and as slow to decode) as a real
    phone photo (~4 MB); benchmarks use it, tests mostly don't need it.
    """
    img = photo_image(width, height)
    if grain:
        noise = Image.effect_noise((width, height), 24).convert("RGB")
        img = Image.blend(img, noise, 0.12)
    return jpeg_bytes(img, exif=gps_exif(orientation).tobytes(), comment=b"shot at home")
