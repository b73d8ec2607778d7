"""Where a frame's images are drawn, how large they need to be, and the pixel budget they share.

An asset is never needed larger than the largest box it is drawn in (a background fills its
canvas), so the renderer keeps each one decoded at that size, and validation refuses a frame
whose images add up to more decoded pixels than `FRAME_PIXEL_BUDGET`, or whose formats draw
more than `DRAW_BUDGET` pixels in all (every canvas once, plus every image layer's box: the
work and memory of a render grow with these): together they make any frame that validates
render within a few hundred megabytes and a second or two, whatever its pack holds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from frames.model import BackgroundLayer, ImageLayer, Manifest, NoPhotoImage, PhotoLayer

FRAME_PIXEL_BUDGET = 24_000_000  # decoded pixels of all of a frame's images together (~4900 x 4900)
DRAW_BUDGET = 40_000_000  # canvases plus image boxes over all formats; the bundled frames draw 4-6 million


@dataclass(frozen=True)
class Use:
    """One place an asset is drawn: the box's size in pixels and how the image is fitted into it."""

    width: int
    height: int
    fit: str


def asset_uses(manifest: Manifest) -> dict[str, list[Use]]:
    """Every asset a layer draws, with every box it is drawn in across all formats."""
    uses: dict[str, list[Use]] = {}
    for fmt in manifest.formats.values():
        for layer in fmt.layers:
            if isinstance(layer, BackgroundLayer) and layer.image:
                uses.setdefault(layer.image, []).append(Use(fmt.width, fmt.height, "cover"))
            elif isinstance(layer, ImageLayer):
                left, top, right, bottom = layer.box.pixels(fmt.width, fmt.height)
                uses.setdefault(layer.image, []).append(Use(right - left, bottom - top, layer.fit))
            elif isinstance(layer, PhotoLayer) and isinstance(layer.empty, NoPhotoImage):
                left, top, right, bottom = layer.box.pixels(fmt.width, fmt.height)  # the no-photo design
                uses.setdefault(layer.empty.image, []).append(Use(right - left, bottom - top, "cover"))
    return uses


def drawn_size(size: tuple[int, int], uses: list[Use]) -> tuple[int, int]:
    """The smallest size of an image of `size` that still gives every one of its uses full
    resolution (never larger than it is)."""
    width, height = size
    scale = 0.0
    for use in uses:
        sx, sy = use.width / width, use.height / height
        scale = max(scale, min(sx, sy) if use.fit == "contain" else max(sx, sy))
    scale = min(1.0, scale) if uses else 1.0
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


def drawn_pixels(manifest: Manifest) -> int:
    """Pixels a render of every format draws: each canvas once, plus each image layer's box."""
    total = 0
    for fmt in manifest.formats.values():
        total += fmt.width * fmt.height
        for layer in fmt.layers:
            if isinstance(layer, BackgroundLayer) and layer.image:
                total += fmt.width * fmt.height
            elif isinstance(layer, ImageLayer):
                left, top, right, bottom = layer.box.pixels(fmt.width, fmt.height)
                total += (right - left) * (bottom - top)
    return total
