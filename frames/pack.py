"""Frame packs, the file format: a folder or a .zip holding `frame.toml` plus `assets/`, read
into a `Frame` (the model, `frames.model`).

No name inside a zip is ever used as a filesystem path: entries are read into memory under
checked names, and anything unusual (traversal, links, duplicates, encryption, odd compression,
bombs) refuses the whole pack. Reading never writes anything.
"""
from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path

from frames.errors import FrameError
from frames.images import MAX_BYTES
from frames.manifest import MANIFEST_NAME, load_toml, parse_manifest
from frames.model import Frame
from frames.packsign import PACK_MANIFEST, PACK_MEMBERS, PACK_SIGNATURE, SignedPack, check_frame, check_pack

MAX_ENTRIES = 200
MAX_ENTRY_BYTES = MAX_BYTES  # an asset is an image: the same cap as any upload
MAX_TOTAL_BYTES = 60 * 1024 * 1024
MAX_RATIO = 100
_ASSET_NAME = re.compile(r"^assets/[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}\.(?:png|jpg|jpeg|webp)$")
_IGNORED = re.compile(r"^(?:README(?:\.md|\.txt)?|LICEN[CS]E(?:\.md|\.txt)?)$", re.IGNORECASE)


def frame_from_files(files: Mapping[str, bytes], source: str) -> Frame:
    """Build and fully validate a Frame from checked in-memory files."""
    from frames.validate import raw_template_problems, validate_frame

    files = {name: data for name, data in files.items() if name not in PACK_MEMBERS}  # checked by frames.packsign
    if MANIFEST_NAME not in files:
        raise FrameError(f"no {MANIFEST_NAME} found; a frame pack needs one at its top level", source)
    try:
        manifest = parse_manifest(files[MANIFEST_NAME], MANIFEST_NAME)
    except FrameError as exc:
        if any(p.place == MANIFEST_NAME or p.place == "schema" for p in exc.problems):
            raise
        raise FrameError(exc.problems + raw_template_problems(load_toml(files[MANIFEST_NAME]))) from None
    assets = {name: data for name, data in files.items() if name.startswith("assets/")}
    problems = validate_frame(manifest, assets)
    if problems:
        raise FrameError(problems)
    return Frame(manifest, assets, _digest(files), files[MANIFEST_NAME], source)


def _digest(files: Mapping[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def check_member_name(name: str) -> str | None:
    """Return the name if it is an allowed pack member, None if it is ignorable; raise otherwise."""
    if name.endswith("/"):
        return None
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\0" in name:
        raise FrameError(f"the entry '{_show(name)}' has an unsafe path; a frame pack may only hold frame.toml and assets/")
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise FrameError(f"the entry '{_show(name)}' has an unsafe path; a frame pack may only hold frame.toml and assets/")
    if name in (MANIFEST_NAME, PACK_MANIFEST, PACK_SIGNATURE) or _ASSET_NAME.match(name):
        return name
    if _IGNORED.match(name):
        return None
    raise FrameError(
        f"unexpected file '{_show(name)}'; a frame pack holds frame.toml and images under assets/ (png, jpg, webp)"
    )


def _show(name: str) -> str:
    return name.encode("unicode_escape").decode("ascii")[:120]


def read_folder(folder: Path) -> dict[str, bytes]:
    """Read a frame folder's members into memory without following links."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            raise FrameError(f"'{rel}' is a symbolic link; frame packs may not contain links")
        if path.is_dir() or rel.startswith(".") or "/." in rel or "__pycache__" in rel:
            continue
        if check_member_name(rel) is None:
            continue
        files[rel] = read_regular_file(path, rel)
    return files


def read_regular_file(path: Path, rel: str, limit: int = MAX_ENTRY_BYTES, *, too_large: str = "") -> bytes:
    """The bytes of a regular file, at most `limit`; anything else (a FIFO, a device, a socket,
    a link) is refused in one sentence. Opened non-blocking and checked again on the open
    descriptor, so a FIFO swapped in between cannot make reading wait forever."""
    too_large = too_large or f"'{_show(rel)}' is larger than {limit // 2**20} MB; make it smaller"
    if not stat.S_ISREG(os.lstat(path).st_mode):
        raise FrameError(_not_regular(rel))
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise FrameError(_not_regular(rel))
        if info.st_size > limit:
            raise FrameError(too_large)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise FrameError(too_large)
    return data


def _not_regular(rel: str) -> str:
    return f"'{_show(rel)}' is not a regular file (a pipe, device or socket?); a frame pack holds only ordinary files"


def read_zip(data: bytes) -> dict[str, bytes]:
    """Read a frame pack zip into memory, refusing it whole at the first unsafe entry."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FrameError("this file is not a readable .zip; export the frame pack again") from None
    with archive:
        infos = archive.infolist()
        _check_zip_index(infos, len(data))
        prefix = _common_folder([i.filename for i in infos])
        files: dict[str, bytes] = {}
        for info in infos:
            if info.filename == prefix:
                continue  # the wrapping folder's own entry (`zip -r pack.zip myframe` writes one)
            name = check_member_name(info.filename[len(prefix):])
            if name is not None:
                files[name] = _read_entry(archive, info)
        return files


def _check_zip_index(infos: list[zipfile.ZipInfo], archive_size: int) -> None:
    if len(infos) > MAX_ENTRIES:
        raise FrameError(f"the pack has {len(infos)} entries; the limit is {MAX_ENTRIES}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        _check_entry(info)
        folded = info.filename.casefold()
        if folded in seen:
            raise FrameError(f"the entry '{_show(info.filename)}' appears twice (names differing only in case count as the same)")
        seen.add(folded)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise FrameError(f"the pack unpacks to {total // 2**20} MB; the limit is {MAX_TOTAL_BYTES // 2**20} MB")
    _check_overlaps(infos, archive_size)


def _check_entry(info: zipfile.ZipInfo) -> None:
    name = _show(info.filename)
    if info.flag_bits & 0x1:
        raise FrameError(f"the entry '{name}' is encrypted; frame packs must not be encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise FrameError(f"the entry '{name}' uses an unsupported compression; re-create the zip with standard (deflate) compression")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise FrameError(f"the entry '{name}' is a symbolic link; frame packs may not contain links")
    if info.file_size > MAX_ENTRY_BYTES:
        raise FrameError(f"the entry '{name}' is larger than {MAX_ENTRY_BYTES // 2**20} MB; make it smaller")
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise FrameError(f"the entry '{name}' is compressed suspiciously well (a zip bomb?); the pack was refused")


def _check_overlaps(infos: list[zipfile.ZipInfo], archive_size: int) -> None:
    """Refuse entries whose data overlap (the trick behind non-recursive zip bombs)."""
    spans = sorted((i.header_offset, i.header_offset + 30 + len(i.filename.encode()) + i.compress_size) for i in infos)
    for (_, end), (start, _) in itertools.pairwise(spans):
        if start < end:
            raise FrameError("the pack has overlapping entries (a zip bomb?); the pack was refused")
    if spans and spans[-1][1] > archive_size:
        raise FrameError("the pack is truncated; export it again")


def _common_folder(names: list[str]) -> str:
    """A single top-level folder wrapping everything (how most tools zip a folder) is skipped."""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        top = tops.pop()
        if f"{top}/{MANIFEST_NAME}" in names:
            return top + "/"
    return ""


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read at most the declared size (+1 to notice a lie); a liar or a CRC error refuses the pack."""
    try:
        with archive.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise FrameError(f"the entry '{_show(info.filename)}' is damaged; export the frame pack again") from None
    if len(data) != info.file_size:
        raise FrameError(f"the entry '{_show(info.filename)}' is not the size it claims; the pack was refused")
    return data


def load_pack(path: Path) -> Frame:
    """Load a frame pack from a folder or a .zip file on disk (a signed one is checked against its pack.json)."""
    path = Path(path)
    if path.is_dir():
        return read_pack(read_folder(path), str(path))[0]
    if not path.exists():
        raise FrameError(f"no frame pack at '{path}'; give a folder, a .zip or a bundled frame id")
    if path.name == MANIFEST_NAME:
        return read_pack(read_folder(path.parent), str(path.parent))[0]
    too_large = f"'{path.name}' is larger than {MAX_TOTAL_BYTES // 2**20} MB; a frame pack must be smaller"
    data = read_regular_file(path, path.name, MAX_TOTAL_BYTES, too_large=too_large)
    return read_pack(read_zip(data), str(path))[0]


def read_pack(files: Mapping[str, bytes], source: str) -> tuple[Frame, SignedPack | None]:
    """A frame and, for a signed pack, its checked pack.json: every member against its hash, the
    signature, and pack.json against frame.toml. None for an unsigned pack (no pack.json)."""
    signed = check_pack(files)
    frame = frame_from_files(files, source)
    if signed is not None:
        check_frame(signed, frame)
    return frame, signed


def write_zip(frame: Frame, signed: tuple[bytes, str] | None = None) -> bytes:
    """A frame pack as .zip bytes: pack.json and its signature when given (`signed`: the bytes and
    the minisign text), frame.toml and assets; deterministic order and timestamps, so the same
    signed version always gives the same bytes."""
    buf = io.BytesIO()
    head = [(PACK_MANIFEST, signed[0]), (PACK_SIGNATURE, signed[1].encode("ascii"))] if signed else []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in [*head, (MANIFEST_NAME, frame.manifest_bytes), *sorted(frame.assets.items())]:
            info = zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()
