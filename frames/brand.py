"""The brand kit: colours, fonts and a logo named once in `[brand]` and used by every format's layers.

A layer field that holds a colour (`color`, `panel`, `placeholder`, `background`, a gradient's
`to`, an outline's `color`) may say `brand.<name>` instead of `#RRGGBB`; a `font` may say
`brand.<name>` for a font of the kit, and an image layer `image = "brand.logo"`. A format may
override colours of the kit for itself (`[formats.story.brand] colors = { ... }`); a layer that
writes its own `#RRGGBB` overrides the kit for that layer only.

Names are resolved on the plain TOML tables before the schema check, so the typed `Manifest`
(and the renderer, the contrast check, the credits) only ever see concrete values, while the
manifest on disk keeps the names an organizer edits once. The frame's words (title, message,
call to action, hashtags) are the kit's words already: templates use `{{ title }}` and so on.
"""
from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping
from typing import Any

from frames.errors import Problem

PREFIX = "brand."
_REF = re.compile(r"^brand\.([a-z][a-z0-9_]{0,31})$")
COLOUR_KEYS = frozenset({"color", "panel", "placeholder", "background", "to"})
NESTED = ("gradient", "outline")


def brand_name(value: object) -> str | None:
    """'primary' for 'brand.primary'; None for anything else (a hex colour, a font family...)."""
    match = _REF.match(value) if isinstance(value, str) else None
    return match.group(1) if match else None


def _table(parent: object, key: str) -> dict[str, Any]:
    value = parent.get(key) if isinstance(parent, Mapping) else None
    return value if isinstance(value, dict) else {}


def kit(raw: Mapping[str, Any], fmt: str | None = None) -> dict[str, dict[str, str]]:
    """The kit's names per kind ('colors', 'fonts', 'logo'), with one format's colour overrides applied."""
    brand = _table(raw, "brand")
    colors = {k: v for k, v in _table(brand, "colors").items() if isinstance(v, str)}
    if fmt is not None:
        override = _table(_table(_table(_table(raw, "formats"), fmt), "brand"), "colors")
        colors.update({k: v for k, v in override.items() if isinstance(v, str)})
    fonts = {k: v for k, v in _table(brand, "fonts").items() if isinstance(v, str)}
    logo = {"logo": brand["logo"]} if isinstance(brand.get("logo"), str) else {}
    return {"colors": colors, "fonts": fonts, "logo": logo}


def resolve_brand(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """A copy of the manifest tables with every `brand.<name>` replaced by its value, and the
    problems of names the kit does not have (each at the layer field that uses it)."""
    out = copy.deepcopy(dict(raw))
    problems: list[Problem] = []
    for name, fmt in _table(out, "formats").items():
        names = kit(raw, name)
        layers = fmt.get("layers") if isinstance(fmt, dict) else None
        for i, layer in enumerate(layers if isinstance(layers, list) else []):
            if isinstance(layer, dict):
                problems += _resolve_layer(layer, names, f"formats.{name}.layers[{i}]")
    return out, problems


def _resolve_layer(layer: dict[str, Any], names: dict[str, dict[str, str]], place: str) -> list[Problem]:
    problems = []
    for key, value in list(layer.items()):
        if key in NESTED and isinstance(value, dict):
            problems += _resolve_layer(value, names, f"{place}.{key}")
            continue
        ref = brand_name(value)
        if ref is None:
            continue
        kind = "colors" if key in COLOUR_KEYS else "fonts" if key == "font" else "logo" if key == "image" else None
        if kind is None:
            problems.append(Problem(f"{place}.{key}", f"'{value}' names the brand kit, but {key} cannot come from it"))
        elif ref in names[kind]:
            resolved = names[kind][ref]
            bad_colour = kind == "colors" and not _HEX.match(resolved)  # reported once, at the kit
            layer[key] = "#000000" if bad_colour else resolved
        else:
            problems.append(Problem(f"{place}.{key}", _unknown(ref, names[kind], kind)))
    return problems


def _unknown(ref: str, known: Mapping[str, str], kind: str) -> str:
    what = {"colors": "brand colour", "fonts": "brand font", "logo": "brand logo"}[kind]
    table = {"colors": "[brand] colors", "fonts": "[brand] fonts", "logo": "[brand] logo"}[kind]
    close = difflib.get_close_matches(ref, sorted(known), n=1)
    if close:
        return f"there is no {what} '{ref}' (did you mean 'brand.{close[0]}'?)"
    return f"there is no {what} '{ref}'; add it to {table} first"


def uses(raw: Mapping[str, Any], kind: str, name: str) -> list[str]:
    """Places of the layer fields that use `brand.<name>` of that kind (what a kit change reaches)."""
    keys = COLOUR_KEYS if kind == "colors" else {"font"} if kind == "fonts" else {"image"}
    found = []
    for fmt, table in _table(raw, "formats").items():
        for i, layer in enumerate(table.get("layers") or [] if isinstance(table, dict) else []):
            for key, value in (layer.items() if isinstance(layer, dict) else []):
                if key in keys and brand_name(value) == name:
                    found.append(f"formats.{fmt}.layers[{i}].{key}")
    return found


# ---- Making a kit from a frame's own colours ---------------------------------------------------

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
COLOUR_NAMES = ("primary", "secondary", "accent", "muted", "highlight", "shade", "tint", "extra")


def adopt_kit(raw: Mapping[str, Any], logo: str | None = None) -> dict[str, Any]:
    """A copy whose layer colours (and headline/body fonts, and `logo`) come from a new `[brand]` kit.

    Each distinct `#RRGGBB` of the layers becomes one named colour (the background layer's is
    `background`, white is `light`, the rest `primary`, `secondary`... by how often they are
    used), so the frame looks exactly the same and one change of a kit colour reaches every
    format. Colours already named stay as they are.
    """
    out = copy.deepcopy(dict(raw))
    colours = _colour_names(_layer_values(out, COLOUR_KEYS))
    fonts = _font_names(out)
    brand = out.setdefault("brand", {})
    brand.setdefault("colors", {}).update({name: hex_ for hex_, name in colours.items()})
    if fonts:
        brand.setdefault("fonts", {}).update({name: family for family, name in fonts.items()})
    if logo:
        brand["logo"] = logo
    for layer in _all_layers(out):
        _rename(layer, colours, fonts, logo)
    return out


def _all_layers(raw: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for fmt in _table(raw, "formats").values():
        layers = fmt.get("layers") if isinstance(fmt, dict) else None
        found += [layer for layer in (layers if isinstance(layers, list) else []) if isinstance(layer, dict)]
    return found


def _layer_values(raw: dict[str, Any], keys: frozenset[str]) -> list[tuple[str, str, str]]:
    """(layer kind, key, value) of every matching layer field, nested gradient/outline included."""
    values = []
    for layer in _all_layers(raw):
        for part in [layer, *(layer[n] for n in NESTED if isinstance(layer.get(n), dict))]:
            values += [(str(layer.get("kind")), k, v) for k, v in part.items() if k in keys and isinstance(v, str)]
    return values


def _colour_names(values: list[tuple[str, str, str]]) -> dict[str, str]:
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for kind, key, value in values:
        if not _HEX.match(value):
            continue
        hex_ = value.lower()
        counts[hex_] = counts.get(hex_, 0) + 1
        if kind == "background" and key == "color" and "background" not in names.values():
            names[hex_] = "background"
    names.update({h: "light" for h in counts if h in ("#ffffff", "#ffffffff") and h not in names})
    rest = sorted((h for h in counts if h not in names), key=lambda h: -counts[h])
    spare = [n for n in COLOUR_NAMES if n not in names.values()]
    names.update({h: spare[i] if i < len(spare) else f"colour{i + 1}" for i, h in enumerate(rest)})
    return names


def _font_names(raw: dict[str, Any]) -> dict[str, str]:
    """The headline's family (a layer with id 'headline', else the most used bold one) and the body's."""
    families = [(layer.get("id"), layer.get("font", "sans")) for layer in _all_layers(raw) if layer.get("kind") == "text"]
    families = [(i, f) for i, f in families if isinstance(f, str) and not brand_name(f)]
    if not families:
        return {}
    bold = [f for _, f in families if f.endswith("-bold")]
    headline = next((f for i, f in families if i == "headline"), max(bold, key=bold.count) if bold else None)
    plain = [f for _, f in families if f != headline]
    names = {headline: "headline"} if headline else {}
    if plain:
        names[max(plain, key=plain.count)] = "body"
    return names


def _rename(layer: dict[str, Any], colours: dict[str, str], fonts: dict[str, str], logo: str | None) -> None:
    for part in [layer, *(layer[n] for n in NESTED if isinstance(layer.get(n), dict))]:
        for key, value in list(part.items()):
            if key in COLOUR_KEYS and isinstance(value, str) and value.lower() in colours:
                part[key] = PREFIX + colours[value.lower()]
    if layer.get("kind") == "text" and layer.get("font", "sans") in fonts:
        layer["font"] = PREFIX + fonts[layer.get("font", "sans")]
    if logo and layer.get("kind") == "image" and layer.get("image") == logo:
        layer["image"] = PREFIX + "logo"
