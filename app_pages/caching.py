"""Every Streamlit cache of the app in one place: heavy work is done once per input.

Durable state lives in the gallery (SQLite); these caches only hold what can be recomputed:
the process's store handle, decoded photos, encoded previews and texts.
"""
from __future__ import annotations

import streamlit as st

from frames import Frame, bundled_frames
from gallery import Store, get_frame, install_bundled, list_frames, open_store
from gallery.models import FrameInfo
from remix import Photo, RenderOptions, build_texts, encode, load_photo, render
from remix.pipeline import photo_box


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The process's gallery (FRAME_REMIX_DATA/gallery.db), with the bundled frames installed."""
    s = open_store()
    for frame in bundled_frames():
        install_bundled(s, frame)
    return s


def frames() -> list[FrameInfo]:
    """Every frame of this gallery, bundled and published (a fast read; not cached, so new ones show)."""
    return list_frames(store())


def frame(frame_id: str, version: int | None = None) -> Frame:
    """A frame version from the gallery (the gallery caches parsed frames by content digest)."""
    return get_frame(store(), frame_id, version)


@st.cache_resource(show_spinner=False, max_entries=16)
def photo(data: bytes, box: tuple[int, int] | None) -> Photo:
    """Decode and clean an upload once (orientation, size, metadata), then reuse it on every rerun."""
    return load_photo(data, fit_within=box)


def photo_for(data: bytes, f: Frame) -> Photo:
    return photo(data, photo_box(f, list(f.manifest.formats)))


@st.cache_data(show_spinner=False, max_entries=128)
def image_bytes(frame_id: str, version: int, values: tuple[tuple[str, str], ...], photo_key: str, fmt: str,
                options: RenderOptions, _photo: Photo | None) -> bytes:
    """One encoded format; `photo_key` (the upload's digest and focal/zoom) stands for the photo."""
    f = frame(frame_id, version)
    return encode(render(f, dict(values), _photo, fmt, options), f, fmt)


@st.cache_data(show_spinner=False, max_entries=128)
def texts(frame_id: str, version: int, values: tuple[tuple[str, str], ...], options: RenderOptions) -> dict[str, dict[str, str]]:
    return build_texts(frame(frame_id, version), dict(values), options).as_json()
