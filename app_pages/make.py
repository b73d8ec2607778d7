"""Make: pick a frame, fill its fields, add a photo, see the preview, download the images."""
from __future__ import annotations

import hashlib

import streamlit as st

from app_pages import caching
from frames import FrameRemixError
from frames.localize import languages, words
from remix import clean_values
from remix.render import extension

st.title("Make your own")

ids = caching.frame_ids()
wanted = st.query_params.get("frame")
if wanted and wanted not in ids:
    st.warning(f"There is no frame '{wanted}' here; pick one below.")
frame_id = st.selectbox(
    "Frame", ids, index=ids.index(wanted) if wanted in ids else 0,
    format_func=lambda i: caching.frame(i).title, key="make_frame",
)
st.query_params["frame"] = frame_id
frame = caching.frame(frame_id)
manifest = frame.manifest

langs = languages(manifest)
lang = st.selectbox("Language", langs, key=f"make_lang_{frame_id}") if len(langs) > 1 else langs[0]
w = words(manifest, lang)
st.caption(f"{w.title} · by {manifest.organizer.name} · {manifest.licence}")
if w.message:
    st.markdown(f"**{w.message}**")

raw: dict[str, str] = {}
upload = None
for spec in manifest.fields:
    key = f"make_{frame_id}_{spec.name}"
    label, helptext = w.label(spec) + (" *" if spec.required else ""), w.help(spec) or None
    if spec.kind == "text":
        raw[spec.name] = st.text_input(label, value=w.sample(spec), max_chars=spec.limit, help=helptext, key=key)
    elif spec.kind == "long_text":
        raw[spec.name] = st.text_area(label, value=w.sample(spec), max_chars=spec.limit, help=helptext, key=key)
    elif spec.kind == "choice":
        values = [o.value for o in spec.options]
        raw[spec.name] = st.selectbox(label, values, format_func=lambda v, s=spec: w.option_label(s, v), help=helptext, key=key)
    elif spec.kind == "photo":
        upload = st.file_uploader(label, type=["jpg", "jpeg", "png", "webp"], help=helptext, key=key)

try:
    values = clean_values(manifest, raw)
    photo, photo_key = None, ""
    if upload is not None:
        data = upload.getvalue()
        photo, photo_key = caching.photo(data, frame_id), hashlib.sha256(data).hexdigest()
        st.success(f"Uploaded {upload.name}")
    frozen = tuple(sorted(values.items()))
    tabs = st.tabs(list(manifest.formats))
    for tab, fmt in zip(tabs, manifest.formats):
        with tab:
            data = caching.image_bytes(frame_id, frozen, photo_key, fmt, lang, photo)
            texts = caching.texts(frame_id, frozen, lang)
            st.image(data, caption=texts["alt"][fmt], width="stretch")
            st.download_button(
                f"Download {fmt}", data, file_name=f"{frame_id}-{fmt}.{extension(frame, fmt)}",
                mime="image/png" if extension(frame, fmt) == "png" else "image/jpeg", key=f"make_dl_{fmt}",
            )
    st.subheader("Post text")
    for platform, text in caching.texts(frame_id, frozen, lang)["post"].items():
        st.caption(platform)
        st.code(text, language=None, wrap_lines=True)
except FrameRemixError as exc:
    st.error(str(exc))
