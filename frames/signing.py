"""Ed25519 signatures in the minisign format, so anyone can check a frame pack with standard tools.

A signature is minisign's prehashed kind ("ED": Ed25519 over the BLAKE2b-512 of the data) plus
its trusted comment, signed again with the first signature (the "global signature"), so
`minisign -Vm pack.json -P <public key>` verifies what frame-remix signed. Secret keys are kept
in our own one-line file (minisign's own secret-key file is password-encrypted, and an instance
signs unattended); they are made and read by `gallery.federation.identity`, never sent anywhere.
Pure: no files, no network, no clock.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from frames.errors import FrameRemixError

_PK_ALG = b"Ed"  # minisign's public-key algorithm tag
_SIG_PREHASHED = b"ED"  # minisign's signature tag for Ed25519 over BLAKE2b-512(data)
_SECRET_HEADER = "frame-remix ed25519 secret key v1"
MAX_COMMENT = 200
MAX_SIGNATURE_CHARS = 1024


class SignatureError(FrameRemixError):
    """A key or signature is malformed, or a signature does not match; nothing was trusted."""


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key with minisign's 8-byte key id."""

    key_id: bytes
    raw: bytes

    def text(self) -> str:
        """The one-line base64 form (`minisign -P` takes it; our JSON documents carry it)."""
        return base64.b64encode(_PK_ALG + self.key_id + self.raw).decode("ascii")

    @property
    def id_hex(self) -> str:
        """The key id as minisign prints it (little-endian, upper case)."""
        return self.key_id[::-1].hex().upper()

    def file_text(self) -> str:
        """A `minisign.pub` file's content."""
        return f"untrusted comment: minisign public key {self.id_hex}\n{self.text()}\n"

    @classmethod
    def from_text(cls, text: str) -> PublicKey:
        """Parse the one-line form or a whole `minisign.pub` file; raise SignatureError otherwise."""
        lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
        line = lines[-1] if lines else ""
        blob = _b64(line, 42, "public key")
        if blob[:2] != _PK_ALG:
            raise SignatureError("this public key is not an Ed25519 minisign key")
        return cls(blob[2:10], blob[10:])


@dataclass(frozen=True)
class SecretKey:
    """An Ed25519 secret seed with the key id of its public half. Never leaves the data folder."""

    key_id: bytes
    seed: bytes

    @property
    def public(self) -> PublicKey:
        raw = Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublicKey(self.key_id, raw)

    def file_text(self) -> str:
        return f"{_SECRET_HEADER}\n{base64.b64encode(self.key_id + self.seed).decode('ascii')}\n"

    @classmethod
    def from_file_text(cls, text: str) -> SecretKey:
        lines = text.strip().splitlines()
        if len(lines) != 2 or lines[0].strip() != _SECRET_HEADER:
            raise SignatureError("this is not a frame-remix secret key file")
        blob = _b64(lines[1].strip(), 40, "secret key")
        return cls(blob[:8], blob[8:])


def generate_key() -> SecretKey:
    """A fresh key pair; its id is derived from the public key, so it is stable and collision-poor."""
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes_raw()
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return SecretKey(hashlib.blake2b(raw, digest_size=8).digest(), seed)


def sign(secret: SecretKey, data: bytes, *, trusted_comment: str = "", untrusted_comment: str = "signed by frame-remix") -> str:
    """A minisign signature file's text for `data` (prehashed Ed25519 + signed trusted comment)."""
    private = Ed25519PrivateKey.from_private_bytes(secret.seed)
    trusted = _comment(trusted_comment)
    signature = private.sign(_prehash(data))
    global_signature = private.sign(signature + trusted.encode())
    return (f"untrusted comment: {_comment(untrusted_comment)}\n"
            f"{base64.b64encode(_SIG_PREHASHED + secret.key_id + signature).decode('ascii')}\n"
            f"trusted comment: {trusted}\n"
            f"{base64.b64encode(global_signature).decode('ascii')}\n")


def verify(public: PublicKey, data: bytes, signature_text: str) -> str:
    """Check a minisign signature of `data` by `public`; return its trusted comment.

    Raises SignatureError with one sentence when the signature is malformed, made by another
    key, or does not match the data or its trusted comment.
    """
    if not isinstance(signature_text, str) or len(signature_text) > MAX_SIGNATURE_CHARS:
        raise SignatureError("the signature is missing or too long")
    lines = signature_text.strip("\n").split("\n")
    if len(lines) != 4 or not lines[0].startswith("untrusted comment:") or not lines[2].startswith("trusted comment: "):
        raise SignatureError("the signature is not in minisign's format")
    blob = _b64(lines[1].strip(), 74, "signature")
    if blob[:2] != _SIG_PREHASHED:
        raise SignatureError("the signature is not a prehashed Ed25519 (minisign 'ED') signature")
    if blob[2:10] != public.key_id:
        raise SignatureError(f"the signature was made by another key than {public.id_hex}")
    trusted = lines[2][len("trusted comment: "):]
    global_signature = _b64(lines[3].strip(), 64, "signature")
    key = Ed25519PublicKey.from_public_bytes(public.raw)
    try:
        key.verify(blob[10:], _prehash(data))
        key.verify(global_signature, blob[10:] + trusted.encode())
    except InvalidSignature:
        raise SignatureError(f"the signature does not match: the data was changed after key {public.id_hex} signed it") from None
    return trusted


def _prehash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=64).digest()


def _comment(text: str) -> str:
    """One line, bounded: a comment can never add a line to the signature file."""
    return " ".join(str(text).split())[:MAX_COMMENT]


def _b64(text: str, length: int, what: str) -> bytes:
    try:
        blob = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"the {what} is not valid base64") from None
    if len(blob) != length:
        raise SignatureError(f"the {what} has the wrong length")
    return blob
