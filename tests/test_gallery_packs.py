"""Frame packs between instances: export and import round trips, every unsafe zip refused whole, atomicity."""
from __future__ import annotations

import io
import stat
import struct
import warnings
import zipfile
from pathlib import Path

import pytest

import frames.pack
import gallery
from frames import FrameError
from frames.pack import write_zip
from gallery import GalleryError, WrongKeyError, import_pack, pack_frame
from tests.test_gallery_support import BUS, bus, publish, variant


def pack_entries(frame=None) -> list[tuple[str, bytes]]:
    frame = frame or variant("travelling")
    return [("frame.toml", frame.manifest_bytes), *sorted(frame.assets.items())]


def make_zip(entries: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED, **info_kw) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", compression) as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some cases need
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = compression
            for attr, value in info_kw.get(name, {}).items():
                setattr(info, attr, value)
            zf.writestr(info, data)
    return buf.getvalue()


def manifest_with(text: str) -> list[tuple[str, bytes]]:
    entries = pack_entries()
    return [("frame.toml", text.encode() + entries[0][1]), *entries[1:]]


def snapshot(store) -> tuple:
    db = store.read()
    return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("frames", "frame_versions", "frame_assets", "assets"))


def overlapping() -> bytes:
    data = bytearray(make_zip(pack_entries()))
    central = data.find(b"PK\x01\x02")
    second = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, second + 42, 0)  # the second entry claims the first one's bytes
    return bytes(data)


def encrypted() -> bytes:
    """Set the 'encrypted' flag bit on the first entry (local and central headers), as an encrypting tool would."""
    data = bytearray(make_zip(pack_entries()))
    data[6] |= 0x1
    data[data.find(b"PK\x01\x02") + 8] |= 0x1
    return bytes(data)


CASES = {
    "traversal": (lambda: make_zip([*pack_entries(), ("../evil.png", b"x")]), "unsafe path"),
    "nested traversal": (lambda: make_zip([*pack_entries(), ("assets/../../x.png", b"x")]), "unsafe path"),
    "absolute path": (lambda: make_zip([*pack_entries(), ("/etc/cron.d/x", b"x")]), "unsafe path"),
    "backslashes": (lambda: make_zip([*pack_entries(), ("assets\\..\\x.png", b"x")]), "unsafe path"),
    "drive letter": (lambda: make_zip([*pack_entries(), ("C:/x.png", b"x")]), "unsafe path"),
    "symlink": (lambda: make_zip(pack_entries(), **{"assets/badge.png": {"external_attr": (stat.S_IFLNK | 0o777) << 16}}),
                "symbolic link"),
    "duplicate": (lambda: make_zip([*pack_entries(), pack_entries()[1]]), "appears twice"),
    "case collision": (lambda: make_zip([*pack_entries(), ("assets/BADGE.png", pack_entries()[1][1])]), "appears twice"),
    "encrypted": (encrypted, "encrypted"),
    "bzip2": (lambda: make_zip(pack_entries(), zipfile.ZIP_BZIP2), "unsupported compression"),
    "lzma": (lambda: make_zip(pack_entries(), zipfile.ZIP_LZMA), "unsupported compression"),
    "too many entries": (lambda: make_zip([*pack_entries(), *[(f"assets/p{i}.png", b"x") for i in range(200)]]),
                         "the limit is 200"),
    "bomb ratio": (lambda: make_zip([*pack_entries(), ("assets/zeros.png", bytes(3 * 2**20))]), "zip bomb"),
    "overlapping entries": (overlapping, "overlapping entries"),
    "not a zip": (lambda: b"PK\x03\x04 this is not really a zip", "not a readable .zip"),
    "unexpected file": (lambda: make_zip([*pack_entries(), ("run.sh", b"#!/bin/sh")]), "unexpected file"),
    "nan": (lambda: make_zip(manifest_with("nan_value = nan\n")), "nan_value"),
    "nan in a box": (lambda: make_zip([("frame.toml", pack_entries()[0][1].replace(b"x = 0.0,", b"x = nan,", 1)),
                                       *pack_entries()[1:]]), "not a number"),
    "duplicate keys": (lambda: make_zip(manifest_with('title = "Twice"\n')), "given twice"),
    "deep nesting": (lambda: make_zip(manifest_with("deep = " + "[" * 5000 + "]" * 5000 + "\n")), "nest"),
    "unknown schema": (lambda: make_zip([("frame.toml", pack_entries()[0][1].replace(b"schema = 1", b"schema = 99", 1)),
                                         *pack_entries()[1:]]), "newer than this frame-remix understands"),
    "asset url": (lambda: make_zip([("frame.toml", pack_entries()[0][1].replace(
        b'image = "brand.logo"', b'image = "https://evil.example/badge.png"', 1)), *pack_entries()[1:]]),
        "not an asset name"),
    "missing asset": (lambda: make_zip([e for e in pack_entries() if e[0] != "assets/badge.png"]), "badge.png"),
    "no manifest": (lambda: make_zip(pack_entries()[1:]), "no frame.toml"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unsafe_packs_are_refused_whole_and_nothing_is_stored(store, case: str) -> None:
    build, fragment = CASES[case]
    before = snapshot(store)
    with pytest.raises(FrameError) as info:
        import_pack(store, build())
    assert fragment in str(info.value), str(info.value)
    assert "Traceback" not in str(info.value) and snapshot(store) == before


@pytest.mark.parametrize("cap, size, fragment", [
    ("MAX_ENTRY_BYTES", 4000, "is larger than 0 MB"),
    ("MAX_TOTAL_BYTES", 60_000, "unpacks to"),
])
def test_size_caps_per_entry_and_in_total(store, monkeypatch, cap: str, size: int, fragment: str) -> None:
    monkeypatch.setattr(frames.pack, cap, 3000 if cap == "MAX_ENTRY_BYTES" else 50_000)
    data = make_zip([*pack_entries(), ("assets/big.png", bytes(range(256)) * (size // 256))])
    with pytest.raises(FrameError, match=fragment):
        import_pack(store, data)


def test_a_size_that_lies_is_refused(store) -> None:
    data = bytearray(make_zip(pack_entries(), zipfile.ZIP_STORED))
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 5)  # frame.toml claims 5 bytes uncompressed
    with pytest.raises(FrameError):
        import_pack(store, bytes(data))
    assert snapshot(store) == (0, 0, 0, 0)


def test_round_trip_between_two_instances_keeps_credits_as_claims(tmp_path: Path, store) -> None:
    gallery.fork_frame(store, BUS, "bus-lisboa", instance="https://one.example")
    zipped = pack_frame(store, "bus-lisboa")
    other = gallery.open_store(tmp_path / "other" / "gallery.db")
    try:
        result = import_pack(other, zipped)
        assert result.owner_key and result.version == 1
        info = gallery.frame_info(other, "bus-lisboa")
        assert info.origin == "imported"
        assert (info.derived_from.id, info.derived_from.instance, info.derived_from.claimed) == \
            (BUS, "https://one.example", True)
        assert gallery.get_frame(other, "bus-lisboa").digest == gallery.get_frame(store, "bus-lisboa").digest
        remix = publish(other, gallery.get_frame(other, "bus-lisboa"))
        assert "says it adapts" in gallery.get_remix(other, remix.id).credits.line
        assert import_pack(other, zipped).unchanged
    finally:
        gallery.close_store(other)


def test_import_never_replaces_what_this_instance_holds(store, admin) -> None:
    owner = gallery.publish_frame(store, variant("local-one")).owner_key
    forged = write_zip(variant("local-one", title="Forged"))
    with pytest.raises(GalleryError, match="keeps its own"):
        import_pack(store, forged)
    assert gallery.get_frame(store, "local-one").title == "Why I ride the bus"
    newer = write_zip(variant("local-one", version=2, title="Newer"))
    with pytest.raises(WrongKeyError, match="needs its owner key"):
        import_pack(store, newer)
    assert import_pack(store, newer, key=owner).version == 2
    with pytest.raises(GalleryError, match="comes with frame-remix"):
        import_pack(store, write_zip(variant(BUS, title="Hijacked")))


def test_the_bundled_frame_itself_imports_without_an_owner(store) -> None:
    result = import_pack(store, write_zip(bus()))
    assert result.owner_key is None and gallery.frame_info(store, BUS).origin == "bundled"


def test_pack_of_a_missing_frame_is_one_sentence(store) -> None:
    with pytest.raises(GalleryError, match="there is no frame 'nope' in this gallery"):
        pack_frame(store, "nope")


def test_an_oversize_upload_is_refused_before_reading(store) -> None:
    with pytest.raises(GalleryError, match="larger than 60 MB"):
        import_pack(store, bytes(61 * 2**20))
