"""Organize, the editor: words, fields, look, layout, texts and images of a draft, with a live preview.

Widgets only collect edits ({place: value}); `frames.editing` applies them and `build_frame`
validates the result exactly like a frame pack on disk. Each problem is shown in the tab of
the input it names (the slot with the longest matching place), anything else above the preview.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app_pages import caching
from app_pages.boxdrag import box_editor
from app_pages.i18n import N_, t
from app_pages.organize_state import (
    LAST_GOOD,
    Draft,
    bump,
    flash,
    sentences,
    show_flash,
    wkey,
)
from app_pages.ui import plain
from frames import Frame, FrameError, FrameRemixError, Problem
from frames.brand import PREFIX, brand_name
from frames.editing import (
    BACKGROUND_ASSET,
    FIELD_KINDS,
    OVERLAY_ASSET,
    add_text_field,
    apply_edits,
    asset_png,
    get_path,
    options_text,
    parse_options,
    remove_field,
    set_background_image,
    set_overlay,
    used_assets,
)
from frames.fontbook import FAMILY_NAMES
from frames.localize import has_words, language_name, missing_strings, words
from frames.model import PLATFORMS
from frames.tomledit import write_manifest
from frames.wording import contrast_advice, organizer_sentence
from remix import RenderOptions, build_texts, clean_values

Edits = dict[str, Any]
Slots = list[tuple[str, DeltaGenerator, str]]  # (place, where its problems go, the tab it is in)
KIND_LABELS = {"text": N_("Short text"), "long_text": N_("Long text (a story)"), "choice": N_("Choice"), "photo": N_("Photo")}
TABS = (N_("Words"), N_("Fields"), N_("Look"), N_("Layout"), N_("Texts"), N_("Translations"), N_("Images"))  # shown through t()
LAYER_KINDS = {"background": N_("background"), "photo": N_("photo"), "image": N_("image"), "text": N_("text"),
               "qr": N_("qr"), "credit": N_("credit")}
STALE_OPACITY = 0.45
BOXED = ("photo", "image", "text", "qr", "credit")


@dataclass(frozen=True)
class Edited:
    """The draft as a valid Frame (None while it has problems) and a place beside the preview for actions."""

    frame: Frame | None
    side: DeltaGenerator


def editor(draft: Draft) -> Edited:
    """Draw the editor and the preview of a draft."""
    edits: Edits = {}
    slots: Slots = []
    actions: list[Callable[[dict[str, Any]], dict[str, Any]]] = []
    left, right = st.columns([1, 1], gap="large")
    with left:
        fmt = st.selectbox(t("Format to edit"), list(draft.data.get("formats") or {}), key="org_fmt")
        notes: dict[str, DeltaGenerator] = {}  # filled once the draft is built: translation gaps, contrast
        gaps: dict[str, DeltaGenerator] = {}  # per language, beside its inputs
        drawers = {
            "Words": lambda: notes.update(words=_words(draft.data, edits, slots)),
            "Fields": lambda: _fields(draft.data, edits, slots, actions),
            "Look": lambda: notes.update(look=_look(draft.data, fmt, edits, slots)),
            "Layout": lambda: _layout(draft.data, fmt, edits, slots, actions),
            "Texts": lambda: _texts(draft.data, fmt, edits, slots),
            "Translations": lambda: _translations(draft.data, edits, slots, actions, gaps),
            "Images": lambda: _images(draft, actions),
        }
        for tab, name in zip(st.tabs([t(name) for name in TABS]), TABS):
            first = len(slots)
            with tab:
                drawers[name]()
            slots[first:] = [(place, box, name) for place, box, _ in slots[first:]]
    draft.data = apply_edits(draft.data, edits)
    _run_actions(draft, actions)
    with right:
        general, side = st.container(), st.container()
        frame = _build(draft, slots, general)
        if frame is not None:
            st.session_state[LAST_GOOD] = frame
            _translation_gaps(frame, notes["words"], gaps)
            _advice(frame, draft.data, notes["look"])
            _preview(frame)
        elif st.session_state.get(LAST_GOOD) is not None:
            with st.container(key="org_stale_preview"):
                st.html(f"<style>.st-key-org_stale_preview [data-testid=stImage] {{ opacity: {STALE_OPACITY}; }}</style>")
                _preview(st.session_state[LAST_GOOD], stale=True)
    return Edited(frame, side)


# ---- inputs ------------------------------------------------------------------------------------

def _slot(slots: Slots, place: str) -> None:
    slots.append((place, st.container(), ""))


def _text(data: dict[str, Any], edits: Edits, place: str, label: str, *, area: bool = False, **kw: Any) -> None:
    current = get_path(data, place, "") or ""
    widget = st.text_area if area else st.text_input
    value = widget(label, value=str(current), key=wkey(place), **kw)
    if value != current:
        edits[place] = value


def _words(data: dict[str, Any], edits: Edits, slots: Slots) -> DeltaGenerator:
    _slot(slots, "id")
    st.text(t("Frame id: {frame} · version {version}").format(frame=data.get("id", ""), version=data.get("version", 1)))
    _text(data, edits, "title", t("Title"), max_chars=100)
    _slot(slots, "title")
    _text(data, edits, "message", t("Core message"), area=True, max_chars=300, height=80)
    _slot(slots, "message")
    _text(data, edits, "call_to_action", t("Call to action"), max_chars=200)
    _slot(slots, "call_to_action")
    tags = " ".join(f"#{tag}" for tag in data.get("hashtags") or [])
    typed = st.text_input(t("Hashtags"), value=tags, key=wkey("hashtags"), help=t("Separated by spaces, with or without '#'."))
    if typed != tags:
        edits["hashtags"] = [tag.lstrip("#") for tag in typed.replace(",", " ").split() if tag.lstrip("#")]
    _slot(slots, "hashtags")
    _text(data, edits, "organizer.name", t("Organizer name"), max_chars=100)
    _slot(slots, "organizer")
    modes = ["publish", "approve"]
    current = data.get("moderation", "publish")
    mode = st.radio(t("Remixes appear in the gallery"), modes, index=modes.index(current), key=wkey("moderation"),
                    format_func=lambda m: t("at once") if m == "publish" else t("after I approve them"), horizontal=True)
    if mode != current:
        edits["moderation"] = mode
    _slot(slots, "moderation")
    return st.container()


def _fields(data: dict[str, Any], edits: Edits, slots: Slots, actions: list) -> None:
    for i, spec in enumerate(data.get("fields") or []):
        with st.expander(plain(f"{spec.get('label') or spec.get('name')} ({spec.get('name')}, {spec.get('kind')})")):
            _field(data, edits, i, spec)
            if st.button(t("Remove this field"), key=wkey(f"fields[{i}].remove")):
                actions.append(lambda d, i=i: remove_field(d, i))
        _slot(slots, f"fields[{i}]")
    st.markdown("**" + t("Add a field") + "**")
    name = st.text_input(t("Name (used in templates as {{ name }})"), placeholder="city", key=wkey("new_field_name"))
    label = st.text_input(t("Label participants see"), placeholder=t("Your town"), key=wkey("new_field_label"))
    kind = st.selectbox(t("Kind"), FIELD_KINDS, key=wkey("new_field_kind"), format_func=lambda k: t(KIND_LABELS[k]))
    if st.button(t("Add field"), key=wkey("new_field_add")):
        actions.append(lambda d: add_text_field(d, name, label, kind))
    _slot(slots, "fields")


def _field(data: dict[str, Any], edits: Edits, i: int, spec: dict[str, Any]) -> None:
    base = f"fields[{i}]"
    _text(data, edits, f"{base}.label", t("Label"), max_chars=80)
    _text(data, edits, f"{base}.help", t("Help"), max_chars=300)
    required = st.checkbox(t("Required"), value=bool(spec.get("required")), key=wkey(f"{base}.required"))
    if required != bool(spec.get("required")):
        edits[f"{base}.required"] = required
    if spec.get("kind") in ("text", "long_text"):
        current = int(spec.get("max_length") or 0)
        limit = st.number_input(t("Max length (0: the default)"), 0, 5000, current, 10, key=wkey(f"{base}.max_length"))
        if int(limit) != current:
            edits[f"{base}.max_length"] = int(limit) or None
        _text(data, edits, f"{base}.sample", t("Sample value (used in the preview)"), area=spec.get("kind") == "long_text")
    if spec.get("kind") == "choice":
        current_text = options_text(spec.get("options") or [])
        typed = st.text_area(t("Options, one per line: value = label"), value=current_text, key=wkey(f"{base}.options"),
                             help=t("The value is what templates get; the label is what participants see."))
        if typed != current_text:
            edits[f"{base}.options"] = parse_options(typed)
        _text(data, edits, f"{base}.sample", t("Sample value (one of the option values)"))


def _look(data: dict[str, Any], fmt: str, edits: Edits, slots: Slots) -> DeltaGenerator:
    _kit(data, edits, slots)
    st.markdown(t("**Layers of the {format}** (a layer may use a kit colour or its own)").format(format=fmt))
    layers = get_path(data, f"formats.{fmt}.layers", []) or []
    for i, layer in enumerate(layers):
        place = f"formats.{fmt}.layers[{i}]"
        if layer.get("kind") == "background":
            _colour(data, edits, f"{place}.color", t("Background colour"), "#ffffff")
            if layer.get("gradient"):
                _colour(data, edits, f"{place}.gradient.to", t("Background gradient to"), "#ffffff")
            _slot(slots, f"{place}.color")
        elif layer.get("kind") in ("text", "credit"):
            _text_look(data, edits, place, layer, i)
            _slot(slots, f"{place}.color")
            _slot(slots, f"{place}.font")
    return st.container()


def _kit(data: dict[str, Any], edits: Edits, slots: Slots) -> None:
    """The brand kit: each named colour and font once; every layer that names it follows."""
    st.markdown(t("**Brand kit** (used by every format)"))
    colours = get_path(data, "brand.colors", {}) or {}
    for column, name in zip(st.columns(3) * (len(colours) // 3 + 1), colours):
        with column:
            label = t("QR code") if name == "qr" else name.replace("_", " ").capitalize()
            _picker(data, edits, f"brand.colors.{name}", label, "#ffffff")
    _slot(slots, "brand.colors")
    fonts = get_path(data, "brand.fonts", {}) or {}
    for column, name in zip(st.columns(max(1, len(fonts))), fonts):
        with column:
            current = str(fonts[name])
            chosen = st.selectbox(t("{name} font").format(name=name.capitalize()), FAMILY_NAMES, index=_index(FAMILY_NAMES, current),
                                  key=wkey(f"brand.fonts.{name}"))
            if chosen != current:
                edits[f"brand.fonts.{name}"] = chosen
    _slot(slots, "brand")


def _index(options: Any, value: Any) -> int:
    return list(options).index(value) if value in options else 0


def _text_look(data: dict[str, Any], edits: Edits, place: str, layer: dict[str, Any], i: int) -> None:
    if layer.get("panel"):
        _colour(data, edits, f"{place}.panel", t("Panel of {layer}").format(layer=_layer_name(layer, i)), "#ffffff")
    if layer.get("kind") == "text" and not str(layer.get("template", "")).strip():
        return  # an empty text layer only draws its panel
    colour, font = st.columns(2)
    with colour:
        _colour(data, edits, f"{place}.color", t("Colour of {layer}").format(layer=_layer_name(layer, i)), "#111111")
    with font:
        current = layer.get("font", "sans")
        kit_fonts = [PREFIX + n for n in get_path(data, "brand.fonts", {}) or {}]
        options = [*kit_fonts, *FAMILY_NAMES]
        chosen = st.selectbox(t("Font of {layer}").format(layer=_layer_name(layer, i)), options, index=_index(options, current),
                              format_func=_kit_label, key=wkey(f"{place}.font"))
        if chosen != current:
            edits[f"{place}.font"] = chosen


def _kit_label(value: str) -> str:
    name = brand_name(value)
    return t("Kit: {name}").format(name=name.replace("_", " ")) if name else value


def _colour(data: dict[str, Any], edits: Edits, place: str, label: str, default: str) -> None:
    """A layer's colour: one of the kit's names, or its own colour (then a picker)."""
    current = str(get_path(data, place, default))
    kit_names = [PREFIX + n for n in get_path(data, "brand.colors", {}) or {}]
    if not kit_names:
        _picker(data, edits, place, label, default)
        return
    own = "own"
    options = [*kit_names, own]
    choice = st.selectbox(label, options, index=_index(options, current if brand_name(current) else own),
                          format_func=lambda v: t("Its own colour") if v == own else _kit_label(v), key=wkey(place + ".kit"))
    if choice != own:
        if choice != current:
            edits[place] = choice
        return
    if brand_name(current):  # just switched to its own colour: start from the kit colour it had
        current = str(get_path(data, f"brand.colors.{brand_name(current)}", default))
        edits[place] = current
    _picker(data, edits, place, t("{label}: own colour").format(label=label), default, value=current)


def _picker(data: dict[str, Any], edits: Edits, place: str, label: str, default: str, value: str | None = None) -> None:
    """A colour picker; `default` is the model's default for a colour the manifest leaves out."""
    current = value or str(get_path(data, place, default))
    shown = current[:7] if current.startswith("#") else default
    picked = st.color_picker(label, value=shown, key=wkey(place))
    if picked.lower() != shown.lower():
        edits[place] = picked


def _layout(data: dict[str, Any], fmt: str, edits: Edits, slots: Slots, actions: list) -> None:
    layers = get_path(data, f"formats.{fmt}.layers", []) or []
    boxed = [i for i, layer in enumerate(layers) if layer.get("kind") in BOXED]
    if not boxed:
        st.caption(t("This format has no layers with a box."))
        return
    key = f"org_layout_{fmt}"  # not rebuilt after a drag: the moved layer is the chosen one
    if st.session_state.get("org_layout_next") in boxed:
        st.session_state[key] = st.session_state.pop("org_layout_next")
    if st.session_state.get(key) not in boxed:
        st.session_state.pop(key, None)
    i = st.selectbox(t("Layer"), boxed, format_func=lambda j: _layer_name(layers[j], j), key=key)
    _drag(data, fmt, layers, boxed, i, actions)
    st.caption(t("Or type the numbers: fractions of the canvas, x and y from the top-left corner, w and h as sizes."))
    place = f"formats.{fmt}.layers[{i}].box"
    box = {part: float(v) for part, v in (layers[i].get("box") or {"x": 0, "y": 0, "w": 1, "h": 1}).items()}
    typed = {}
    for column, part in zip(st.columns(4), "xywh"):
        with column:
            value = st.number_input(part, 0.0, 1.0, box.get(part, 0.0), 0.01, format="%.3f", key=wkey(f"{place}.{part}"))
            typed[part] = round(value, 4)
    if typed != {part: round(box.get(part, 0.0), 4) for part in "xywh"}:
        edits[place] = typed  # the whole box: an image layer may have had none (the full canvas)
    _layer_extras(layers[i], f"formats.{fmt}.layers[{i}]", edits)
    _slot(slots, f"formats.{fmt}.layers[{i}]")


def _layer_extras(layer: dict[str, Any], place: str, edits: Edits) -> None:
    """The chosen layer's own settings: a photo's shape and focus, a text's size range."""
    if layer.get("kind") == "photo":
        shapes = ["rect", "circle"]
        shape = st.radio(t("Shape of the photo"), shapes, index=_index(shapes, layer.get("shape", "rect")), horizontal=True,
                         format_func=lambda v: t("Rectangle") if v == "rect" else t("Circle"), key=wkey(f"{place}.shape"))
        if shape != layer.get("shape", "rect"):
            edits[f"{place}.shape"] = shape
        focal = layer.get("focal") or {}
        fx, fy = float(focal.get("x", 0.5)), float(focal.get("y", 0.5))
        left, right = st.columns(2)
        x = left.slider(t("Focus across (0 left, 1 right)"), 0.0, 1.0, fx, 0.05, key=wkey(f"{place}.focal.x"))
        y = right.slider(t("Focus down (0 top, 1 bottom)"), 0.0, 1.0, fy, 0.05, key=wkey(f"{place}.focal.y"))
        if (round(x, 3), round(y, 3)) != (round(fx, 3), round(fy, 3)):
            edits[f"{place}.focal"] = {"x": round(x, 3), "y": round(y, 3)}
    elif layer.get("kind") == "text" and str(layer.get("template", "")).strip():
        lo, hi = int(layer.get("min_size", 18)), int(layer.get("max_size", 72))
        chosen = st.slider(t("Text size range (px: it shrinks to fit, never below the smallest)"), 8, 400,
                           (min(lo, hi), max(lo, hi)), key=wkey(f"{place}.sizes"))
        if tuple(chosen) != (lo, hi):
            edits[f"{place}.min_size"], edits[f"{place}.max_size"] = int(chosen[0]), int(chosen[1])


def _drag(data: dict[str, Any], fmt: str, layers: list, boxed: list[int], selected: int, actions: list) -> None:
    """The boxes over the last good preview: a box moved by hand becomes the same edit the numbers make."""
    st.caption(t("Drag a box to move it, its round handle to resize it; edges and centres snap. "
                 "Arrow keys move the focused box (with Shift: resize)."))
    spec = get_path(data, f"formats.{fmt}", {}) or {}
    size = (int(spec.get("width") or 1080), int(spec.get("height") or 1080))
    boxes = [{"i": j, "label": _short_name(layers[j], j), **_box_of(layers[j])} for j in boxed]
    good = st.session_state.get(LAST_GOOD)
    image = caching.draft_image(good.digest, fmt, good) if good is not None and fmt in good.manifest.formats else None
    moved = box_editor(fmt, size, boxes, selected, key=wkey(f"drag_{fmt}"), image=image,
                       alt=t("The {format} preview with its layer boxes").format(format=fmt))
    if moved and int(moved.get("index", -1)) in boxed:
        place = f"formats.{fmt}.layers[{int(moved['index'])}].box"
        box = {part: round(float(moved[part]), 4) for part in "xywh"}
        if box != _box_of(get_path(data, place.removesuffix(".box"), {})):
            st.session_state["org_layout_next"] = int(moved["index"])  # the moved box's numbers show next
            actions.append(lambda d: apply_edits(d, {place: box}))


def _box_of(layer: dict[str, Any]) -> dict[str, float]:
    box = layer.get("box") or {"x": 0, "y": 0, "w": 1, "h": 1}
    return {part: round(float(box.get(part, 0.0)), 4) for part in "xywh"}


def _short_name(layer: dict[str, Any], i: int) -> str:
    kind = layer.get("kind", "")
    return str(layer.get("id") or (t("QR code") if kind == "qr" else _kind_name(kind) or t("layer {number}").format(number=i)))


def _kind_name(kind: str) -> str:
    """A layer kind in the app's language (an unknown one as written; never t(""), the catalogue's header)."""
    return t(LAYER_KINDS[kind]) if kind in LAYER_KINDS else kind


def _texts(data: dict[str, Any], fmt: str, edits: Edits, slots: Slots) -> None:
    st.caption(t("Templates use {{ field }} and the frame's words: title, message, organizer, hashtags, "
                 "call_to_action, link."))
    _text(data, edits, "texts.post", t("Post text"), area=True, height=120)
    _slot(slots, "texts.post")
    with st.expander(t("Post text per platform (empty: the post text above)")):
        for platform, limit in PLATFORMS.items():
            _optional(data, edits, f"texts.platforms.{platform}", t("{platform} (counted to {limit})").format(
                platform=PLATFORM_NAMES[platform], limit=f"{limit:,}"))
            _slot(slots, f"texts.platforms.{platform}")
    _text(data, edits, "texts.alt", t("Alt text (describes the image for people who cannot see it)"), area=True, height=100)
    _slot(slots, "texts.alt")
    _optional(data, edits, f"formats.{fmt}.alt", t("Alt text of the {format} only (empty: the alt text above)").format(format=fmt))
    _slot(slots, f"formats.{fmt}.alt")
    for i, layer in enumerate(get_path(data, f"formats.{fmt}.layers", []) or []):
        if layer.get("kind") == "text":
            place = f"formats.{fmt}.layers[{i}].template"
            _text(data, edits, place, t("Text of {layer}").format(layer=_layer_name(layer, i)), area=True, height=68)
            _slot(slots, place)


TRANSLATED = (("title", N_("Title"), False), ("message", N_("Core message"), True),
              ("call_to_action", N_("Call to action"), False), ("post", N_("Post text"), True), ("alt", N_("Alt text"), True))


def _translations(data: dict[str, Any], edits: Edits, slots: Slots, actions: list,
                  gaps: dict[str, DeltaGenerator]) -> None:
    """Each language side by side with the original, with what is still missing listed first."""
    st.caption(t("Anything left empty shows in the frame's own language. Participants pick the language on the Make page."))
    for lang in sorted(get_path(data, "translations", {}) or {}):
        with st.container(border=True):
            st.markdown(f"**{plain(language_name(lang))}**")
            gaps[lang] = st.empty()
            base = f"translations.{lang}"
            for key, label, area in TRANSLATED:
                original = get_path(data, f"texts.{key}" if key in ("post", "alt") else key, "") or ""
                _side_by_side(data, edits, f"{base}.{key}", t(label), str(original), area)
            for spec in get_path(data, "fields", []) or []:
                _side_by_side(data, edits, f"{base}.fields.{spec.get('name')}.label", t("Label of {field}").format(field=spec.get("name")),
                              str(spec.get("label", "")), False)
            for layer_id, template in _worded_layers(data).items():
                _side_by_side(data, edits, f"{base}.layers.{layer_id}", t("Text of {layer}").format(layer=layer_id), template, True)
            if st.button(t("Remove this translation"), key=wkey(f"{base}.remove")):
                actions.append(lambda d, lang=lang: apply_edits(d, {f"translations.{lang}": None}))
            _slot(slots, base)
    code = st.text_input(t("Add a language (a code like ar, es or pt-BR)"), key=wkey("new_lang"), max_chars=12)
    lang = code.strip()
    if st.button(t("Add translation"), key=wkey("new_lang_add")) and lang:
        actions.append(lambda d: apply_edits(d, {f"translations.{lang}": {}}))
    _slot(slots, "translations")


def _worded_layers(data: dict[str, Any]) -> dict[str, str]:
    """Text layers (by id) whose template has words of its own to translate, first format that has each."""
    found: dict[str, str] = {}
    for fmt in (get_path(data, "formats", {}) or {}).values():
        for layer in fmt.get("layers") or []:
            template = layer.get("template")
            if layer.get("kind") == "text" and layer.get("id") and isinstance(template, str) and has_words(template):
                found.setdefault(str(layer["id"]), template)
    return found


def _side_by_side(data: dict[str, Any], edits: Edits, place: str, label: str, original: str, area: bool) -> None:
    """The original on the left, its translation on the right (an empty translation is removed)."""
    left, right = st.columns(2)
    left.caption(label)
    left.text(original or t("(empty)"))
    current = str(get_path(data, place, "") or "")
    name = f"{label} ({place.split('.')[1]})"
    if area:
        value = right.text_area(name, value=current, key=wkey(place), height=90)
    else:
        value = right.text_input(name, value=current, key=wkey(place))
    if value != current:
        edits[place] = value if value.strip() else None


PLATFORM_NAMES = {"x": "X", "bluesky": "Bluesky", "mastodon": "Mastodon", "instagram": "Instagram"}


def _optional(data: dict[str, Any], edits: Edits, place: str, label: str) -> None:
    """A template that may be left empty (then the general one is used): empty removes it."""
    current = str(get_path(data, place, "") or "")
    value = st.text_area(label, value=current, key=wkey(place), height=80)
    if value != current:
        edits[place] = value if value.strip() else None


def _images(draft: Draft, actions: list) -> None:
    st.caption(t("JPEG, PNG or WebP up to 15 MB. Images are re-saved as PNG without their metadata."))
    show_flash("images")
    for label, asset, place in ((N_("Background image (fills every format)"), BACKGROUND_ASSET, set_background_image),
                                (N_("Overlay (a PNG with transparency, over the photo, under the text)"), OVERLAY_ASSET,
                                 set_overlay)):
        upload = st.file_uploader(t(label), type=["jpg", "jpeg", "png", "webp"], key=wkey(asset))
        if upload is None:
            continue
        with sentences():
            data = asset_png(upload.getvalue(), what=t("the image {name}").format(name=upload.name))
            if draft.assets.get(asset) != data:
                draft.assets[asset] = data
                actions.append(place)
                flash(t("Uploaded {name}; it is in the preview now.").format(name=upload.name), "images")


def _layer_name(layer: dict[str, Any], i: int) -> str:
    kind = _kind_name(layer.get("kind", "")) or "?"
    name = t("{kind} layer {number}").format(kind=kind, number=i)
    return name + (f" '{layer['id']}'" if layer.get("id") else "")


# ---- after the inputs ------------------------------------------------------------------------------

def _run_actions(draft: Draft, actions: list) -> None:
    """Structural changes (a field added or removed, an image placed) rebuild the widgets."""
    if not actions:
        return
    with sentences():
        for action in actions:
            draft.data = action(draft.data)
        bump()
        st.rerun()


def _build(draft: Draft, slots: Slots, general: DeltaGenerator) -> Frame | None:
    try:
        assets = tuple(sorted(used_assets(draft.data, draft.assets).items()))
        return caching.draft_frame(write_manifest(draft.data, draft.source or None), assets)
    except FrameError as exc:
        _place_problems(exc.problems, slots, general, draft.data)
        return None


def _place_problems(problems: list[Problem], slots: Slots, general: DeltaGenerator, data: dict[str, Any]) -> None:
    """One summary saying where to look, then each problem under the input it names (or below the summary)."""
    summary = general.empty()
    tabs: set[str] = set()
    for problem in problems:
        matches = [(len(p), box, tab) for p, box, tab in slots
                   if problem.place == p or problem.place.startswith((p + ".", p + "["))]
        _, target, tab = max(matches, key=lambda m: m[0]) if matches else (0, general, "below")
        tabs.add(tab)
        target.error(plain(organizer_sentence(problem, data)))
    where = [t("the {tab} tab").format(tab=t(name)) for name in TABS if name in tabs] + ([t("below")] if "below" in tabs else [])
    places = t(" and ").join(where)
    summary.error(t("This draft has {count} problems: see {places}. Publishing waits until they are fixed.").format(
        count=len(problems), places=places) if len(problems) > 1 else
        t("This draft has 1 problem: see {places}. Publishing waits until it is fixed.").format(places=places))


def _translation_gaps(frame: Frame, box: DeltaGenerator, gaps: dict[str, DeltaGenerator]) -> None:
    """Edited words are not re-translated: say which translated strings still need a translator
    (in the Words tab, and beside each language in the Translations tab)."""
    m = frame.manifest
    for lang in sorted(m.translations):
        missing = missing_strings(m, lang)
        if missing:
            box.info(plain(t("Translation '{lang}' still misses {parts}; those parts show in '{frame_lang}'.").format(
                lang=lang, parts=", ".join(missing), frame_lang=m.language)))
        if lang in gaps and missing:
            gaps[lang].info(plain(t("Still missing: {parts}.").format(parts=", ".join(missing))))
        elif lang in gaps:
            gaps[lang].success(t("Everything is translated."))


def _advice(frame: Frame, data: dict[str, Any], box: DeltaGenerator) -> None:
    """Contrast advice that names the text and the colour under it (advice: publishing does not wait for it)."""
    for _, sentence in contrast_advice(frame.manifest, data):
        box.warning(plain(t("Contrast: {advice}").format(advice=sentence)))


def _preview(frame: Frame, stale: bool = False) -> None:
    """Every format side by side (stacked on a phone), each with the sample values."""
    st.subheader(t("Preview with the sample values"))
    if stale:
        st.caption(t("The last preview without problems, dimmed: fix the problems shown next to the inputs to update it."))
    try:
        values = clean_values(frame.manifest, words(frame.manifest).samples())
        texts = build_texts(frame, values, RenderOptions())
        formats = list(frame.manifest.formats)
        row = st.container(key="org_preview_stale" if stale else "org_preview")
        for column, fmt in zip(row.columns(len(formats)), formats):
            spec = frame.manifest.formats[fmt]
            column.image(caching.draft_image(frame.digest, fmt, frame), caption=f"{fmt} · {spec.width} × {spec.height}",
                         alt=texts.alt.get(fmt) or fmt, width="stretch")
        st.caption(t("Post text"))
        st.text(texts.post.get("mastodon", ""))
    except FrameRemixError as exc:
        st.error(plain(str(exc.problems[0])))
