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


@st.cache_data(show_spinner=False, max_entries=64)
def frame_thumbnail(frame_id: str, version: int, width: int = 480) -> bytes:
    """A frame's first format rendered with its example words, small, for the frame cards."""
    import io

    from frames.localize import words
    from remix.values import clean_values

    f = frame(frame_id, version)
    w = words(f.manifest)
    values = clean_values(f.manifest, {s.name: w.sample(s) for s in f.manifest.fields if s.kind != "photo"})
    fmt = next(iter(f.manifest.formats))
    image = render(f, values, None, fmt, RenderOptions())
    image.thumbnail((width, width * 2))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def remix_detail(remix_id: str):
    """A published remix (raises a FrameRemixError with a sentence when it is not visible)."""
    from gallery import get_remix

    return get_remix(store(), remix_id)


@st.cache_data(show_spinner=False, max_entries=512, ttl=600)
def remix_thumbnail(remix_id: str, width: int = 360) -> tuple[bytes, str] | None:
    """A card-sized JPEG of a published remix's first image, with its alt text."""
    import io

    from PIL import Image

    from gallery import get_remix, image

    detail = get_remix(store(), remix_id)
    if not detail.images:
        return None
    first = detail.images[0]
    picture = Image.open(io.BytesIO(image(store(), remix_id, first.format).data))
    picture.thumbnail((width, width * 2))
    buf = io.BytesIO()
    picture.convert("RGB").save(buf, "JPEG", quality=82)
    return buf.getvalue(), first.alt


@st.cache_data(show_spinner=False, max_entries=256, ttl=600)
def remix_image(remix_id: str, fmt: str) -> bytes:
    from gallery import image

    return image(store(), remix_id, fmt).data


def gallery_languages() -> list[str]:
    """Languages that published remixes use (a fast read; not cached, so new ones show)."""
    from gallery import languages

    return languages(store())


# ---- Organize: drafts being edited (not in the gallery yet), keyed by their content ----------------

@st.cache_resource(show_spinner=False, max_entries=8)
def draft_frame(manifest: bytes, assets: tuple[tuple[str, bytes], ...]) -> Frame:
    """A draft validated once per content; a FrameError (with every problem) is raised, never cached."""
    from frames.manifest import MANIFEST_NAME
    from frames.pack import frame_from_files

    return frame_from_files({MANIFEST_NAME: manifest, **dict(assets)}, "draft")


@st.cache_data(show_spinner=False, max_entries=32)
def draft_image(digest: str, fmt: str, _frame: Frame) -> bytes:
    """One format of a draft rendered with its fields' sample values; `digest` stands for the frame."""
    from remix.values import clean_values

    samples = {s.name: s.sample for s in _frame.manifest.fields if s.kind != "photo"}
    values = clean_values(_frame.manifest, samples)
    return encode(render(_frame, values, None, fmt, RenderOptions()), _frame, fmt)


@st.cache_data(show_spinner=False, max_entries=256, ttl=600)
def small_jpeg(data: bytes, width: int = 360) -> bytes:
    """A card-sized copy of a stored image, so a moderation queue on a phone stays light."""
    import io

    from PIL import Image

    picture = Image.open(io.BytesIO(data))
    picture.thumbnail((width, width * 2))
    buf = io.BytesIO()
    picture.convert("RGB").save(buf, "JPEG", quality=82)
    return buf.getvalue()
# ---- end Organize
