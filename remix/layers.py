"""Drawing each kind of layer onto an RGB canvas. Geometry comes in as fractions of the canvas.

Expensive, input-independent work (decoding assets, fitting them, fitting the photo, QR codes)
is cached, so a live preview after a text edit only redoes the text.
"""
from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageOps

from frames.images import load_pixels, open_untrusted
from frames.model import BackgroundLayer, CreditLayer, Duotone, ImageLayer, PhotoLayer, QrLayer, Scrim, TextLayer
from frames.pack import Frame
from remix import qr
from remix.photo import Photo
from remix.textlayout import draw_fit, fit_text


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


def draw_background(canvas: Image.Image, frame: Frame, layer: BackgroundLayer) -> None:
    canvas.paste(rgba(layer.color)[:3], (0, 0, *canvas.size))
    if layer.gradient:
        canvas.paste(_gradient(canvas.size, layer.color, layer.gradient.to, layer.gradient.angle), (0, 0))
    if layer.image:
        image = fitted_asset(frame, layer.image, canvas.size, "cover")
        canvas.paste(image, (0, 0), image)


@lru_cache(maxsize=32)
def _gradient(size: tuple[int, int], start: str, end: str, angle: int) -> Image.Image:
    """A linear gradient from start to end; angle 180 runs top to bottom, 90 left to right."""
    ramp = Image.linear_gradient("L").rotate(180 - angle, resample=Image.Resampling.BICUBIC, expand=True)
    w, h = ramp.size
    ramp = ramp.crop((w // 2 - 128 + 38, h // 2 - 128 + 38, w // 2 + 128 - 38, h // 2 + 128 - 38))
    mask = ImageOps.autocontrast(ramp).resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, rgba(end)[:3]), Image.new("RGB", size, rgba(start)[:3]), mask)


@lru_cache(maxsize=32)
def _decoded_asset(frame: Frame, name: str) -> Image.Image:
    image = open_untrusted(frame.assets[name], what=f"the image {name}")
    load_pixels(image, what=f"the image {name}")
    return image.convert("RGBA")


@lru_cache(maxsize=64)
def fitted_asset(frame: Frame, name: str, size: tuple[int, int], fit: str) -> Image.Image:
    """An organizer image fitted to size (RGBA); contain leaves transparent margins."""
    return fit_image(_decoded_asset(frame, name), size, fit, (0.5, 0.5))


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
    image = fitted_asset(frame, layer.image, (right - left, bottom - top), layer.fit)
    if layer.opacity < 1:
        image = image.copy()
        image.putalpha(image.getchannel("A").point(lambda a: round(a * layer.opacity)))
    canvas.paste(image, (left, top), image)


def draw_photo(canvas: Image.Image, layer: PhotoLayer, photo: Photo | None, *,
               focal: tuple[float, float] | None = None, zoom: float = 1.0) -> None:
    left, top, right, bottom = layer.box.pixels(*canvas.size)
    size = (right - left, bottom - top)
    if photo is None:
        if layer.placeholder:
            canvas.paste(Image.new("RGB", size, rgba(layer.placeholder)[:3]), (left, top), _shape_mask(size, layer.shape))
        return
    image = _fitted_photo(photo, size, layer.fit, focal or (layer.focal.x, layer.focal.y), zoom, layer.duotone, layer.scrim)
    mask = _shape_mask(size, layer.shape)
    if layer.fit == "contain":
        canvas.paste(image, (left, top), image if mask is None else _and_masks(image.getchannel("A"), mask))
    else:
        canvas.paste(image, (left, top), mask)


@lru_cache(maxsize=16)
def _fitted_photo(photo: Photo, size: tuple[int, int], fit: str, focal: tuple[float, float], zoom: float = 1.0,
                  duotone: Duotone | None = None, scrim: Scrim | None = None) -> Image.Image:
    """The photo fitted into its box and treated (cached: a text edit does not redo any of it)."""
    image = fit_image(photo.image, size, fit, focal, photo_resample(photo.size, size, fit, focal, zoom), zoom=zoom)
    if fit != "contain" and image.mode != "RGB":
        image = image.convert("RGB")
    if duotone:
        image = _duotone(image, duotone)
    if scrim:
        image = _scrimmed(image, scrim)
    return image


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
    w, h = image.size
    across = scrim.side in ("top", "bottom")
    reach = max(1, round((h if across else w) * scrim.extent))
    band = {"top": (0, 0, w, reach), "bottom": (0, h - reach, w, h),
            "left": (0, 0, reach, h), "right": (w - reach, 0, w, h)}[scrim.side]
    size = (band[2] - band[0], band[3] - band[1])
    image.paste(rgba(scrim.color)[:3], band, _scrim_mask(size, scrim.side, scrim.strength))
    return image


@lru_cache(maxsize=16)
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


@lru_cache(maxsize=32)
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
    fit = fit_text(
        text, layer.font, inner[2] - inner[0], inner[3] - inner[1], min_size=lo, max_size=hi,
        max_lines=layer.max_lines, line_height=layer.line_height, prefer_rtl=prefer_rtl,
    )
    outline = layer.outline
    draw_fit(
        canvas, fit, layer.font, inner, align=layer.align, valign=layer.valign,
        fill=rgba(layer.color)[:3], stroke=outline.width if outline else 0,
        stroke_fill=rgba(outline.color)[:3] if outline else None,
    )


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


def draw_credit(canvas: Image.Image, layer: CreditLayer, text: str) -> None:
    box = layer.box.pixels(*canvas.size)
    fit = fit_text(text, layer.font, box[2] - box[0], box[3] - box[1], min_size=8, max_size=layer.max_size, max_lines=3, line_height=1.15, balance=False, rtl=False)
    draw_fit(canvas, fit, layer.font, box, align=layer.align, valign="bottom", fill=rgba(layer.color)[:3])

