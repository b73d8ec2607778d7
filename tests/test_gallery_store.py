"""Gallery storage: publishing with images, retries, keys, deletion tombstones, pages, filters, search, counts."""
from __future__ import annotations

import sqlite3

import pytest

import gallery
from gallery import (
    GalleryError,
    WrongKeyError,
    get_remix,
    image,
    list_remixes,
    publish_remix,
    search,
)
from gallery.schema import migrations
from remix import RenderOptions
from remix.errors import RemixError
from remix.pipeline import make_remix
from tests.test_gallery_support import BUS, bus, publish, values, variant


def rows(store, sql: str, params=()):
    return store.read().execute(sql, params).fetchall()


def test_publish_a_real_render_stores_every_image_with_its_alt_text(store) -> None:
    frame = bus()
    result = publish_remix(store, frame, values("Kraków"), consent=True, options=RenderOptions(maker="Ola"))
    expected = make_remix(frame, values("Kraków"), None, options=gallery.remixes.RenderOptions(maker="Ola"))
    detail = get_remix(store, result.id)
    assert result.status == "published" and len(result.delete_key) >= 32
    assert [i.format for i in detail.images] == list(frame.manifest.formats)
    for fmt, data in expected.images.items():
        stored = image(store, result.id, fmt)
        assert stored.data == data and stored.media_type == "image/jpeg"
        assert stored.alt == expected.texts.alt[fmt] and "Kraków" in stored.alt
    assert detail.values == values("Kraków") and detail.summary.place == "Kraków"
    assert detail.credits.line == "“Why I ride the bus” by Transit Riders Union · CC BY 4.0 · remix by Ola"
    assert detail.post["x"] == expected.texts.post["x"]


def test_a_double_click_stores_one_remix_and_returns_the_same_delete_key(store) -> None:
    first = publish(store, idempotency_key="click-1")
    second = publish(store, idempotency_key="click-1")
    assert (second.id, second.delete_key, second.duplicate) == (first.id, first.delete_key, True)
    assert rows(store, "SELECT count(*) FROM remixes") == [(1,)]
    gallery.delete_remix(store, first.id, second.delete_key)


def test_a_reused_idempotency_key_with_other_content_is_refused(store) -> None:
    publish(store, idempotency_key="click-1")
    with pytest.raises(GalleryError, match="already used for a different remix"):
        publish(store, city="Porto", idempotency_key="click-1")


def test_publishing_needs_consent_and_a_known_parent(store) -> None:
    with pytest.raises(GalleryError, match="needs your consent"):
        publish_remix(store, bus(), values(), consent=False)
    with pytest.raises(GalleryError, match="does not exist in this gallery"):
        publish(store, remix_of="nope")
    assert rows(store, "SELECT count(*) FROM remixes") == [(0,)]


def test_a_frame_that_was_never_published_is_refused(store) -> None:
    with pytest.raises(GalleryError, match="not published in this gallery; publish it first"):
        publish(store, variant("elsewhere"))


def test_required_fields_and_bad_photos_are_refused_before_anything_is_stored(store) -> None:
    with pytest.raises(RemixError, match="'Why you ride' is required"):
        publish_remix(store, bus(), {"city": "Lisbon"}, consent=True)
    with pytest.raises(RemixError):
        publish(store, photo=b"not a photo at all" * 20)
    assert rows(store, "SELECT count(*) FROM remixes") == [(0,)]


def test_the_stored_images_are_rendered_from_the_stored_values(store) -> None:
    """One publish path: the gallery renders what it stores, so the pixels follow the values."""
    from remix import RenderOptions
    from remix.pipeline import make_remix

    options = RenderOptions(maker="Ola", lang="en")
    result = publish(store, city="Kraków", story="The 7 to the market.", options=options)
    expected = make_remix(bus(), values("Kraków", "The 7 to the market."), None, None, options)
    for fmt, data in expected.images.items():
        assert image(store, result.id, fmt).data == data
    assert get_remix(store, result.id).credits.maker == "Ola"


def test_a_failure_inside_the_transaction_leaves_neither_row_nor_images(store, monkeypatch) -> None:
    original_insert = gallery.remixes._insert

    def insert_then_fail(db, *args):
        original_insert(db, *args)
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(gallery.remixes, "_insert", insert_then_fail)
    with pytest.raises(sqlite3.OperationalError):
        publish(store)
    assert rows(store, "SELECT count(*) FROM remixes") == [(0,)]
    assert rows(store, "SELECT count(*) FROM remix_images") == [(0,)]


def test_delete_needs_the_delete_key_and_leaves_a_tombstone(store, admin) -> None:
    kept = publish(store, story="a story to delete")
    child = publish(store, remix_of=kept.id)
    with pytest.raises(WrongKeyError, match="delete key does not match"):
        gallery.delete_remix(store, kept.id, "guess")
    with pytest.raises(WrongKeyError):
        gallery.delete_remix(store, kept.id, child.delete_key)
    assert get_remix(store, kept.id).summary.status == "published"
    gallery.delete_remix(store, kept.id, kept.delete_key)
    assert rows(store, "SELECT status, maker, story, values_json FROM remixes WHERE id = ?", [kept.id]) == \
        [("deleted", "", "", "{}")]
    assert rows(store, "SELECT count(*) FROM remix_images JOIN remixes ON seq = remix_seq WHERE id = ?", [kept.id]) == [(0,)]
    with pytest.raises(GalleryError, match="was deleted"):
        get_remix(store, kept.id)
    assert get_remix(store, child.id).credits.remix_of.label == "a removed remix"
    assert search(store, "delete").items == ()
    gallery.delete_remix(store, child.id, admin)
    assert gallery.remix_ref(store, child.id).status == "deleted"


def test_pages_are_newest_first_and_keyset_paged_without_gaps(store) -> None:
    ids = [publish(store, city=f"Town {i}").id for i in range(11)]
    seen, cursor = [], None
    while True:
        page = list_remixes(store, cursor=cursor, limit=4)
        seen += [r.id for r in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == ids[::-1]


def test_filters_by_frame_place_and_language(store, admin) -> None:
    other = variant("bus-lisboa")
    gallery.publish_frame(store, other)
    publish(store, city="Lisbon")
    publish(store, city="LISBON ")
    publish(store, city="Porto")
    publish(store, other, city="Lisbon")
    assert len(list_remixes(store, place="lisbon").items) == 3
    assert len(list_remixes(store, frame="bus-lisboa").items) == 1
    assert len(list_remixes(store, frame=BUS, place="Lisbon").items) == 2
    assert len(list_remixes(store, lang="en").items) == 4 and list_remixes(store, lang="ar").items == ()
    with pytest.raises(GalleryError, match="not a remix status"):
        list_remixes(store, status="secret")


def test_full_text_search_matches_story_title_and_place_and_survives_syntax(store) -> None:
    a = publish(store, city="Kraków", story="the night bus home from the hospital")
    b = publish(store, city="Porto", story="to school with my daughter")
    assert [r.id for r in search(store, "hospital").items] == [a.id]
    assert [r.id for r in search(store, "krakow").items] == [a.id]  # diacritics folded
    assert {r.id for r in search(store, "ride bus").items} == {a.id, b.id}  # frame title "Why I ride the bus"
    assert search(store, 'daughter" OR (NOT').items == ()
    assert [r.id for r in search(store, "daughter").items] == [b.id]


def test_counts_per_frame(store) -> None:
    publish(store, city="Lisbon")
    publish(store, city="lisbon")
    publish(store, city="Porto")
    c = gallery.counts(store, BUS)
    assert (c.remixes, c.places, c.languages) == (3, 2, {"en": 3})
    assert sum(n for _, n in c.per_day) == 3 and c.top_places[0][1] == 2


def test_publishing_frames_needs_the_owner_key_for_new_versions(store, admin) -> None:
    first = gallery.publish_frame(store, variant("my-bus"))
    assert first.owner_key and len(first.owner_key) >= 32
    assert rows(store, "SELECT owner_key_hash != ? FROM frames WHERE id = 'my-bus'", [first.owner_key]) == [(1,)]
    with pytest.raises(WrongKeyError, match="does not open the frame 'my-bus'"):
        gallery.publish_frame(store, variant("my-bus", version=2), key="wrong")
    with pytest.raises(GalleryError, match="a frame with the id 'my-bus' already exists here"):
        gallery.publish_frame(store, variant("my-bus", version=2))
    assert gallery.publish_frame(store, variant("my-bus", version=2), key=first.owner_key).version == 2
    assert gallery.publish_frame(store, variant("my-bus", version=3, title="Version three"), key=admin).version == 3
    with pytest.raises(GalleryError, match="set version = 4"):
        gallery.publish_frame(store, variant("my-bus", version=2, title="Changed"), key=first.owner_key)
    assert gallery.frame_info(store, "my-bus").versions == (1, 2, 3)
    assert gallery.get_frame(store, "my-bus").title == "Version three"
    assert gallery.get_frame(store, "my-bus", 1).title == "Why I ride the bus"


def test_old_remixes_keep_their_frame_version(store, admin) -> None:
    owner = gallery.publish_frame(store, variant("my-bus")).owner_key
    old = publish(store, variant("my-bus"))
    gallery.publish_frame(store, variant("my-bus", version=2, title="New look"), key=owner)
    new = publish(store, variant("my-bus", version=2, title="New look"))
    assert get_remix(store, old.id).credits.frame_version == 1
    assert get_remix(store, new.id).credits.frame_title == "New look"
    with pytest.raises(GalleryError, match="differs from the published one"):
        publish(store, variant("my-bus", version=2, title="Tampered"))


def test_bundled_ids_cannot_be_taken_over(store) -> None:
    assert gallery.publish_frame(store, bus()).owner_key is None
    with pytest.raises(GalleryError, match="comes with frame-remix"):
        gallery.publish_frame(store, variant(BUS, title="Mine now"))


def test_reopening_applies_no_migration_twice(tmp_path) -> None:
    s = gallery.open_store(tmp_path / "g.db")
    publish(s)
    gallery.close_store(s)
    s = gallery.open_store(tmp_path / "g.db")
    assert migrations.pending(s.read()) == []
    assert len(list_remixes(s).items) == 1
    gallery.close_store(s)


def test_the_database_is_in_wal_mode_with_one_file(store) -> None:
    assert rows(store, "PRAGMA journal_mode") == [("wal",)]
    assert store.path.name == "gallery.db"


def test_counts_follow_moderation_and_deletion_and_match_a_recount(store, admin) -> None:
    made = [publish(store, city=city).id for city in ("Lisbon", "Porto", "Porto", "Lyon", "Lyon")]
    gallery.moderate(store, made[0], "hide", admin, "test")
    gallery.delete_remix(store, made[1], admin)
    gallery.report_remix(store, made[3], "a", "x", address="198.51.100.7")
    gallery.moderate(store, made[0], "restore", admin, "ok")
    c = gallery.counts(store, BUS)
    recount = rows(store, """SELECT count(*), count(DISTINCT place_key) FROM remixes
                             WHERE frame_id = ? AND status = 'published'""", [BUS])[0]
    assert (c.remixes, c.places) == recount == (4, 3)
    assert dict(c.top_places) == {"Lyon": 2, "Lisbon": 1, "Porto": 1}


def test_a_write_inside_a_write_fails_fast_instead_of_deadlocking(store) -> None:
    with pytest.raises(RuntimeError, match="inside another one"), store.write(), store.write():
        pass
    publish(store)  # the store is still usable
    assert rows(store, "SELECT count(*) FROM remixes") == [(1,)]


@pytest.mark.parametrize("cursor, limit", [("abc", 48), (None, "many"), ("1e9", 48)])
def test_a_bad_page_link_is_one_sentence(store, cursor, limit) -> None:
    with pytest.raises(GalleryError, match="that page link is not valid"):
        list_remixes(store, cursor=cursor, limit=limit)
    with pytest.raises(GalleryError, match="that page link is not valid"):
        search(store, "bus", cursor=cursor, limit=limit)


def test_cursor_as_text_from_a_url_works(store) -> None:
    ids = [publish(store).id for _ in range(3)]
    first = list_remixes(store, limit=2)
    assert [r.id for r in list_remixes(store, cursor=str(first.next_cursor), limit=2).items] == [ids[0]]


def test_languages_lists_the_languages_of_published_remixes(tmp_path) -> None:
    from frames import bundled_frame
    from gallery import languages, open_store, publish_remix

    store = open_store(tmp_path / "gallery.db")
    frame = bundled_frame("clean-air")
    assert languages(store) == []
    for lang, city in (("ar", "القاهرة"), ("hi", "दिल्ली"), ("ar", "عمّان")):
        publish_remix(store, frame, {"city": city, "hope": "x"}, consent=True, options=RenderOptions(lang=lang))
    assert languages(store) == ["ar", "hi"]


def test_search_keeps_the_place_and_language_filters(tmp_path) -> None:
    from frames import bundled_frame
    from gallery import open_store, publish_remix, search

    store = open_store(tmp_path / "gallery.db")
    frame = bundled_frame("clean-air")
    publish_remix(store, frame, {"city": "Lagos", "hope": "bus lanes"}, consent=True, options=RenderOptions(lang="en"))
    publish_remix(store, frame, {"city": "Accra", "hope": "bus lanes"}, consent=True, options=RenderOptions(lang="es"))
    assert [r.place for r in search(store, "bus").items] == ["Accra", "Lagos"]
    assert [r.place for r in search(store, "bus", place="lagos").items] == ["Lagos"]
    assert [r.place for r in search(store, "bus", lang="es").items] == ["Accra"]
    assert search(store, "bus", place="Nowhere").items == ()


def test_publishing_a_taken_id_without_a_key_says_the_id_is_taken(tmp_path) -> None:
    import pytest

    from frames import bundled_frame
    from frames.pack import frame_from_files
    from gallery import GalleryError, open_store, publish_frame

    store = open_store(tmp_path / "gallery.db")
    source = bundled_frame("ride-the-bus")
    mine = frame_from_files({"frame.toml": source.manifest_bytes.replace(b'id = "ride-the-bus"', b'id = "my-bus"', 1),
                             **source.assets}, "test")
    publish_frame(store, mine)
    with pytest.raises(GalleryError, match="a frame with the id 'my-bus' already exists here; choose another id"):
        publish_frame(store, mine)
