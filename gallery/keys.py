"""Ownership without accounts: secret keys handed out once, stored only as hashes, checked in constant time.

Owner and delete keys are 192-bit random tokens, so a plain SHA-256 is a sound one-way store
(there is nothing to brute-force); the admin key comes from the instance's Settings and is never stored.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_key() -> str:
    """A fresh secret (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def new_id(nbytes: int = 9) -> str:
    """A public, unguessable, URL- and filename-safe id (12 characters)."""
    return secrets.token_urlsafe(nbytes)


def hash_key(key: str) -> str:
    return hashlib.sha256(("frame-remix:" + key).encode()).hexdigest()


def key_matches(key: str | None, stored_hash: str | None) -> bool:
    if not key or not stored_hash:
        return False
    return hmac.compare_digest(hash_key(key), stored_hash)


def is_admin(key: str | None, admin_key: str) -> bool:
    """True when `key` is the instance's admin key; an empty admin key makes nobody admin."""
    if not key or not admin_key:
        return False
    return hmac.compare_digest(key.encode(), admin_key.encode())


def derived_key(secret: str, purpose: str, value: str) -> str:
    """A key derived from an instance secret (so a retried request can be answered with the same key)."""
    digest = hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()
