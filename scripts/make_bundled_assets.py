"""Draws the images of the bundled example frames, so they can be rebuilt and reviewed.

Run: python scripts/make_bundled_assets.py  (writes into frames/bundled/*/assets/)
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BUNDLED = Path(__file__).resolve().parent.parent / "frames" / "bundled"
SAMPLE = BUNDLED.parent / "samples" / "sample-photo.jpg"


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


def route_map(size: int = 1200) -> Image.Image:
    """Ride the bus without a photo: an illustrated network map in the frame's greens, with the
    yellow, red and white lines of the stripes and their stops (drawn 2x and downsampled)."""
    s = size * 2
    img = Image.new("RGB", (s, s), (47, 107, 87))
    d = ImageDraw.Draw(img)
    for i in range(-2, 14):  # a quiet street grid, one shade lighter than the ground
        d.line((i * s / 10, 0, i * s / 10 + s * 0.25, s), fill=(57, 120, 99), width=s // 150)
        d.line((0, i * s / 10, s, i * s / 10 - s * 0.12), fill=(57, 120, 99), width=s // 150)
    lines = [
        ((255, 210, 63), [(-0.05, 0.72), (0.22, 0.58), (0.42, 0.62), (0.62, 0.40), (0.85, 0.34), (1.05, 0.18)]),
        ((231, 76, 60), [(0.08, -0.05), (0.20, 0.25), (0.42, 0.62), (0.48, 0.85), (0.70, 1.05)]),
        ((255, 255, 255), [(-0.05, 0.30), (0.30, 0.33), (0.62, 0.40), (0.78, 0.70), (1.05, 0.80)]),
    ]
    for colour, points in lines:
        xy = [(x * s, y * s) for x, y in points]
        d.line(xy, fill=colour, width=s // 28, joint="curve")
    for x, y in {(0.42, 0.62), (0.62, 0.40), (0.22, 0.58), (0.20, 0.25), (0.30, 0.33), (0.85, 0.34), (0.78, 0.70), (0.48, 0.85)}:
        r = s * (0.032 if (x, y) in {(0.42, 0.62), (0.62, 0.40)} else 0.022)
        d.ellipse((x * s - r, y * s - r, x * s + r, y * s + r), fill=(255, 255, 255), outline=(11, 61, 46), width=s // 120)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def sample_photo(width: int = 1600, height: int = 1200) -> Image.Image:
    """The project's sample photo (CC0): an illustrated evening at a bus stop, a person waiting
    as the number 7 pulls in. Used by `--sample` renders and previews made without a photo."""
    s = 2
    w, h = width * s, height * s
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    top, bottom = (255, 196, 140), (255, 232, 196)
    for y in range(h):  # a warm evening sky
        t = y / h
        d.line((0, y, w, y), fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    d.ellipse((w * 0.70, h * 0.10, w * 0.86, h * 0.31), fill=(255, 236, 170))
    for i, (x0, x1, y0) in enumerate([(0.00, 0.12, 0.30), (0.10, 0.20, 0.22), (0.19, 0.33, 0.34), (0.31, 0.40, 0.18),
                                      (0.39, 0.52, 0.28), (0.50, 0.58, 0.36), (0.57, 0.70, 0.25), (0.88, 1.00, 0.27)]):
        shade = (196, 140, 150) if i % 2 else (180, 124, 140)  # a soft city skyline
        d.rectangle((x0 * w, y0 * h, x1 * w, h * 0.66), fill=shade)
        for wy in range(int(y0 * h + h * 0.04), int(h * 0.62), int(h * 0.06)):
            for wx in range(int(x0 * w + w * 0.015), int(x1 * w - w * 0.02), int(w * 0.035)):
                d.rectangle((wx, wy, wx + w * 0.012, wy + h * 0.022), fill=(255, 214, 150))
    d.rectangle((0, h * 0.66, w, h), fill=(92, 84, 96))  # the street
    d.rectangle((0, h * 0.86, w, h), fill=(214, 190, 160))  # the pavement
    for x in range(0, w, int(w * 0.12)):
        d.rectangle((x, h * 0.755, x + w * 0.06, h * 0.77), fill=(240, 226, 200))
    _bus(d, w, h)
    _stop_and_person(d, w, h)
    return img.resize((width, height), Image.Resampling.LANCZOS)


def _bus(d: ImageDraw.ImageDraw, w: int, h: int) -> None:
    body, dark = (255, 190, 40), (70, 56, 60)
    d.rounded_rectangle((w * 0.05, h * 0.40, w * 0.62, h * 0.80), radius=w * 0.03, fill=body)
    d.rectangle((w * 0.05, h * 0.70, w * 0.62, h * 0.73), fill=(231, 96, 60))
    for i in range(5):
        x = w * (0.08 + i * 0.095)
        d.rounded_rectangle((x, h * 0.45, x + w * 0.08, h * 0.60), radius=w * 0.01, fill=(120, 190, 210))
    d.rounded_rectangle((w * 0.55, h * 0.45, w * 0.60, h * 0.70), radius=w * 0.008, fill=(90, 150, 170))
    d.rounded_rectangle((w * 0.085, h * 0.415, w * 0.16, h * 0.44), radius=w * 0.005, fill=dark)
    number = ImageFont.truetype(str(BUNDLED.parent / "fonts" / "NotoSans-Bold.ttf"), round(h * 0.032))
    d.text((w * 0.1225, h * 0.4275), "7", fill=(255, 210, 63), font=number, anchor="mm")
    for cx in (0.16, 0.50):
        d.ellipse((w * (cx - 0.045), h * 0.74, w * (cx + 0.045), h * 0.86), fill=dark)
        d.ellipse((w * (cx - 0.018), h * 0.782, w * (cx + 0.018), h * 0.818), fill=(200, 200, 200))


def _stop_and_person(d: ImageDraw.ImageDraw, w: int, h: int) -> None:
    d.rectangle((w * 0.70, h * 0.42, w * 0.71, h * 0.90), fill=(70, 56, 60))  # the stop's pole and sign
    d.ellipse((w * 0.675, h * 0.36, w * 0.735, h * 0.44), fill=(11, 61, 46))
    d.ellipse((w * 0.688, h * 0.377, w * 0.722, h * 0.423), fill=(255, 255, 255))
    skin, hair, coat, trousers = (176, 112, 80), (52, 36, 40), (32, 128, 120), (60, 60, 90)
    cx = w * 0.80
    d.rounded_rectangle((cx - w * 0.045, h * 0.56, cx + w * 0.045, h * 0.78), radius=w * 0.03, fill=coat)
    d.rectangle((cx - w * 0.035, h * 0.76, cx - w * 0.008, h * 0.92), fill=trousers)
    d.rectangle((cx + w * 0.008, h * 0.76, cx + w * 0.035, h * 0.92), fill=trousers)
    d.ellipse((cx - w * 0.045, h * 0.905, cx - w * 0.002, h * 0.93), fill=(40, 32, 36))
    d.ellipse((cx + w * 0.002, h * 0.905, cx + w * 0.045, h * 0.93), fill=(40, 32, 36))
    d.ellipse((cx - w * 0.034, h * 0.43, cx + w * 0.034, h * 0.55), fill=skin)
    d.chord((cx - w * 0.038, h * 0.42, cx + w * 0.038, h * 0.52), 180, 360, fill=hair)
    d.line((cx - w * 0.04, h * 0.60, cx - w * 0.075, h * 0.52), fill=coat, width=int(w * 0.02))  # a wave to the driver
    d.ellipse((cx - w * 0.088, h * 0.49, cx - w * 0.062, h * 0.525), fill=skin)
    d.rounded_rectangle((cx + w * 0.03, h * 0.66, cx + w * 0.075, h * 0.74), radius=w * 0.008, fill=(231, 96, 60))


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
    save(route_map(), "ride-the-bus", "no-photo.png")
    save(ring(), "clean-air", "ring.png")
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    sample_photo().save(SAMPLE, quality=88, optimize=True)
    print(SAMPLE.relative_to(BUNDLED.parent.parent))
