"""Reading a manifest (TOML) into a `Manifest`, turning every parse or schema error into a
sentence that names the place (`formats.story.layers[2].box`) and says what to do.

Does not look at assets or templates' meaning: that is `frames.validate`.
"""
from __future__ import annotations

import difflib
import tomllib
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from frames.brand import resolve_brand
from frames.errors import FrameError, Problem
from frames.model import LAYER_KINDS, SCHEMA_VERSION, Manifest
from frames.textnorm import clean_chars, clean_line

MAX_MANIFEST_BYTES = 256 * 1024
MANIFEST_NAME = "frame.toml"
MAX_NESTING = 12  # tables and arrays inside each other; the schema itself needs 6
# Keys whose strings are one line (titles, names, labels, option values and labels, hashtags...).
_ONE_LINE = frozenset({"title", "name", "organizer", "label", "value", "hashtags", "licence", "id", "language",
                       "url", "instance", "options", "kind", "field", "image", "font"})


def parse_manifest(data: bytes, source: str = MANIFEST_NAME) -> Manifest:
    """Parse and type-check manifest bytes; raises FrameError listing every problem found."""
    raw = clean_strings(load_toml(data, source))
    check_schema_version(raw, source)
    resolved, brand_problems = resolve_brand(raw)
    try:
        manifest = Manifest.model_validate(resolved)
    except ValidationError as exc:
        named = {p.place for p in brand_problems}  # an unknown name is reported once, as a name
        raise FrameError(brand_problems + [p for p in problems_from(exc) if p.place not in named]) from None
    if brand_problems:
        raise FrameError(brand_problems)
    return manifest


def load_toml(data: bytes, source: str = MANIFEST_NAME) -> dict[str, Any]:
    """TOML bytes to a dict, refusing oversize, non-UTF-8, duplicate keys and deep nesting."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise FrameError(f"the manifest is {len(data) // 1024} KiB; the limit is 256 KiB", source)
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise FrameError("the manifest is not UTF-8 text; save it as UTF-8", source) from None
    except RecursionError:
        raise FrameError(f"the manifest is nested too deeply (more than {MAX_NESTING} levels); flatten it", source) from None
    except tomllib.TOMLDecodeError as exc:
        raise FrameError(_toml_sentence(str(exc)), source) from None
    if _nesting(raw) > MAX_NESTING:  # checked once here, so nothing after (schema, walks) recurses deeply
        raise FrameError(f"the manifest is nested too deeply (more than {MAX_NESTING} levels); flatten it", source)
    return raw


def _nesting(value: object) -> int:
    """How deeply tables and arrays sit inside each other, measured without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_NESTING and isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif depth <= MAX_NESTING and isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def clean_strings(value: Any, key: str = "") -> Any:
    """Every string of a manifest through the one set of character rules (`frames.textnorm`), the
    same as participant text, so no organizer text can break a feed or reverse a page; strings
    under one-line keys (a title, an organizer's name, a label) also become one trimmed line."""
    if isinstance(value, str):
        return clean_line(value) if key in _ONE_LINE else clean_chars(value)
    if isinstance(value, dict):  # option labels in translations sit under `options` keyed by value
        return {clean_line(k): clean_strings(v, key if key == "options" else k) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_strings(v, key) for v in value]
    return value


def _toml_sentence(message: str) -> str:
    if "overwrite" in message.lower() or "already exists" in message.lower():
        return f"a key is given twice ({message}); keep only one"
    return f"not valid TOML ({message}); check the quotes, brackets and '=' near that line"


def check_schema_version(raw: dict[str, Any], source: str) -> None:
    """Refuse manifests written for a newer frame-remix instead of misreading them."""
    version = raw.get("schema", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FrameError(f"'{version}' is not a schema version; use schema = {SCHEMA_VERSION}", "schema")
    if version > SCHEMA_VERSION:
        raise FrameError(
            f"this frame uses schema {version}, newer than this frame-remix understands "
            f"({SCHEMA_VERSION}); update frame-remix to open it",
            "schema",
        )


def problems_from(exc: ValidationError) -> list[Problem]:
    """One Problem per pydantic error, with a dotted place and a sentence a person can act on."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"])
        place = _place(loc[:-1] if err["type"] == "extra_forbidden" else loc)
        problems.append(Problem(place, _sentence(err, loc)))
    return _dedupe(problems)


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the discriminator tags pydantic inserts after a layer index (`layers.2.text.box`)."""
    out: list[Any] = []
    for i, part in enumerate(loc):
        after_index = i > 0 and isinstance(loc[i - 1], int)
        if after_index and part in LAYER_KINDS and i >= 2 and loc[i - 2] == "layers":
            continue
        if i > 0 and loc[i - 1] == "empty" and part in ("image", "pattern"):  # a photo layer's no-photo design
            continue
        if isinstance(part, str) and part.startswith(("function-", "constrained-", "literal[")):
            continue
        out.append(part)
    return tuple(out)


def _place(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text.replace("schema_", "schema")


def _sentence(err: ErrorDetails, loc: tuple[Any, ...]) -> str:
    value: Any = err.get("input")  # whatever the organizer wrote: a string, number, list or table
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind == "missing":
        return "is missing; add it"
    if kind == "finite_number":
        return f"{value} is not a number; write a plain number"
    if kind in ("less_than_equal", "less_than"):
        return f"{value} is too large; the most allowed is {ctx.get('le', ctx.get('lt'))}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"{value} is too small; it must be {'at least' if 'ge' in ctx else 'more than'} {bound}"
    if kind == "string_too_long":
        return f"is {len(value)} characters long; the most allowed is {ctx['max_length']}"
    if kind == "string_too_short":
        return "is empty; write something here"
    if kind == "too_long":
        return f"has {ctx.get('actual_length') or len(value)} entries; the most allowed is {ctx.get('max_length')}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} entries"
    if kind == "literal_error":
        return f"'{value}' is not allowed; use one of {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        return f"{value!r} {_pattern_hint(loc)}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return f"kind {value.get('kind')!r} is not a layer kind; use one of {', '.join(LAYER_KINDS)}" if isinstance(value, dict) else f"needs kind = one of {', '.join(LAYER_KINDS)}"
    if kind.endswith(("_type", "_parsing")):
        return f"{value!r} has the wrong type: {err['msg'].lower()}"
    return err["msg"][0].lower() + err["msg"][1:] if err["msg"] else "is not valid"


def _pattern_hint(loc: tuple[Any, ...]) -> str:
    last = next((p for p in reversed(loc) if isinstance(p, str)), "")
    hints = {
        "id": "is not a frame id; use 2-63 lowercase letters, digits and '-'",
        "name": "is not a field name; use lowercase letters, digits and '_', starting with a letter",
        "field": "is not a field name; use lowercase letters, digits and '_', starting with a letter",
        "image": "is not an asset name; use assets/<name>.png, .jpg or .webp",
        "url": "is not a web address; use one starting with https://",
        "instance": "is not a web address; use one starting with https://",
        "licence": "is not a licence identifier; use an SPDX id like CC-BY-4.0",
        "language": "is not a language code; use one like en, ar or pt-BR",
    }
    if last in hints:
        return hints[last]
    if last in ("color", "to", "background", "panel", "placeholder") or (len(loc) >= 2 and loc[-2] == "colors"):
        return "is not a colour; write it as #RRGGBB or #RRGGBBAA"
    if loc and loc[0] == "hashtags":
        return "is not a hashtag; use letters, digits and '_' without the '#'"
    if loc and loc[0] in ("formats", "translations") and len(loc) >= 2 and loc[-1] == loc[1]:
        return "is not a valid name here; use lowercase letters, digits and '_'"
    return "does not have the expected form"


def _unknown_key(loc: tuple[Any, ...]) -> str:
    key = str(loc[-1]) if loc else "?"
    known = _known_keys()
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else "; remove it or check its spelling"
    return f"unknown key '{key}'{hint}"


def _known_keys() -> list[str]:
    from frames import model

    candidates: list[type[BaseModel]] = [
        model.Manifest, model.Format, model.Box, model.TextLayer, model.PhotoLayer, model.ImageLayer,
        model.BackgroundLayer, model.QrLayer, model.CreditLayer, model.FieldSpec, model.Texts,
        model.Translation, model.Organizer, model.DerivedFrom, model.Outline, model.Gradient, model.Brand,
    ]
    keys: set[str] = set()
    for cls in candidates:
        keys.update(f.alias or name for name, f in cls.model_fields.items())
    return sorted(keys)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    unique = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            unique.append(p)
    return unique
