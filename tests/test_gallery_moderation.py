"""Moderation per frame: approve first, hide and restore with reasons, the log, reports, wrong keys."""
from __future__ import annotations

from dataclasses import replace

import pytest

import gallery
from gallery import GalleryError, WrongKeyError, get_remix, list_remixes, moderate, report_remix
from tests.test_gallery_support import publish, variant


@pytest.fixture
def careful(store):
    """A frame whose organizer approves every remix first; returns its owner key."""
    return gallery.publish_frame(store, variant("careful", moderation="approve")).owner_key


def ids(page) -> list[str]:
    return [r.id for r in page.items]


def test_approve_first_frames_hold_remixes_until_the_owner_approves(store, careful) -> None:
    r = publish(store, variant("careful", moderation="approve"))
    assert r.status == "pending" and list_remixes(store).items == ()
    with pytest.raises(GalleryError, match="waiting for its organizer's approval"):
        get_remix(store, r.id)
    assert get_remix(store, r.id, key=r.delete_key).summary.status == "pending"
    assert ids(list_remixes(store, frame="careful", status="pending", key=careful)) == [r.id]
    with pytest.raises(WrongKeyError):
        list_remixes(store, frame="careful", status="pending", key="guess")
    with pytest.raises(GalleryError, match="choose a frame"):
        list_remixes(store, status="pending", key=careful)
    assert moderate(store, r.id, "approve", careful) == "published"
    assert ids(list_remixes(store)) == [r.id]


def test_hide_and_restore_need_a_reason_and_are_logged(store, careful, admin) -> None:
    r = publish(store, variant("careful", moderation="approve"))
    moderate(store, r.id, "approve", careful)
    with pytest.raises(GalleryError, match="give a reason to hide"):
        moderate(store, r.id, "hide", careful, "  ")
    assert moderate(store, r.id, "hide", careful, "names a private person") == "hidden"
    assert list_remixes(store).items == ()
    assert moderate(store, r.id, "restore", admin, "consent confirmed by email") == "published"
    log = gallery.moderation_log(store, "careful", careful)
    assert [(e.action, e.actor, e.reason) for e in log] == [
        ("restore", "admin", "consent confirmed by email"), ("hide", "owner", "names a private person"),
        ("approve", "owner", "approved")]
    with pytest.raises(WrongKeyError):
        gallery.moderation_log(store, "careful", "guess")


def test_wrong_keys_change_nothing(store, careful) -> None:
    r = publish(store, variant("careful", moderation="approve"))
    other_owner = gallery.publish_frame(store, variant("other")).owner_key
    for key in (None, "", "guess", r.delete_key, other_owner):
        with pytest.raises(WrongKeyError, match="does not open the frame 'careful'"):
            moderate(store, r.id, "approve", key)
    assert gallery.remix_ref(store, r.id).status == "pending"
    assert store.read().execute("SELECT count(*) FROM moderation_log").fetchone() == (0,)


@pytest.mark.parametrize("action, start, message", [
    ("restore", "published", "it cannot be restored now"),
    ("approve", "hidden", "it cannot be approved now"),
    ("hide", "deleted", "was deleted; it cannot be changed"),
])
def test_impossible_transitions_are_refused(store, admin, action, start, message) -> None:
    r = publish(store)
    if start == "hidden":
        moderate(store, r.id, "hide", admin, "test")
    if start == "deleted":
        gallery.delete_remix(store, r.id, r.delete_key)
    with pytest.raises(GalleryError, match=message):
        moderate(store, r.id, action, admin, "test")


def test_unknown_actions_and_remixes(store, admin) -> None:
    with pytest.raises(GalleryError, match="not a moderation action"):
        moderate(store, "x", "burn", admin, "why")
    with pytest.raises(GalleryError, match="there is no remix 'x'"):
        moderate(store, "x", "hide", admin, "why")


def test_reports_count_once_per_reporter_and_hide_pending_review(store, admin) -> None:
    store.settings = replace(store.settings, report_threshold=3)
    r = publish(store)
    assert report_remix(store, r.id, "session-a", "spam", address="198.51.100.1") == 1
    assert report_remix(store, r.id, "session-a", "spam again", address="198.51.100.1") == 1
    assert report_remix(store, r.id, "session-b", "spam", address="198.51.100.2") == 2
    assert ids(list_remixes(store)) == [r.id]
    assert report_remix(store, r.id, "session-c", "hateful", address="198.51.100.3") == 3
    assert list_remixes(store).items == () and gallery.remix_ref(store, r.id).status == "reported"
    assert sorted(gallery.open_reports(store, r.id, admin)) == ["hateful", "spam", "spam"]
    with pytest.raises(GalleryError, match="cannot be reported"):
        report_remix(store, r.id, "session-d", "more", address="198.51.100.4")
    assert moderate(store, r.id, "restore", admin, "reviewed: fine") == "published"
    assert report_remix(store, r.id, "session-d", "still spam", address="198.51.100.4") == 1  # reviewed ones no longer count


def test_reports_need_a_reason_and_hashes_are_stored_not_reporters(store) -> None:
    r = publish(store)
    with pytest.raises(GalleryError, match="say what is wrong"):
        report_remix(store, r.id, "session-a", "", address="203.0.113.9")
    report_remix(store, r.id, "token-a", "spam", address="203.0.113.9")
    stored = store.read().execute("SELECT reporter_hash, address_hash FROM reports").fetchone()
    assert "token-a" not in stored[0] and "203.0.113.9" not in stored[1] and {len(h) for h in stored} == {64}


def test_the_frame_owner_cannot_delete_only_hide(store) -> None:
    owner = gallery.publish_frame(store, variant("mine")).owner_key
    r = publish(store, variant("mine"))
    with pytest.raises(WrongKeyError):
        gallery.delete_remix(store, r.id, owner)
    assert moderate(store, r.id, "hide", owner, "duplicate") == "hidden"
    assert get_remix(store, r.id, key=owner).summary.status == "hidden"
    with pytest.raises(GalleryError, match="was removed from the gallery"):
        get_remix(store, r.id)
