"""gallery.drafts: a draft kept behind its key survives a new store (a restarted server); wrong keys find nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from frames import bundled_frame
from frames.editing import manifest_data
from gallery import GalleryError, close_store, open_store
from gallery.drafts import SavedDraft, delete_draft, load_draft, save_draft


def test_a_draft_survives_a_restart_and_only_its_key_opens_it(tmp_path: Path) -> None:
    frame = bundled_frame("clean-air")
    data = manifest_data(frame) | {"title": "Aire limpio 🌬️ «Lisboa» \\ \"quoted\""}
    store = open_store(tmp_path / "gallery.db")
    save_draft(store, "secret-key", SavedDraft(data, frame.manifest_bytes, False, dict(frame.assets)))
    close_store(store)
    again = open_store(tmp_path / "gallery.db")
    found = load_draft(again, "secret-key")
    assert found == SavedDraft(data, frame.manifest_bytes, False, dict(frame.assets))
    assert load_draft(again, "another-key") is None
    rows = again.read().execute("SELECT key_hash FROM drafts").fetchall()
    assert rows and "secret-key" not in rows[0][0]  # only the hash is stored
    save_draft(again, "secret-key", SavedDraft(data | {"title": "Second"}, b"", True, {}))
    assert load_draft(again, "secret-key") == SavedDraft(data | {"title": "Second"}, b"", True, {})
    delete_draft(again, "secret-key")
    assert load_draft(again, "secret-key") is None
    assert again.read().execute("SELECT count(*) FROM draft_assets").fetchone()[0] == 0


def test_an_oversize_draft_is_refused_whole(tmp_path: Path) -> None:
    store = open_store(tmp_path / "gallery.db")
    with pytest.raises(GalleryError, match="this draft is too large to keep"):
        save_draft(store, "k", SavedDraft({"description": "x" * 600_000}))
    assert load_draft(store, "k") is None
