"""Signed, content-addressed frame packs: the `pack.json` manifest, its id and its signature.

`pack.json` lists the sha256 of every other member of a pack (frame.toml and each asset), the
public key of the frame's owner and, for a fork, the parent pack and the parent's key. It is
kept in canonical JSON (sorted keys, no spaces, UTF-8), so its sha256 is the pack's id and
the bytes a person checks with `minisign -Vm pack.json -P KEY` are the bytes that were hashed.
`pack.json.minisig` is the owner's minisign signature; its trusted comment names the frame,
the version and the pack id, so a signature cannot be moved to another pack.

A pack without `pack.json` (older packs, hand-made ones) is unsigned: `check_pack` says so by
returning None, and callers show it as such. Pure: no files, no database, no clock.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from frames.errors import FrameError
from frames.model import Frame
from frames.signing import PublicKey, SecretKey, SignatureError, sign, verify

PACK_FORMAT = "frame-remix-pack/1"
PACK_MANIFEST = "pack.json"
PACK_SIGNATURE = "pack.json.minisig"
PACK_MEMBERS = frozenset({PACK_MANIFEST, PACK_SIGNATURE})
MAX_PACK_MANIFEST_BYTES = 256 * 1024
REFUSED = "the pack was refused"

_Hash = Annotated[str, StringConstraints(pattern=r"^sha256-[0-9a-f]{64}$")]
_Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
_KeyText = Annotated[str, StringConstraints(min_length=56, max_length=64)]
_Version = Annotated[int, Field(ge=1, le=1_000_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class AdaptedFrom(_Strict):
    """The parent of a fork: its pack id, the key that signed it, its frame and version, its home."""

    pack: _Hash
    key: _KeyText
    frame: _Id
    version: _Version
    instance: Annotated[str, StringConstraints(max_length=300, pattern=r"^https?://[^\s]+$")] | None = None


class PackManifest(_Strict):
    format: Literal["frame-remix-pack/1"]
    frame: _Id
    version: _Version
    files: Annotated[dict[Annotated[str, StringConstraints(max_length=200)], _Hash], Field(min_length=1, max_length=200)]
    key: _KeyText
    adapted_from: AdaptedFrom | None = None


@dataclass(frozen=True)
class SignedPack:
    """A pack manifest whose files and signature were checked: its bytes, id, signature and key."""

    manifest: PackManifest
    data: bytes
    signature: str
    pack_id: str

    @property
    def key(self) -> PublicKey:
        return PublicKey.from_text(self.manifest.key)


def canonical_json(value: Any) -> bytes:
    """The one byte form that is hashed and signed: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def file_hash(data: bytes) -> str:
    return "sha256-" + hashlib.sha256(data).hexdigest()


def pack_id(manifest_bytes: bytes) -> str:
    """A pack's id: the sha256 of its canonical pack.json."""
    return file_hash(manifest_bytes)


def trusted_comment(frame_id: str, version: int, the_pack_id: str) -> str:
    return f"frame-remix pack {frame_id} v{version} {the_pack_id}"


def frame_members(frame: Frame) -> dict[str, bytes]:
    """The members a pack of `frame` holds besides pack.json and its signature."""
    from frames.manifest import MANIFEST_NAME

    return {MANIFEST_NAME: frame.manifest_bytes, **frame.assets}


def build_manifest(frame: Frame, key: PublicKey, adapted_from: AdaptedFrom | None = None) -> bytes:
    """The canonical pack.json of `frame`, owned by `key`, optionally naming the pack it adapts."""
    body = {"format": PACK_FORMAT, "frame": frame.id, "version": frame.version,
            "files": {name: file_hash(data) for name, data in sorted(frame_members(frame).items())},
            "key": key.text(), "adapted_from": adapted_from.model_dump() if adapted_from else None}
    return canonical_json(body)


def sign_manifest(secret: SecretKey, manifest_bytes: bytes) -> str:
    """pack.json.minisig for a pack.json made by `build_manifest` (its frame and version go into the trusted comment)."""
    body = json.loads(manifest_bytes)
    return sign(secret, manifest_bytes, trusted_comment=trusted_comment(body["frame"], body["version"], pack_id(manifest_bytes)),
                untrusted_comment=f"frame-remix pack signed by key {secret.public.id_hex}")


def check_pack(files: Mapping[str, bytes]) -> SignedPack | None:
    """Check a pack's members against its pack.json and its signature; None for an unsigned pack.

    Raises FrameError with one sentence when pack.json is malformed or not canonical, a member is
    missing, extra or changed, or the signature does not check under the key pack.json names.
    """
    if PACK_MANIFEST not in files:
        if PACK_SIGNATURE in files:
            raise FrameError(f"the pack has {PACK_SIGNATURE} but no {PACK_MANIFEST}; {REFUSED}")
        return None
    if PACK_SIGNATURE not in files:
        raise FrameError(f"the pack has {PACK_MANIFEST} but no signature ({PACK_SIGNATURE}); {REFUSED}")
    data = files[PACK_MANIFEST]
    manifest = parse_manifest(data)
    _check_files(manifest, files)
    signature = _signature_text(files[PACK_SIGNATURE])
    the_id = pack_id(data)
    check_signature(manifest, data, signature, the_id)
    return SignedPack(manifest, data, signature, the_id)


def parse_manifest(data: bytes) -> PackManifest:
    """pack.json's fields, checked, from bytes that must be canonical JSON (so its hash is its id)."""
    if len(data) > MAX_PACK_MANIFEST_BYTES:
        raise FrameError(f"{PACK_MANIFEST} is larger than {MAX_PACK_MANIFEST_BYTES // 1024} KB; {REFUSED}")
    try:
        body = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
        canonical = canonical_json(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FrameError(f"{PACK_MANIFEST} is not valid JSON; {REFUSED}") from None
    if canonical != data:
        raise FrameError(f"{PACK_MANIFEST} is not in canonical form (sorted keys, no spaces), so its hash is not its id; {REFUSED}")
    try:
        return PackManifest.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the top level"
        raise FrameError(f"{PACK_MANIFEST} is malformed at {where}: {first['msg']}; {REFUSED}") from None


def _no_constant(name: str) -> None:
    raise ValueError(name)


def _check_files(manifest: PackManifest, files: Mapping[str, bytes]) -> None:
    """Every member except pack.json and its signature is listed with its hash, and nothing else is."""
    members = {name for name in files if name not in PACK_MEMBERS}
    extra, missing = sorted(members - set(manifest.files)), sorted(set(manifest.files) - members)
    if extra:
        raise FrameError(f"the pack holds '{_show(extra[0])}', which {PACK_MANIFEST} does not list; {REFUSED}")
    if missing:
        raise FrameError(f"the pack lacks '{_show(missing[0])}', which {PACK_MANIFEST} lists; {REFUSED}")
    for name in sorted(members):
        if file_hash(files[name]) != manifest.files[name]:
            raise FrameError(f"'{_show(name)}' does not match its hash in {PACK_MANIFEST} (changed after signing?); {REFUSED}")


def _signature_text(data: bytes) -> str:
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        raise FrameError(f"{PACK_SIGNATURE} is not a minisign signature; {REFUSED}") from None


def check_signature(manifest: PackManifest, data: bytes, signature: str, the_pack_id: str) -> None:
    """The signature checks under pack.json's key and its trusted comment names this very pack."""
    try:
        key = PublicKey.from_text(manifest.key)
        comment = verify(key, data, signature)
    except SignatureError as exc:
        raise FrameError(f"the pack's signature does not check ({exc}); {REFUSED}") from None
    if comment != trusted_comment(manifest.frame, manifest.version, the_pack_id):
        raise FrameError(f"the pack's signature was made for another pack (its trusted comment does not name this one); {REFUSED}")


def check_frame(signed: SignedPack, frame: Frame) -> None:
    """pack.json and frame.toml agree on the frame's id, version and the frame it adapts."""
    m = signed.manifest
    if (m.frame, m.version) != (frame.id, frame.version):
        raise FrameError(f"{PACK_MANIFEST} names '{m.frame}' v{m.version} but frame.toml is '{frame.id}' "
                         f"v{frame.version}; {REFUSED}")
    parent, claim = m.adapted_from, frame.manifest.derived_from
    if parent is None:
        return
    if claim is None or (claim.id, claim.version) != (parent.frame, parent.version):
        said = f"'{claim.id}' v{claim.version}" if claim else "nothing"
        raise FrameError(f"{PACK_MANIFEST} says the frame adapts '{parent.frame}' v{parent.version} but frame.toml's "
                         f"derived_from says {said}; {REFUSED}")
    if parent.instance and claim.instance and parent.instance.rstrip("/") != claim.instance.rstrip("/"):
        raise FrameError(f"{PACK_MANIFEST} and frame.toml's derived_from name different instances for "
                         f"'{parent.frame}'; {REFUSED}")


def _show(name: str) -> str:
    return name.encode("unicode_escape").decode("ascii")[:120]
