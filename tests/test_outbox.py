"""The outbox: each change a follower must hear of is appended in the same transaction as the change,
signed by the instance key; deletes purge the record and leave a tombstone; remote parents."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import pytest

import gallery
from frames.signing import verify
from gallery import GalleryError, delete_remix, moderate, remix_lineage
from gallery.federation.identity import instance_key
from gallery.federation.outbox import BASE, append_frame, frame_pack_id, record_for
from gallery.federation.records import RemixRecord, canonical_json, open_envelope
from gallery.remixes import remote_instance
from tests.test_gallery_support import ADMIN, bus, publish, variant

PUBLIC = "https://remix.example.org"


def rows(store) -> list[tuple]:
    return store.read().execute("SELECT seq, kind, subject_id, signature IS NOT NULL, signed_for FROM outbox "
                                "ORDER BY seq").fetchall()


@pytest.fixture
def public(store) -> str:
    """The instance configured with a public URL, as an operator who federates should."""
    store.settings = replace(store.settings, public_url=PUBLIC, admin_key=ADMIN)
    return PUBLIC


def test_a_published_remix_is_announced_with_its_image_hashes_signed_for_the_public_url(store, public) -> None:
    r = publish(store, city="Kraków", story="Nocny autobus.", options=gallery_options("Zoë"))
    (_, kind, subject, signed, signed_for), = rows(store)
    key = instance_key(store.settings.data_dir)
    assert (kind, subject, signed, signed_for) == ("remix", r.id, 1, f"{key.public.id_hex} {PUBLIC}")
    template, signature = store.read().execute("SELECT record_json, signature FROM outbox").fetchone()
    record = record_for(json.loads(template), PUBLIC)
    assert isinstance(record, RemixRecord)
    assert (record.instance, record.maker, record.place, record.licence) == (PUBLIC, "Zoë", "Kraków", "CC-BY-4.0")
    assert record.thumbnail == f"{PUBLIC}/federation/remixes/{r.id}/thumb.jpg" and record.page == f"{PUBLIC}/share/{r.id}"
    stored = {fmt: "sha256-" + hashlib.sha256(gallery.image(store, r.id, fmt).data).hexdigest()
              for fmt in ("card", "square", "story")}
    assert record.images == stored
    assert record.frame.pack is None and frame_pack_id(store.read(), "ride-the-bus", 1) is None  # part A fills it
    assert verify(key.public, canonical_json(record.model_dump(mode="json")), signature) == f"frame-remix remix {r.id}"
    assert open_envelope({"record": record.model_dump(mode="json"), "signature": signature}, key.public, PUBLIC) == record


def approving(store):
    """A frame whose organizer approves each remix first, published on this instance."""
    frame = variant("care-bus", moderation="approve")
    gallery.publish_frame(store, frame)
    return frame


def gallery_options(maker: str):
    from remix import RenderOptions

    return RenderOptions(maker=maker)


def test_without_a_public_url_records_are_stored_unsigned_with_the_address_left_open(store) -> None:
    r = publish(store)
    (_, kind, subject, signed, signed_for), = rows(store)
    assert (kind, subject, signed, signed_for) == ("remix", r.id, 0, None)
    template = json.loads(store.read().execute("SELECT record_json FROM outbox").fetchone()[0])
    assert template["instance"] == BASE and template["page"] == f"{BASE}/share/{r.id}"


def test_a_pending_remix_is_announced_when_approved_and_a_restored_one_again(store, public) -> None:
    store.settings = replace(store.settings, admin_key=ADMIN)
    r = publish(store, approving(store))
    assert r.status == "pending" and rows(store) == []
    moderate(store, r.id, "approve", ADMIN)
    first = rows(store)
    assert [(k, s) for _, k, s, _, _ in first] == [("remix", r.id)]
    moderate(store, r.id, "hide", ADMIN, "off topic")
    assert rows(store) == first  # a hide tombstones nothing: the feed leaves it out, followers recheck
    moderate(store, r.id, "restore", ADMIN, "it was fine")
    again = rows(store)
    assert [(k, s) for _, k, s, _, _ in again] == [("remix", r.id)] and again[0][0] > first[0][0]  # replaced, new seq


def test_a_delete_purges_the_record_and_appends_one_signed_tombstone(store, public) -> None:
    kept, gone = publish(store), publish(store, city="Lyon")
    delete_remix(store, gone.id, gone.delete_key)
    assert [(k, s) for _, k, s, _, _ in rows(store)] == [("remix", kept.id), ("tombstone", gone.id)]
    text = store.read().execute("SELECT group_concat(record_json) FROM outbox").fetchone()[0]
    assert "Lyon" not in text  # the deleted remix's place is served to nobody any more
    delete_remix(store, gone.id, gone.delete_key)  # deleting twice announces nothing new
    assert len(rows(store)) == 2


def test_seq_never_comes_back_after_a_purge(store, public) -> None:
    r = publish(store)
    (seq, *_), = rows(store)
    delete_remix(store, r.id, ADMIN)  # the admin's delete is a delete too
    (tomb, kind, *_), = rows(store)
    assert kind == "tombstone" and tomb > seq
    later = publish(store)
    assert rows(store)[-1][0] > tomb and rows(store)[-1][2] == later.id


def test_a_remix_never_announced_leaves_no_tombstone(store, public) -> None:
    r = publish(store, approving(store))
    delete_remix(store, r.id, r.delete_key)
    assert rows(store) == []


def test_a_failed_publish_appends_nothing(store, public) -> None:
    with pytest.raises(GalleryError):
        publish(store, remix_of="no-such-remix")
    assert rows(store) == [] and store.read().execute("SELECT count(*) FROM remixes").fetchone()[0] == 0


def test_the_migration_announces_remixes_published_before_it(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from gallery.schema import migrations

    store = gallery.open_store(tmp_path / "gallery.db")
    old, hidden = publish(store), publish(store, city="Porto")
    with store.write() as db:
        db.execute("UPDATE remixes SET status = 'hidden' WHERE id = ?", [hidden.id])
        db.execute("DROP TABLE outbox")
        db.execute("ALTER TABLE remixes DROP COLUMN remix_of_instance")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_outbox'")
        db.execute("DELETE FROM sqlite_sequence WHERE name = 'outbox'")
    with store.write() as db:
        migrations.apply(Database(db.conn))
    assert [(k, s, signed) for _, k, s, signed, _ in rows(store)] == [("remix", old.id, 0)]
    gallery.close_store(store)


def test_a_frame_record_hook_for_signed_packs(store, public) -> None:
    pack = "sha256-" + "ab" * 32
    gallery.install_bundled(store, bus())
    with store.write() as db:
        seq = append_frame(db, store.settings, "ride-the-bus", 1, pack=pack, key="RWQ" + "A" * 53)
    record = record_for(json.loads(store.read().execute("SELECT record_json FROM outbox WHERE seq = ?", [seq]).fetchone()[0]),
                        PUBLIC)
    assert record.pack_url == f"{PUBLIC}/federation/packs/{pack}.zip" and record.title == "Why I ride the bus"


def test_a_remote_parent_is_kept_checked_and_shown_in_lineage(store, public) -> None:
    r = publish(store, remix_of="AbC-123_xyz", remix_of_instance="https://Other.example:8443/some/page")
    row = store.read().execute("SELECT remix_of, remix_of_instance FROM remixes WHERE id = ?", [r.id]).fetchone()
    assert row == ("AbC-123_xyz", "https://other.example:8443")
    (parent,) = remix_lineage(store, r.id).ancestors
    assert (parent.id, parent.instance, parent.removed, parent.label) == \
        ("AbC-123_xyz", "https://other.example:8443", False, "a remix on other.example:8443")
    template = json.loads(store.read().execute("SELECT record_json FROM outbox").fetchone()[0])
    assert record_for(template, PUBLIC).remix_of.model_dump() == {"id": "AbC-123_xyz", "instance": "https://other.example:8443"}
    local = publish(store, remix_of=r.id)
    assert [d.id for d in remix_lineage(store, r.id).descendants] == [local.id]
    assert record_for(json.loads(store.read().execute("SELECT record_json FROM outbox WHERE subject_id = ?",
                                                      [local.id]).fetchone()[0]), PUBLIC).remix_of.instance == PUBLIC


def test_a_remote_id_that_matches_a_local_one_is_not_its_child(store, public) -> None:
    local = publish(store)
    publish(store, remix_of=local.id, remix_of_instance="https://other.example")
    assert remix_lineage(store, local.id).descendants == ()


NOT_AN_INSTANCE = "is not an instance address; give it like https://remix.example.org"


@pytest.mark.parametrize(("remix_of", "instance", "sentence"), [
    ("x1", "ftp://other.example", f"'ftp://other.example' {NOT_AN_INSTANCE}"),
    ("x1", "https://user@other.example", f"'https://user@other.example' {NOT_AN_INSTANCE}"),
    ("x1", "https://other example", f"'https://other example' {NOT_AN_INSTANCE}"),
    ("a b", "https://other.example", "'a b' is not a remix id; copy it from the remix's address on its instance"),
])
def test_a_bad_remote_parent_is_refused_with_one_sentence(store, remix_of: str, instance: str, sentence: str) -> None:
    with pytest.raises(GalleryError) as info:
        publish(store, remix_of=remix_of, remix_of_instance=instance)
    assert str(info.value) == sentence
    assert store.read().execute("SELECT count(*) FROM remixes").fetchone()[0] == 0


def test_a_parent_on_this_instances_own_address_is_local(store, public) -> None:
    assert remote_instance("x1", PUBLIC + "/", PUBLIC) is None
    with pytest.raises(GalleryError, match="does not exist in this gallery"):
        publish(store, remix_of="x1", remix_of_instance=PUBLIC)


def test_the_exported_site_links_a_remote_parent_to_its_own_instance(store, tmp_path: Path) -> None:
    from gallery.export import export_site

    r = publish(store, remix_of="Par3nt_id", remix_of_instance="https://chapter.example")
    export_site(store, tmp_path / "site")
    html = (tmp_path / "site" / "remixes" / f"{r.id}.html").read_text()
    assert '<a href="https://chapter.example/share/Par3nt_id">a remix on chapter.example</a>' in html


def test_the_cli_publishes_with_a_remote_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import gallery.db
    from frame_remix_cli import main

    monkeypatch.setenv("FRAME_REMIX_DATA", str(tmp_path / "data"))
    try:
        assert main(["publish", "ride-the-bus", "--sample", "--consent", "--json", "--remix-of", "Par3nt_id",
                     "--remix-of-instance", "https://chapter.example"]) == 0
        child = json.loads(capsys.readouterr().out)["id"]
        assert main(["gallery", "show", child]) == 0
        assert "lineage: a remix on chapter.example <- frame ride-the-bus v1" in capsys.readouterr().out
        assert main(["publish", "ride-the-bus", "--sample", "--consent", "--remix-of", "x1",
                     "--remix-of-instance", "chapter.example"]) == 2
        assert f"error: 'chapter.example' {NOT_AN_INSTANCE}" in capsys.readouterr().err
    finally:
        for store in list(gallery.db._stores.values()):
            gallery.db.close_store(store)


def test_only_address_fields_are_filled_in(store, public) -> None:
    publish(store, city="{base}", options=gallery_options("{base}/x"))
    template = json.loads(store.read().execute("SELECT record_json FROM outbox").fetchone()[0])
    record = record_for(template, PUBLIC)
    assert (record.maker, record.place, record.instance) == ("{base}/x", "{base}", PUBLIC)
