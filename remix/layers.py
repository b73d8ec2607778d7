"""Drawing each kind of layer onto an RGB canvas. Geometry comes in as fractions of the canvas.

Expensive, input-independent work (decoding assets, fitting them, fitting the photo, QR codes)
is cached, so a live preview after a text edit only redoes the text. Organizer art is kept
decoded only at the largest size its layouts draw it (`frames.assets`), and every cached image
counts against one byte budget (`remix.imagecache`), so memory stays bounded whatever the
frame's files hold.
"""
from __future__ import annotations

import math
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from PIL import Image, ImageChops, ImageDraw, ImageOps

from frames.assets import asset_uses, drawn_size
from frames.contrast import contrast_ratio, luminance
from frames.images import load_pixels, open_untrusted
from frames.model import (
    CREDIT_LINE_HEIGHT,
    BackgroundLayer,
    CreditLayer,
    Duotone,
    Frame,
    ImageLayer,
    NoPhotoImage,
    NoPhotoPattern,
    PhotoLayer,
    QrLayer,
    Scrim,
    TextLayer,
    credit_size,
)
from remix import qr
from remix.faces import opencv
from remix.fonts import chain, strike
from remix.imagecache import IMAGES
from remix.photo import Photo, rgb_image
from remix.textlayout import Fit, draw_fit, fit_text, line_runs, line_width
from remix.textlayout import _start_x as start_x

if TYPE_CHECKING:
    import numpy as np

# Participant photos are resized once per box. Draft decoding (remix.photo) leaves a photo
# within about 2x of its box, and resizing is the largest cost of a render after decoding.
# Enlarging or shrinking a little: bilinear (as good as bicubic or Lanczos here at half their
# cost or less). Shrinking by 1.25x or more (the story's box from a half-scale decode): box
# filtering, i.e. area averaging, which is what a downscale of that size needs and costs about
# 60% of bilinear (its kernel is half as wide). Organizer art keeps Lanczos: fitted once, cached.
PHOTO_RESAMPLE = Image.Resampling.BILINEAR
PHOTO_SHRINK_RESAMPLE = Image.Resampling.BOX
SHRINK_FROM = 1.25


def rgba(color: str) -> tuple[int, int, int, int]:
    """'#rrggbb' or '#rrggbbaa' to an RGBA tuple."""
    value = color.lstrip("#")
    alpha = int(value[6:8], 16) if len(value) == 8 else 255
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), alpha


def draw_background(canvas: Image.Image, frame: Frame, layer: BackgroundLayer, *, filled: bool = False) -> None:
    """The layer's colour, gradient and image over the whole canvas (`filled`: the canvas
    already is the layer's colour)."""
    if not filled:
        canvas.paste(rgba(layer.color)[:3], (0, 0, *canvas.size))
    if layer.gradient:
        canvas.paste(_gradient(canvas.size, layer.color, layer.gradient.to, layer.gradient.angle), (0, 0))
    if layer.image:
        image = fitted_asset(frame, layer.image, canvas.size, "cover")
        canvas.paste(image, (0, 0), image)


@IMAGES.cached
def _gradient(size: tuple[int, int], start: str, end: str, angle: int) -> Image.Image:
    """A linear gradient from start to end; angle 180 runs top to bottom, 90 left to right."""
    ramp = Image.linear_gradient("L").rotate(180 - angle, resample=Image.Resampling.BICUBIC, expand=True)
    w, h = ramp.size
    ramp = ramp.crop((w // 2 - 128 + 38, h // 2 - 128 + 38, w // 2 + 128 - 38, h // 2 + 128 - 38))
    mask = ImageOps.autocontrast(ramp).resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, rgba(end)[:3]), Image.new("RGB", size, rgba(start)[:3]), mask)


@IMAGES.cached
def decoded_asset(frame: Frame, name: str) -> Image.Image:
    """The asset as RGBA at the largest size its layouts draw it (`frames.assets.drawn_size`):
    JPEGs decoded at that scale by draft mode, others shrunk right after decoding (bilinear,
    antialiased when shrinking, after a box reduce for large factors), so neither the cache nor
    any later fitting ever holds the full-size pixels."""
    image = open_untrusted(frame.assets[name], what=f"the image {name}")
    target = drawn_size(image.size, asset_uses(frame.manifest).get(name, []))
    if image.format == "JPEG":
        image.draft(image.mode, target)
    load_pixels(image, what=f"the image {name}")
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    if image.width > target[0] or image.height > target[1]:
        image = image.resize(target, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return image if image.mode == "RGBA" else image.convert("RGBA")


@IMAGES.cached
def fitted_asset(frame: Frame, name: str, size: tuple[int, int], fit: str, opacity: float = 1.0) -> Image.Image:
    """An organizer image fitted to size (RGBA) at its opacity; contain leaves transparent margins."""
    image = fit_image(decoded_asset(frame, name), size, fit, (0.5, 0.5))
    if opacity < 1:
        image.putalpha(image.getchannel("A").point(lambda a: round(a * opacity)))
    return image


def cover_crop(
    image_size: tuple[int, int], size: tuple[int, int], focal: tuple[float, float], zoom: float = 1.0,
) -> tuple[float, float, float, float]:
    """The part of the image (left, top, right, bottom) a cover fit shows in a box of `size`:
    as large as the box's shape allows (smaller by `zoom`), centred on the focal point and
    moved back inside the image where it would leave it."""
    (iw, ih), (w, h) = image_size, size
    scale = max(w / iw, h / ih) * max(1.0, zoom)
    cw, ch = min(w / scale, iw), min(h / scale, ih)
    left = max(0.0, min(focal[0] * iw - cw / 2, iw - cw))
    top = max(0.0, min(focal[1] * ih - ch / 2, ih - ch))
    return left, top, left + cw, top + ch


def fit_image(
    image: Image.Image, size: tuple[int, int], fit: str, focal: tuple[float, float],
    resample: Image.Resampling = Image.Resampling.LANCZOS, *, zoom: float = 1.0,
) -> Image.Image:
    """Cover-crop around the focal point (closer by `zoom`), contain with transparent margins, or stretch."""
    w, h = size
    iw, ih = image.size
    if fit == "stretch":
        return image.resize(size, resample)
    if fit == "cover":
        return image.resize(size, resample, box=cover_crop(image.size, size, focal, zoom), reducing_gap=2.0)
    scale = min(w / iw, h / ih)
    inner = image.resize((max(1, round(iw * scale)), max(1, round(ih * scale))), resample, reducing_gap=2.0)
    out = Image.new("RGBA", size, (0, 0, 0, 0))
    out.paste(inner.convert("RGBA"), ((w - inner.width) // 2, (h - inner.height) // 2))
    return out


def draw_image(canvas: Image.Image, frame: Frame, layer: ImageLayer) -> None:
    left, top, right, bottom = layer.box.pixels(*canvas.size)
    image = fitted_asset(frame, layer.image, (right - left, bottom - top), layer.fit, layer.opacity)
    canvas.paste(image, (left, top), image)


def draw_photo(canvas: Image.Image, layer: PhotoLayer, photo: Photo | None, *,
               focal: tuple[float, float] | None = None, zoom: float = 1.0, frame: Frame | None = None) -> None:
    left, top, right, bottom = layer.box.pixels(*canvas.size)
    size = (right - left, bottom - top)
    if photo is None:
        canvas.paste(no_photo(frame, layer, size), (left, top), _shape_mask(size, layer.shape))
        return
    image = _fitted_photo(photo, size, layer.fit, focal or (layer.focal.x, layer.focal.y), zoom, layer.duotone, layer.scrim)
    mask = _shape_mask(size, layer.shape)
    if layer.fit == "contain":
        canvas.paste(image, (left, top), image if mask is None else _and_masks(image.getchannel("A"), mask))
    else:
        canvas.paste(image, (left, top), mask)


def no_photo(frame: Frame | None, layer: PhotoLayer, size: tuple[int, int]) -> Image.Image:
    """How a photo box looks without a photo: the organizer's image, else a brand-colour pattern
    (the layer's, else stripes in its placeholder colour), never a flat empty area. Cached."""
    empty = layer.empty
    if isinstance(empty, NoPhotoImage) and frame is not None:
        return _no_photo_image(frame, empty.image, size)
    if isinstance(empty, NoPhotoPattern):
        return pattern(size, empty.style, tuple(empty.colors))
    base = (layer.placeholder or "#8a8f94")[:7]
    return pattern(size, "stripes", (base, _mix(base, "#ffffff", 0.14)))


@IMAGES.cached
def _no_photo_image(frame: Frame, name: str, size: tuple[int, int]) -> Image.Image:
    return fitted_asset(frame, name, size, "cover").convert("RGB")


def _mix(a: str, b: str, t: float) -> str:
    ca, cb = rgba(a), rgba(b)
    return "#" + "".join(f"{round(x * (1 - t) + y * t):02x}" for x, y in zip(ca[:3], cb[:3]))


@IMAGES.cached
def pattern(size: tuple[int, int], style: str, colors: tuple[str, ...]) -> Image.Image:
    """A brand pattern: diagonal stripes, or a grid of dots, in colours[1:] on colours[0]."""
    w, h = size
    scale = 2  # drawn at twice the size and shrunk: smooth edges
    big = Image.new("RGB", (w * scale, h * scale), rgba(colors[0])[:3])
    draw = ImageDraw.Draw(big)
    step = max(24, round(min(w, h) / 7)) * scale
    inks = [rgba(c)[:3] for c in colors[1:]]
    if style == "dots":
        r = step // 4
        for row, y in enumerate(range(-step, big.height + step, step)):
            for col, x in enumerate(range(-step + (row % 2) * step // 2, big.width + step, step)):
                draw.ellipse((x - r, y - r, x + r, y + r), fill=inks[(row + col) % len(inks)])
    else:
        band = step // 2
        for i, x in enumerate(range(-big.height, big.width + step, step)):
            draw.polygon([(x, big.height), (x + band, big.height), (x + band + big.height, 0), (x + big.height, 0)],
                         fill=inks[i % len(inks)])
    return big.resize(size, Image.Resampling.LANCZOS)


@IMAGES.cached
def _fitted_photo(photo: Photo, size: tuple[int, int], fit: str, focal: tuple[float, float], zoom: float = 1.0,
                  duotone: Duotone | None = None, scrim: Scrim | None = None) -> Image.Image:
    """The photo fitted into its box and treated (cached: a text edit does not redo any of it)."""
    resample = photo_resample(photo.size, size, fit, focal, zoom)
    crop = cover_crop(photo.size, size, focal, zoom) if fit == "cover" else None
    pixels = photo.pixels if crop is not None and resample == PHOTO_RESAMPLE else None
    if pixels is not None and crop is not None:
        fitted = _resized(pixels, size, crop)
        if scrim and not duotone:
            return rgb_image(_scrimmed_pixels(fitted, scrim))
        image = rgb_image(fitted)
    else:
        image = fit_image(photo.image, size, fit, focal, resample, zoom=zoom)
    if fit != "contain" and image.mode != "RGB":
        image = image.convert("RGB")
    if duotone:
        image = _duotone(image, duotone)
    if scrim:
        image = _scrimmed(image, scrim)
    return image


def _resized(pixels: np.ndarray, size: tuple[int, int], box: tuple[float, float, float, float]) -> np.ndarray:
    """`image.resize(size, BILINEAR, box=box)` for RGBX pixels enlarged or shrunk by less than
    SHRINK_FROM, through OpenCV's bilinear resize of the box's whole pixels, read in place from
    the photo's array without a copy: the same interpolation (within a level or two of Pillow's,
    from OpenCV's fixed point; Pillow widens its filter by the shrink factor, up to 1.25x here,
    where OpenCV keeps 2x2 taps) at a sixth of the cost of Pillow's resampling (the square's
    photo: ~1.2 vs ~7 ms). Rounding the box to whole pixels moves each edge by at most half a
    photo pixel, which no one can see; OpenCV is already loaded for face detection."""
    cv2 = opencv()
    h, w = pixels.shape[:2]
    left, top = min(w - 1, round(box[0])), min(h - 1, round(box[1]))
    right, bottom = max(left + 1, min(w, round(box[2]))), max(top + 1, min(h, round(box[3])))
    return cv2.resize(pixels[top:bottom, left:right], size, interpolation=cv2.INTER_LINEAR)


def photo_resample(photo: tuple[int, int], size: tuple[int, int], fit: str, focal: tuple[float, float],
                   zoom: float) -> Image.Resampling:
    """Box filtering when the photo shrinks by SHRINK_FROM or more into its box, else bilinear."""
    if fit == "cover":
        left, _, right, _ = cover_crop(photo, size, focal, zoom)
        shrink = (right - left) / size[0]
    else:
        shrink = min(photo[0] / size[0], photo[1] / size[1])
    return PHOTO_SHRINK_RESAMPLE if shrink >= SHRINK_FROM else PHOTO_RESAMPLE


def _duotone(image: Image.Image, duotone: Duotone) -> Image.Image:
    """Grey levels mapped from the dark colour to the light one (alpha kept), blended by strength."""
    toned = ImageOps.colorize(image.convert("L"), rgba(duotone.dark)[:3], rgba(duotone.light)[:3])
    if duotone.strength < 1:
        toned = Image.blend(image.convert("RGB"), toned, duotone.strength)
    if image.mode == "RGBA":
        toned.putalpha(image.getchannel("A"))
    return toned


def _scrimmed(image: Image.Image, scrim: Scrim) -> Image.Image:
    """The scrim's colour laid over the photo through a smooth ramp from its side, in place
    (the fitted photo is this render's own new image) and only over the band it reaches."""
    band = _scrim_band(image.size, scrim)
    size = (band[2] - band[0], band[3] - band[1])
    image.paste(rgba(scrim.color)[:3], band, _scrim_mask(size, scrim.side, scrim.strength))
    return image


def _scrim_band(size: tuple[int, int], scrim: Scrim) -> tuple[int, int, int, int]:
    """The part of the photo's box the scrim reaches (left, top, right, bottom)."""
    w, h = size
    reach = max(1, round((h if scrim.side in ("top", "bottom") else w) * scrim.extent))
    return {"top": (0, 0, w, reach), "bottom": (0, h - reach, w, h),
            "left": (0, 0, reach, h), "right": (w - reach, 0, w, h)}[scrim.side]


@IMAGES.cached
def _scrim_mask(size: tuple[int, int], side: str, strength: float) -> Image.Image:
    """Opacity `strength` at `side`, easing (smoothstep) to nothing at the band's far edge."""
    length = size[1] if side in ("top", "bottom") else size[0]
    ramp = []
    for i in range(length):
        t = 1 - i / length  # 1 at the side, towards 0 at the far edge
        ramp.append(round(255 * strength * t * t * (3 - 2 * t)))
    line = Image.new("L", (1, length))
    line.putdata(ramp)
    if side in ("bottom", "right"):
        line = line.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    if side in ("left", "right"):
        line = line.transpose(Image.Transpose.TRANSPOSE)
    return line.resize(size, Image.Resampling.NEAREST)


def _scrimmed_pixels(pixels: np.ndarray, scrim: Scrim) -> np.ndarray:
    """`_scrimmed` on a fitted photo's own array (changed in place): the band times one minus
    the mask's opacity, plus the colour times it, in two passes of OpenCV's saturating
    arithmetic (~0.2 ms for the square's band against ~1.7 ms for Pillow's masked paste;
    rounding differs by at most a level)."""
    cv2 = opencv()
    h, w = pixels.shape[:2]
    left, top, right, bottom = _scrim_band((w, h), scrim)
    keep, ink = _scrim_planes((right - left, bottom - top), scrim.side, scrim.strength, scrim.color)
    band = pixels[top:bottom, left:right]
    pixels[top:bottom, left:right] = cv2.add(cv2.multiply(band, keep, scale=1 / 255), ink)
    return pixels


@IMAGES.cached
def _scrim_planes(size: tuple[int, int], side: str, strength: float, color: str) -> tuple[np.ndarray, np.ndarray]:
    """(255 minus the mask's opacity, the colour times it) per pixel and channel, for _scrimmed_pixels."""
    import numpy as np

    alpha = np.asarray(_scrim_mask(size, side, strength), dtype=np.uint16)[:, :, None]
    keep = np.repeat((255 - alpha).astype(np.uint8), 4, axis=2)
    ink = ((alpha * np.array((*rgba(color)[:3], 0), dtype=np.uint16) + 127) // 255).astype(np.uint8)
    return keep, ink


@IMAGES.cached
def _shape_mask(size: tuple[int, int], shape: str) -> Image.Image | None:
    if shape != "circle":
        return None
    scale = 4
    big = Image.new("L", (size[0] * scale, size[1] * scale), 0)
    ImageDraw.Draw(big).ellipse((0, 0, big.width - 1, big.height - 1), fill=255)
    return big.resize(size, Image.Resampling.LANCZOS)


def _and_masks(a: Image.Image, b: Image.Image) -> Image.Image:
    return ImageChops.multiply(a, b)


def draw_text(canvas: Image.Image, layer: TextLayer, text: str, *, prefer_rtl: bool = False) -> None:
    """Fit and draw text into the layer's box (after its panel and padding), at the layer's
    pinned size or the largest of its range that fits; `prefer_rtl` for a right-to-left render."""
    box = layer.box.pixels(*canvas.size)
    if layer.panel:
        _draw_panel(canvas, box, layer.panel)
    if not text.strip():
        return
    inner = _inset(box, layer.padding, (layer.outline.width if layer.outline else 0))
    lo, hi = layer.size_range
    fit = fitted_text(text, layer.font, inner[2] - inner[0], inner[3] - inner[1], lo, hi, layer.max_lines,
                      layer.line_height, prefer_rtl=prefer_rtl)
    outline = layer.outline
    if outline:
        draw_fit(canvas, fit, layer.font, inner, align=layer.align, valign=layer.valign, fill=rgba(layer.color)[:3],
                 stroke=outline.width, stroke_fill=rgba(outline.color)[:3])
    else:
        draw_lines(canvas, fit, layer.font, inner, layer.align, layer.valign, rgba(layer.color)[:3])


def draw_lines(canvas: Image.Image, fit: Fit, family: str, box: tuple[int, int, int, int], align: str, valign: str,
               fill: tuple[int, ...]) -> None:
    """`draw_fit` in one colour; the second time the same fit is drawn in a box of the same
    size, its ink is kept as one mask, and every later time it is one paste instead of a
    paste per glyph: the frame's locked words (credit line, call to action) and the fields a
    participant is not editing. A fit with colour emoji is always drawn glyph by glyph."""
    key = (fit, family, box[2] - box[0], box[3] - box[1], align, valign)
    found, ink = IMAGES.get(("lines", key))
    if not found and _seen(key):
        ink = _lines_mask(*key)
        IMAGES.put(("lines", key), ink)
    if isinstance(ink, tuple):
        mask, dx, dy = ink
        canvas.paste(fill, (box[0] + dx, box[1] + dy, box[0] + dx + mask.width, box[1] + dy + mask.height), mask)
    else:
        draw_fit(canvas, fit, family, box, align=align, valign=valign, fill=fill)


_SEEN: dict[tuple[object, ...], None] = {}
_SEEN_MAX = 512
_SEEN_LOCK = threading.Lock()


def _seen(key: tuple[object, ...]) -> bool:
    """True when `key` was drawn before (remembers the last few hundred; thread-safe)."""
    with _SEEN_LOCK:
        if key in _SEEN:
            return True
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.pop(next(iter(_SEEN)))
        _SEEN[key] = None
        return False


def _lines_mask(fit: Fit, family: str, width: int, height: int, align: str, valign: str) -> tuple[Image.Image, int, int] | None:
    """The fit's ink as an L mask cropped to it, with its offset in the box; None for colour emoji."""
    paths = chain(family)
    if any(strike(paths[run.font_index]) for text, rtl in fit.lines for run in line_runs(family, text, rtl)):
        return None
    mask = Image.new("L", (width, height), 0)
    draw_fit(mask, fit, family, (0, 0, width, height), align=align, valign=valign, fill=(255,))
    bbox = mask.getbbox()
    if bbox is None:
        return None
    return mask.crop(bbox), bbox[0], bbox[1]


@lru_cache(maxsize=256)
def fitted_text(text: str, family: str, width: int, height: int, min_size: int, max_size: int, max_lines: int,
                line_height: float, *, balance: bool = True, rtl: bool | None = None, prefer_rtl: bool = False) -> Fit:
    """`fit_text`, remembered: the same words in the same box fit the same way, so the locked
    words of a frame (its call to action, the credit line) and the fields a participant is not
    editing are fitted once, not on every render. A Fit is frozen; sharing one is safe."""
    return fit_text(text, family, width, height, min_size=min_size, max_size=max_size, max_lines=max_lines,
                    line_height=line_height, balance=balance, rtl=rtl, prefer_rtl=prefer_rtl)


def _draw_panel(canvas: Image.Image, box: tuple[int, int, int, int], color: str) -> None:
    r, g, b, a = rgba(color)
    size = (box[2] - box[0], box[3] - box[1])
    if a == 255:
        canvas.paste((r, g, b), box)
    else:
        canvas.paste(Image.new("RGB", size, (r, g, b)), box[:2], Image.new("L", size, a))


def _inset(box: tuple[int, int, int, int], padding: float, stroke: int) -> tuple[int, int, int, int]:
    left, top, right, bottom = box
    pad = round(padding * min(right - left, bottom - top)) + stroke
    return left + pad, top + pad, max(left + pad + 1, right - pad), max(top + pad + 1, bottom - pad)


def draw_qr(canvas: Image.Image, layer: QrLayer, url: str) -> None:
    """Square QR code of the largest size that fits the box, centred in it."""
    left, top, right, bottom = layer.box.pixels(*canvas.size)
    side = min(right - left, bottom - top)
    image = qr.qr_image(url, side, layer.color, layer.background)
    canvas.paste(image, (left + (right - left - side) // 2, top + (bottom - top - side) // 2))


def draw_credit(canvas: Image.Image, layer: CreditLayer, text: str, rtl: bool = False, plate: str = "#000000") -> None:
    """The credit line at a readable size (capitals >= 24 px at 1080 wide), bottom-aligned in its
    box, on a translucent plate of `plate` (the layout's colour) when what lies under it is busy
    or too close to the text's colour. `rtl`: the wording's direction (the render's language)."""
    box = layer.box.pixels(*canvas.size)
    size = credit_size(canvas.width)
    fit = fitted_text(text, layer.font, box[2] - box[0], box[3] - box[1], size, max(size, layer.max_size),
                      CREDIT_MAX_LINES, CREDIT_LINE_HEIGHT, balance=False, rtl=rtl)
    fill = rgba(layer.color)[:3]
    area = _text_area(fit, layer, box)
    if needs_plate(canvas, area, fill):
        _draw_plate(canvas, area, fit.size, plate_colour(fill, plate))
    draw_lines(canvas, fit, layer.font, box, layer.align, "bottom", fill)


CREDIT_MAX_LINES = 6
PLATE_ALPHA = 0.82
BUSY_STDDEV = 24  # luminance standard deviation (0-255) above which a backdrop is too busy to read on
MIN_CONTRAST = 4.5  # WCAG AA for normal text


def _text_area(fit: Fit, layer: CreditLayer, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """Where the fitted lines will be drawn (bottom-aligned, as draw_fit places them)."""
    left, _, right, bottom = box
    widths = [line_width(layer.font, text, fit.size, rtl) for text, rtl in fit.lines] or [0.0]
    rtl = bool(fit.lines and fit.lines[0][1])
    starts = [start_x(layer.align, rtl, left, right, w) for w in widths]
    x0 = min(starts)
    x1 = max(s + w for s, w in zip(starts, widths))
    return round(x0), round(bottom - fit.height), round(x1), bottom


def needs_plate(canvas: Image.Image, area: tuple[int, int, int, int], fill: tuple[int, int, int]) -> bool:
    """True when the pixels under the text are busy (a photo) or lack contrast with its colour."""
    import numpy as np

    region = canvas.crop(area)
    # ImageStat's figures (population standard deviation of Pillow's "L", mean of each band)
    # from the same histograms, summed by numpy: ImageStat sums them in Python, 2x slower here.
    hist = np.array(region.convert("L").histogram() + region.convert("RGB").histogram(), dtype=np.float64).reshape(4, 256)
    count = hist[0].sum()
    if not count:
        return False
    levels = np.arange(256, dtype=np.float64)
    means = hist @ levels / count
    if math.sqrt(max(0.0, hist[0] @ (levels * levels) / count - means[0] ** 2)) > BUSY_STDDEV:
        return True
    mean = "#" + "".join(f"{round(c):02x}" for c in means[1:])
    return contrast_ratio(_hex(fill), mean) < MIN_CONTRAST


def plate_colour(fill: tuple[int, int, int], layout: str) -> str:
    """The layout's colour when the text reads on it, else black or white, whichever contrasts."""
    if contrast_ratio(_hex(fill), layout[:7]) >= MIN_CONTRAST:
        return layout[:7]
    return "#000000" if luminance(_hex(fill)) > 0.18 else "#ffffff"


def _draw_plate(canvas: Image.Image, area: tuple[int, int, int, int], size: int, colour: str) -> None:
    pad = max(4, round(size * 0.3))
    left, top, right, bottom = area
    plate = (max(0, left - pad), max(0, top - pad // 2), min(canvas.width, right + pad), min(canvas.height, bottom + pad // 2))
    w, h = plate[2] - plate[0], plate[3] - plate[1]
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius=pad, fill=round(255 * PLATE_ALPHA))
    canvas.paste(rgba(colour)[:3], plate, mask)


def _hex(rgb: tuple[int, ...]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb[:3])

