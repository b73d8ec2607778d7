"""Post text per platform, within each platform's limit, and alt text per format.

When a post is too long the participant's longest text is shortened with an ellipsis, never
the hashtags or the link: those are what connects a post to the movement.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from frames.localize import Words, words
from frames.model import PLATFORMS, FieldSpec
from frames.pack import Frame
from frames.templating import render_template
from remix.render import RenderOptions
from remix.textnorm import grapheme_count, normalize_text
from remix.values import template_context

ALT_LIMIT = 1000
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Texts:
    post: dict[str, str]
    alt: dict[str, str]

    def as_json(self) -> dict[str, dict[str, str]]:
        return {"post": dict(self.post), "alt": dict(self.alt)}


def platform_length(text: str, platform: str) -> int:
    """Length as the platform counts it: graphemes; on X every URL counts as 23."""
    if platform == "x":
        return grapheme_count(_URL.sub("x" * 23, text))
    return grapheme_count(text)


def build_texts(frame: Frame, values: Mapping[str, str], options: RenderOptions = RenderOptions()) -> Texts:
    w = words(frame.manifest, options.lang)
    link = options.link(frame, w)
    post = {p: post_text(w, values, p, link, options.maker) for p in PLATFORMS}
    context = template_context(w, values, link=link, maker=options.maker)
    alt = {fmt: _bounded(_fill(w.alt_template(fmt), context), ALT_LIMIT) for fmt in frame.manifest.formats}
    return Texts(post, alt)


def post_text(w: Words, values: Mapping[str, str], platform: str, link: str, maker: str = "") -> str:
    """The post for one platform, shortened (story first) until it fits the platform's limit."""
    limit = PLATFORMS[platform]
    template = w.post_template(platform)
    text = _post(w, values, template, link, maker)
    if platform_length(text, platform) <= limit:
        return text
    longest = _longest_field(w, values)
    if longest is not None:
        text = _shorten_field(w, dict(values), longest, template, link, maker, platform, limit)
    if platform_length(text, platform) > limit:
        text = _cut_keeping_tags(text, w, platform, limit)
    return text


def _post(w: Words, values: Mapping[str, str], template: str, link: str, maker: str) -> str:
    text = _fill(template, template_context(w, values, link=link, maker=maker))
    tags = [f"#{t}" for t in w.manifest.hashtags]
    missing = [t for t in tags if t.lower() not in text.lower()]
    return f"{text}\n\n{' '.join(missing)}".strip() if missing else text


def _fill(template: str, context: Mapping[str, str]) -> str:
    return normalize_text(render_template(template, context), multiline=True, max_chars=5000)


def _longest_field(w: Words, values: Mapping[str, str]) -> FieldSpec | None:
    texts = [f for f in w.manifest.fields if f.kind in ("text", "long_text") and values.get(f.name)]
    return max(texts, key=lambda f: len(values[f.name]), default=None)


def _shorten_field(w: Words, values: dict[str, str], spec: FieldSpec, template: str, link: str, maker: str, platform: str, limit: int) -> str:
    """Binary search for the longest prefix of the field that keeps the post within limit."""
    original = values[spec.name]
    lo, hi = 0, len(original)
    best = _post(w, {**values, spec.name: ""}, template, link, maker)
    while lo <= hi:
        mid = (lo + hi) // 2
        candidate = _post(w, {**values, spec.name: _ellipsize(original, mid)}, template, link, maker)
        if platform_length(candidate, platform) <= limit:
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    return best


def _ellipsize(text: str, chars: int) -> str:
    if chars >= len(text):
        return text
    if chars <= 0:
        return ""
    cut = text[:chars]
    space = cut.rfind(" ")
    if space > chars * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


def _cut_keeping_tags(text: str, w: Words, platform: str, limit: int) -> str:
    """Last resort when the frame's own words are too long: cut the body, keep the hashtags."""
    tags = " ".join(f"#{t}" for t in w.manifest.hashtags)
    body = text.replace(tags, "").strip() if tags else text
    suffix = f"\n\n{tags}" if tags else ""
    lo, hi, best = 0, len(body), suffix.strip()
    while lo <= hi:
        mid = (lo + hi) // 2
        candidate = (_ellipsize(body, mid) + suffix).strip()
        if platform_length(candidate, platform) <= limit:
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    return best


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else _ellipsize(text, limit - 1)
