"""Publishing and deleting remixes: the row and its images commit together or not at all.

`publish_remix` is the one publish path of every shell: it renders the participant's input
through `remix.pipeline` itself, so stored values and stored pixels cannot drift apart.
Rendering happens before the write transaction, which then only inserts rows (a few ms), so a
publish never holds the writer while Pillow works. A retried publish (the same idempotency key,
a double click) returns the first remix and the same delete key instead of storing a second one.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlite_utils import Database

from frames.errors import Problem
from frames.localize import languages
from frames.model import Frame
from gallery.clock import now_iso
from gallery.db import Store
from gallery.errors import GalleryError, WrongKeyError
from gallery.federation.outbox import append_remix, append_tombstone
from gallery.federation.records import origin
from gallery.framestore import ensure_installed
from gallery.keys import derived_key, hash_key, is_admin, key_matches, new_id, new_key
from gallery.models import PublishedRemix
from remix.errors import RemixError
from remix.photo import Photo
from remix.pipeline import Remix, formats_for, render_remix
from remix.render import RenderOptions
from remix.textnorm import normalize_name, normalize_text
from remix.values import clean_values

PLACE_FIELDS = ("place", "city", "town")
MAX_PLACE = 80
_MEDIA = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
DEFAULT_OPTIONS = RenderOptions()
CONSENT_NEEDED = "publishing needs your consent: tick the box that lets the gallery show this remix"
SHOWN_FORMATS = ("card", "square")  # where one picture stands for a remix (share previews, federation thumbnails)
_INSTANCE = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
_REMOTE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class PreparedRemix:
    """Everything a remix row needs, cleaned and rendered before the transaction (a `Draft` is
    something else: a frame an organizer is still editing)."""

    frame: Frame
    values: dict[str, str]
    maker: str
    place: str
    language: str
    remix_of: str | None
    rendered: Remix
    request_digest: str
    remix_of_instance: str | None = None


def publish_remix(
    store: Store, frame: Frame, values: Mapping[str, str], *, consent: bool, photo: bytes | Photo | None = None,
    options: RenderOptions = DEFAULT_OPTIONS, place: str = "", remix_of: str | None = None,
    idempotency_key: str | None = None, strict: bool = False, remix_of_instance: str | None = None,
) -> PublishedRemix:
    """Clean the participant's input, render it through `remix.pipeline` and store the remix with
    its images; returns its delete key once.

    Callers hand over input, never images: the stored pixels are always rendered here from the
    stored values (`photo` may be the caller's cached decoded `Photo`). `options` carries the
    language, the maker's name, the public URL and the photo's focus and zoom. Status is
    'published', or 'pending' when the frame asks its organizer to approve first. `strict`
    refuses values for fields the frame does not have (a typo on the command line).
    `remix_of_instance` names the instance (its address) of a parent remix that lives elsewhere;
    only a local parent (None) must exist here. A published remix is announced to followers
    (gallery.federation.outbox) in the same transaction.
    """
    instance = remote_instance(remix_of, remix_of_instance, store.settings.public_url)
    prepared = prepare_remix(frame, values, photo, options, place=place, remix_of=remix_of, strict=strict,
                             consent=consent, remix_of_instance=instance)
    secret = store.instance_secret()
    key = derived_key(secret, "delete", idempotency_key) if idempotency_key else new_key()
    idem = hash_key("idempotency:" + idempotency_key) if idempotency_key else None
    with store.write() as db:
        retry = _retry(db, idem, prepared.request_digest, key)
        if retry is not None:
            return retry
        ensure_installed(db, frame)
        if instance is None:
            _check_parent(db, remix_of)
        status = "pending" if frame.manifest.moderation == "approve" else "published"
        remix_id = _insert(db, prepared, status, key, idem)
        append_remix(db, store.settings, remix_id)
    return PublishedRemix(remix_id, status, key)


def remote_instance(remix_of: str | None, instance: str | None, public_url: str = "") -> str | None:
    """The origin (scheme://host[:port]) of a parent remix on another instance, checked; None for a
    local parent (no instance given, or this instance's own public address)."""
    if not instance or not remix_of:
        return None
    found = origin(instance.strip())
    if len(instance) > 300 or any(c.isspace() for c in instance.strip()) or not _INSTANCE.match(found):
        raise GalleryError(f"'{instance[:100]}' is not an instance address; give it like https://remix.example.org")
    if not _REMOTE_ID.match(remix_of):
        raise GalleryError(f"'{remix_of[:100]}' is not a remix id; copy it from the remix's address on its instance")
    return None if public_url and found == origin(public_url) else found


def prepare_remix(frame: Frame, values: Mapping[str, str], photo: bytes | Photo | None, options: RenderOptions, *,
                  place: str, remix_of: str | None, strict: bool = False, consent: bool = True,
                  remix_of_instance: str | None = None) -> PreparedRemix:
    """Check every input (all problems at once: consent, values, language), then render every
    format (outside any transaction)."""
    problems = [] if consent else [Problem("", CONSENT_NEEDED, "consent")]
    try:
        clean = clean_values(frame.manifest, values, strict=strict, require=True)
    except RemixError as exc:
        raise GalleryError(problems + exc.problems) if problems else exc from None
    language = options.lang or frame.manifest.language
    if language not in languages(frame.manifest):
        problems.append(Problem("", f"this frame is not translated into '{language}'; "
                                    f"use one of: {', '.join(languages(frame.manifest))}", "language"))
    if problems:
        raise GalleryError(problems)
    maker = normalize_name(options.maker)
    place = normalize_text(place, multiline=False, max_chars=MAX_PLACE) or place_from(clean)
    rendered = render_remix(frame, clean, photo, formats_for(frame, None), replace(options, lang=language, maker=maker))
    request = json.dumps([frame.id, frame.version, clean, maker, place, language, remix_of]
                         + ([remix_of_instance] if remix_of_instance else []), sort_keys=True)
    return PreparedRemix(frame, clean, maker, place, language, remix_of or None, rendered,
                         hashlib.sha256(request.encode()).hexdigest(), remix_of_instance if remix_of else None)


def place_from(values: Mapping[str, str]) -> str:
    """The place a remix names in its own fields (place, city or town), when none is given."""
    return next((values[f][:MAX_PLACE] for f in PLACE_FIELDS if values.get(f)), "")


def _retry(db: Database, idem: str | None, digest: str, key: str) -> PublishedRemix | None:
    if idem is None:
        return None
    row = db.execute("SELECT id, status, request_digest FROM remixes WHERE idempotency_hash = ?", [idem]).fetchone()
    if row is None:
        return None
    if row[2] != digest:
        raise GalleryError([Problem("", "this publish button was already used for a different remix; reload the page "
                                        "and publish again", "idempotency")])
    return PublishedRemix(row[0], row[1], key, duplicate=True)


def _check_parent(db: Database, remix_of: str | None) -> None:
    if remix_of and db.execute("SELECT 1 FROM remixes WHERE id = ?", [remix_of]).fetchone() is None:
        raise GalleryError(f"the remix '{remix_of}' this one is based on does not exist in this gallery")


def _insert(db: Database, d: PreparedRemix, status: str, key: str, idem: str | None) -> str:
    remix_id = new_id()
    story = story_of(d.frame, d.values)
    cur = db.execute(
        """INSERT INTO remixes (id, frame_id, frame_version, frame_title, values_json, texts_json, maker, place,
           place_key, language, story, created, status, remix_of, consent, delete_key_hash, idempotency_hash,
           request_digest, remix_of_instance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)""",
        [remix_id, d.frame.id, d.frame.version, d.frame.title, json.dumps(d.values, ensure_ascii=False),
         json.dumps(d.rendered.texts.as_json(), ensure_ascii=False), d.maker, d.place, place_key(d.place),
         d.language, story, now_iso(), status, d.remix_of, hash_key(key), idem, d.request_digest,
         d.remix_of_instance],
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


def best_format(formats: Sequence[str]) -> str:
    """The format that stands for a remix where one picture fits (a card, else a square, else the first)."""
    return next((f for f in SHOWN_FORMATS if f in formats), formats[0])


def place_key(place: str) -> str:
    """How places are compared in filters: case- and width-insensitive."""
    return normalize_text(place, multiline=False, max_chars=MAX_PLACE).casefold()


def delete_remix(store: Store, remix_id: str, key: str) -> None:
    """Delete a remix with its private delete key (or the admin key), leaving a tombstone.

    The images, values, texts, name and place are erased; the id, frame and `remix_of` stay so
    remixes based on it still show "based on a removed remix". If followers were told about it,
    its record leaves the outbox and a signed tombstone is announced, in the same transaction.
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
        append_tombstone(db, store.settings, remix_id)
        log(db, remix_id, row[3], "delete", "deleted by its maker" if actor == "maker" else "deleted by the admin", actor)


def erase(db: Database, seq: int) -> None:
    db.execute("DELETE FROM remix_images WHERE remix_seq = ?", [seq])
    db.execute("DELETE FROM reports WHERE remix_seq = ?", [seq])
    db.execute("""UPDATE remixes SET status = 'deleted', values_json = '{}', texts_json = '{}', maker = '',
                  place = '', place_key = '', story = '' WHERE seq = ?""", [seq])


def log(db: Database, remix_id: str | None, frame_id: str | None, action: str, reason: str, actor: str) -> None:
    db.execute("INSERT INTO moderation_log (remix_id, frame_id, action, reason, actor, created) VALUES (?, ?, ?, ?, ?, ?)",
               [remix_id, frame_id, action, reason, actor, now_iso()])

