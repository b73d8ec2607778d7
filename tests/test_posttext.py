"""Post text per platform within its limit, hashtags kept; alt text for every format."""
from __future__ import annotations

import pytest
from twitter_text import parse_tweet

from frames import bundled_frame
from frames.model import PLATFORMS
from remix import RenderOptions, build_texts, clean_values
from remix.posttext import platform_length
from remix.textnorm import grapheme_count, graphemes

FRAME = "ride-the-bus"


def texts_for(story: str, *, public_url_override: str = "https://remix.example", **kw):
    frame = bundled_frame(FRAME)
    values = clean_values(frame.manifest, {"city": "Kraków", "story": story})
    return build_texts(frame, values, RenderOptions(public_url=public_url_override, **kw))


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


def test_x_and_mastodon_count_urls_as_23() -> None:
    assert platform_length("see https://example.org/" + "a" * 100, "x") == 4 + 23
    assert platform_length("see https://example.org/" + "a" * 100, "mastodon") == 4 + 23
    assert platform_length("see https://example.org/" + "a" * 100, "bluesky") == 4 + 20 + 100


@pytest.mark.parametrize("platform", ["bluesky", "mastodon", "instagram"])
def test_emoji_sequences_count_as_one(platform: str) -> None:
    assert platform_length("👩‍👩‍👧‍👦🇵🇱👍🏽", platform) == 3


@pytest.mark.parametrize("text, weight", [
    ("hello", 5), ("Kraków", 6), ("你好世界", 8), ("こんにちは", 10), ("안녕하세요", 10), ("…", 2), ("—", 1),
    ("👩‍👩‍👧‍👦🇵🇱👍🏽", 6), ("e\u0301", 1), ("see example.com", 4 + 23),
])
def test_x_weighs_as_twitter_text_does(text: str, weight: int) -> None:
    """twitter-text v3: Latin-ish 1, CJK/Hangul/ellipsis 2, an emoji sequence 2, any URL 23, after NFC."""
    assert platform_length(text, "x") == weight


STORIES = {  # each at the story field's limit, 280 characters
    "chinese": "我每天早上坐七路公交车去市场，因为我们家没有人开车。公交车让我的奶奶也能自己出门，见她的朋友，买新鲜的蔬菜。"
               "司机认识我们每一个人，下雨天会多等我们一分钟。如果公交车少了，我们整条街的老人都会被困在家里。" * 3,
    "japanese": "毎朝七番のバスで市場へ行きます。家族の誰も車を運転しないからです。バスのおかげで祖母も一人で出かけ、"
                "友だちに会い、新鮮な野菜を買うことができます。運転手さんは私たちのことをよく知っています。" * 3,
    "korean": "저는 매일 아침 7번 버스를 타고 시장에 갑니다. 우리 가족 중에 운전하는 사람이 없기 때문입니다. "
              "버스 덕분에 할머니도 혼자 외출해서 친구를 만나고 신선한 채소를 살 수 있습니다. " * 3,
    "emoji": "🚌💨 every day 👵🏽🛒🥕🥬🍅 " * 12 + "👨‍👩‍👧‍👦🇵🇱🇧🇷🏳️‍🌈" * 10,
}


@pytest.mark.parametrize("name", STORIES)
def test_cjk_and_emoji_stories_fit_every_platform_as_it_counts(name: str) -> None:
    story = "".join(graphemes(STORIES[name])[:280]).strip()
    texts = texts_for(story)
    x = texts.post["x"]
    assert 270 <= parse_tweet(x).weightedLength <= 280  # X's own count, and the cut is tight
    assert "…" in x and x.endswith("#RideTheBus #GoodBusesForAll")
    assert "https://remix.example/?frame=ride-the-bus" in x
    assert grapheme_count(texts.post["bluesky"]) <= 300
    assert platform_length(texts.post["mastodon"], "mastodon") <= 500
    assert grapheme_count(texts.post["instagram"]) <= 2200 and story in texts.post["instagram"]


def test_x_shortening_with_a_real_link_counts_it_as_23() -> None:
    story = "".join(graphemes(STORIES["chinese"])[:280])
    x = texts_for(story, lang=None, public_url_override="https://buses.example.org").post["x"]
    assert parse_tweet(x).weightedLength <= 280
    assert "https://buses.example.org/?frame=ride-the-bus" in x


def test_alt_text_for_every_format_describes_the_image() -> None:
    texts = texts_for("Every day.")
    assert set(texts.alt) == {"square", "story", "card"}
    assert all("Kraków" in alt and "Every day." in alt for alt in texts.alt.values())


def test_template_syntax_in_values_is_not_executed() -> None:
    texts = texts_for("{{ 7*7 }} {% for x in y %}")
    assert "{{ 7*7 }}" in texts.post["mastodon"] and "49" not in texts.post["mastodon"]
