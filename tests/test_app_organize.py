"""The Organize page through the entrypoint (AppTest): create, fork, open, edit, publish, moderate, pack."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from frames import bundled_frame
from gallery import Settings, frame_info, get_frame, get_remix, open_store, publish_remix
from remix import RenderOptions
from tests.drive import app_test
from tests.samples import phone_jpeg

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "test-admin-key-organize"


@pytest.fixture
def app(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("FRAME_REMIX_PUBLIC_URL")
    monkeypatch.setenv("FRAME_REMIX_ADMIN_KEY", ADMIN)
    at = app_test()
    at.run()
    at.switch_page("app_pages/organize.py").run()
    assert not at.exception
    return at


def _store():
    """The app's gallery, configured the way the app's entry configures it (from the environment)."""
    return open_store(settings=Settings.from_env(os.environ))


def wk(at: AppTest, place: str) -> str:
    """The editor's widget key for a manifest place (widgets are rebuilt after structural changes)."""
    return f"org_{at.session_state['org_gen']}_{place}"


def shown(value: str) -> str:
    """What a person reads: messages are Markdown-escaped so they show exactly as written."""
    return re.sub(r"\\(.)", r"\1", value)


def errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def start_from_starter(at: AppTest, frame_id: str = "bus-lisbon", starter: str = "ride-the-bus") -> None:
    at.selectbox(key="org_starter").set_value(starter)
    at.text_input(key="org_new_id").set_value(frame_id)
    at.text_input(key="org_organizer").set_value("Lisbon riders")
    at.button(key="org_start").click().run()
    assert not at.exception and not errors(at)


def open_frame(at: AppTest, frame_id: str, key: str) -> None:
    at.selectbox(key="org_open_id").set_value(frame_id)
    at.text_input(key="org_open_key").set_value(key)
    at.button(key="org_open").click().run()


def test_create_from_a_starter_and_publish_shows_the_owner_key_once(app: AppTest) -> None:
    start_from_starter(app)
    assert len(app.image) == 3  # a preview of every format, with the sample values
    app.text_input(key=wk(app, "title")).set_value("Ride the bus in Lisbon").run()
    app.button(key="org_publish").click().run()
    assert not app.exception and not errors(app)
    key = app.code[0].value
    assert len(key) >= 30 and "shown only now" in app.warning[0].value
    assert any("?frame=bus-lisbon" in m.value for m in app.markdown)
    info = frame_info(_store(), "bus-lisbon")
    assert (info.title, info.latest_version, info.organizer) == ("Ride the bus in Lisbon", 1, "Lisbon riders")

    app.button(key="org_key_saved").click().run()
    assert not [c for c in app.code if c.value == key]  # shown once: gone after the organizer saved it
    app.text_area(key=wk(app, "message")).set_value("Buses for everyone.").run()
    app.button(key="org_publish").click().run()  # version 2 with the key this session was given
    assert not errors(app) and frame_info(_store(), "bus-lisbon").latest_version == 2
    assert get_frame(_store(), "bus-lisbon", 1).manifest.message != "Buses for everyone."


def test_new_id_taken_or_malformed_is_one_sentence(app: AppTest) -> None:
    app.text_input(key="org_new_id").set_value("ride-the-bus")
    app.button(key="org_start").click().run()
    assert errors(app) == ["a frame with the id 'ride-the-bus' already exists here; choose another id"]
    app.text_input(key="org_new_id").set_value("Bad Id!")
    app.button(key="org_start").click().run()
    assert len(errors(app)) == 1 and "lowercase letters" in errors(app)[0]


def test_wrong_owner_key_is_refused_with_one_sentence(app: AppTest) -> None:
    open_frame(app, "care-counts", "not-the-key")
    assert not app.exception
    assert errors(app) == ["that key does not open the frame 'care-counts'; use its owner key or the instance's admin key"]
    assert "org_draft" not in app.session_state


def test_box_outside_the_canvas_is_shown_next_to_the_layout(app: AppTest) -> None:
    start_from_starter(app, "care-lisbon", "care-counts")
    app.selectbox(key="org_layout_square").set_value(2).run()
    app.number_input(key=wk(app, "formats.square.layers[2].box.x")).set_value(0.5).run()
    assert not app.exception
    problems = [e for e in errors(app) if not e.startswith("This draft")]
    assert problems == ["The quote box in the square reaches past the right edge: make it narrower or move it left."]
    assert "This draft has 1 problem: see the Layout tab. Publishing waits until it is fixed." in errors(app)
    assert "Fix the problems above to publish." in [c.value for c in app.caption]
    # the last preview without problems stays, dimmed, with a sentence saying why
    assert len(app.image) == 3 and any("dimmed" in c.value for c in app.caption)


def test_bad_template_is_shown_with_its_place(app: AppTest) -> None:
    start_from_starter(app, "care-lisbon", "care-counts")
    app.text_area(key=wk(app, "formats.square.layers[2].template")).set_value("{{ nope }}").run()
    problems = [e for e in errors(app) if not e.startswith("This draft")]
    assert len(problems) == 1
    assert problems[0].startswith("The text of the quote in the square: unknown field 'nope' in the template; use one of: ")


def test_low_contrast_is_advice_not_an_error(app: AppTest) -> None:
    start_from_starter(app, "care-lisbon", "care-counts")
    app.selectbox(key=wk(app, "formats.square.layers[2].color.kit")).set_value("own").run()
    app.color_picker(key=wk(app, "formats.square.layers[2].color")).set_value("#3a1a44").run()
    assert not errors(app) and len(app.image) == 3
    assert ("Contrast: The quote in the square (#3a1a44) on #441a43 is hard to read "
            "(1.0:1, at least 3:1 is needed): make one of them lighter or darker.") in [shown(w.value) for w in app.warning]


def test_a_kit_colour_reaches_every_format(app: AppTest) -> None:
    start_from_starter(app, "air-lisbon", "clean-air")
    before = [i.value for i in app.image]
    app.color_picker(key=wk(app, "brand.colors.background")).set_value("#ff0000").run()
    assert not errors(app)
    frame = get_frame_of_draft(app)
    assert {fmt.layers[0].color for fmt in frame.manifest.formats.values()} == {"#ff0000"}
    assert app.session_state["org_draft"].data["formats"]["story"]["layers"][0]["color"] == "brand.background"
    assert len(app.image) == 3 and [i.value for i in app.image] != before


def get_frame_of_draft(at: AppTest):
    from frames.editing import build_frame

    draft = at.session_state["org_draft"]
    return build_frame(draft.data, draft.assets)


def test_fields_are_added_and_removed(app: AppTest) -> None:
    start_from_starter(app, "care-lisbon", "care-counts")
    app.text_input(key=wk(app, "new_field_name")).set_value("street")
    app.text_input(key=wk(app, "new_field_label")).set_value("Your street")
    app.button(key=wk(app, "new_field_add")).click().run()
    fields = app.session_state["org_draft"].data["fields"]
    assert fields[-1] == {"name": "street", "kind": "text", "label": "Your street"}
    app.button(key=wk(app, f"fields[{len(fields) - 1}].remove")).click().run()
    assert [f["name"] for f in app.session_state["org_draft"].data["fields"]] == ["quote", "name", "role", "city"]


def test_background_upload_is_cleaned_and_previewed(app: AppTest) -> None:
    start_from_starter(app, "care-lisbon", "care-counts")
    app.file_uploader(key=wk(app, "assets/background.png")).set_value(("bg.jpg", phone_jpeg(1600, 1200), "image/jpeg")).run()
    assert not app.exception and not errors(app)
    assert shown(app.success[0].value).startswith("Uploaded bg.jpg")
    draft = app.session_state["org_draft"]
    assert draft.assets["assets/background.png"].startswith(b"\x89PNG")
    assert draft.data["formats"]["square"]["layers"][0]["image"] == "assets/background.png"


def test_bad_upload_is_one_sentence(app: AppTest) -> None:
    start_from_starter(app, "care-lisbon", "care-counts")
    app.file_uploader(key=wk(app, "assets/overlay.png")).set_value(("o.png", b"nope" * 100, "image/png")).run()
    assert not app.exception
    assert errors(app) == ["the image o.png is not a JPEG, PNG or WebP image (or it is damaged); choose a JPEG, PNG or WebP file"]


def test_fork_then_publish_version_two(app: AppTest) -> None:
    app.selectbox(key="org_fork_src").set_value("ride-the-bus")
    app.text_input(key="org_fork_id").set_value("my-bus")
    app.button(key="org_fork").click().run()
    assert not app.exception and not errors(app)
    assert "shown only now" in app.warning[0].value and app.code[0].value
    info = frame_info(_store(), "my-bus")
    assert info.derived_from.id == "ride-the-bus" and not info.derived_from.claimed
    app.text_input(key=wk(app, "title")).set_value("My bus").run()
    app.button(key="org_publish").click().run()
    assert not errors(app) and frame_info(_store(), "my-bus").latest_version == 2


def test_moderation_approves_a_pending_remix_and_pack_downloads(app: AppTest) -> None:
    frame = bundled_frame("care-counts")
    values = {"quote": "Nights on the ward, *every* week.", "role": "nurse", "city": "Leeds"}
    remix = publish_remix(_store(), frame, values, consent=True, options=RenderOptions(maker="Ana"), place="Leeds")
    assert remix.status == "pending"
    open_frame(app, "care-counts", ADMIN)
    assert not app.exception and not errors(app)
    assert "Nights on the ward, *every* week." in [t.value for t in app.text]  # as text, never Markdown
    app.text_input(key=f"org_reason_{remix.id}").set_value("kind words")
    app.button(key=f"org_approve_{remix.id}").click().run()
    assert not errors(app)
    assert get_remix(_store(), remix.id).summary.status == "published"
    assert any(shown(s.value) == "The remix by Ana is published now." for s in app.success)
    downloads = app.get("download_button")
    assert any("Download the frame pack" in d.proto.label for d in downloads)
    assert [m.value for m in app.metric][:1] == ["1"]


def test_owner_key_opens_a_frame_for_its_next_version(app: AppTest) -> None:
    from frames.editing import build_frame, starter_data
    from gallery import publish_frame

    source = bundled_frame("ride-the-bus")
    frame = build_frame(starter_data(source, "bus-porto", "Porto riders"), source.assets)
    key = publish_frame(_store(), frame).owner_key
    app.run()  # the frame list is read on every run
    open_frame(app, "bus-porto", key)
    assert not app.exception and not errors(app)
    assert "Frame id: bus-porto · version 2" in [t.value for t in app.text]
    assert not app.code  # an existing key is never shown back
    app.text_input(key=wk(app, "call_to_action")).set_value("Ride with us.").run()
    app.button(key="org_publish").click().run()
    assert frame_info(_store(), "bus-porto").latest_version == 2


def test_bundled_frames_are_moderated_but_not_versioned_here(app: AppTest) -> None:
    open_frame(app, "care-counts", ADMIN)
    assert any("fork it to change it" in c.value for c in app.caption)
    with pytest.raises(KeyError):
        app.button(key="org_publish")


def test_hiding_needs_a_reason_and_is_logged(app: AppTest) -> None:
    frame = bundled_frame("care-counts")
    remix = publish_remix(_store(), frame, {"quote": "Every day.", "role": "parent"}, consent=True)
    open_frame(app, "care-counts", ADMIN)
    app.button(key=f"org_hide_{remix.id}").click().run()
    assert errors(app) == ["give a reason to hide this remix; it is kept in the moderation log"]
    app.text_input(key=f"org_reason_{remix.id}").set_value("not about care")
    app.button(key=f"org_hide_{remix.id}").click().run()
    assert get_remix(_store(), remix.id, key=ADMIN).summary.status == "hidden"
    app.selectbox(key="org_mod_status").set_value("hidden").run()
    app.text_input(key=f"org_reason_{remix.id}").set_value("it is, after all")
    app.button(key=f"org_restore_{remix.id}").click().run()
    assert get_remix(_store(), remix.id).summary.status == "published"
    log = app.dataframe[0].value
    assert list(log["action"]) == ["restore", "hide"] and list(log["reason"]) == ["it is, after all", "not about care"]


def test_a_new_field_shows_the_translation_gaps(app: AppTest) -> None:
    app.selectbox(key="org_fork_src").set_value("clean-air")
    app.text_input(key="org_fork_id").set_value("air-porto")
    app.button(key="org_fork").click().run()
    assert not [i for i in app.info if "Translation" in i.value]
    app.text_input(key=wk(app, "new_field_name")).set_value("street")
    app.text_input(key=wk(app, "new_field_label")).set_value("Your street")
    app.button(key=wk(app, "new_field_add")).click().run()
    gaps = [shown(i.value) for i in app.info if "Translation" in i.value]
    assert gaps and all("fields.street.label" in g for g in gaps)
    assert gaps[0].startswith("Translation 'ar' still misses")


def test_a_reload_finds_the_draft_by_its_link(app: AppTest, tmp_path: Path) -> None:
    start_from_starter(app, "air-lisbon", "clean-air")
    app.text_input(key=wk(app, "title")).set_value("Aire limpio «Lisboa» 🌬️").run()
    key = app.query_params["draft"]
    key = key[0] if isinstance(key, list) else key
    fresh = app_test()  # a new session: a reload
    fresh.query_params["draft"] = key
    fresh.run()
    fresh.switch_page("app_pages/organize.py").run()
    assert not fresh.exception and not errors(fresh)
    draft = fresh.session_state["org_draft"]
    assert (draft.frame_id, draft.data["title"]) == ("air-lisbon", "Aire limpio «Lisboa» 🌬️")
    assert len(fresh.image) == 3


def test_a_translation_is_added_and_filled_side_by_side(app: AppTest) -> None:
    start_from_starter(app, "air-lisbon", "photo-frame")
    app.text_input(key=wk(app, "new_lang")).set_value("ar")
    app.button(key=wk(app, "new_lang_add")).click().run()
    assert not errors(app)
    assert any("Still missing: title" in shown(i.value) for i in app.info)
    app.text_input(key=wk(app, "translations.ar.title")).set_value("شارعنا، صوتنا").run()
    assert not errors(app)
    draft = app.session_state["org_draft"]
    assert draft.data["translations"]["ar"]["title"] == "شارعنا، صوتنا"
    assert not any("Still missing: title" in shown(i.value) for i in app.info)


def test_fields_of_every_kind_posts_alt_texts_and_photo_focus(app: AppTest) -> None:
    start_from_starter(app, "street-lisbon", "photo-frame")
    app.text_input(key=wk(app, "new_field_name")).set_value("mood")
    app.text_input(key=wk(app, "new_field_label")).set_value("Your mood")
    app.selectbox(key=wk(app, "new_field_kind")).set_value("choice")
    app.button(key=wk(app, "new_field_add")).click().run()
    index = len(app.session_state["org_draft"].data["fields"]) - 1
    app.text_area(key=wk(app, f"fields[{index}].options")).set_value("hope = Hopeful\nangry = Angry ✊").run()
    app.text_area(key=wk(app, "texts.platforms.x")).set_value("{{ title }} {{ link }}").run()
    app.text_area(key=wk(app, "formats.square.alt")).set_value("A square photo: {{ caption }}").run()
    app.radio(key=wk(app, "formats.square.layers[1].shape")).set_value("circle").run()
    assert not app.exception and not errors(app)
    data = app.session_state["org_draft"].data
    assert data["fields"][index]["options"] == [{"value": "hope", "label": "Hopeful"}, {"value": "angry", "label": "Angry ✊"}]
    assert data["texts"]["platforms"]["x"] == "{{ title }} {{ link }}"
    assert data["formats"]["square"]["alt"] == "A square photo: {{ caption }}"
    assert data["formats"]["square"]["layers"][1]["shape"] == "circle"
    app.text_area(key=wk(app, "texts.platforms.x")).set_value("").run()
    assert "x" not in app.session_state["org_draft"].data["texts"].get("platforms", {})
