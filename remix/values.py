"""A participant's field values: normalized, checked against the frame, ready for templates.

Values are data, never templates: they are passed to the sandbox as variables only.
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping

from frames.errors import Problem
from frames.localize import Words
from frames.model import FieldSpec, Manifest
from remix.errors import RemixError
from remix.textnorm import grapheme_count, normalize_name, normalize_text

MAX_RAW_CHARS = 20_000


def clean_values(manifest: Manifest, raw: Mapping[str, str], *, strict: bool = False, require: bool = False) -> dict[str, str]:
    """Normalized text/choice values by field name; photo fields are not values.

    `strict` refuses names the frame does not have (the CLI); `require` enforces required
    fields (publishing and final renders; a live preview renders with gaps instead). Every
    problem is reported at once, one per field, in a single RemixError.
    """
    problems = _unknown_names(manifest, raw) if strict else []
    out: dict[str, str] = {}
    for spec in manifest.fields:
        if spec.kind == "photo":
            continue
        try:
            value = _clean_one(spec, str(raw.get(spec.name, "") or ""))
        except RemixError as exc:
            problems += exc.problems
            continue
        if require and spec.required and not value:
            problems.append(Problem(spec.name, f"'{spec.label}' is required; please fill it in", "required"))
        out[spec.name] = value
    if problems:
        raise RemixError(problems)
    return out


def _unknown_names(manifest: Manifest, raw: Mapping[str, str]) -> list[Problem]:
    known = {f.name for f in manifest.fields if f.kind != "photo"}
    problems = []
    for name in raw:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"this frame's fields are: {', '.join(sorted(known)) or 'none'}"
            problems.append(Problem(name, f"this frame has no field '{name}'; {hint}", "unknown_field"))
    return problems


def _clean_one(spec: FieldSpec, raw: str) -> str:
    if len(raw) > MAX_RAW_CHARS:
        raise RemixError(f"'{spec.label}' is far too long; the limit is {spec.limit} characters", spec.name)
    if spec.kind == "choice":
        return _choice(spec, raw.strip())
    value = normalize_text(raw, multiline=spec.kind == "long_text", max_chars=MAX_RAW_CHARS)
    count = grapheme_count(value)
    if count > spec.limit:
        raise RemixError(
            f"'{spec.label}' is {count} characters long; the limit is {spec.limit}, please shorten it", spec.name
        )
    return value


def _choice(spec: FieldSpec, raw: str) -> str:
    if not raw:
        return ""
    for option in spec.options:
        if raw in (option.value, option.label):
            return option.value
    choices = ", ".join(o.value for o in spec.options)
    raise RemixError(f"'{raw}' is not an option of '{spec.label}'; choose one of: {choices}", spec.name)


def template_context(words: Words, values: Mapping[str, str], *, link: str, maker: str = "") -> dict[str, str]:
    """The variables every organizer template sees: the frame's words plus the participant's values."""
    m = words.manifest
    context = {
        "title": words.title,
        "message": words.message,
        "organizer": m.organizer.name,
        "hashtags": " ".join(f"#{tag}" for tag in m.hashtags),
        "call_to_action": words.call_to_action,
        "link": link,
        "maker": normalize_name(maker),
        "licence": m.licence,
    }
    for spec in m.fields:
        if spec.kind == "photo":
            continue
        value = values.get(spec.name, "")
        context[spec.name] = words.option_label(spec, value) if spec.kind == "choice" and value else value
    return context
