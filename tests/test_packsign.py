"""Signed, content-addressed frame packs: real zips, real SQLite, real Ed25519 signatures, checked
by this code and by the `minisign` tool itself."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import gallery
import gallery.packs
from frames import FrameError
from frames.packsign import build_manifest, canonical_json, pack_id, sign_manifest
from frames.signing import PublicKey, generate_key, sign
from gallery import GalleryError, import_pack, pack_frame
from gallery.db import Store
from gallery.federation.identity import instance_key
from gallery.federation.keyring import frame_key_path, revoke_key, show_keys
from gallery.packs import adapted_from_status
from tests.test_gallery_support import ADMIN, BUS, bus, variant

CHANGED_IMAGE = ("'assets/badge.png' does not match its hash in pack.json (changed after signing?); "
                 "the pack was refused")


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def rezip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def snapshot(store: Store) -> tuple:
    db = store.read()
    return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("frames", "frame_versions", "frame_assets", "assets", "packs"))


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    """A second instance: its own data folder, database and keys."""
    s = gallery.open_store(tmp_path / "other" / "gallery.db")
    yield s
    gallery.close_store(s)


@pytest.fixture
def published(store: Store) -> bytes:
    gallery.publish_frame(store, variant("bus-porto"))
    return pack_frame(store, "bus-porto")


def test_a_pack_carries_a_canonical_manifest_of_every_member(store: Store, published: bytes) -> None:
    files = members(published)
    manifest = json.loads(files["pack.json"])
    assert list(files)[:3] == ["pack.json", "pack.json.minisig", "frame.toml"]
    assert canonical_json(manifest) == files["pack.json"]
    assert set(manifest["files"]) == set(files) - {"pack.json", "pack.json.minisig"}
    assert manifest["format"] == "frame-remix-pack/1" and (manifest["frame"], manifest["version"]) == ("bus-porto", 1)
    own_key = frame_key_path(store.settings.data_dir, "bus-porto")
    assert own_key.exists() and oct(own_key.stat().st_mode & 0o777) == "0o600"
    assert manifest["key"] == show_keys(store).frames[0].key.text() and manifest["adapted_from"] is None
    assert f"frame-remix pack bus-porto v1 {pack_id(files['pack.json'])}" in files["pack.json.minisig"].decode()


def test_round_trip_keeps_the_pack_id_and_the_bytes(store: Store, other: Store, published: bytes) -> None:
    assert pack_frame(store, "bus-porto") == published  # the signature is kept, the zip is deterministic
    result = import_pack(other, published)
    assert result.signed_by == show_keys(store).frames[0].key.id_hex and result.owner_key
    assert pack_frame(other, "bus-porto") == published  # served as it came: same id on every instance
    assert import_pack(other, published).unchanged
    assert snapshot(other)[4] == 1


def test_minisign_verifies_an_exported_pack(tmp_path: Path, store: Store, published: bytes) -> None:
    tool = shutil.which("minisign")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("minisign is missing; .ci/run must install Debian's minisign")
        pytest.skip("minisign is not installed (apt-get install minisign)")
    files = members(published)
    (tmp_path / "pack.json").write_bytes(files["pack.json"])
    (tmp_path / "pack.json.minisig").write_bytes(files["pack.json.minisig"])
    key = json.loads(files["pack.json"])["key"]
    ok = subprocess.run([tool, "-Vm", "pack.json", "-P", key], cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert ok.returncode == 0, ok.stderr
    assert "Signature and comment signature verified" in ok.stderr + ok.stdout
    (tmp_path / "pack.json").write_bytes(files["pack.json"].replace(b"bus-porto", b"bus-pirto"))
    bad = subprocess.run([tool, "-Vm", "pack.json", "-P", key], cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert bad.returncode != 0


def _refused(store: Store, data: bytes) -> str:
    before = snapshot(store)
    with pytest.raises(FrameError) as info:
        import_pack(store, data)
    assert snapshot(store) == before
    assert len(info.value.problems) == 1
    return str(info.value)


def test_an_image_changed_after_signing_is_refused_with_one_sentence(other: Store, published: bytes) -> None:
    files = members(published)
    files["assets/badge.png"] = files["assets/badge.png"][:-12] + b"tampered!!!!"
    assert _refused(other, rezip(files)) == CHANGED_IMAGE


@pytest.mark.parametrize("change, sentence", [
    (lambda f: f.pop("assets/stripes.png"),
     "the pack lacks 'assets/stripes.png', which pack.json lists; the pack was refused"),
    (lambda f: f.update({"assets/extra.png": f["assets/badge.png"]}),
     "the pack holds 'assets/extra.png', which pack.json does not list; the pack was refused"),
    (lambda f: f.pop("pack.json.minisig"),
     "the pack has pack.json but no signature (pack.json.minisig); the pack was refused"),
    (lambda f: f.update({"pack.json": json.dumps(json.loads(f["pack.json"]), indent=1).encode()}),
     "pack.json is not in canonical form (sorted keys, no spaces), so its hash is not its id; the pack was refused"),
])
def test_missing_extra_unsigned_and_loose_manifests_are_refused(other: Store, published: bytes, change,
                                                                sentence: str) -> None:
    files = members(published)
    change(files)
    assert _refused(other, rezip(files)) == sentence


def test_a_forged_signature_is_refused(other: Store, published: bytes) -> None:
    files = members(published)
    forger = generate_key()
    manifest = json.loads(files["pack.json"])
    comment = f"frame-remix pack bus-porto v1 {pack_id(files['pack.json'])}"
    files["pack.json.minisig"] = sign(forger, files["pack.json"], trusted_comment=comment).encode()
    assert _refused(other, rezip(files)) == (
        f"the pack's signature does not check (the signature was made by another key than "
        f"{PublicKey.from_text(manifest['key']).id_hex}); the pack was refused")
    lines = members(published)["pack.json.minisig"].decode().split("\n")
    lines[2] = "trusted comment: frame-remix pack bus-porto v1 sha256-" + "0" * 64  # the global signature fails
    files["pack.json.minisig"] = "\n".join(lines).encode()
    assert "the data was changed after key" in _refused(other, rezip(files))


def test_a_signature_for_another_pack_is_refused(other: Store) -> None:
    frame = bus()
    secret = generate_key()
    data = build_manifest(frame, secret.public)
    wrong = sign(secret, data, trusted_comment=f"frame-remix pack {BUS} v1 sha256-" + "1" * 64)
    files = {"pack.json": data, "pack.json.minisig": wrong.encode(), "frame.toml": frame.manifest_bytes, **frame.assets}
    assert _refused(other, rezip(files)) == ("the pack's signature was made for another pack (its trusted comment "
                                             "does not name this one); the pack was refused")


def test_pack_json_that_disagrees_with_frame_toml_is_refused(other: Store, store: Store) -> None:
    frame = variant("bus-braga", version=2)
    secret = generate_key()
    data = build_manifest(frame, secret.public).replace(b'"version":2', b'"version":3')
    files = {"pack.json": data, "pack.json.minisig": sign_manifest(secret, data).encode(),
             "frame.toml": frame.manifest_bytes, **frame.assets}
    assert _refused(other, rezip(files)) == ("pack.json names 'bus-braga' v3 but frame.toml is 'bus-braga' v2; "
                                             "the pack was refused")


def test_a_pack_signed_by_a_revoked_key_is_refused(store: Store, other: Store, published: bytes) -> None:
    other.settings = replace(other.settings, admin_key=ADMIN)
    key = json.loads(members(published)["pack.json"])["key"]
    revoked = revoke_key(other, key, ADMIN)
    assert revoked.key == key
    before = snapshot(other)
    with pytest.raises(GalleryError) as info:
        import_pack(other, published)
    assert str(info.value) == (f"the pack is signed by key {revoked.key_id}, which this instance has revoked; "
                               "the pack was refused")
    assert snapshot(other) == before


def test_unsigned_packs_still_import_and_are_signed_by_their_new_key_here(store: Store, other: Store) -> None:
    from frames.pack import write_zip

    result = import_pack(other, write_zip(variant("bus-faro")))
    assert result.signed_by is None and result.owner_key
    own = frame_key_path(other.settings.data_dir, "bus-faro")
    assert own.exists()
    manifest = json.loads(members(pack_frame(other, "bus-faro"))["pack.json"])
    assert manifest["key"] == show_keys(other).frames[0].key.text()


def test_a_fork_names_its_parent_pack_and_is_verified_only_where_the_parent_is(store: Store, other: Store) -> None:
    gallery.fork_frame(store, BUS, "bus-lisboa", instance="https://one.example")
    fork = members(pack_frame(store, "bus-lisboa"))
    parent = members(pack_frame(store, BUS))
    adapted = json.loads(fork["pack.json"])["adapted_from"]
    assert adapted == {"pack": pack_id(parent["pack.json"]), "key": instance_key(store.settings.data_dir).public.text(),
                       "frame": BUS, "version": 1, "instance": "https://one.example"}
    assert adapted_from_status(store, "bus-lisboa", 1) == "verified"
    assert adapted_from_status(store, BUS, 1) is None
    import_pack(other, pack_frame(store, "bus-lisboa"))
    assert adapted_from_status(other, "bus-lisboa", 1) == "claimed"  # the parent pack is not here
    import_pack(other, pack_frame(store, BUS))  # the same bundled frame, signed by the first instance
    assert adapted_from_status(other, "bus-lisboa", 1) == "verified"


def test_a_revoked_instance_key_is_replaced_and_its_packs_no_longer_verify(store: Store) -> None:
    store.settings = replace(store.settings, admin_key=ADMIN)
    gallery.fork_frame(store, BUS, "bus-lisboa")
    old = instance_key(store.settings.data_dir).public
    old_pack = pack_frame(store, BUS)
    with pytest.raises(GalleryError, match="needs the instance's admin key"):
        revoke_key(store, old.id_hex, "not the key")
    revoked = revoke_key(store, old.id_hex.lower(), ADMIN)
    assert revoked.key_id == old.id_hex and revoke_key(store, old.text(), ADMIN) == revoked
    new = instance_key(store.settings.data_dir).public
    assert new != old and show_keys(store).revoked == (revoked,)
    assert adapted_from_status(store, "bus-lisboa", 1) == "claimed"
    fresh = members(pack_frame(store, BUS))
    assert fresh != members(old_pack) and json.loads(fresh["pack.json"])["key"] == new.text()


def test_revoking_an_unknown_key_id_is_one_sentence(store: Store) -> None:
    store.settings = replace(store.settings, admin_key=ADMIN)
    with pytest.raises(GalleryError) as info:
        revoke_key(store, "0123456789ABCDEF", ADMIN)
    assert str(info.value) == "no key with the id 0123456789ABCDEF is known here; give the public key's text instead"


def test_an_import_can_demand_the_pack_a_record_named(store: Store, other: Store, published: bytes) -> None:
    from frames.pack import write_zip

    the_id = pack_id(members(published)["pack.json"])
    before = snapshot(other)
    for data in (published, write_zip(variant("bus-porto"))):
        with pytest.raises(GalleryError) as info:
            import_pack(other, data, expected_pack="sha256-" + "2" * 64)
        assert str(info.value) == f"the pack is not the one that was named (sha256-{'2' * 64}); the pack was refused"
    assert snapshot(other) == before
    result = import_pack(other, published, expected_pack=the_id)
    assert result.pack_id == the_id and gallery.packs.frame_pack(other, "bus-porto").pack_id == the_id


def test_a_revoked_frame_key_gives_the_frame_a_new_key_and_a_new_pack(store: Store) -> None:
    from gallery.packs import frame_pack

    store.settings = replace(store.settings, admin_key=ADMIN)
    gallery.publish_frame(store, variant("bus-porto"))
    first = frame_pack(store, "bus-porto")
    assert first.adapted_from is None and frame_key_path(store.settings.data_dir, "bus-porto").exists()
    revoke_key(store, first.key, ADMIN)
    second = frame_pack(store, "bus-porto")
    assert second.pack_id != first.pack_id and second.key != first.key
    assert [k.key.text() for k in show_keys(store).frames] == [second.key]
    assert list(frame_key_path(store.settings.data_dir, "bus-porto").parent.glob("*.revoked-*"))


def _resigned(files: dict[str, bytes], body: object, raw: bytes | None = None) -> dict[str, bytes]:
    """pack.json replaced (by `raw` bytes, else canonical `body`) and signed again by a fresh key."""
    data = raw if raw is not None else canonical_json(body)
    files["pack.json"] = data
    files["pack.json.minisig"] = sign(generate_key(), data, trusted_comment="x").encode()
    return files


@pytest.mark.parametrize("change, sentence", [
    (lambda f, m: _resigned(f, None, b"{not json"), "pack.json is not valid JSON; the pack was refused"),
    (lambda f, m: _resigned(f, None, b'{"format":NaN}'), "pack.json is not valid JSON; the pack was refused"),
    (lambda f, m: _resigned(f, None, b"[" * 150_000 + b"]" * 150_000),
     "pack.json is larger than 256 KB; the pack was refused"),
    (lambda f, m: _resigned(f, None, b"[" * 5000 + b"]" * 5000), "pack.json is not valid JSON; the pack was refused"),
    (lambda f, m: _resigned(f, {**m, "format": "frame-remix-pack/2"}),
     "pack.json is malformed at format: Input should be 'frame-remix-pack/1'; the pack was refused"),
    (lambda f, m: _resigned(f, {**m, "run": "rm -rf /"}),
     "pack.json is malformed at run: Extra inputs are not permitted; the pack was refused"),
    (lambda f, m: _resigned(f, {**m, "version": "1"}),
     "pack.json is malformed at version: Input should be a valid integer; the pack was refused"),
    (lambda f, m: f.update({"pack.json.minisig": "untrusted comment: é\n".encode()}),
     "pack.json.minisig is not a minisign signature; the pack was refused"),
    (lambda f, m: f.pop("pack.json"), "the pack has pack.json.minisig but no pack.json; the pack was refused"),
])
def test_a_malformed_pack_json_is_one_sentence(other: Store, published: bytes, change, sentence: str) -> None:
    files = members(published)
    change(files, json.loads(files["pack.json"]))
    assert _refused(other, rezip(files)) == sentence
