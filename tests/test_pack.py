"""Frame packs from folders and zips: valid ones load, malicious ones are refused whole."""
from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from frames import FrameError, bundled_frame, load_pack
from frames.pack import read_zip, write_zip

BUS = Path(__file__).resolve().parent.parent / "frames" / "bundled" / "ride-the-bus"


def pack_files() -> dict[str, bytes]:
    return {p.relative_to(BUS).as_posix(): p.read_bytes() for p in BUS.rglob("*") if p.is_file()}


def make_zip(entries: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


def refused(data: bytes) -> str:
    with pytest.raises(FrameError) as info:
        read_zip(data)
    return str(info.value)


def test_folder_and_zip_give_the_same_frame(tmp_path: Path) -> None:
    folder = load_pack(BUS)
    path = tmp_path / "bus.zip"
    path.write_bytes(write_zip(folder))
    zipped = load_pack(path)
    assert zipped.digest == folder.digest and zipped.manifest == folder.manifest


def test_zip_with_a_wrapping_folder_loads(tmp_path: Path) -> None:
    path = tmp_path / "bus.zip"
    path.write_bytes(make_zip([(f"ride-the-bus/{n}", d) for n, d in pack_files().items()]))
    assert load_pack(path).id == "ride-the-bus"


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("../evil.png", "unsafe path"),
        ("/etc/passwd", "unsafe path"),
        ("assets\\..\\x.png", "unsafe path"),
        ("C:/x.png", "unsafe path"),
        ("assets/../../x.png", "unsafe path"),
        ("script.py", "unexpected file 'script.py'"),
        ("assets/font.ttf", "unexpected file 'assets/font.ttf'"),
    ],
)
def test_unsafe_names_refuse_the_pack(name: str, fragment: str) -> None:
    assert fragment in refused(make_zip([*pack_files().items(), (name, b"x")]))


def test_case_colliding_duplicates_are_refused() -> None:
    files = pack_files()
    assert "appears twice" in refused(make_zip([*files.items(), ("ASSETS/badge.png", files["assets/badge.png"])]))


def test_symlink_entry_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in pack_files().items():
            zf.writestr(name, data)
        info = zipfile.ZipInfo("assets/link.png")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    assert "symbolic link" in refused(buf.getvalue())


def test_bomb_ratio_is_refused() -> None:
    assert "compressed suspiciously well" in refused(make_zip([("frame.toml", b"#" * (5 * 2**20))]))


def test_unsupported_compression_is_refused() -> None:
    assert "unsupported compression" in refused(make_zip([("frame.toml", b"x")], zipfile.ZIP_BZIP2))


def test_too_many_entries() -> None:
    entries = [(f"assets/a{i}.png", b"x") for i in range(201)]
    assert "the limit is 200" in refused(make_zip(entries))


def test_not_a_zip() -> None:
    assert refused(b"PK\x03\x04 not really") == "this file is not a readable .zip; export the frame pack again"


def test_missing_asset_and_bad_template_are_reported_together(tmp_path: Path) -> None:
    files = pack_files()
    files.pop("assets/badge.png")
    files["frame.toml"] = files["frame.toml"].replace(b'template = "{{ story }}"', b'template = "{{ story|center(900000000) }}"', 1)
    path = tmp_path / "p.zip"
    path.write_bytes(make_zip(list(files.items())))
    with pytest.raises(FrameError) as info:
        load_pack(path)
    text = str(info.value)
    assert "formats.square.layers[3].image: there is no asset 'assets/badge.png'" in text
    assert "formats.square.layers[5].template: filter 'center' is not allowed" in text


def test_bundled_frame_is_cached_and_valid() -> None:
    assert bundled_frame("ride-the-bus") is bundled_frame("ride-the-bus")
