"""The Streamlit app through its entrypoint (AppTest): Make and Gallery, their main branches,
and that every error reaches the participant as one sentence."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.ui import plain, strip_page
from frames import bundled_frame
from gallery import get_remix, list_remixes, open_store, publish_remix, remix_lineage, remix_ref
from tests.drive import app_test
from tests.samples import phone_jpeg

CITY, STORY = "make_ride-the-bus_city", "make_ride-the-bus_story"


@pytest.fixture(autouse=True)
def data_dir(app_env: Path) -> Path:
    return app_env


def app(**params: str) -> AppTest:
    return app_test(**params).run()


def shown(elements) -> list[str]:
    """What a person reads in these elements (the page escapes Markdown with backslashes)."""
    return [e.value.replace("\\", "") for e in elements]


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def typed(at: AppTest, key: str, value: str) -> AppTest:
    """What the live fields component does when a participant types: the value lands in session state."""
    at.session_state[key] = value
    return at.run()


def fill(at: AppTest, city: str = "Lisbon", story: str = "The 728 runs along the river.") -> AppTest:
    return typed(typed(at, CITY, city), STORY, story)


def publish(at: AppTest, consent: bool = True) -> AppTest:
    """Tick consent and publish; a photo frame without a photo asks first, and the answer is 'go on'."""
    if consent:
        at.checkbox(key="make_consent").check().run()
    at.button(key="make_publish").click().run()
    anyway = [b for b in at.button if b.key == "make_publish_anyway"]
    return anyway[0].click().run() if anyway else at


def previews(at: AppTest) -> list[dict]:
    """The data the Make page hands its preview pad (the image, its alt text, the photo's place)."""
    return [json.loads(e.proto.json) for e in at.get("bidi_component") if e.proto.component_name.endswith("photo_pad")]


def published_ids(data_dir: Path) -> list[str]:
    return [r.id for r in list_remixes(open_store(data_dir / "gallery.db")).items]


def test_landing_page_shows_a_card_per_frame() -> None:
    at = ok(app())
    assert [b.label for b in at.button] == ["Make yours"] * 3
    assert len(at.image) == 3


def test_deep_link_opens_the_frame_with_a_preview_of_each_format() -> None:
    at = ok(app(frame="ride-the-bus"))
    choose = at.segmented_control(key="make_fmt_ride-the-bus")
    assert choose.options == ["square", "story", "card"] and choose.value == "square"
    assert len(previews(at)) == 1 and [b.label for b in at.download_button] == [
        "Download square", "Download story", "Download card", "Download all images (zip)"]
    assert any("#RideTheBus" in c.value for c in at.code)
    choose.set_value("story").run()
    assert ok(at).caption[-1].value != "" and len(previews(at)) == 1


def test_unknown_deep_link_warns_and_shows_the_cards() -> None:
    at = ok(app(frame="nope"))
    assert "There is no frame 'nope' here" in shown(at.warning)[0]
    assert [b.label for b in at.button] == ["Make yours"] * 3


def test_typing_updates_the_post_text() -> None:
    at = ok(fill(app(frame="ride-the-bus"), city="Valparaíso"))
    assert any("Why I ride the bus in Valparaíso" in c.value for c in at.code)


def test_empty_required_field_still_previews_with_the_example() -> None:
    at = ok(app(frame="ride-the-bus"))
    typed(at, CITY, "")
    assert len(previews(at)) == 1 and any("Kraków" in c.value for c in at.code)


def test_bad_photo_is_one_sentence() -> None:
    at = app(frame="ride-the-bus")
    at.file_uploader(key="make_ride-the-bus_photo").set_value(("me.jpg", b"not a photo" * 50, "image/jpeg")).run()
    assert not at.exception
    assert len(at.error) == 1 and "\n" not in at.error[0].value
    assert "JPEG, PNG or WebP" in at.error[0].value
    assert len(previews(at)) == 1 and previews(at)[0]["photo"] is None  # the preview goes on without the photo


def test_good_photo_is_accepted_with_focus_controls() -> None:
    at = app(frame="ride-the-bus")
    at.file_uploader(key="make_ride-the-bus_photo").set_value(("me.jpg", phone_jpeg(1200, 900), "image/jpeg")).run()
    ok(at)
    assert "Uploaded me.jpg" in at.success[0].value.replace("\\", "")
    [pad] = previews(at)
    assert pad["photo"] == [1200, 900] and pad["box"] == [1080, 605] and pad["focal"] == [0.5, 0.45]  # the layer's own focal point
    upload = at.file_uploader(key="make_ride-the-bus_photo").value
    at.session_state["make_crop"] = (upload.file_id, (0.25, 0.75), 2.0)  # what a drag and a pinch send
    [pad] = previews(ok(at.run()))
    assert pad["focal"] == [0.25, 0.75] and pad["zoom"] == 2.0


def test_publishing_needs_consent(data_dir: Path) -> None:
    at = publish(fill(app(frame="ride-the-bus")), consent=False)
    assert [e.value for e in at.error] == ["Tick the box above first: nothing is published without your consent."]
    assert published_ids(data_dir) == []


def test_publishing_needs_the_required_fields(data_dir: Path) -> None:
    at = publish(fill(app(frame="ride-the-bus"), story=""))
    assert shown(at.error) == ["'Why you ride' is required; please fill it in"]
    assert published_ids(data_dir) == []


def test_publish_shows_share_and_delete_links_and_a_double_click_stores_one(data_dir: Path) -> None:
    at = ok(publish(fill(app(frame="ride-the-bus"))))
    assert at.success[0].value == "Published! Your remix is in the gallery."
    at.button(key="make_publish_anyway").click().run()  # the second click of a double click
    [remix_id] = published_ids(data_dir)
    codes = [c.value for c in at.code]
    assert f"https://remix.example/share/{remix_id}" in codes
    assert any(c.startswith(f"https://remix.example/gallery?remix={remix_id}&delete=") for c in codes)
    assert "Keep this private link" in at.warning[0].value
    detail = get_remix(open_store(data_dir / "gallery.db"), remix_id)
    assert detail.values == {"city": "Lisbon", "story": "The 728 runs along the river."}
    assert detail.summary.place == "Lisbon" and detail.summary.maker == ""


def test_pending_frame_says_it_waits_for_approval(data_dir: Path) -> None:
    at = app(frame="care-counts")
    typed(at, "make_care-counts_quote", "Night shifts, every week.")
    ok(publish(at))
    assert "once the organizer approves it" in at.success[0].value
    assert published_ids(data_dir) == []


def test_gallery_lists_filters_and_opens_a_remix(data_dir: Path) -> None:
    publish(fill(app(frame="ride-the-bus"), city="Lisbon", story="Trams and buses by the river."))
    publish(fill(app(frame="ride-the-bus"), city="Accra", story="Trotros every morning."))
    at = ok(app().switch_page("app_pages/gallery.py").run())
    captions = [c.value for c in at.caption]
    assert captions.index(plain("anonymous · Accra · Why I ride the bus")) < captions.index(plain("anonymous · Lisbon · Why I ride the bus"))
    at.text_input(key="gal_query").set_value("trotros").run()
    assert plain("anonymous · Lisbon · Why I ride the bus") not in [c.value for c in at.caption]
    [_accra, lisbon] = published_ids(data_dir)
    view = ok(app(remix=lisbon).switch_page("app_pages/gallery.py").run())
    assert shown(view.title) == ["Why I ride the bus"] and len(view.image) == 3
    assert any(c.value == f"https://remix.example/share/{lisbon}" for c in view.code)


def test_remix_this_prefills_and_records_the_parent(data_dir: Path) -> None:
    publish(fill(app(frame="ride-the-bus"), city="Lisbon", story="Trams and buses by the river."))
    [parent] = published_ids(data_dir)
    at = app(remix=parent).switch_page("app_pages/gallery.py").run()
    at.button(key="gal_remix_this").click().run()
    ok(at)
    assert at.session_state[CITY] == "Lisbon"
    at.switch_page("app_pages/make.py")  # AppTest reruns the page it was told, not the one switched to
    typed(at, STORY, "My own words about the same river.")
    ok(publish(at))
    child = next(i for i in published_ids(data_dir) if i != parent)
    lineage = remix_lineage(open_store(data_dir / "gallery.db"), child)
    assert [a.id for a in lineage.ancestors] == [parent]


def test_unknown_remix_link_is_a_sentence() -> None:
    at = app(remix="nope").switch_page("app_pages/gallery.py").run()
    assert not at.exception
    assert shown(at.warning) == ["There is no remix 'nope' in this gallery"]


def test_delete_link_deletes_and_a_wrong_key_does_not(data_dir: Path) -> None:
    at = publish(fill(app(frame="ride-the-bus")))
    link = next(c.value for c in at.code if "&delete=" in c.value)
    remix_id, key = link.split("remix=")[1].split("&delete=")
    wrong = app(remix=remix_id, delete="not-the-key").switch_page("app_pages/gallery.py").run()
    wrong.button(key="gal_delete").click().run()
    assert published_ids(data_dir) == [remix_id]  # asked first, nothing deleted yet
    wrong.button(key="gal_delete_yes").click().run()
    assert "does not match this remix" in shown(wrong.error)[-1]
    assert published_ids(data_dir) == [remix_id]
    right = app(remix=remix_id, delete=key).switch_page("app_pages/gallery.py").run()
    right.button(key="gal_delete").click().run()
    right.button(key="gal_delete_yes").click().run()
    ok(right)
    assert published_ids(data_dir) == []


def test_the_delete_link_works_for_a_remix_waiting_for_approval(data_dir: Path) -> None:
    frame = bundled_frame("care-counts")  # its remixes wait for the organizer's approval
    remix = publish_remix(open_store(data_dir / "gallery.db"), frame, {"quote": "Nights.", "role": "nurse"}, consent=True)
    assert remix.status == "pending"
    at = app(remix=remix.id, delete=remix.delete_key).switch_page("app_pages/gallery.py").run()
    at.button(key="gal_delete").click().run()
    at.button(key="gal_delete_yes").click().run()
    ok(at)
    assert remix_ref(open_store(data_dir / "gallery.db"), remix.id).status == "deleted"


@pytest.mark.parametrize(("url", "base"), [
    ("https://remix.example/gallery", "https://remix.example"),
    ("https://remix.example/sub/organize", "https://remix.example/sub"),
    ("http://127.0.0.1:8600", "http://127.0.0.1:8600"),
])
def test_links_leave_out_the_page_being_shown(url: str, base: str) -> None:
    assert strip_page(url) == base


@pytest.mark.parametrize("text", ["**bold** _x_ [link](http://evil.example)", "<script>alert(1)</script>", "$x^2$ # h1"])
def test_plain_shows_markdown_and_html_as_typed(text: str) -> None:
    escaped = plain(text)
    assert not re.search(r"(?<!\\)[*_<>\[\]$#]", escaped), escaped  # every special character escaped
    assert escaped.replace("\\", "") == text


def test_leaving_a_remix_does_not_carry_its_words_or_links_to_another_frame(data_dir: Path) -> None:
    publish(fill(app(frame="ride-the-bus"), city="Lisbon", story="Trams and buses by the river."))
    [parent] = published_ids(data_dir)
    at = app(remix=parent)
    assert at.session_state[CITY] == "Lisbon"
    ok(publish(typed(at, STORY, "My own river words.")))
    at.button(key="make_back").click().run()
    at.button(key="make_pick_clean-air").click().run()
    ok(at)
    assert at.session_state["make_clean-air_city"] == ""
    assert not at.success and not any("&delete=" in c.value for c in at.code)


def test_a_makers_name_in_lineage_links_is_shown_as_typed(data_dir: Path) -> None:
    at = fill(app(frame="ride-the-bus"))
    typed(at, "make_maker", "**Bold** [x](http://evil.example)")
    publish(at)
    [parent] = published_ids(data_dir)
    child = app(remix=parent)
    publish(typed(child, STORY, "Mine."))
    [kid] = [i for i in published_ids(data_dir) if i != parent]
    view = ok(app(remix=kid).switch_page("app_pages/gallery.py").run())
    labels = [b.label for b in view.button]
    based = next(label for label in labels if label.startswith("Based on"))
    assert "\\*\\*Bold\\*\\*" in based and "\\[x\\]" in based


def test_gallery_search_keeps_the_place_filter(data_dir: Path) -> None:
    publish(fill(app(frame="ride-the-bus"), city="Lisbon", story="Buses by the river."))
    publish(fill(app(frame="ride-the-bus"), city="Accra", story="Buses every morning."))
    at = app().switch_page("app_pages/gallery.py").run()
    at.text_input(key="gal_query").set_value("buses").run()
    at.text_input(key="gal_place").set_value("Accra").run()
    captions = [c.value for c in ok(at).caption]
    assert plain("anonymous · Accra · Why I ride the bus") in captions
    assert plain("anonymous · Lisbon · Why I ride the bus") not in captions


def test_a_photo_frame_without_a_photo_asks_before_publishing(data_dir: Path) -> None:
    at = fill(app(frame="ride-the-bus"))
    at.checkbox(key="make_consent").check().run()
    at.button(key="make_publish").click().run()
    assert ok(at).info[-1].value.startswith("Add a photo?") and published_ids(data_dir) == []
    at.button(key="make_publish_anyway").click().run()
    assert ok(at).success[0].value == "Published! Your remix is in the gallery."
    assert len(published_ids(data_dir)) == 1
