"""An organizer's edits to a frame, as plain data: manifest tables in, a checked Frame out.

The editor in the browser keeps a draft as the manifest's TOML tables (a dict) plus asset bytes;
every change goes through the functions here, `frames.tomledit` writes the TOML (keeping the
comments of the manifest the draft started from), and `build_frame` runs the same validation as a
frame pack from disk, so the browser can never publish what `frame-remix validate` would refuse.
Never imports streamlit; never touches the gallery.
"""
from __future__ import annotations

import contextlib
import copy
import io
import itertools
import re
from collections.abc import Mapping
from typing import Any

from PIL import Image, ImageOps

from frames.errors import FrameError, Problem
from frames.images import load_pixels, open_untrusted, to_srgb
from frames.manifest import MANIFEST_NAME, load_toml
from frames.pack import MAX_ENTRY_BYTES, Frame, frame_from_files
from frames.tomledit import write_manifest

MAX_ASSET_SIDE = 2048  # canvases are at most 4096 wide, and most are 1080: 2048 keeps assets sharp and small
OVERLAY_ASSET = "assets/overlay.png"
BACKGROUND_ASSET = "assets/background.png"
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


# ---- Edits -----------------------------------------------------------------------------------------

def manifest_data(frame: Frame) -> dict[str, Any]:
    """A frame's manifest as editable tables (a fresh copy each time)."""
    return load_toml(frame.manifest_bytes)


def starter_data(frame: Frame, new_id: str, organizer: str) -> dict[str, Any]:
    """A new frame from a starter: its look and fields under a new id, version 1, with the new organizer.

    The starter's translations are dropped: they translate the starter's words, not the new frame's.
    """
    data = manifest_data(frame)
    data.update(id=new_id, version=1, organizer={"name": organizer.strip() or "Organizer"})
    for key in ("derived_from", "translations"):
        data.pop(key, None)
    return data


def apply_edits(data: Mapping[str, Any], edits: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `data` with each place (`formats.square.layers[2].box.x`) set; None removes the key."""
    out = copy.deepcopy(dict(data))
    for place, value in edits.items():
        parent, last = _parent(out, place)
        if value is None:
            if isinstance(parent, dict):
                parent.pop(last, None)
        else:
            parent[last] = value
    return out


def _parent(data: dict[str, Any], place: str) -> tuple[Any, Any]:
    steps: list[str | int] = [name or int(index) for name, index in _STEP.findall(place)]
    if not steps:
        raise FrameError(f"'{place}' is not a place in a manifest")
    node: Any = data
    for step, following in itertools.pairwise(steps):
        if isinstance(node, dict) and step not in node:
            node[step] = [] if isinstance(following, int) else {}
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise FrameError(f"'{place}' is not a place in this manifest") from None
    return node, steps[-1]


FIELD_KINDS = ("text", "long_text", "choice", "photo")


def add_text_field(data: Mapping[str, Any], name: str, label: str, kind: str = "text") -> dict[str, Any]:
    """A copy with one more field of `kind` (validation says if the name is taken or malformed).

    A new choice field starts with two options to rename, so the draft stays valid.
    """
    out = copy.deepcopy(dict(data))
    spec: dict[str, Any] = {"name": name.strip(), "kind": kind, "label": label.strip() or name.strip()}
    if kind == "choice":
        spec["options"] = [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]
    out.setdefault("fields", []).append(spec)
    return out


def parse_options(text: str) -> list[dict[str, str]]:
    """Choice options from lines `value = label` (or just `label`, whose value is made from it)."""
    options = []
    for line in text.splitlines():
        if not line.strip():
            continue
        value, _, label = line.partition("=")
        label = label.strip() or value.strip()
        value = value.strip() if _ else re.sub(r"[^a-z0-9_]+", "_", label.lower()).strip("_") or label
        options.append({"value": value, "label": label})
    return options


def options_text(options: list[dict[str, Any]]) -> str:
    """The lines `parse_options` reads back."""
    return "\n".join(f"{o.get('value', '')} = {o.get('label', '')}" for o in options)


def remove_field(data: Mapping[str, Any], index: int) -> dict[str, Any]:
    """A copy without the field at `index`; templates still naming it are reported by validation."""
    out = copy.deepcopy(dict(data))
    fields = out.get("fields", [])
    if 0 <= index < len(fields):
        del fields[index]
    return out


def set_background_image(data: Mapping[str, Any], asset: str = BACKGROUND_ASSET) -> dict[str, Any]:
    """A copy whose every format's background layer (added if missing) shows `asset`, cover-fitted."""
    out = copy.deepcopy(dict(data))
    for fmt in out.get("formats", {}).values():
        layers = fmt.setdefault("layers", [])
        background = next((layer for layer in layers if layer.get("kind") == "background"), None)
        if background is None:
            layers.insert(0, {"kind": "background", "image": asset})
        else:
            background["image"] = asset
    return out


def set_overlay(data: Mapping[str, Any], asset: str = OVERLAY_ASSET) -> dict[str, Any]:
    """A copy with a full-canvas overlay in every format, above photos and backgrounds, under text."""
    out = copy.deepcopy(dict(data))
    for fmt in out.get("formats", {}).values():
        layers = fmt.setdefault("layers", [])
        if any(layer.get("kind") == "image" and layer.get("image") == asset for layer in layers):
            continue
        below = [i for i, layer in enumerate(layers) if layer.get("kind") in ("background", "photo")]
        layers.insert(max(below, default=-1) + 1, {"kind": "image", "image": asset, "fit": "stretch",
                                                   "box": {"x": 0.0, "y": 0.0, "w": 1.0, "h": 1.0}})
    return out


# ---- Assets and the finished frame ---------------------------------------------------------------

def asset_png(data: bytes, what: str = "the image") -> bytes:
    """An uploaded image as a clean PNG: the photo intake rules, upright, at most 2048 px, no metadata."""
    image = load_pixels(open_untrusted(data, what=what), what=what)
    with contextlib.suppress(OSError, ValueError, SyntaxError):  # a broken orientation tag: keep the pixels as stored
        image = ImageOps.exif_transpose(image)
    image = to_srgb(image)  # the photo intake's colour path: ICC, CMYK, 16-bit, palettes
    image.thumbnail((MAX_ASSET_SIDE, MAX_ASSET_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "PNG", optimize=False)
    if out.tell() > MAX_ENTRY_BYTES:
        raise FrameError(f"{what} is still larger than {MAX_ENTRY_BYTES // 2**20} MB as a PNG; use a simpler or smaller image")
    return out.getvalue()


def used_assets(data: Mapping[str, Any], assets: Mapping[str, bytes]) -> dict[str, bytes]:
    """Only the assets some layer shows, so a replaced image does not travel in the pack."""
    layers = [layer for fmt in (data.get("formats") or {}).values() if isinstance(fmt, dict)
              for layer in fmt.get("layers") or [] if isinstance(layer, dict)]
    names = {layer.get("image") for layer in layers} | {
        layer["empty"].get("image") for layer in layers if isinstance(layer.get("empty"), dict)}
    brand = data.get("brand")
    names.add(brand.get("logo") if isinstance(brand, dict) else None)  # layers show it as brand.logo
    return {name: blob for name, blob in assets.items() if name in names}


def build_frame(data: Mapping[str, Any], assets: Mapping[str, bytes], source: str = "draft",
                base: bytes | None = None) -> Frame:
    """The draft as a fully validated Frame; raises FrameError listing every problem with its place.

    `base` is the manifest the draft started from: its comments and layout are kept.
    """
    files = {MANIFEST_NAME: write_manifest(data, base), **used_assets(data, assets)}
    return frame_from_files(files, source)


def problems_at(problems: list[Problem], *prefixes: str) -> list[Problem]:
    """The problems whose place starts with one of `prefixes` (how the editor shows each next to its input)."""
    return [p for p in problems if any(p.place == pre or p.place.startswith((pre + ".", pre + "[")) for pre in prefixes)]


def get_path(data: Mapping[str, Any], place: str, default: Any = None) -> Any:
    """The value at a place (`formats.square.layers[2].box.x`), or `default` when it is absent."""
    node: Any = data
    for name, index in _STEP.findall(place):
        try:
            node = node[name] if name else node[int(index)]
        except (KeyError, IndexError, TypeError):
            return default
    return node
