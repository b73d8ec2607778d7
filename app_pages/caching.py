"""Every Streamlit cache of the app in one place: heavy work is done once per input.

Durable state lives in the gallery (SQLite); these caches only hold what can be recomputed:
the process's store handle, decoded photos, encoded previews and texts.
"""
from __future__ import annotations

import io
import os

import streamlit as st
from PIL import Image

from frames import Frame
from frames.manifest import MANIFEST_NAME
from frames.pack import frame_from_files
from frames.starters import starter_frame
from gallery import Settings, Store, get_frame, get_remix, image, languages, list_frames
from gallery.instance import Instance, open_instance
from gallery.models import FrameInfo, RemixDetail
from remix import Photo, RenderOptions, build_texts, load_photo, render
from remix.photo import sample_photo
from remix.pipeline import photo_box, render_format, sample_values

SCREEN_LONG_SIDE = 720  # px: the preview's long side at most (a phone shows it ~460 device px tall)
SCREEN_QUALITY = 80


@st.cache_resource(show_spinner=False)
def instance() -> Instance:
    """The instance: configuration read from the environment once per server process, the
    gallery opened with the bundled frames installed and the admin key resolved."""
    return open_instance(Settings.from_env(os.environ))


def settings() -> Settings:
    """The instance's configuration (with its admin key)."""
    return instance().settings


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The process's gallery (FRAME_REMIX_DATA/gallery.db), with the bundled frames installed and the admin key in use."""
    return instance().store


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


def photo_for(data: bytes, f: Frame, zoom: float = 1.0) -> Photo:
    """The upload decoded just large enough to fill the frame's largest photo box at this zoom."""
    w, h = photo_box(f, list(f.manifest.formats)) or (1, 1)
    return photo(data, (min(4096, round(w * zoom)), min(4096, round(h * zoom))))


@st.cache_data(show_spinner=False, max_entries=128)
def image_bytes(frame_id: str, version: int, values: tuple[tuple[str, str], ...], photo_key: str, fmt: str,
                options: RenderOptions, _photo: Photo | None) -> bytes:
    """One encoded format; `photo_key` (the upload's id) stands for the photo, `options` holds focus and zoom."""
    return render_format(frame(frame_id, version), dict(values), _photo, fmt, options)


@st.cache_data(show_spinner=False, max_entries=128)
def preview_jpeg(frame_id: str, version: int, values: tuple[tuple[str, str], ...], photo_key: str, fmt: str,
                 options: RenderOptions, _photo: Photo | None) -> bytes:
    """One format as the Make page shows it: the full render through the one pipeline, reduced for
    the screen (`screen_jpeg`). What is shared, downloaded and published stays `image_bytes`."""
    return screen_jpeg(render(frame(frame_id, version), dict(values), _photo, fmt, options))


def screen_jpeg(picture: Image.Image, long_side: int = SCREEN_LONG_SIDE, quality: int = SCREEN_QUALITY) -> bytes:
    """A render reduced by a whole factor (a box filter: sharp and ~1 ms) to at most `long_side`
    px on its long side, as a JPEG: a square preview is ~50 kB instead of ~200 kB at 1080 px."""
    factor = -(-max(picture.size) // long_side)
    small = picture.reduce(factor) if factor > 1 else picture
    buf = io.BytesIO()
    small.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


@st.cache_data(show_spinner=False, max_entries=128)
def texts(frame_id: str, version: int, values: tuple[tuple[str, str], ...], options: RenderOptions) -> dict[str, dict[str, str]]:
    """Post and alt texts; pass options without focus and zoom (texts do not depend on them)."""
    return build_texts(frame(frame_id, version), dict(values), options).as_json()


@st.cache_data(show_spinner=False, max_entries=64)
def frame_thumbnail(frame_id: str, version: int, width: int = 480) -> bytes:
    """A frame's first format rendered with its example words, small, for the frame cards."""
    f = frame(frame_id, version)
    return _small(render(f, sample_values(f), sample_photo(), next(iter(f.manifest.formats)), RenderOptions()),
                  width, quality=85)


@st.cache_data(show_spinner=False, max_entries=16)
def starter_thumbnail(starter_id: str, width: int = 440) -> bytes:
    """A starter's first format with its sample words, small, for the Organize page's starter grid."""
    f = starter_frame(starter_id)
    return _small(render(f, sample_values(f), sample_photo(), next(iter(f.manifest.formats)), RenderOptions()),
                  width, quality=85)


def remix_detail(remix_id: str) -> RemixDetail:
    """A published remix (raises a FrameRemixError with a sentence when it is not visible)."""
    return get_remix(store(), remix_id)


@st.cache_data(show_spinner=False, max_entries=512, ttl=600)
def remix_thumbnail(remix_id: str, width: int = 360, key: str | None = None) -> tuple[bytes, str] | None:
    """A card-sized JPEG of a remix's first image, with its alt text (`key` opens unpublished ones)."""
    detail = get_remix(store(), remix_id, key)
    if not detail.images:
        return None
    first = detail.images[0]
    return small_jpeg(image(store(), remix_id, first.format, key).data, width), first.alt


@st.cache_data(show_spinner=False, max_entries=256, ttl=600)
def remix_image(remix_id: str, fmt: str) -> bytes:
    return image(store(), remix_id, fmt).data


def forget_remix(remix_id: str, formats: list[str]) -> None:
    """Drop a deleted remix's cached thumbnail and images."""
    remix_thumbnail.clear(remix_id)
    for fmt in formats:
        remix_image.clear(remix_id, fmt)


def gallery_languages() -> list[str]:
    """Languages that published remixes use (a fast read; not cached, so new ones show)."""
    return languages(store())


@st.cache_data(show_spinner=False, max_entries=256, ttl=600)
def small_jpeg(data: bytes, width: int = 360) -> bytes:
    """A card-sized copy of a stored image, so a grid or a moderation queue on a phone stays light."""
    return _small(Image.open(io.BytesIO(data)), width)


def _small(picture: Image.Image, width: int, quality: int = 82) -> bytes:
    picture.thumbnail((width, width * 2))
    buf = io.BytesIO()
    picture.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


# ---- Organize: drafts being edited (not in the gallery yet), keyed by their content ----------------

@st.cache_resource(show_spinner=False, max_entries=8)
def draft_frame(manifest: bytes, assets: tuple[tuple[str, bytes], ...]) -> Frame:
    """A draft validated once per content; a FrameError (with every problem) is raised, never cached."""
    return frame_from_files({MANIFEST_NAME: manifest, **dict(assets)}, "draft")


@st.cache_data(show_spinner=False, max_entries=32)
def draft_image(digest: str, fmt: str, _frame: Frame) -> bytes:
    """One format of a draft rendered with its fields' sample values; `digest` stands for the frame."""
    return render_format(_frame, sample_values(_frame), sample_photo(), fmt)
