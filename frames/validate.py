"""Rules that span several parts of a frame: names, templates, assets and translations.

The schema (`frames.model`) checks each value on its own; this module checks that they fit
together, and returns every problem at once so an organizer can fix them in one pass.
"""
from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Mapping

from frames.assets import (
    DRAW_BUDGET,
    FRAME_PIXEL_BUDGET,
    asset_uses,
    drawn_pixels,
    drawn_size,
)
from frames.errors import FrameError, Problem
from frames.images import load_pixels, open_untrusted
from frames.model import (
    CREDIT_TWO_LINES_EM,
    QR_MIN_MODULE_PX,
    RESERVED_NAMES,
    CreditLayer,
    Layer,
    Manifest,
    PhotoLayer,
    QrLayer,
    TextLayer,
    credit_size,
)
from frames.templating import check_template


def validate_frame(manifest: Manifest, assets: Mapping[str, bytes]) -> list[Problem]:
    """Every cross-part problem of a parsed manifest and its assets (empty list = valid)."""
    return [
        *_field_problems(manifest),
        *_template_problems(manifest),
        *_draw_problems(manifest),
        *_asset_problems(manifest, assets),
        *_layer_id_problems(manifest),
        *_qr_problems(manifest),
        *_credit_problems(manifest),
        *_translation_problems(manifest),
    ]


def template_names(manifest: Manifest) -> set[str]:
    """The names a template may use: the text fields plus the frame's own words."""
    return {f.name for f in manifest.fields if f.kind != "photo"} | RESERVED_NAMES


def _field_problems(m: Manifest) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, spec in enumerate(m.fields):
        place = f"fields[{i}].name"
        if spec.name in RESERVED_NAMES:
            yield Problem(place, f"'{spec.name}' is a reserved name; choose another field name")
        if spec.name in seen:
            yield Problem(place, f"the field name '{spec.name}' is used twice; make names unique")
        seen.add(spec.name)
    photo_fields = {f.name for f in m.fields if f.kind == "photo"}
    for place, layer in _layers(m):
        if isinstance(layer, PhotoLayer) and layer.field not in photo_fields:
            yield Problem(f"{place}.field", _unknown(layer.field, photo_fields, "photo field"))


def _template_problems(m: Manifest) -> Iterator[Problem]:
    names = template_names(m)
    for place, source in _templates(m):
        for message in check_template(source, names):
            yield Problem(place, message)


def _templates(m: Manifest) -> Iterator[tuple[str, str]]:
    return _template_places(m.model_dump(by_alias=True, exclude_none=True))


def _layers(m: Manifest) -> Iterator[tuple[str, Layer]]:
    for name, fmt in m.formats.items():
        for i, layer in enumerate(fmt.layers):
            yield f"formats.{name}.layers[{i}]", layer


def _qr_problems(m: Manifest) -> Iterator[Problem]:
    """QR codes large enough to scan when the image is shown 360 px wide (see QR_MIN_MODULE_PX)."""
    for name, fmt in m.formats.items():
        for i, layer in enumerate(fmt.layers):
            if isinstance(layer, QrLayer) and layer.module_px(fmt.width, fmt.height) < QR_MIN_MODULE_PX - 1e-9:
                side = layer.min_side(fmt.width)
                yield Problem(f"formats.{name}.layers[{i}].box", (
                    f"this QR code is too small to scan once the image is shown small; make the box at least "
                    f"{side} x {side} px (w >= {side / fmt.width:.3f}, h >= {side / fmt.height:.3f})"))


def _credit_problems(m: Manifest) -> Iterator[Problem]:
    """Credit boxes tall enough for two lines at the readable size (capitals 24 px at 1080 wide)."""
    for name, fmt in m.formats.items():
        for i, layer in enumerate(fmt.layers):
            if isinstance(layer, CreditLayer):
                _, top, _, bottom = layer.box.pixels(fmt.width, fmt.height)
                need = math.ceil(credit_size(fmt.width) * CREDIT_TWO_LINES_EM)
                if bottom - top < need:
                    yield Problem(f"formats.{name}.layers[{i}].box", (
                        f"the credit line needs room for two lines of readable text; make the box at least "
                        f"{need} px tall (h >= {need / fmt.height:.3f})"))


def _asset_problems(m: Manifest, assets: Mapping[str, bytes]) -> Iterator[Problem]:
    """Missing assets, then each asset's header, the frame's pixel budget, and only within
    the budget a full decode of each (so no pack makes validation decode gigapixels)."""
    sizes: dict[str, tuple[int, int]] = {}
    places: dict[str, str] = {}
    problems: list[Problem] = []
    for layer_place, layer in _layers(m):
        name = getattr(layer, "image", None)
        place = f"{layer_place}.image"
        empty = getattr(layer, "empty", None)
        if name is None and empty is not None:
            name, place = getattr(empty, "image", None), f"{layer_place}.empty.image"
        if name is None:
            continue
        if name not in assets:
            problems.append(Problem(place, _unknown(name, set(assets), "asset")))
        elif name not in places:
            places[name] = place
            try:
                sizes[name] = open_untrusted(assets[name], what=f"the image {name}", error=FrameError).size
            except FrameError as exc:
                problems.append(Problem(place, str(exc)))
    yield from problems
    over = _over_budget(m, sizes)
    if over is not None:
        yield over
        return
    for name in sizes:
        yield from _asset_decodes(places[name], name, assets[name])


def _draw_problems(m: Manifest) -> Iterator[Problem]:
    drawn = drawn_pixels(m)
    if drawn > DRAW_BUDGET:
        yield Problem("formats", (
            f"the formats draw {drawn / 1e6:.0f} megapixels in all (every canvas plus every image layer's box); "
            f"the limit is {DRAW_BUDGET // 1_000_000}, so use smaller canvases or fewer full-size image layers"))


def _over_budget(m: Manifest, sizes: Mapping[str, tuple[int, int]]) -> Problem | None:
    """One sentence naming the largest images and the size each is drawn at, if together they
    pass the frame's decoded-pixel budget."""
    total = sum(w * h for w, h in sizes.values())
    if total <= FRAME_PIXEL_BUDGET:
        return None
    uses = asset_uses(m)
    largest = sorted(sizes, key=lambda n: -sizes[n][0] * sizes[n][1])
    shown = [f"{n} is {sizes[n][0]}x{sizes[n][1]} but drawn at most {'x'.join(map(str, drawn_size(sizes[n], uses.get(n, []))))}"
             for n in largest[:3]]
    more = f" and {len(largest) - 3} more" if len(largest) > 3 else ""
    return Problem("assets", (
        f"the frame's images add up to {total / 1e6:.0f} megapixels; the limit for all of them together is "
        f"{FRAME_PIXEL_BUDGET // 1_000_000} megapixels, so save each at the size it is drawn at "
        f"({'; '.join(shown)}{more})"))


def _asset_decodes(place: str, name: str, data: bytes) -> Iterator[Problem]:
    try:
        image = open_untrusted(data, what=f"the image {name}", error=FrameError)
        load_pixels(image, what=f"the image {name}", error=FrameError)
    except FrameError as exc:
        yield Problem(place, str(exc))


def _layer_id_problems(m: Manifest) -> Iterator[Problem]:
    for name, fmt in m.formats.items():
        seen: set[str] = set()
        for i, layer in enumerate(fmt.layers):
            layer_id = getattr(layer, "id", None)
            if layer_id and layer_id in seen:
                yield Problem(f"formats.{name}.layers[{i}].id", f"the id '{layer_id}' is used twice in this format")
            if layer_id:
                seen.add(layer_id)


def _translation_problems(m: Manifest) -> Iterator[Problem]:
    fields = {f.name: f for f in m.fields}
    layer_ids = {layer.id for _, layer in _layers(m) if isinstance(layer, TextLayer) and layer.id is not None}
    for lang, tr in m.translations.items():
        base = f"translations.{lang}"
        if lang == m.language:
            yield Problem(base, f"'{lang}' is the frame's own language; translate into another one")
        for name, ftr in tr.fields.items():
            if name not in fields:
                yield Problem(f"{base}.fields.{name}", _unknown(name, set(fields), "field"))
                continue
            values = {o.value for o in fields[name].options}
            for value in ftr.options:
                if value not in values:
                    yield Problem(f"{base}.fields.{name}.options.{value}", _unknown(value, values, "option"))
        for key in tr.layers:
            if key not in layer_ids:
                yield Problem(f"{base}.layers.{key}", _unknown(key, layer_ids, "text layer id"))
        for key in tr.format_alt:
            if key not in m.formats:
                yield Problem(f"{base}.format_alt.{key}", _unknown(key, set(m.formats), "format"))


def _unknown(name: str, known: set[str], what: str) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    if close:
        return f"there is no {what} '{name}' (did you mean '{close[0]}'?)"
    if known:
        return f"there is no {what} '{name}'; use one of: {', '.join(sorted(known))}"
    return f"there is no {what} '{name}'; add it first"


def raw_template_problems(raw: Mapping[str, object]) -> list[Problem]:
    """Template problems of a manifest that failed its schema, so one pass reports both kinds.

    Works on the plain TOML tables and skips anything not shaped as expected: the schema
    errors already say what is wrong with those parts.
    """
    fields = raw.get("fields")
    if not isinstance(fields, list):
        fields = []
    candidates = {f.get("name") for f in fields if isinstance(f, dict) and f.get("kind") != "photo"}
    names = {n for n in candidates if isinstance(n, str)} | RESERVED_NAMES
    problems = []
    for place, source in _template_places(raw):
        problems += [Problem(place, message) for message in check_template(source, names)]
    return problems


def _table(parent: object, key: str) -> dict:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, dict) else {}


def _template_places(raw: Mapping[str, object]) -> Iterator[tuple[str, str]]:
    """Every (place, template) of a manifest's plain tables; the one list of where templates live.

    Used on a parsed manifest and on one that failed its schema (anything not shaped as
    expected is skipped there: the schema errors already say what is wrong with it).
    """
    texts = _table(raw, "texts")
    for key in ("post", "alt"):
        if isinstance(texts.get(key), str):
            yield f"texts.{key}", texts[key]
    for platform, source in _table(texts, "platforms").items():
        if isinstance(source, str):
            yield f"texts.platforms.{platform}", source
    for name, fmt in _table(raw, "formats").items():
        if isinstance(fmt, dict) and isinstance(fmt.get("alt"), str):
            yield f"formats.{name}.alt", fmt["alt"]
        layers = fmt.get("layers") if isinstance(fmt, dict) else None
        for i, layer in enumerate(layers if isinstance(layers, list) else []):
            if isinstance(layer, dict) and isinstance(layer.get("template"), str):
                yield f"formats.{name}.layers[{i}].template", layer["template"]
    for lang, tr in _table(raw, "translations").items():
        base = f"translations.{lang}"
        for key in ("post", "alt"):
            if isinstance(tr, dict) and isinstance(tr.get(key), str):
                yield f"{base}.{key}", tr[key]
        for group in ("platforms", "layers", "format_alt"):
            for key, source in _table(tr, group).items():
                if isinstance(source, str):
                    yield f"{base}.{group}.{key}", source
