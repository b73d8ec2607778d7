"""Post text per platform, within each platform's limit as that platform counts, and alt text per format.

X weighs characters (twitter-text's configuration v3, through the `twitter-text-parser`
package, the official algorithm ported to Python: Latin-ish code points 1, most others
(CJK, Hangul, the ellipsis) 2, an emoji sequence 2, every URL 23, after NFC). Mastodon counts
graphemes with every URL as 23, Bluesky graphemes, Instagram characters (graphemes here).
When a post is too long the participant's longest text is shortened with an ellipsis until
the platform's own count fits, never the hashtags or the link: those are what connects a
post to the movement.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import regex

from frames.localize import Words, words
from frames.model import PLATFORMS, FieldSpec, Frame
from frames.templating import render_template
from remix.render import RenderOptions
from remix.textnorm import grapheme_count, normalize_text
from remix.values import template_context

ALT_LIMIT = 1000
URL_WEIGHT = 23  # X and Mastodon count every link as 23 characters, whatever its length
_URL = re.compile(r"https?://\S+")
_X_LATIN = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))  # twitter-text v3: weight 1; else 2
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")  # anything X might take for a bare domain (a URL, 23)
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\ufe0f\u20e3]")


@dataclass(frozen=True)
class Texts:
    post: dict[str, str]
    alt: dict[str, str]

    def as_json(self) -> dict[str, dict[str, str]]:
        return {"post": dict(self.post), "alt": dict(self.alt)}


def platform_length(text: str, platform: str) -> int:
    """Length as the platform counts it: X by twitter-text's weights, Mastodon in graphemes with
    every URL as 23, Bluesky and Instagram in graphemes."""
    if platform == "x":
        return x_length(text)
    if platform == "mastodon":
        return grapheme_count(_URL.sub("x" * URL_WEIGHT, text))
    return grapheme_count(text)


@lru_cache(maxsize=1024)
def x_length(text: str) -> int:
    """X's weighted length (what X compares with 280), by the official twitter-text algorithm.

    twitter-text compiles its URL and emoji grammars when first imported (about half a second),
    so it is imported here, on the first post long enough to need it (see `fits`)."""
    from twitter_text import parse_tweet

    return parse_tweet(text).weightedLength


def _weights(text: str) -> int:
    """X's character weights of text without URLs: an emoji cluster 2, else 1 or 2 per code point."""
    total = 0
    for cluster in regex.findall(r"\X", text):
        if _EMOJI.search(cluster):
            total += 2
        else:
            total += sum(1 if any(lo <= ord(ch) <= hi for lo, hi in _X_LATIN) else 2 for ch in cluster)
    return total


def x_estimate(text: str) -> int:
    """X's weights computed directly (every http(s) link 23): far cheaper than `x_length` and equal
    to it for ordinary text; used to search, never to decide."""
    return sum(_weights(piece) for piece in _URL.split(text)) + URL_WEIGHT * len(_URL.findall(text))


def x_upper_bound(text: str) -> int:
    """At least what X counts: a link counts 23 or its own characters (X counts a link with an
    unknown domain as text), and anything shaped like a bare domain may cost 23 more."""
    links = sum(max(URL_WEIGHT, _weights(url)) for url in _URL.findall(text))
    rest = _URL.sub(" ", text)
    return sum(_weights(piece) for piece in _URL.split(text)) + links + URL_WEIGHT * len(_DOMAIN.findall(rest))


def fits(text: str, platform: str, limit: int) -> bool:
    """Whether the platform accepts the text; on X the exact count runs only when the cheap upper
    bound does not already settle it."""
    if platform == "x" and x_upper_bound(text) <= limit:
        return True
    return platform_length(text, platform) <= limit


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
    if fits(text, platform, limit):
        return text
    longest = _longest_field(w, values)
    if longest is not None:
        text = _shorten_field(w, dict(values), longest, template, link, maker, platform, limit)
    if not fits(text, platform, limit):
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
    """The post with the longest prefix of the field that keeps it within the platform's limit."""
    original = values[spec.name]

    def make(chars: int) -> str:
        return _post(w, {**values, spec.name: _ellipsize(original, chars)}, template, link, maker)

    return _longest_fitting(make, len(original), platform, limit)


def _longest_fitting(make: Callable[[int], str], size: int, platform: str, limit: int) -> str:
    """`make(n)` for the largest n in 0..size that the platform's own count accepts.

    On X the binary search runs on the cheap estimate, then the exact count decides, stepping
    down until it fits (the two agree on ordinary text, so that is one or two exact counts)."""
    count = x_estimate if platform == "x" else lambda text: platform_length(text, platform)
    lo, hi, best = 0, size, 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if count(make(mid)) <= limit:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    text = make(best)
    while best > 0 and not fits(text, platform, limit):
        best = max(0, best - max(1, (platform_length(text, platform) - limit) // 2))
        text = make(best)
    return text


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
    return _longest_fitting(lambda chars: (_ellipsize(body, chars) + suffix).strip(), len(body), platform, limit)


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else _ellipsize(text, limit - 1)
