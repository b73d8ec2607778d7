"""What gallery calls return: small frozen records, never database rows or connections."""
from __future__ import annotations

from dataclasses import dataclass, field

from remix.credits import SEPARATOR, CreditFacts, credit_line, remix_by


@dataclass(frozen=True)
class FrameSource:
    """Where a frame says it came from. `claimed` is True when only an imported pack says so."""

    id: str
    version: int
    instance: str = ""
    title: str = ""
    organizer: str = ""
    claimed: bool = False


@dataclass(frozen=True)
class FrameInfo:
    id: str
    latest_version: int
    versions: tuple[int, ...]
    title: str
    organizer: str
    moderation: str
    origin: str
    created: str
    derived_from: FrameSource | None = None


@dataclass(frozen=True)
class PublishedFrame:
    """Result of publishing, forking or importing a frame. `owner_key` is shown once, then only its hash exists.
    `signed_by` and `pack_id`: the key id that signed an imported pack and the pack's id (None: unsigned, or not an import)."""

    id: str
    version: int
    owner_key: str | None = None
    unchanged: bool = False
    signed_by: str | None = None
    pack_id: str | None = None


@dataclass(frozen=True)
class ImageInfo:
    format: str
    media_type: str
    file_name: str
    alt: str


@dataclass(frozen=True)
class RemixSummary:
    """One gallery card: no image bytes (fetch those with `queries.image`)."""

    id: str
    seq: int
    frame_id: str
    frame_version: int
    frame_title: str
    maker: str
    place: str
    language: str
    story: str
    created: str
    status: str
    remix_of: str | None

    @property
    def credit_name(self) -> str:
        return self.maker or "anonymous"

    @property
    def removed(self) -> bool:
        return self.status != "published"


@dataclass(frozen=True)
class RemixRef:
    """A link to a remix in lineage; a removed one is a tombstone (no maker, no content).
    `instance` is the origin of a remix on another instance ('' here); its status is 'remote'
    (this instance only knows the id), and its page is `instance + "/share/" + id`."""

    id: str
    status: str
    maker: str = ""
    depth: int = 0
    instance: str = ""

    @classmethod
    def from_row(cls, row, depth: int = 0) -> RemixRef:
        """From (id, status, maker): the maker is only ever told while the remix is published."""
        return cls(row[0], row[1], row[2] if row[1] == "published" else "", depth)

    @property
    def removed(self) -> bool:
        return self.status not in ("published", "remote")

    @property
    def page_url(self) -> str:
        """Where a remix on another instance is seen (its share page there); '' for a local one."""
        return f"{self.instance}/share/{self.id}" if self.instance else ""

    @property
    def label(self) -> str:
        if self.instance and not self.removed:
            return remix_by(self.maker) if self.maker else f"a remix on {self.instance.split('://', 1)[-1]}"
        return "a removed remix" if self.removed else remix_by(self.maker)


@dataclass(frozen=True)
class Credits:
    maker: str
    frame_id: str
    frame_version: int
    frame_title: str
    organizer: str
    licence: str
    frame_source: FrameSource | None
    remix_of: RemixRef | None
    language: str = ""  # the remix's language: the line is worded in it

    @property
    def line(self) -> str:
        """The same credit line as on the remix's images (remix.credits), in the remix's language,
        then what the gallery knows of its lineage: a merely claimed source, the remix it is based on."""
        source = self.frame_source
        verified = source if source and not source.claimed else None
        parts = [credit_line(CreditFacts(
            self.frame_title, self.organizer, self.licence, "",
            (verified.title or verified.id) if verified else "", verified.organizer if verified else "",
        ), self.language or None), remix_by(self.maker, self.language or None)]
        if source and source.claimed:
            parts.append(f"says it adapts “{source.title or source.id}” v{source.version}")
        if self.remix_of:
            parts.append("based on " + self.remix_of.label)
        return SEPARATOR.join(parts)


@dataclass(frozen=True)
class RemixDetail:
    """A remix as its page shows it: card data, values, texts, images, credits."""

    summary: RemixSummary
    values: dict[str, str]
    post: dict[str, str]
    alt: dict[str, str]
    images: tuple[ImageInfo, ...]
    credits: Credits


@dataclass(frozen=True)
class StoredImage:
    data: bytes
    media_type: str
    file_name: str
    alt: str


@dataclass(frozen=True)
class PublishedRemix:
    """Result of publishing: the public id, the private delete key, and whether it was a retry."""

    id: str
    status: str
    delete_key: str
    duplicate: bool = False


@dataclass(frozen=True)
class Page:
    """One page of cards, newest first; pass `next_cursor` back to get the next page (None: last)."""

    items: tuple[RemixSummary, ...]
    next_cursor: int | None


@dataclass(frozen=True)
class Lineage:
    """A remix's family: parents up to the frame, the frame's own sources, and descendants."""

    remix: RemixRef
    ancestors: tuple[RemixRef, ...]
    frame_id: str
    frame_version: int
    frame_ancestors: tuple[FrameSource, ...]
    descendants: tuple[RemixRef, ...]
    truncated: bool = False


@dataclass(frozen=True)
class FrameLineage:
    frame_id: str
    ancestors: tuple[FrameSource, ...]
    forks: tuple[FrameSource, ...]


@dataclass(frozen=True)
class FrameCounts:
    frame_id: str
    remixes: int
    places: int
    languages: dict[str, int] = field(default_factory=dict)
    per_day: tuple[tuple[str, int], ...] = ()
    top_places: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ModerationEntry:
    remix_id: str | None
    frame_id: str | None
    action: str
    reason: str
    actor: str
    created: str
