"""Draws the images of the bundled example frames, so they can be rebuilt and reviewed.

Run: python scripts/make_bundled_assets.py  (writes into frames/bundled/*/assets/)
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BUNDLED = Path(__file__).resolve().parent.parent / "frames" / "bundled"


def save(img: Image.Image, frame: str, name: str) -> None:
    out = BUNDLED / frame / "assets" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out, optimize=True)
    print(out.relative_to(BUNDLED.parent.parent), img.size)


def bus_badge(size: int = 360) -> Image.Image:
    """A round yellow badge with a simple bus pictogram (drawn 4x and downsampled)."""
    s = size * 4
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((0, 0, s - 1, s - 1), fill=(255, 210, 63, 255))
    green = (11, 61, 46, 255)
    d.rounded_rectangle((s * 0.22, s * 0.24, s * 0.78, s * 0.70), radius=s * 0.07, fill=green)
    d.rounded_rectangle((s * 0.28, s * 0.31, s * 0.72, s * 0.47), radius=s * 0.03, fill=(255, 210, 63, 255))
    d.line((s * 0.5, s * 0.31, s * 0.5, s * 0.47), fill=green, width=int(s * 0.02))
    for cx in (0.33, 0.67):
        d.ellipse((s * (cx - 0.055), s * 0.66, s * (cx + 0.055), s * 0.77), fill=green)
    d.rounded_rectangle((s * 0.30, s * 0.55, s * 0.38, s * 0.60), radius=s * 0.02, fill=(255, 255, 255, 255))
    d.rounded_rectangle((s * 0.62, s * 0.55, s * 0.70, s * 0.60), radius=s * 0.02, fill=(255, 255, 255, 255))
    return img.resize((size, size), Image.Resampling.LANCZOS)


def route_stripes(width: int = 1080, height: int = 60) -> Image.Image:
    """Three transit-line stripes with alpha, used as a divider between photo and text."""
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    colors = [(255, 210, 63, 255), (233, 79, 55, 255), (255, 255, 255, 255)]
    band = height // 3
    for i, color in enumerate(colors):
        d.rectangle((0, i * band, width, (i + 1) * band - 4), fill=color)
    return img


def wind_emblem(size: int = 400) -> Image.Image:
    """A round emblem with three wind strokes and a leaf, for the clean-air frame."""
    s = size * 4
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((0, 0, s - 1, s - 1), fill=(15, 43, 61, 255))
    white, green = (255, 255, 255, 255), (120, 200, 140, 255)
    w = int(s * 0.045)
    for y, x0, x1 in ((0.36, 0.18, 0.62), (0.5, 0.14, 0.7), (0.64, 0.22, 0.56)):
        d.line((s * x0, s * y, s * x1, s * y), fill=white, width=w)
        d.arc((s * (x1 - 0.07), s * (y - 0.14), s * (x1 + 0.07), s * y), 270, 180, fill=white, width=w)
    d.ellipse((s * 0.6, s * 0.52, s * 0.86, s * 0.7), fill=green)
    d.line((s * 0.6, s * 0.7, s * 0.84, s * 0.53), fill=(15, 43, 61, 255), width=w // 2)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def ring(size: int = 480, width: float = 0.034) -> Image.Image:
    """A green ring with a thin mint inner line, laid around clean-air's round photo: the photo
    box is 93% of the ring's box, so the ring covers the photo's antialiased edge."""
    s = size * 4
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    outer = int(s * width)
    d.ellipse((0, 0, s - 1, s - 1), outline=(63, 179, 127, 255), width=outer)
    inset = outer
    d.ellipse((inset, inset, s - 1 - inset, s - 1 - inset), outline=(212, 245, 228, 255), width=int(s * 0.008))
    return img.resize((size, size), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    save(bus_badge(), "ride-the-bus", "badge.png")
    save(route_stripes(), "ride-the-bus", "stripes.png")
    save(wind_emblem(), "clean-air", "emblem.png")
    save(ring(), "clean-air", "ring.png")
