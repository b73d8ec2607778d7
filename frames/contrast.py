"""Colour contrast of a frame's text against what lies under it (WCAG 2.x), as advice.

Checked on the manifest alone: the colours of the background, gradients and panels drawn
under each text box. Text over a participant's photo or an organizer image cannot be judged
from the manifest, so such text must sit on a panel to pass.
"""
from __future__ import annotations

from collections.abc import Iterator

from frames.errors import Problem
from frames.model import BackgroundLayer, Box, CreditLayer, Format, ImageLayer, Manifest, PhotoLayer, TextLayer

AA_NORMAL = 4.5
AA_LARGE = 3.0
LARGE_PX = 24  # 18 pt


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """Relative luminance of '#rrggbb' (alpha ignored)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _overlaps(a: Box, b: Box) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def _contains(outer: Box, inner: Box) -> bool:
    eps = 1e-6
    return (outer.x <= inner.x + eps and outer.y <= inner.y + eps
            and inner.x + inner.w <= outer.x + outer.w + eps and inner.y + inner.h <= outer.y + outer.h + eps)


def _mix(a: str, b: str, t: float) -> str:
    channels = [round(int(a[i:i + 2], 16) * (1 - t) + int(b[i:i + 2], 16) * t) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def backdrops(fmt: Format, index: int) -> list[str] | None:
    """Colours that may lie under layer `index`'s box; None when a photo or image may."""
    target = fmt.layers[index]
    assert not isinstance(target, BackgroundLayer), "a background has no box; backdrops are asked for boxed layers"
    box = target.box
    colours: list[str] = []
    for layer in fmt.layers[:index]:
        if isinstance(layer, BackgroundLayer):
            colours = [layer.color[:7]]
            if layer.gradient:
                colours += [_mix(layer.color[:7], layer.gradient.to[:7], t) for t in (0.5, 1.0)]
            if layer.image:
                return None
        elif isinstance(layer, TextLayer) and layer.panel and _overlaps(layer.box, box):
            if _contains(layer.box, box) and len(layer.panel) == 7:
                colours = [layer.panel]
            else:
                colours.append(layer.panel[:7])
        elif isinstance(layer, (PhotoLayer, ImageLayer)) and _overlaps(layer.box, box):
            return None
    return colours or ["#ffffff"]


def contrast_problems(manifest: Manifest) -> Iterator[Problem]:
    """Text layers whose colour misses WCAG AA against any colour that may lie under them."""
    for name, fmt in manifest.formats.items():
        for i, layer in enumerate(fmt.layers):
            if not isinstance(layer, (TextLayer, CreditLayer)) or (isinstance(layer, TextLayer) and not layer.template.strip()):
                continue  # an empty text layer only draws its panel
            place = f"formats.{name}.layers[{i}]"
            under = [layer.panel] if isinstance(layer, TextLayer) and layer.panel and len(layer.panel) == 7 else backdrops(fmt, i)
            if under is None and isinstance(layer, CreditLayer):
                continue  # the renderer puts a plate behind a credit over a photo or image
            if under is None:
                yield Problem(place, "text over a photo or image cannot be checked for contrast; give it a panel colour")
                continue
            large = isinstance(layer, TextLayer) and layer.size_range[0] >= LARGE_PX
            need = AA_LARGE if large else AA_NORMAL
            worst = min(contrast_ratio(layer.color[:7], c) for c in under)
            if worst < need:
                yield Problem(place, f"text colour {layer.color} has contrast {worst:.2f}:1 with what lies under it; WCAG AA needs {need}:1")
