"""The collection of published remixes: storage, credits, lineage, moderation, packs, export.

Never imports streamlit. Every operation is one call taking the process's `Store`
(`open_store(settings=...)` with the Settings a shell read); reads use the calling thread's own connection, writes the single writer.
"""
from gallery.backup import backup, integrity_check
from gallery.config import Settings
from gallery.db import Store, close_store, open_store
from gallery.errors import GalleryError, WrongKeyError
from gallery.framestore import fork_frame, frame_info, get_frame, install_bundled, list_frames, publish_frame
from gallery.lineage import frame_lineage, remix_lineage
from gallery.moderation import client_address, moderate, moderation_log, open_reports, report_remix
from gallery.packs import import_pack, pack_frame
from gallery.queries import counts, get_remix, image, languages, list_remixes, remix_ref, search
from gallery.remixes import delete_remix, publish_remix

__all__ = [
    "GalleryError", "Settings", "Store", "WrongKeyError", "backup", "client_address", "close_store", "counts",
    "delete_remix", "fork_frame",
    "frame_info", "frame_lineage", "get_frame", "get_remix", "image", "import_pack", "install_bundled",
    "integrity_check", "languages", "list_frames", "list_remixes", "moderate", "moderation_log", "open_reports", "open_store",
    "pack_frame", "publish_frame", "publish_remix", "remix_lineage", "remix_ref", "report_remix", "search",
]
