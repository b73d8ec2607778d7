"""Publishing and deleting remixes: the row and its images commit together or not at all.

Rendering happens before the write transaction, which then only inserts rows (a few ms), so a
publish never holds the writer while Pillow works. A retried publish (the same idempotency key,
a double click) returns the first remix and the same delete key instead of storing a second one.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Mapping

from sqlite_utils import Database

from frames.localize import languages
from frames.pack import Frame
from gallery.clock import now_iso
from gallery.db import Store
from gallery.errors import GalleryError, WrongKeyError
from gallery.framestore import ensure_installed
from gallery.keys import derived_key, hash_key, is_admin, key_matches, new_id, new_key
from gallery.models import PublishedRemix
from remix.photo import Photo
from remix.pipeline import Remix, make_remix
from remix.render import RenderOptions
from remix.textnorm import normalize_name, normalize_text
from remix.values import clean_values

PLACE_FIELDS = ("place", "city", "town")
MAX_PLACE = 80
_MEDIA = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@dataclass(frozen=True)
class Draft:
    """Everything a remix row needs, computed before the transaction."""

    frame: Frame
    values: dict[str, str]
    maker: str
    place: str
    language: str
    remix_of: str | None
    rendered: Remix
    request_digest: str


def publish_remix(
    store: Store, frame: Frame, values: Mapping[str, str], *, consent: bool, photo: bytes | Photo | None = None,
    rendered: Remix | None = None, maker: str = "", place: str = "", lang: str | None = None,
    remix_of: str | None = None, idempotency_key: str | None = None, public_url: str = "", strict: bool = False,
) -> PublishedRemix:
    """Render (unless `rendered` is given) and store a remix with its images; returns its delete key once.

    Status is 'published', or 'pending' when the frame asks its organizer to approve first.
    `strict` refuses values for fields the frame does not have (a typo on the command line).
    """
    if not consent:
        raise GalleryError("publishing needs your consent: tick the box that lets the gallery show this remix")
    draft = make_draft(frame, values, maker=maker, place=place, lang=lang, remix_of=remix_of,
                       rendered=rendered, photo=photo, public_url=public_url, strict=strict)
    secret = store.instance_secret()
    key = derived_key(secret, "delete", idempotency_key) if idempotency_key else new_key()
    idem = hash_key("idempotency:" + idempotency_key) if idempotency_key else None
    with store.write() as db:
        retry = _retry(db, idem, draft.request_digest, key)
        if retry is not None:
            return retry
        ensure_installed(db, frame)
        _check_parent(db, remix_of)
        status = "pending" if frame.manifest.moderation == "approve" else "published"
        remix_id = _insert(db, draft, status, key, idem)
    return PublishedRemix(remix_id, status, key)


def make_draft(frame: Frame, values: Mapping[str, str], *, maker: str, place: str, lang: str | None,
               remix_of: str | None, rendered: Remix | None, photo: bytes | Photo | None,
               public_url: str = "", strict: bool = False) -> Draft:
    """Clean every input and render (outside any transaction)."""
    clean = clean_values(frame.manifest, values, strict=strict, require=True)
    language = lang or frame.manifest.language
    if language not in languages(frame.manifest):
        raise GalleryError(f"this frame is not translated into '{language}'; use one of: {', '.join(languages(frame.manifest))}")
    maker = normalize_name(maker)
    place = normalize_text(place, multiline=False, max_chars=MAX_PLACE) or place_from(clean)
    if rendered is None:
        rendered = make_remix(frame, clean, photo, options=RenderOptions(lang=language, public_url=public_url, maker=maker))
    _check_rendered(frame, rendered)
    request = json.dumps([frame.id, frame.version, clean, maker, place, language, remix_of], sort_keys=True)
    return Draft(frame, clean, maker, place, language, remix_of or None, rendered,
                 hashlib.sha256(request.encode()).hexdigest())


def place_from(values: Mapping[str, str]) -> str:
    """The place a remix names in its own fields (place, city or town), when none is given."""
    return next((values[f][:MAX_PLACE] for f in PLACE_FIELDS if values.get(f)), "")


def _check_rendered(frame: Frame, rendered: Remix) -> None:
    if not rendered.images:
        raise GalleryError("there are no images to publish; render the remix first")
    for fmt, data in rendered.images.items():
        if fmt not in frame.manifest.formats or not data:
            raise GalleryError(f"the image for '{fmt}' does not belong to this frame; render the remix again")


def _retry(db: Database, idem: str | None, digest: str, key: str) -> PublishedRemix | None:
    if idem is None:
        return None
    row = db.execute("SELECT id, status, request_digest FROM remixes WHERE idempotency_hash = ?", [idem]).fetchone()
    if row is None:
        return None
    if row[2] != digest:
        raise GalleryError("this publish button was already used for a different remix; reload the page and publish again")
    return PublishedRemix(row[0], row[1], key, duplicate=True)


def _check_parent(db: Database, remix_of: str | None) -> None:
    if remix_of and db.execute("SELECT 1 FROM remixes WHERE id = ?", [remix_of]).fetchone() is None:
        raise GalleryError(f"the remix '{remix_of}' this one is based on does not exist in this gallery")


def _insert(db: Database, d: Draft, status: str, key: str, idem: str | None) -> str:
    remix_id = new_id()
    story = story_of(d.frame, d.values)
    cur = db.execute(
        """INSERT INTO remixes (id, frame_id, frame_version, frame_title, values_json, texts_json, maker, place,
           place_key, language, story, created, status, remix_of, consent, delete_key_hash, idempotency_hash,
           request_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)""",
        [remix_id, d.frame.id, d.frame.version, d.frame.title, json.dumps(d.values, ensure_ascii=False),
         json.dumps(d.rendered.texts.as_json(), ensure_ascii=False), d.maker, d.place, place_key(d.place),
         d.language, story, now_iso(), status, d.remix_of, hash_key(key), idem, d.request_digest],
    )
    for fmt, data in d.rendered.images.items():
        name = d.rendered.names.get(fmt, f"{fmt}.jpg")
        db.execute("INSERT INTO remix_images VALUES (?, ?, ?, ?, ?, ?)",
                   [cur.lastrowid, fmt, _MEDIA.get(name.rsplit(".", 1)[-1], "application/octet-stream"), name,
                    d.rendered.texts.alt.get(fmt, ""), data])
    return remix_id


def story_of(frame: Frame, values: Mapping[str, str]) -> str:
    """The participant's own words for cards and search: long-text fields (else the short ones but the place)."""
    fields = [f for f in frame.manifest.fields if f.kind == "long_text"] or \
        [f for f in frame.manifest.fields if f.kind == "text" and f.name not in PLACE_FIELDS]
    return "\n".join(values[f.name] for f in fields if values.get(f.name))


def place_key(place: str) -> str:
    """How places are compared in filters: case- and width-insensitive."""
    return normalize_text(place, multiline=False, max_chars=MAX_PLACE).casefold()


def delete_remix(store: Store, remix_id: str, key: str) -> None:
    """Delete a remix with its private delete key (or the admin key), leaving a tombstone.

    The images, values, texts, name and place are erased; the id, frame and `remix_of` stay so
    remixes based on it still show "based on a removed remix".
    """
    with store.write() as db:
        row = db.execute("SELECT seq, delete_key_hash, status, frame_id FROM remixes WHERE id = ?", [remix_id]).fetchone()
        if row is None:
            raise GalleryError(f"there is no remix '{remix_id}' in this gallery")
        actor = "admin" if is_admin(key, store.settings.admin_key) else "maker" if key_matches(key, row[1]) else None
        if actor is None:
            raise WrongKeyError("that delete key does not match this remix; use the private link you got when you published it")
        if row[2] == "deleted":
            return
        erase(db, row[0])
        log(db, remix_id, row[3], "delete", "deleted by its maker" if actor == "maker" else "deleted by the admin", actor)


def erase(db: Database, seq: int) -> None:
    db.execute("DELETE FROM remix_images WHERE remix_seq = ?", [seq])
    db.execute("DELETE FROM reports WHERE remix_seq = ?", [seq])
    db.execute("""UPDATE remixes SET status = 'deleted', values_json = '{}', texts_json = '{}', maker = '',
                  place = '', place_key = '', story = '' WHERE seq = ?""", [seq])


def log(db: Database, remix_id: str | None, frame_id: str | None, action: str, reason: str, actor: str) -> None:
    db.execute("INSERT INTO moderation_log (remix_id, frame_id, action, reason, actor, created) VALUES (?, ?, ?, ?, ?, ?)",
               [remix_id, frame_id, action, reason, actor, now_iso()])

