"""Signed records: what one instance says to another about a frame, a remix or a delete.

A record is a small JSON object, checked field by field (types, lengths, id shapes, URLs on the
record's own instance), serialized canonically (sorted keys, no spaces, UTF-8) and signed with
the instance key in minisign's format. In a JSON Feed item it travels as
`item["_frame_remix"] = {"record": {...}, "signature": "<minisign signature text>"}`.
A follower trusts a record only after `open_envelope` checked it against the key it pinned for
that peer, and only if the record speaks about the peer's own instance.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError, field_validator

from frames.packsign import canonical_json
from frames.signing import PublicKey, SecretKey, SignatureError, sign, verify
from gallery.errors import GalleryError

FEED_EXTENSION = "_frame_remix"
MAX_RECORD_BYTES = 8 * 1024

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
PackId = Annotated[str, StringConstraints(pattern=r"^sha256-[0-9a-f]{64}$")]
ImageHash = Annotated[str, StringConstraints(pattern=r"^sha256-[0-9a-f]{64}$")]
Url = Annotated[str, StringConstraints(max_length=300, pattern=r"^https?://[^\s]+$")]
Text = Annotated[str, StringConstraints(max_length=200)]
Stamp = Annotated[str, StringConstraints(max_length=40, pattern=r"^\d{4}-\d{2}-\d{2}T[0-9:.+Z-]+$")]


class RecordError(GalleryError):
    """A peer's record is malformed, unsigned, forged or about another instance; nothing was stored."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class FrameRef(_Strict):
    id: Id
    version: int = Field(ge=1, le=1_000_000)
    pack: PackId | None = None


class RemixRef(_Strict):
    id: Id
    instance: Url


class AdaptedFrom(_Strict):
    """Where a frame pack was adapted from: the parent pack and the key that signed it."""

    pack: PackId
    key: Annotated[str, StringConstraints(max_length=64)]
    frame: Id
    version: int = Field(ge=1, le=1_000_000)
    instance: Url | None = None


class RemixRecord(_Strict):
    """A published remix on its home instance (metadata only: images stay at home)."""

    type: Literal["remix"] = "remix"
    id: Id
    instance: Url
    frame: FrameRef
    frame_title: Text
    remix_of: RemixRef | None = None
    images: dict[Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,32}$")], ImageHash] = Field(max_length=8)
    thumbnail: Url
    page: Url
    maker: Annotated[str, StringConstraints(max_length=80)]
    place: Annotated[str, StringConstraints(max_length=100)] = ""
    language: Annotated[str, StringConstraints(max_length=16)] = ""
    licence: Annotated[str, StringConstraints(max_length=100)] = ""
    created: Stamp

    @field_validator("thumbnail", "page")
    @classmethod
    def _on_home(cls, url: str, info: Any) -> str:
        instance = info.data.get("instance")
        if instance is not None and origin(url) != origin(instance):
            raise ValueError("must be on the record's own instance")
        return url


class TombstoneRecord(_Strict):
    """A remix deleted on its home instance: followers purge it and never take that id again."""

    type: Literal["tombstone"] = "tombstone"
    id: Id
    instance: Url
    deleted: Stamp


class FrameRecord(_Strict):
    """A frame version a peer offers; the pack itself is signed by its owner's key."""

    type: Literal["frame"] = "frame"
    id: Id
    version: int = Field(ge=1, le=1_000_000)
    instance: Url
    pack: PackId
    pack_url: Url
    key: Annotated[str, StringConstraints(max_length=64)]
    title: Text
    organizer: Annotated[str, StringConstraints(max_length=100)] = ""
    adapted_from: AdaptedFrom | None = None
    published: Stamp

    @field_validator("pack_url")
    @classmethod
    def _on_home(cls, url: str, info: Any) -> str:
        instance = info.data.get("instance")
        if instance is not None and origin(url) != origin(instance):
            raise ValueError("must be on the record's own instance")
        return url


Record = Annotated[RemixRecord | TombstoneRecord | FrameRecord, Field(discriminator="type")]
_RECORD: TypeAdapter[RemixRecord | TombstoneRecord | FrameRecord] = TypeAdapter(Record)


def origin(url: str) -> str:
    """scheme://host[:port] in lower case: what 'the same instance' means."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


def seal(secret: SecretKey, record: RemixRecord | TombstoneRecord | FrameRecord) -> dict[str, Any]:
    """The feed extension object for `record`, signed by `secret` (the instance key)."""
    body = record.model_dump(mode="json")
    data = canonical_json(body)
    return {"record": body, "signature": sign(secret, data, trusted_comment=f"frame-remix {record.type} {record.id}")}


def open_envelope(envelope: Any, key: PublicKey, peer_url: str) -> RemixRecord | TombstoneRecord | FrameRecord:
    """The record inside a feed extension object, checked: shape, size, signature by `key`, and
    that it speaks about `peer_url`'s own instance. Raises RecordError with one sentence."""
    if not isinstance(envelope, Mapping) or set(envelope) != {"record", "signature"}:
        raise RecordError("the feed item carries no frame-remix record")
    body = envelope["record"]
    if not isinstance(body, Mapping):
        raise RecordError("the feed item's record is not an object")
    try:
        data = canonical_json(body)
    except (TypeError, ValueError):
        raise RecordError("the feed item's record is not plain JSON") from None
    if len(data) > MAX_RECORD_BYTES:
        raise RecordError("the feed item's record is too large")
    try:
        verify(key, data, envelope["signature"])
    except SignatureError as exc:
        raise RecordError(f"the record's signature does not check: {exc}") from None
    try:
        record = _RECORD.validate_python(dict(body))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"][1:])) or "type"  # loc[0] is the record type's tag
        raise RecordError(f"the record is malformed at {where}: {first['msg']}") from None
    if origin(record.instance) != origin(peer_url):
        raise RecordError(f"the record speaks for {origin(record.instance)}, not for the peer {origin(peer_url)}")
    return record
