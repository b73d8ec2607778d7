"""The instance's well-known document (`/.well-known/frame-remix.json`): who this instance is and
which keys speak for it, so a follower can pin the instance key, check frame packs and drop
what a revoked key signed. Public halves only: secret keys never leave the data folder.
"""
from __future__ import annotations

from typing import Any

from gallery.db import Store
from gallery.federation.identity import instance_key
from gallery.federation.keyring import frame_keys, revoked_keys

SOFTWARE = "frame-remix"
PROTOCOL = 1
WELL_KNOWN_PATH = "/.well-known/frame-remix.json"
FEED_PATH = "/federation/feed.json"


def well_known(store: Store, base_url: str) -> dict[str, Any]:
    """The document for an instance reached at `base_url` (the configured public URL, else the
    request's address, as the share pages decide). Makes the instance key on first use."""
    base = base_url.rstrip("/")
    key = instance_key(store.settings.data_dir).public
    return {
        "software": SOFTWARE,
        "protocol": PROTOCOL,
        "instance": base,
        "key": key.text(),
        "key_id": key.id_hex,
        "feed": base + FEED_PATH,
        "frame_keys": [{"frame": k.frame, "key": k.key.text()} for k in frame_keys(store.settings.data_dir)],
        "revoked": [{"key": r.key, "key_id": r.key_id, "revoked": r.revoked} for r in revoked_keys(store)],
    }
