"""Problems in an organizer's words: a sentence about the thing on screen and what to do about it.

The CLI prints `Problem`s as `place: message` (exact, greppable); the editor shows the same
problems through `organizer_sentence`, which names what the organizer sees ("the headline
box", "the field 'Your town'") instead of the manifest's place, and says what to do. Contrast
advice names the text and the colour it sits on. Never imports streamlit.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from frames.brand import brand_name, kit
from frames.contrast import AA_LARGE, AA_NORMAL, LARGE_PX, backdrops, contrast_ratio
from frames.errors import Problem
from frames.model import CreditLayer, Manifest, TextLayer

_LAYER = re.compile(r"^formats\.([a-z][a-z0-9_]*)\.layers\[(\d+)\](?:\.(.*))?$")
_FIELD = re.compile(r"^fields\[(\d+)\](?:\.(.*))?$")
KIND_NAMES = {"background": "background", "photo": "photo", "image": "image", "text": "text",
              "qr": "QR code", "credit": "credit line"}
WORDS = {"title": "the title", "message": "the core message", "call_to_action": "the call to action",
         "hashtags": "the hashtags", "organizer": "the organizer's name", "texts.post": "the post text",
         "texts.alt": "the alt text", "id": "the frame id", "moderation": "the moderation choice"}
BOX_PARTS = {"box.x": "left edge", "box.y": "top edge", "box.w": "width", "box.h": "height"}
PARTS = {"color": "colour", "panel": "panel colour", "placeholder": "placeholder colour", "font": "font",
         "template": "text", "image": "image", "min_size": "smallest text size", "max_size": "largest text size",
         "background": "background colour", "gradient.to": "gradient colour", "outline.color": "outline colour"}


def layer_name(layer: Mapping[str, Any], fmt: str, box: bool = False) -> str:
    """'the headline in the square' (or 'the headline box in the square') for a text layer with
    id 'headline'; the kind of layer otherwise."""
    kind = str(layer.get("kind", "layer"))
    ident = layer.get("id")
    if kind == "image" and layer.get("image") == "brand.logo":
        thing = "logo"
    elif ident:
        thing = str(ident).replace("_", " ")
    else:
        thing = KIND_NAMES.get(kind, kind)
    return f"the {thing}{' box' if box else ''} in the {fmt}"


def thing(place: str, data: Mapping[str, Any], box: bool = False) -> str:
    """What the organizer sees at a manifest place, in words ('the headline in the story')."""
    layer = _LAYER.match(place)
    if layer:
        fmt, index, rest = layer.group(1), int(layer.group(2)), layer.group(3) or ""
        layers = (((data.get("formats") or {}).get(fmt) or {}).get("layers") or [])
        known = index < len(layers) and isinstance(layers[index], dict)
        box = box or rest.startswith("box")
        name = layer_name(layers[index], fmt, box) if known else f"a layer of the {fmt}"
        if rest in BOX_PARTS:
            return f"the {BOX_PARTS[rest]} of {name}"
        part = PARTS.get(rest) if rest and not rest.startswith("box") else None
        return f"the {part} of {name}" if part else name
    field = _FIELD.match(place)
    if field:
        fields = data.get("fields") or []
        index = int(field.group(1))
        label = fields[index].get("label") or fields[index].get("name") if index < len(fields) else None
        subject = f"the field '{label}'" if label else "a field"
        part = field.group(2) or ""
        return f"the {part.replace('_', ' ')} of {subject}" if part in ("label", "help", "sample", "max_length") else subject
    if place.startswith("brand.colors."):
        return f"the kit colour '{place.split('.', 2)[2]}'"
    if place.startswith("translations."):
        return f"the '{place.split('.')[1]}' translation"
    return next((WORDS[p] for p in sorted(WORDS, key=len, reverse=True) if place == p or place.startswith(p + ".")),
                "this frame")


def organizer_sentence(problem: Problem, data: Mapping[str, Any]) -> str:
    """One sentence about the thing on screen and what to do, for the editor (the CLI keeps `str(problem)`)."""
    message = problem.message
    subject = thing(problem.place, data, box=message.startswith(("right edge", "bottom edge")))
    for pattern, build in _REWRITES:
        match = pattern.search(message)
        if match:
            return _capital(build(subject, match))
    return _capital(f"{subject}: {message}") + ("" if message.endswith((".", "?", "!")) else ".")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_REWRITES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^right edge .* outside the canvas"),
     lambda s, m: f"{s} reaches past the right edge: make it narrower or move it left."),
    (re.compile(r"^bottom edge .* outside the canvas"),
     lambda s, m: f"{s} reaches past the bottom edge: make it shorter or move it up."),
    (re.compile(r"^min_size (\d+) is larger than size (\d+)"),
     lambda s, m: f"the smallest text size of {s} ({m.group(1)}) is larger than its fixed size "
                  f"({m.group(2)}): make it smaller, or the fixed size larger."),
    (re.compile(r"^min_size (\d+) is larger than max_size (\d+)"),
     lambda s, m: f"the smallest text size of {s} ({m.group(1)}) is larger than its largest "
                  f"({m.group(2)}): swap them."),
    (re.compile(r"^there is no brand colour '([^']+)'(?: \(did you mean '([^']+)'\?\))?"),
     lambda s, m: f"{s} uses the kit colour '{m.group(1)}', which the brand kit does not have: "
                  + (f"choose '{m.group(2).removeprefix('brand.')}' or " if m.group(2) else "choose a kit colour or ")
                  + "add it to the kit."),
    (re.compile(r"^there is no brand font '([^']+)'"),
     lambda s, m: f"{s} uses the kit font '{m.group(1)}', which the brand kit does not have: choose a font."),
    (re.compile(r"is not a colour"),
     lambda s, m: f"{s} is not a colour: pick one with the colour picker."),
    (re.compile(r"^is missing; add it$"), lambda s, m: f"{s} is missing: fill it in."),
    (re.compile(r"^is empty; write something here$"), lambda s, m: f"{s} is empty: write something there."),
    (re.compile(r"^is (\d+) characters long; the most allowed is (\d+)"),
     lambda s, m: f"{s} is {m.group(1)} characters long: shorten it to {m.group(2)} or fewer."),
    (re.compile(r"^(-?[\d.]+) is too small; it must be (at least|more than) ([\d.]+)"),
     lambda s, m: f"{s} is {m.group(1)}: make it {m.group(2)} {m.group(3)}."),
    (re.compile(r"^(-?[\d.]+) is too large; the most allowed is ([\d.]+)"),
     lambda s, m: f"{s} is {m.group(1)}: make it at most {m.group(2)}."),
]


# ---- Contrast, said about what the organizer sees ----------------------------------------------

def contrast_advice(manifest: Manifest, data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(place, sentence) for each text that is hard to read on what lies under it: which text, on which colour."""
    for fmt_name, fmt in manifest.formats.items():
        names = _colour_names(data, fmt_name)
        layers = ((data.get("formats") or {}).get(fmt_name) or {}).get("layers") or []
        for i, layer in enumerate(fmt.layers):
            if not isinstance(layer, (TextLayer, CreditLayer)) or (isinstance(layer, TextLayer) and not layer.template.strip()):
                continue
            place = f"formats.{fmt_name}.layers[{i}]"
            raw = layers[i] if i < len(layers) and isinstance(layers[i], dict) else {}
            subject = layer_name(raw, fmt_name)
            panel = layer.panel if isinstance(layer, TextLayer) and layer.panel and len(layer.panel) == 7 else None
            under: list[str] | None = [panel] if panel else backdrops(fmt, i)
            if under is None:
                yield place, _capital(f"{subject} sits on a photo or image, where it may be hard to read: "
                                      "give it a panel colour.")
                continue
            need = AA_LARGE if isinstance(layer, TextLayer) and layer.min_size >= LARGE_PX else AA_NORMAL
            ratio, worst = min((contrast_ratio(layer.color[:7], c), c) for c in under)
            if ratio < need:
                yield place, _capital(
                    f"{subject} ({_say(layer.color, names, raw.get('color'))}) on {_say(worst, names)} is hard to read "
                    f"({ratio:.1f}:1, at least {need:g}:1 is needed): make one of them lighter or darker.")


def _colour_names(data: Mapping[str, Any], fmt: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for name, value in kit(data, fmt)["colors"].items():
        names.setdefault(value.lower()[:7], name)  # two names for one colour: the first one written
    return names


def _say(colour: str, names: Mapping[str, str], written: object = None) -> str:
    """'kit colour 'primary' #0f2b3d' (the name the layer wrote, else the kit's first name for it), or the colour."""
    name = brand_name(written) or names.get(colour.lower()[:7])
    return f"kit colour '{name.replace('_', ' ')}' {colour[:7]}" if name else colour[:7]

