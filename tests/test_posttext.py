"""Post text per platform within its limit, hashtags kept; alt text for every format."""
from __future__ import annotations

import pytest

from frames import bundled_frame
from frames.model import PLATFORMS
from remix import RenderOptions, build_texts, clean_values
from remix.posttext import platform_length

FRAME = "ride-the-bus"


def texts_for(story: str, **kw):
    frame = bundled_frame(FRAME)
    values = clean_values(frame.manifest, {"city": "Kraków", "story": story})
    return build_texts(frame, values, RenderOptions(public_url="https://remix.example", **kw))


def test_short_story_is_kept_whole_with_hashtags_and_link() -> None:
    texts = texts_for("The 7 gets us to the market.")
    for platform, text in texts.post.items():
        assert "The 7 gets us to the market." in text
        assert "#RideTheBus" in text and "#GoodBusesForAll" in text
        assert "https://remix.example/?frame=ride-the-bus" in text
        assert platform_length(text, platform) <= PLATFORMS[platform]


def test_long_story_is_shortened_per_platform_with_an_ellipsis() -> None:
    story = ("We ride because the bus is how our whole street gets to work, school and the clinic. " * 3).strip()
    texts = texts_for(story[:280])
    x = texts.post["x"]
    assert platform_length(x, "x") <= 280
    assert "…" in x and "#RideTheBus" in x and "https://remix.example/?frame=ride-the-bus" in x
    assert story[:280].strip() in texts.post["instagram"]


def test_x_counts_urls_as_23() -> None:
    assert platform_length("see https://example.org/" + "a" * 100, "x") == 4 + 23
    assert platform_length("see https://example.org/" + "a" * 100, "bluesky") == 4 + 20 + 100


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_emoji_sequences_count_as_one(platform: str) -> None:
    assert platform_length("👩‍👩‍👧‍👦🇵🇱👍🏽", platform) == 3


def test_alt_text_for_every_format_describes_the_image() -> None:
    texts = texts_for("Every day.")
    assert set(texts.alt) == {"square", "story", "card"}
    assert all("Kraków" in alt and "Every day." in alt for alt in texts.alt.values())


def test_template_syntax_in_values_is_not_executed() -> None:
    texts = texts_for("{{ 7*7 }} {% for x in y %}")
    assert "{{ 7*7 }}" in texts.post["mastodon"] and "49" not in texts.post["mastodon"]
