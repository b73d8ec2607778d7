"""Frame packs between instances: export a stored frame as a .zip, import one atomically.

Import reads the zip only into memory (`frames.pack.read_zip` refuses traversal, links,
duplicates, encryption, odd compression, too many or too large entries, bombs and overlaps)
and validates the manifest whole (NaN, duplicate keys, deep nesting, unknown schema versions;
assets can only be members of the zip, so there is no URL to fetch). Credits and `derived_from`
in an imported manifest are kept as the pack's claim, never as this instance's own record,
and an import never replaces a version this instance already holds.
"""
from __future__ import annotations

from frames.pack import MAX_TOTAL_BYTES, frame_from_files, read_zip, write_zip
from gallery.db import Store
from gallery.errors import GalleryError, WrongKeyError
from gallery.framestore import add_version, authorize_frame, frame_row, get_frame, insert_frame, is_bundled, refuse_bundled_id
from gallery.keys import new_key
from gallery.models import PublishedFrame


def pack_frame(store: Store, frame_id: str, version: int | None = None) -> bytes:
    """A stored frame version (latest by default) as frame pack .zip bytes. Read-only."""
    return write_zip(get_frame(store, frame_id, version))


def import_pack(store: Store, data: bytes, *, key: str | None = None, source: str = "pack.zip") -> PublishedFrame:
    """Add a frame pack to the gallery in one transaction, or change nothing.

    A new id is created as 'imported' and its owner key returned; the same version with the same
    content is a no-op; a newer version needs the owner or admin key; other content under a
    version this gallery already holds is refused.
    """
    if len(data) > MAX_TOTAL_BYTES:
        raise GalleryError(f"the pack is larger than {MAX_TOTAL_BYTES // 2**20} MB; it was not imported")
    frame = frame_from_files(read_zip(data), source)
    refuse_bundled_id(frame)
    with store.write() as db:
        row = frame_row(db, frame.id)
        if row is None:
            owner_key = None if is_bundled(frame) else new_key()
            insert_frame(db, frame, origin="bundled" if owner_key is None else "imported", owner_key=owner_key)
            return PublishedFrame(frame.id, frame.version, owner_key)
        stored = db.execute("SELECT digest FROM frame_versions WHERE frame_id = ? AND version = ?",
                            [frame.id, frame.version]).fetchone()
        if stored is not None and stored[0] == frame.digest:
            return PublishedFrame(frame.id, frame.version, unchanged=True)
        if stored is not None:
            raise GalleryError(f"this gallery already holds '{frame.id}' v{frame.version} with other content and keeps its own; "
                               "fork the frame under a new id instead")
        try:
            authorize_frame(db, frame.id, key, store.settings.admin_key)
        except WrongKeyError:
            raise WrongKeyError(f"'{frame.id}' already exists here; adding version {frame.version} needs its owner key "
                                "or the admin key") from None
        return add_version(db, frame, row)
