"""gallery.reach: remixes of remixes, forks by other chapters, and what waits for the organizer."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import gallery
from gallery import Store, close_store, open_store
from gallery.reach import ladder, waiting
from tests.test_gallery_support import publish, variant


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "gallery.db")
    yield s
    close_store(s)


def test_the_ladder_counts_remixes_of_remixes_and_forks(store) -> None:
    owner = gallery.publish_frame(store, variant("careful", moderation="approve")).owner_key
    parent = publish(store, variant("careful", moderation="approve"))
    assert waiting(store, "careful", owner) == {"pending": 1, "reported": 0}
    gallery.moderate(store, parent.id, "approve", owner)
    child = publish(store, variant("careful", moderation="approve"), remix_of=parent.id)
    assert waiting(store, "careful", owner) == {"pending": 1, "reported": 0}
    assert ladder(store, "careful").remixes_of_remixes == 0  # the child still waits
    gallery.moderate(store, child.id, "approve", owner)
    gallery.fork_frame(store, "careful", "careful-leeds")
    up = ladder(store, "careful")
    assert (up.remixes_of_remixes, up.forks) == (1, ("careful-leeds",))
    assert waiting(store, "careful", owner) == {"pending": 0, "reported": 0}


def test_what_waits_needs_the_key(store) -> None:
    gallery.publish_frame(store, variant("careful", moderation="approve"))
    with pytest.raises(gallery.WrongKeyError, match="that key does not open the frame 'careful'"):
        waiting(store, "careful", "not-the-key")
