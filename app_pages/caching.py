"""Every Streamlit cache of the app in one place: heavy work is done once per input."""
from __future__ import annotations

import streamlit as st

from frames import Frame, bundled_frame, bundled_ids
from remix import Photo, RenderOptions, build_texts, encode, load_photo, render
from remix.pipeline import photo_box


@st.cache_resource(show_spinner=False)
def frame(frame_id: str) -> Frame:
    return bundled_frame(frame_id)


@st.cache_data(show_spinner=False)
def frame_ids() -> list[str]:
    return bundled_ids()


@st.cache_resource(show_spinner=False, max_entries=16)
def photo(data: bytes, frame_id: str) -> Photo:
    """Decode and clean an upload once (orientation, size, metadata), then reuse it on every rerun."""
    f = frame(frame_id)
    return load_photo(data, fit_within=photo_box(f, list(f.manifest.formats)))


@st.cache_data(show_spinner=False, max_entries=64)
def image_bytes(frame_id: str, values: tuple[tuple[str, str], ...], photo_key: str, fmt: str, lang: str, _photo: Photo | None) -> bytes:
    """One encoded format; `photo_key` stands for the photo in the cache key."""
    f = frame(frame_id)
    return encode(render(f, dict(values), _photo, fmt, RenderOptions(lang=lang)), f, fmt)


@st.cache_data(show_spinner=False, max_entries=64)
def texts(frame_id: str, values: tuple[tuple[str, str], ...], lang: str) -> dict[str, dict[str, str]]:
    return build_texts(frame(frame_id), dict(values), RenderOptions(lang=lang)).as_json()
