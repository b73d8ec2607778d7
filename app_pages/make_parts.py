"""The Make page's pieces: frame cards, the fields, the live preview and publishing.

UI only: values are cleaned, rendered and stored by the core (remix, gallery). Every
FrameRemixError becomes one sentence on the page; nothing else reaches the participant.
"""
from __future__ import annotations

import hashlib
import io
import json
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import astuple, replace
from functools import lru_cache, partial

import streamlit as st

from app_pages import caching, i18n, layout
from app_pages.i18n import t
from app_pages.live_fields import LiveField, live_fields
from app_pages.photo_pad import PadWords, Placement, Share, ShareWords, photo_pad
from app_pages.share_files import DraftImage, offer
from app_pages.ui import app_link, plain, public_url, share_link, show_error
from frames import Frame, FrameRemixError
from frames.localize import Words, language_name, languages, words
from frames.model import PLATFORMS, FieldSpec
from gallery import publish_remix
from gallery.remixes import place_from
from remix import Photo, RenderOptions, clean_values
from remix.pipeline import render_format
from remix.posttext import platform_length
from remix.render import extension

PLATFORM_NAMES = {"x": "X", "bluesky": "Bluesky", "mastodon": "Mastodon", "instagram": "Instagram"}


def chosen_frame() -> tuple[str, str | None] | None:
    """(frame id, remix_of) from the deep link, or None to show the frame cards."""
    ids = [f.id for f in caching.frames()]
    remix_id = st.query_params.get("remix")
    if remix_id:
        try:
            detail = caching.remix_detail(remix_id)
        except FrameRemixError:
            st.warning(t("That remix is not in this gallery (any more); start from a frame below."))
        else:
            _prefill_once(remix_id, detail.summary.frame_id, detail.values)
            return detail.summary.frame_id, remix_id
    st.session_state.pop("make_prefill", None)  # not on a remix (any more): nothing to pre-fill
    st.session_state.pop("make_prefilled", None)
    wanted = st.query_params.get("frame")
    if wanted in ids:
        return wanted, None
    if wanted:
        st.warning(plain(t("There is no frame '{frame}' here; pick one below.").format(frame=wanted)))
    return None


def _prefill_once(remix_id: str, frame_id: str, values: dict[str, str]) -> None:
    """Put the remix's words into its frame's fields once; the participant's edits win after,
    and no other frame's fields are touched."""
    if st.session_state.get("make_prefilled") != remix_id:
        st.session_state["make_prefilled"] = remix_id
        st.session_state["make_prefill"] = (frame_id, dict(values))  # applied by the editor, once


def _apply_prefill(frame_id: str) -> None:
    """Give the remix's words to its frame's fields, once: they replace what an earlier visit to
    this frame left there (the fields' values outlive the page), and the participant's edits win
    after."""
    pending = st.session_state.get("make_prefill")
    if pending and pending[0] == frame_id:
        for name, value in pending[1].items():
            st.session_state[f"make_{frame_id}_{name}"] = value
        st.session_state.pop("make_prefill")


def frame_cards() -> None:
    """Every frame as a card with a preview; choosing one deep-links to it."""
    st.write(t("Pick a frame, add your story and your photo, and share it as your own."))
    infos = caching.frames()
    for start in range(0, len(infos), 3):
        for col, info in zip(st.columns(3), infos[start:start + 3]):
            with col.container(border=True):
                st.image(caching.frame_thumbnail(info.id, info.latest_version), alt=f"Example of the frame {info.title}")
                st.markdown(f"**{plain(info.title)}**")
                st.caption(plain(t("by {name}").format(name=info.organizer)))
                if st.button(t("Make yours"), key=f"make_pick_{info.id}", type="primary"):
                    st.query_params.clear()
                    st.query_params["frame"] = info.id
                    st.rerun()


@st.fragment
def editor(frame_id: str, remix_of: str | None) -> None:
    """Fields, photo, preview, texts and publishing; reruns alone while the participant types."""
    try:
        frame = caching.frame(frame_id)
    except FrameRemixError as exc:
        show_error(exc)
        return
    if st.button(t("← All frames"), key="make_back"):
        st.query_params.clear()
        st.rerun(scope="app")
    _apply_prefill(frame.id)
    layout.one_screen()
    with st.container(key="make_stage"):  # see app_pages/layout.py: pinned preview on a phone, two columns wide
        preview_box = st.container(key="make_preview")
        with st.container(key="make_inputs"):
            w = _header(frame, remix_of)
            raw, maker = _fields(frame, w)
            photo, photo_key, options = _photo(frame, w, maker)
    try:
        preview = clean_values(frame.manifest, _with_samples(frame, w, raw))
        unfilled = _unfilled(frame, w, raw)
        with preview_box:  # without a photo: the frame's no-photo design, exactly what would be shared
            _preview(frame, preview, photo_key, options, photo, unfilled)
        _downloads(frame, preview, photo_key, options, photo, unfilled)
        _post_texts(frame, preview, options)
        _publish(frame, raw, photo, options, remix_of, photo_key, unfilled)
    except FrameRemixError as exc:
        show_error(exc)


def _header(frame: Frame, remix_of: str | None) -> Words:
    m = frame.manifest
    langs = languages(m)
    lang = (st.selectbox(t("Language"), langs, key=f"make_lang_{frame.id}", format_func=language_name,
                         index=langs.index(i18n.current()) if i18n.current() in langs else 0)
            if len(langs) > 1 else langs[0])
    if len(langs) > 1 and i18n.choose(lang) != i18n.current_page():
        if st.query_params.get("lang") not in (None, lang):
            # The link's ?lang= must follow the pick: the page's own run reads it before the fields
            # (on ?remix= links it has no ?frame= to find the pick by), and would go back to the link's
            # language, and this run would switch again, forever.
            st.query_params["lang"] = lang
        st.rerun(scope="app")  # the whole page (title, <html lang>) follows the frame's language
    w = words(m, lang)
    st.subheader(plain(w.title))
    st.caption(plain(t("A frame by {organizer} · {licence} · version {version}").format(
        organizer=m.organizer.name, licence=m.licence.replace("-", " "), version=frame.version)))
    if w.message:
        st.markdown(f"**{plain(w.message)}**")
    if remix_of:
        st.info(t("You are remixing someone's remix: their words are filled in below. Make them yours."))
    return w


def _maker_field() -> LiveField:
    return LiveField("make_maker", t("Your name for the credit line (optional)"), "text", limit=60,
                     help=t("Shown on the image and in the gallery. Leave it empty to stay anonymous."))


def _fields(frame: Frame, w: Words) -> tuple[dict[str, str], str]:
    """The participant's raw values by field name, and their display name, as they type them."""
    specs = [spec for spec in frame.manifest.fields if spec.kind != "photo"]
    maker = _maker_field()
    typed = live_fields([*(_live(frame, w, spec) for spec in specs), maker], key=f"make_live_{frame.id}")
    return {spec.name: typed[_key(frame, spec)] for spec in specs}, typed[maker.key]


def _key(frame: Frame, spec: FieldSpec) -> str:
    return f"make_{frame.id}_{spec.name}"


def _live(frame: Frame, w: Words, spec: FieldSpec) -> LiveField:
    """A field in the participant's language; organizer words go to the browser as plain text."""
    options = tuple((o.value, w.option_label(spec, o.value)) for o in spec.options)
    return LiveField(_key(frame, spec), w.label(spec), spec.kind, help=w.help(spec) or "",
                     placeholder=w.sample(spec) or "", limit=spec.limit if spec.kind != "choice" else None,
                     required=spec.required, options=options)


def _photo(frame: Frame, w: Words, maker: str) -> tuple[Photo | None, str, RenderOptions]:
    """The decoded upload (or None), a cache key for it, and the render options."""
    spec = next((f for f in frame.manifest.fields if f.kind == "photo"), None)
    base = RenderOptions(lang=w.lang, public_url=public_url(), maker=maker)
    if spec is None:
        return None, "", base
    upload = st.file_uploader(plain(w.label(spec)), type=["jpg", "jpeg", "png", "webp"], help=plain(w.help(spec)) or None,
                              key=f"make_{frame.id}_{spec.name}")
    if upload is None:
        return None, "", base
    data = upload.getvalue()
    try:
        photo = caching.photo_for(data, frame)
    except FrameRemixError as exc:
        show_error(exc)
        return None, "", base
    st.success(plain(t("Uploaded {name}").format(name=upload.name)))
    focal, zoom = _crop(upload.file_id)
    if zoom > 1:  # zooming in needs the pixels a photo decoded for zoom 1 left out
        photo = caching.photo_for(data, frame, zoom)
    options = RenderOptions(lang=w.lang, public_url=public_url(), maker=maker, focal=focal, zoom=zoom)
    return photo, upload.file_id, options


def _crop(photo_key: str) -> tuple[tuple[float, float] | None, float]:
    """Where the participant placed this photo on the preview (the frame's focal point until then)."""
    placed = st.session_state.get("make_crop")
    if placed and placed[0] == photo_key:
        return placed[1], placed[2]
    return None, 1.0


def _place(photo_key: str) -> Callable[[tuple[float, float], float], None]:
    def place(focal: tuple[float, float], zoom: float) -> None:
        st.session_state["make_crop"] = (photo_key, focal, zoom)
    return place


def _placement(frame: Frame, fmt: str, photo: Photo | None) -> Placement:
    """The shown format's photo box (cover-fitted ones only: a contained photo has nothing to move)."""
    spec = frame.manifest.formats[fmt]
    layer = next((la for la in spec.layers if la.kind == "photo"), None)
    if photo is None or layer is None or layer.fit != "cover":
        return Placement((spec.width, spec.height), None, None)
    left, top, right, bottom = layer.box.pixels(spec.width, spec.height)
    return Placement((spec.width, spec.height), (right - left, bottom - top), photo.size)


def _unfilled(frame: Frame, w: Words, raw: dict[str, str]) -> str | None:
    """One sentence naming the required fields still empty (None when all are filled): the preview
    shows their example words as a hint, but Share, Download and Publish never hand those out."""
    empty = [w.label(spec) for spec in frame.manifest.fields
             if spec.required and spec.kind != "photo" and not raw.get(spec.name, "").strip()]
    if not empty:
        return None
    return t("Fill in {fields} first: until then the image shows example words, not yours.").format(
        fields=t(", ").join(f"“{label}”" for label in empty))


def _with_samples(frame: Frame, w: Words, raw: dict[str, str]) -> dict[str, str]:
    """Empty fields show the frame's example words in the preview (never in what is published)."""
    return {name: raw.get(name) or sample for name, sample in w.samples().items()}


def _for_texts(options: RenderOptions) -> RenderOptions:
    """Texts do not depend on the photo's focus and zoom: leave them out of the cache key."""
    return replace(options, focal=None, zoom=1.0)


def _frozen(values: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(values.items()))


def _encoder(frame: Frame, values: dict[str, str], photo_key: str, options: RenderOptions,
             photo: Photo | None) -> Callable[[str], bytes]:
    frozen = _frozen(values)
    return lambda fmt: caching.image_bytes(frame.id, frame.version, frozen, photo_key, fmt, options, photo)


def _preview(frame: Frame, values: dict[str, str], photo_key: str, options: RenderOptions, photo: Photo | None,
             unfilled: str | None = None) -> None:
    """The format switch on top of the preview, on which the photo is placed and from which the
    image is shared. One format at a time: a text edit re-renders one image, not every format."""
    texts = caching.texts(frame.id, frame.version, _frozen(values), _for_texts(options))
    formats = list(frame.manifest.formats)
    shown = st.segmented_control(t("Format"), formats, default=formats[0], key=f"make_fmt_{frame.id}",
                                 label_visibility="collapsed") or formats[0]
    focal = options.focal or _layer_focal(frame, shown)
    ext = extension(frame, shown)
    url, mime = ("", _mime(frame, shown)) if unfilled else _full_image(frame, values, photo_key, options, photo, shown)
    share = Share(f"{frame.id}-{shown}.{ext}", mime, _share_text(texts["post"]), url,
                  words=ShareWords(*(t(w) for w in astuple(ShareWords()))), blocked=unfilled or "")
    screen = caching.preview_jpeg(frame.id, frame.version, _frozen(values), photo_key, shown, options, photo)
    photo_pad(screen, texts["alt"][shown], _placement(frame, shown, photo), focal, options.zoom, key=f"make_pad_{frame.id}",
              on_place=_place(photo_key), share=share, words=PadWords(*(t(w) for w in astuple(PadWords()))))


KEPT_FULL_IMAGES = 4  # the shown one and a few before it: a tap may race a rerun in flight


def _mime(frame: Frame, fmt: str) -> str:
    return "image/png" if extension(frame, fmt) == "png" else "image/jpeg"


def _full_image(frame: Frame, values: dict[str, str], photo_key: str, options: RenderOptions, photo: Photo | None,
                fmt: str) -> tuple[str, str]:
    """The full-size file Share hands over: the same render as Download (`render_format`), made
    only if the pad fetches it. Kept in the session's state, so it lives as long as the session."""
    content = (frame.id, frame.version, _frozen(values), photo_key, fmt, options)
    kept: dict[tuple, DraftImage] = st.session_state.setdefault("make_full_images", {})
    image = kept.pop(content, None) or offer(DraftImage(
        partial(render_format, frame, dict(values), photo, fmt, options), _mime(frame, fmt)))
    kept[content] = image  # newest last
    for old in list(kept)[:-KEPT_FULL_IMAGES]:
        del kept[old]
    return image.path, image.mime


def _share_text(posts: dict[str, str]) -> str:
    """The post text handed to the share sheet: one that fits most apps (Bluesky's 300)."""
    return posts.get("bluesky") or next(iter(posts.values()), "")


def _downloads(frame: Frame, values: dict[str, str], photo_key: str, options: RenderOptions, photo: Photo | None,
               unfilled: str | None = None) -> None:
    """Every format downloads, rendered on demand when its button is pressed (not while a
    required field is empty: the image would carry the frame's example words)."""
    encoded = _encoder(frame, values, photo_key, options, photo)
    formats = list(frame.manifest.formats)
    texts = caching.texts(frame.id, frame.version, _frozen(values), _for_texts(options))
    shown = st.session_state.get(f"make_fmt_{frame.id}") or formats[0]
    st.caption(f"{_format_size(frame, shown)} · " + plain(t("Alt text: {alt}").format(alt=texts["alt"][shown])))
    if unfilled:
        st.warning(plain(unfilled))
    with st.container(horizontal=True, key="make_downloads"):
        for fmt in formats:
            st.download_button(
                t("Download {format}").format(format=fmt), partial(encoded, fmt), file_name=f"{frame.id}-{fmt}.{extension(frame, fmt)}",
                mime=_mime(frame, fmt), key=f"make_dl_{fmt}", on_click="ignore", disabled=bool(unfilled),
            )
        st.download_button(t("Download all images (zip)"), lambda: _zip(frame, {f: encoded(f) for f in formats}, texts),
                           file_name=f"{frame.id}.zip", mime="application/zip", key="make_dl_all", on_click="ignore",
                           disabled=bool(unfilled))


def _layer_focal(frame: Frame, fmt: str) -> tuple[float, float]:
    layer = next((la for la in frame.manifest.formats[fmt].layers if la.kind == "photo"), None)
    return (layer.focal.x, layer.focal.y) if layer is not None and layer.kind == "photo" else (0.5, 0.5)


def _format_size(frame: Frame, fmt: str) -> str:
    spec = frame.manifest.formats[fmt]
    return f"{spec.width}×{spec.height}"


def _zip(frame: Frame, images: dict[str, bytes], texts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for fmt, data in images.items():
            zf.writestr(f"{frame.id}-{fmt}.{extension(frame, fmt)}", data)
        zf.writestr("texts.json", json.dumps(texts, ensure_ascii=False, indent=2))
    return buf.getvalue()


@lru_cache(maxsize=1024)
def _length(text: str, platform: str) -> int:
    """A post's length as its platform counts it: counted once per text, not on every keystroke's
    rerun (the four texts of a draft mostly stay the same while one field is typed)."""
    return platform_length(text, platform)


def _post_texts(frame: Frame, values: dict[str, str], options: RenderOptions) -> None:
    """One tab per platform, each text counted as that platform counts, with its copy button.

    Only the open tab is drawn (lazy tabs: a tab switch reruns this fragment): four code blocks
    redrawn on every keystroke were about a third of the browser's work per word."""
    st.subheader(t("Post text"))
    texts = caching.texts(frame.id, frame.version, _frozen(values), _for_texts(options))
    posts = texts["post"]
    tabs = st.tabs([PLATFORM_NAMES[p] for p in posts], on_change="rerun", key=f"make_post_tab_{frame.id}")
    for tab, (platform, text) in zip(tabs, posts.items()):
        if not tab.open:
            continue
        with tab:
            st.caption(t("{count}/{limit} characters · copy it with the button at the top right").format(
                count=_length(text, platform), limit=PLATFORMS[platform]))
            st.code(text, language=None, wrap_lines=True)


def _publish(frame: Frame, raw: dict[str, str], photo: Photo | None, options: RenderOptions,
             remix_of: str | None, photo_key: str, unfilled: str | None = None) -> None:
    st.subheader(t("Publish to the gallery"))
    done = st.session_state.get(f"make_published_{frame.id}")  # this frame's last publish, nobody else's
    place_default = place_from(raw)
    place = st.text_input(t("Place shown in the gallery"), value=place_default, max_chars=80, key=f"make_place_{frame.id}")
    consent = st.checkbox(
        t("Show my remix publicly in the gallery, with my name (or 'anonymous'), my place and my words."),
        key="make_consent",
    )
    asked = f"make_photo_asked_{frame.id}"
    if st.button(t("Publish"), type="primary", key="make_publish"):
        st.session_state.pop(f"make_published_{frame.id}", None)  # a new publish: the last one's links go
        done = None
        if unfilled:
            st.error(plain(unfilled))
        elif not consent:
            st.error(t("Tick the box above first: nothing is published without your consent."))
        elif photo is None and _wants_photo(frame):
            st.session_state[asked] = True  # a gentle question, once per click; the answer can be "go on"
        else:
            done = _do_publish(frame, raw, photo, options, remix_of, place, photo_key)
    if st.session_state.get(asked) and photo is None and not done:
        done = _ask_for_photo(asked, lambda: _do_publish(frame, raw, photo, options, remix_of, place, photo_key))
    if done:
        _published_links(*done)


def _wants_photo(frame: Frame) -> bool:
    return any(spec.kind == "photo" for spec in frame.manifest.fields)


def _ask_for_photo(asked: str, publish: Callable[[], tuple[str, str, str] | None]) -> tuple[str, str, str] | None:
    """'Add a photo?' before a photo frame is published without one: never a silent half-empty image."""
    st.info(t("Add a photo? This frame is made for one. Add it above, or publish without it: the frame then shows "
              "its own design where the photo would be."))
    if st.button(t("Publish without a photo"), key="make_publish_anyway"):
        st.session_state.pop(asked, None)
        return publish()
    return None


def _do_publish(frame: Frame, raw: dict[str, str], photo: Photo | None, options: RenderOptions,
                remix_of: str | None, place: str, photo_key: str) -> tuple[str, str, str] | None:
    """Render for real (no example words), store, and remember the links for this session."""
    try:
        result = publish_remix(
            caching.store(), frame, raw, consent=True, photo=photo, options=options, place=place,
            remix_of=remix_of, idempotency_key=_idempotency_key(frame, raw, options, place, photo_key),
        )
    except FrameRemixError as exc:
        show_error(exc)
        return None
    done = (result.id, result.status, result.delete_key)
    st.session_state[f"make_published_{frame.id}"] = done
    return done


def _idempotency_key(frame: Frame, raw: dict[str, str], options: RenderOptions, place: str, photo_key: str) -> str:
    """The same remix published twice (a double click) maps to one key; a changed one to another."""
    token = st.session_state.setdefault("make_session_token", secrets.token_urlsafe(16))
    content = json.dumps([frame.id, frame.version, raw, options.maker, options.lang, place, photo_key,
                          options.focal, options.zoom], sort_keys=True)
    return hashlib.sha256(f"{token}:{content}".encode()).hexdigest()


def _published_links(remix_id: str, status: str, delete_key: str) -> None:
    if status == "published":
        st.success(t("Published! Your remix is in the gallery."))
    else:
        st.success(t("Sent! Your remix will appear in the gallery once the organizer approves it."))
    st.page_link("app_pages/gallery.py", label=t("See it in the gallery"), query_params={"remix": remix_id})
    st.caption(t("Share link"))
    st.code(share_link(remix_id), language=None, wrap_lines=True)  # whole on a phone, with its copy button
    st.warning(t("Keep this private link to delete your remix later. It is shown only once; anyone who has it can "
               "delete the remix."))
    st.code(app_link("gallery", remix=remix_id, delete=delete_key), language=None, wrap_lines=True)
