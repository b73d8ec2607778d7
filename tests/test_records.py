"""Signed records: a follower takes a record only when it is well formed, signed by the pinned key
and about the peer's own instance."""
from __future__ import annotations

import json
from typing import Any

import pytest

from frames.signing import generate_key, sign
from gallery.federation.records import (
    FrameRef,
    RecordError,
    RemixRecord,
    TombstoneRecord,
    canonical_json,
    open_envelope,
    seal,
)

KEY = generate_key()
PEER = "http://127.0.0.1:8601"


def _remix(**changes: Any) -> RemixRecord:
    fields: dict[str, Any] = dict(
        id="r_1-x", instance=PEER, frame=FrameRef(id="climate", version=2, pack="sha256-" + "a" * 64),
        frame_title="Climate ✊", images={"square": "sha256-" + "b" * 64},
        thumbnail=f"{PEER}/federation/remixes/r_1-x/thumb.jpg", page=f"{PEER}/gallery?remix=r_1-x",
        maker="مريم", place="Lagos", language="ar", created="2026-12-01T07:30:00Z")
    return RemixRecord(**{**fields, **changes})


def _wire(envelope: dict) -> dict:
    """What a follower receives: the envelope after a trip through JSON text."""
    return json.loads(json.dumps(envelope))


def test_a_sealed_record_opens_to_the_same_record() -> None:
    record = _remix()
    assert open_envelope(_wire(seal(KEY, record)), KEY.public, PEER + "/") == record
    tomb = TombstoneRecord(id="r_1-x", instance=PEER, deleted="2026-12-01T08:00:00Z")
    assert open_envelope(_wire(seal(KEY, tomb)), KEY.public, PEER) == tomb


def test_canonical_json_is_key_order_free_and_utf8() -> None:
    assert canonical_json({"b": 1, "a": "ä"}) == canonical_json({"a": "ä", "b": 1}) == '{"a":"ä","b":1}'.encode()
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def _changed(envelope: dict, path: str, value: Any) -> dict:
    out = _wire(envelope)
    target = out
    *parents, last = path.split(".")
    for part in parents:
        target = target[part]
    target[last] = value
    return out


@pytest.mark.parametrize("mutate, sentence", [
    (lambda e: _changed(e, "record.maker", "someone else"), "the record's signature does not check"),
    (lambda e: _changed(e, "signature", seal(generate_key(), _remix())["signature"]), "the record's signature does not check"),
    (lambda e: {"record": e["record"]}, "the feed item carries no frame-remix record"),
    (lambda e: _changed(e, "record", ["not", "an", "object"]), "the feed item's record is not an object"),
    (lambda e: "hello", "the feed item carries no frame-remix record"),
])
def test_forged_or_malformed_envelopes_are_refused(mutate, sentence: str) -> None:
    with pytest.raises(RecordError, match="^" + sentence):
        open_envelope(mutate(seal(KEY, _remix())), KEY.public, PEER)


def test_a_record_of_unknown_type_is_refused() -> None:
    body = {"type": "announce", "id": "x"}
    with pytest.raises(RecordError, match=r"^the record is malformed at type"):
        open_envelope({"record": body, "signature": sign(KEY, canonical_json(body))}, KEY.public, PEER)


def test_a_validly_signed_but_malformed_record_is_refused() -> None:
    body = _remix().model_dump(mode="json") | {"maker": "x" * 500}
    envelope = {"record": body, "signature": sign(KEY, canonical_json(body))}
    with pytest.raises(RecordError, match=r"^the record is malformed at maker: String should have at most 80"):
        open_envelope(envelope, KEY.public, PEER)


def test_a_record_about_another_instance_is_refused() -> None:
    other = _remix(instance="http://127.0.0.1:9999", thumbnail="http://127.0.0.1:9999/t.jpg",
                   page="http://127.0.0.1:9999/gallery?remix=r_1-x")
    with pytest.raises(RecordError, match=r"speaks for http://127\.0\.0\.1:9999, not for the peer http://127\.0\.0\.1:8601"):
        open_envelope(_wire(seal(KEY, other)), KEY.public, PEER)


def test_links_must_stay_on_the_records_instance() -> None:
    with pytest.raises(ValueError, match="must be on the record's own instance"):
        _remix(thumbnail="http://evil.example/t.jpg")
