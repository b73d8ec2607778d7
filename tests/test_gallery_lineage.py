"""Lineage both ways: parents to the frame and its sources, descendants; depth caps, cycles, tombstones."""
from __future__ import annotations

import json

import gallery
from gallery import frame_lineage, remix_lineage
from tests.test_gallery_support import BUS, publish, variant


def chain(store, n: int) -> list[str]:
    ids = [publish(store).id]
    for _ in range(n - 1):
        ids.append(publish(store, remix_of=ids[-1]).id)
    return ids


def write(store, sql: str, params=()) -> None:
    with store.write() as db:
        db.execute(sql, params)


def test_ancestors_nearest_first_and_descendants_breadth_first(store) -> None:
    a, b, c = chain(store, 3)
    d = publish(store, remix_of=a).id
    mid = remix_lineage(store, b)
    assert [r.id for r in mid.ancestors] == [a] and [r.id for r in mid.descendants] == [c]
    top = remix_lineage(store, a)
    assert top.ancestors == () and [(r.id, r.depth) for r in top.descendants] == [(b, 1), (d, 1), (c, 2)]
    assert (top.frame_id, top.frame_version) == (BUS, 1)


def test_depth_cap_bounds_both_directions(store) -> None:
    ids = chain(store, 8)
    assert len(remix_lineage(store, ids[-1], depth=3).ancestors) == 3
    down = remix_lineage(store, ids[0], depth=3)
    assert [r.depth for r in down.descendants] == [1, 2, 3] and down.truncated


def test_node_cap_truncates_wide_families(store) -> None:
    root = publish(store).id
    for _ in range(6):
        publish(store, remix_of=root)
    lineage = remix_lineage(store, root, max_nodes=4)
    assert len(lineage.descendants) == 4 and lineage.truncated


def test_a_cycle_in_the_data_ends_the_walk(store) -> None:
    a, b, c = chain(store, 3)
    write(store, "UPDATE remixes SET remix_of = ? WHERE id = ?", [c, a])  # a damaged database: a <- c <- b <- a
    up = remix_lineage(store, c)
    assert [r.id for r in up.ancestors] == [b, a]
    down = remix_lineage(store, a)
    assert [r.id for r in down.descendants] == [b, c] and not down.truncated
    write(store, "UPDATE remixes SET remix_of = id WHERE id = ?", [b])  # a remix of itself
    assert remix_lineage(store, b).ancestors == ()


def test_removed_parents_and_children_are_tombstones(store, admin) -> None:
    a, b, c = chain(store, 3)
    gallery.delete_remix(store, a, admin)
    gallery.moderate(store, c, "hide", admin, "off topic")
    lineage = remix_lineage(store, b)
    assert [(r.label, r.maker) for r in lineage.ancestors] == [("a removed remix", "")]
    assert [r.label for r in lineage.descendants] == ["a removed remix"]
    assert gallery.get_remix(store, b).credits.line.endswith("based on a removed remix")


def test_pending_children_are_not_shown(store, admin) -> None:
    owner = gallery.publish_frame(store, variant("careful", moderation="approve")).owner_key
    parent = publish(store, variant("careful", moderation="approve"))
    assert parent.status == "pending"
    gallery.moderate(store, parent.id, "approve", owner)
    publish(store, variant("careful", moderation="approve"), remix_of=parent.id)
    assert remix_lineage(store, parent.id).descendants == ()


def test_forks_record_their_source_and_show_both_ways(store) -> None:
    fork = gallery.fork_frame(store, BUS, "bus-lisboa", instance="https://one.example")
    grandchild = gallery.fork_frame(store, "bus-lisboa", "bus-porto")
    assert fork.owner_key and grandchild.version == 1
    assert gallery.get_frame(store, "bus-porto").manifest.derived_from.id == "bus-lisboa"
    up = frame_lineage(store, "bus-porto")
    assert [(s.id, s.claimed) for s in up.ancestors] == [("bus-lisboa", False), (BUS, False)]
    assert up.ancestors[1].instance == "https://one.example"
    assert [f.id for f in frame_lineage(store, BUS).forks] == ["bus-lisboa"]
    remix = publish(store, gallery.get_frame(store, "bus-porto"))
    assert [s.id for s in remix_lineage(store, remix.id).frame_ancestors] == ["bus-lisboa", BUS]


def test_a_fork_needs_a_free_id(store) -> None:
    gallery.fork_frame(store, BUS, "bus-lisboa")
    import pytest

    with pytest.raises(gallery.GalleryError, match="already exists here"):
        gallery.fork_frame(store, BUS, "bus-lisboa")
    with pytest.raises(gallery.GalleryError, match="fork id is not usable"):
        gallery.fork_frame(store, BUS, "Not An Id")


def test_frame_cycles_end_the_walk(store) -> None:
    gallery.fork_frame(store, BUS, "fork-a")
    gallery.fork_frame(store, "fork-a", "fork-b")
    write(store, "UPDATE frames SET derived_from_id = 'fork-b', derived_from_version = 1 WHERE id = 'fork-a'")
    assert [s.id for s in frame_lineage(store, "fork-b").ancestors] == ["fork-a"]


def test_claimed_sources_are_marked_and_never_override_local_records(store) -> None:
    claim = 'derived_from = { id = "bus-lisboa", version = 7, title = "Claimed", instance = "https://far.example" }\n'
    owner = gallery.publish_frame(store, variant("claims", extra=claim)).owner_key
    assert owner
    sources = frame_lineage(store, "claims").ancestors
    assert [(s.id, s.version, s.claimed) for s in sources] == [("bus-lisboa", 7, True)]
    real = gallery.fork_frame(store, BUS, "really-forked")
    assert real.owner_key
    with store.write() as db:
        db.execute("UPDATE frames SET claimed_derived_from = ? WHERE id = 'really-forked'",
                   [json.dumps({"id": "someone-else", "version": 1})])
    assert [s.id for s in frame_lineage(store, "really-forked").ancestors] == [BUS]
