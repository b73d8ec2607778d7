"""Rendering a remix: frame + values + photo -> one image per format, encoded without metadata.

Deterministic: the same frame, values, photo and public URL give the same pixels and bytes.
"""
from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from PIL import Image
from pydantic import BaseModel

from frames.localize import Words, words
from frames.model import BackgroundLayer, CreditLayer, Format, Frame, ImageLayer, PhotoLayer, QrLayer, TextLayer
from frames.templating import render_template
from remix import layers
from remix.credits import frame_credit_line, licence_name
from remix.errors import RemixError
from remix.faces import face_focal
from remix.photo import Photo
from remix.qr import DEFAULT_PUBLIC_URL, frame_link
from remix.textnorm import normalize_text
from remix.typography import curly_quotes
from remix.values import template_context

MAX_LAYER_TEXT = 3000
MAX_ZOOM = 4.0


@dataclass(frozen=True)
class RenderOptions:
    """What a render needs besides the frame and the participant's input."""

    lang: str | None = None
    public_url: str = ""
    maker: str = ""
    focal: tuple[float, float] | None = None  # the participant's focal point, overriding the layer's
    zoom: float = 1.0  # 1 = the photo just covers its box; up to MAX_ZOOM crops closer around the focal point

    def photo_crop(self, layer: PhotoLayer, photo: Photo | None = None,
                   canvas: tuple[int, int] | None = None) -> tuple[tuple[float, float], float]:
        """(focal point, zoom) for a photo layer, clamped to their ranges.

        The participant's focal point wins; without one a cover crop centres on the faces in the
        photo (`remix.faces`), and without faces on the layer's focal point. With the canvas
        size given, a photo that already has its box's shape is not searched (nothing to move).
        """
        fx, fy = self.focal if self.focal is not None else _default_focal(layer, photo, self.zoom, canvas)
        clamp = lambda v: min(1.0, max(0.0, float(v)))  # noqa: E731
        return (clamp(fx), clamp(fy)), min(MAX_ZOOM, max(1.0, float(self.zoom)))

    def link(self, frame: Frame, w: Words) -> str:
        """The frame's link on this instance (QR codes, post texts), in the render's language
        when that is a translation."""
        lang = w.lang if w.lang != frame.manifest.language else None
        return frame_link(self.base_url(), frame.id, lang)

    def base_url(self) -> str:
        """The instance's public URL as the shell passed it (a fixed default when it passed none)."""
        return (self.public_url or DEFAULT_PUBLIC_URL).rstrip("/")


def _default_focal(layer: PhotoLayer, photo: Photo | None, zoom: float,
                   canvas: tuple[int, int] | None) -> tuple[float, float]:
    if photo is not None and layer.fit == "cover" and _crop_can_move(layer, photo, zoom, canvas):
        found = face_focal(photo)
        if found is not None:
            return found
    return layer.focal.x, layer.focal.y


def _crop_can_move(layer: PhotoLayer, photo: Photo, zoom: float, canvas: tuple[int, int] | None) -> bool:
    """False when a cover crop would keep (almost) the whole photo: faces cannot change it."""
    if canvas is None or zoom > 1.0:
        return True
    box_aspect = (layer.box.w * canvas[0]) / (layer.box.h * canvas[1])
    return not 0.97 <= box_aspect / (photo.size[0] / photo.size[1]) <= 1.03


def format_spec(frame: Frame, fmt: str) -> Format:
    if fmt not in frame.manifest.formats:
        raise RemixError(f"this frame has no format '{fmt}'; use one of: {', '.join(frame.manifest.formats)}", "format")
    return frame.manifest.formats[fmt]


def render(
    frame: Frame, values: Mapping[str, str], photos: Mapping[str, Photo] | Photo | None, fmt: str,
    options: RenderOptions = RenderOptions(),
) -> Image.Image:
    """Draw every layer of one format in order onto a new RGB canvas.

    `values` must come from `remix.values.clean_values`; `photos` maps photo field names to
    photos (a single Photo stands for every photo field).
    """
    spec = format_spec(frame, fmt)
    w = words(frame.manifest, options.lang)
    link = options.link(frame, w)
    context = template_context(w, values, link=link, maker=options.maker)
    first = spec.layers[0] if spec.layers else None
    # A first background layer's colour is the canvas's own: created in it, not filled twice.
    ground = layers.rgba(first.color)[:3] if isinstance(first, BackgroundLayer) else "white"
    canvas = Image.new("RGB", (spec.width, spec.height), ground)
    mirror = spec.mirror_rtl and w.rtl
    plate = layout_colour(spec)
    for i, layer in enumerate(spec.layers):
        if i == 0 and isinstance(layer, BackgroundLayer):
            layers.draw_background(canvas, frame, layer, filled=True)
            continue
        _draw_layer(canvas, frame, mirrored(layer) if mirror else layer, w, context, photos, link, options, plate)
    return canvas


def layout_colour(spec: Format) -> str:
    """The format's own colour (its background's), for plates drawn behind credits."""
    return next((layer.color for layer in spec.layers if isinstance(layer, BackgroundLayer)), "#000000")


_SWAPPED_ALIGN = {"left": "right", "right": "left"}
_Layer = TypeVar("_Layer", bound=BaseModel)


def mirrored(layer: _Layer) -> _Layer:
    """The layer flipped left-to-right for a right-to-left language: box x -> 1 - x - w, and
    explicit left/right alignment swapped (`start`/`end` already follow the text's direction)."""
    box = getattr(layer, "box", None)
    if box is None:
        return layer
    update: dict[str, object] = {"box": box.model_copy(update={"x": max(0.0, 1.0 - box.x - box.w)})}
    align = getattr(layer, "align", None)
    if align in _SWAPPED_ALIGN:
        update["align"] = _SWAPPED_ALIGN[align]
    return layer.model_copy(update=update)


def _draw_layer(canvas: Image.Image, frame: Frame, layer: object, w: Words, context: dict[str, str], photos,
                link: str, options: RenderOptions, plate: str = "#000000") -> None:
    if isinstance(layer, BackgroundLayer):
        layers.draw_background(canvas, frame, layer)
    elif isinstance(layer, PhotoLayer):
        photo = _photo_for(photos, layer.field)
        focal, zoom = options.photo_crop(layer, photo, canvas.size)
        layers.draw_photo(canvas, layer, photo, focal=focal, zoom=zoom, frame=frame)
    elif isinstance(layer, ImageLayer):
        layers.draw_image(canvas, frame, layer)
    elif isinstance(layer, TextLayer):
        text = normalize_text(render_template(w.layer_template(layer), context, limit=MAX_LAYER_TEXT), multiline=True, max_chars=MAX_LAYER_TEXT)
        if layer.typography == "curly":
            text = curly_quotes(text, w.lang)
        layers.draw_text(canvas, layer, text, prefer_rtl=w.rtl)
    elif isinstance(layer, QrLayer):
        layers.draw_qr(canvas, layer, link)
    elif isinstance(layer, CreditLayer):
        line = frame_credit_line(frame, w, context.get("maker", ""))
        name = licence_name(frame.manifest.licence, w.lang)
        line = line.replace(name, name.replace(" ", "\u00a0"))  # a licence's name is never split over two lines
        layers.draw_credit(canvas, layer, line, w.rtl, plate)


def _photo_for(photos: Mapping[str, Photo] | Photo | None, field: str) -> Photo | None:
    if photos is None or isinstance(photos, Photo):
        return photos
    return photos.get(field)


def encode(image: Image.Image, frame: Frame, fmt: str) -> bytes:
    """The format's encoding (JPEG or PNG), with no EXIF, ICC or comments written."""
    spec = format_spec(frame, fmt)
    buf = io.BytesIO()
    if spec.encoding == "png":
        image.save(buf, "PNG", compress_level=1)
    else:
        image.save(buf, "JPEG", quality=spec.quality, subsampling="4:2:0" if spec.quality < 90 else "4:4:4", optimize=False)
    return buf.getvalue()


def extension(frame: Frame, fmt: str) -> str:
    return "png" if format_spec(frame, fmt).encoding == "png" else "jpg"
