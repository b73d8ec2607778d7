"""The Make page's preview as a small browser component on which the photo is placed by hand:
drag to move it inside its box, pinch or the mouse wheel to zoom, arrow keys and +/- from a
keyboard. The result is the render's existing focal point and zoom (RenderOptions), so the CLI,
the gallery and the published images are unchanged.

Why a drag works where the old left/right slider did nothing: at zoom 1 a cover-fitted photo
fills its box exactly along one axis (a 4:3 photo in the wide box of the square fills its
width), so there is no room to move it sideways and any focal x gave the same crop; and near
the edges a focal point beyond the photo's free room was clamped to the same crop too. The pad
moves the *crop window* by what the finger moved, within the free room only, and writes back the
focal point at the window's centre, so every movement that can change the picture does, and
the pad says which way the photo can move ("zoom in to move it sideways").
"""
from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from app_pages.i18n import N_
from remix.render import MAX_ZOOM

_HTML = ('<figure class="fr-pad"><img alt=""><figcaption class="fr-hint"></figcaption></figure>'
         '<div class="fr-share"><button type="button" class="fr-share-btn"></button>'
         '<span class="fr-share-status" role="status"></span></div>')

_CSS = """
.fr-pad { margin: 0; position: relative; }
.fr-pad img { display: block; width: 100%; height: auto; border-radius: .5rem; user-select: none;
  -webkit-user-drag: none; }
.fr-pad.fr-movable img { touch-action: none; cursor: grab; }
.fr-pad.fr-movable img:active { cursor: grabbing; }
.fr-pad img:focus-visible { outline: 3px solid var(--st-primary-color, #b00020); outline-offset: 2px; }
.fr-hint { font-size: .8rem; opacity: .85; margin-top: .35rem; font-family: var(--st-font, sans-serif);
  color: var(--st-text-color, #31333f); }
.fr-hint:empty { display: none; }
.fr-share { display: flex; align-items: center; gap: .75rem; margin-top: .4rem; flex-wrap: wrap;
  font-family: var(--st-font, sans-serif); color: var(--st-text-color, #31333f); }
.fr-share-btn { font: inherit; font-weight: 600; color: #fff; background: var(--st-primary-color, #b00020);
  border: 0; border-radius: .5rem; padding: .55rem 1.4rem; min-height: 2.75rem; cursor: pointer; }
.fr-share-btn:focus-visible { outline: 3px solid var(--st-text-color, #31333f); outline-offset: 2px; }
.fr-share-status { font-size: .85rem; }
@media (min-width: 641px) {
  .fr-pad img { max-height: 62vh; width: auto; max-width: 100%; margin-inline: auto; }
}
@media (max-width: 640px) {
  .fr-pad img { max-height: 27vh; width: auto; max-width: 100%; margin-inline: auto; }
  .fr-hint { font-size: .72rem; margin-top: .15rem; line-height: 1.25; }
  .fr-share { margin-top: .25rem; }
  .fr-share-btn { padding: .45rem 1.2rem; min-height: 2.5rem; }
}
"""

_JS = """
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

// The crop window (in photo pixels) a focal point and zoom give: the render's own arithmetic.
function windowOf(d, focal, zoom) {
  const [bw, bh] = d.box, [iw, ih] = d.photo;
  const scale = Math.max(bw / iw, bh / ih) * zoom;
  const cw = Math.min(bw / scale, iw), ch = Math.min(bh / scale, ih);
  const left = clamp(focal[0] * iw - cw / 2, 0, iw - cw), top = clamp(focal[1] * ih - ch / 2, 0, ih - ch);
  return { scale, cw, ch, left, top };
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const pad = parentElement.querySelector(".fr-pad");
  const img = pad.querySelector("img"), hint = pad.querySelector(".fr-hint");
  const s = pad.__fr || (pad.__fr = { focal: null, zoom: 1, timer: null, pointers: new Map(), busy: false });
  s.data = data;
  img.src = data.src;
  img.alt = data.alt;
  const movable = !!(data.photo && data.box);
  pad.classList.toggle("fr-movable", movable);
  if (!s.busy || !movable) { s.focal = data.focal.slice(); s.zoom = data.zoom; }
  const describe = () => {
    if (!movable) { hint.textContent = ""; return; }
    const w = windowOf(s.data, s.focal, s.zoom);
    const sideways = s.data.photo[0] - w.cw > 1, upDown = s.data.photo[1] - w.ch > 1;
    hint.textContent = sideways && upDown ? s.data.words.both : sideways ? s.data.words.sideways
      : upDown ? s.data.words.updown : s.data.words.zoom;
  };
  describe();
  if (movable) {
    img.tabIndex = 0;
    hint.id = "fr-pad-hint";
    img.setAttribute("aria-describedby", "fr-pad-hint");
    img.setAttribute("aria-keyshortcuts", "ArrowLeft ArrowRight ArrowUp ArrowDown + -");
  } else {
    img.removeAttribute("tabindex");
  }
  const shareBtn = parentElement.querySelector(".fr-share-btn"), status = parentElement.querySelector(".fr-share-status");
  const canShare = () => !!(navigator.canShare && navigator.share);
  shareBtn.textContent = canShare() ? data.share.words.share : data.share.words.save;
  // The full-size file for the shown format and words: fetched once per URL (the URL changes
  // with them); a failed fetch is tried again on the next tap.
  const fullFile = (d) => {
    if (!d.share.url) return Promise.reject(new Error("nothing to share yet"));
    if (!s.full || s.full.url !== d.share.url) {
      const entry = { url: d.share.url, file: null };
      entry.promise = fetch(new URL(d.share.url, document.baseURI), { credentials: "same-origin" })
        .then((r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); return r.blob(); })
        .then((blob) => (entry.file = new File([blob], d.share.name, { type: d.share.mime })));
      entry.promise.catch(() => { if (s.full === entry) s.full = null; });
      s.full = entry;
    }
    return s.full.promise;
  };
  if (s.saidBlocked && !data.share.blocked) { status.textContent = ""; s.saidBlocked = false; }  // filled in: Share works
  clearTimeout(s.idle);  // a preview left alone for a moment: get its full file ready for Share
  s.idle = setTimeout(() => fullFile(s.data).catch(() => {}), data.prefetch);
  if (s.wired) return;
  s.wired = true;

  // Share in one tap: the full-size file and the post text to the phone's share sheet; where
  // the browser cannot share files, save the file and copy the text instead. The page shows a
  // small preview; the full file (`share.url`, rendered by the server when asked) is fetched
  // before the tap where possible (the preview idle for a moment, or a finger or pointer on the
  // button), because iOS drops the tap's user activation at the first await before share().
  shareBtn.addEventListener("pointerdown", () => fullFile(s.data).catch(() => {}));
  shareBtn.addEventListener("pointerenter", () => fullFile(s.data).catch(() => {}));
  shareBtn.addEventListener("focus", () => fullFile(s.data).catch(() => {}));
  shareBtn.addEventListener("click", async () => {
    const d = s.data;
    if (d.share.blocked) { status.textContent = d.share.blocked; s.saidBlocked = true; return; }  // not theirs to share
    let file = s.full && s.full.url === d.share.url ? s.full.file : null, waited = false;
    status.textContent = "";
    if (!file) {
      waited = true; status.textContent = d.share.words.preparing;
      try { file = await fullFile(d); } catch (e) { status.textContent = d.share.words.failed; return; }
      status.textContent = "";
    }
    if (canShare() && navigator.canShare({ files: [file] })) {
      try { await navigator.share({ files: [file], text: d.share.text }); status.textContent = d.share.words.shared; }
      catch (e) {
        if (e && e.name === "NotAllowedError" && waited) status.textContent = d.share.words.again;
        else if (e && e.name !== "AbortError") status.textContent = d.share.words.failed;
      }
      return;
    }
    const a = document.createElement("a");
    a.href = URL.createObjectURL(file); a.download = d.share.name;
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    try { await navigator.clipboard.writeText(d.share.text); status.textContent = d.share.words.saved_copied; }
    catch (e) { status.textContent = d.share.words.saved; }
  });

  const send = () => {
    clearTimeout(s.timer); s.timer = null;
    setStateValue("crop", { focal: s.focal.map(v => Math.round(v * 1000) / 1000), zoom: Math.round(s.zoom * 100) / 100 });
  };
  const later = () => { clearTimeout(s.timer); s.timer = setTimeout(send, s.data.debounce); };
  // Move the crop window by (dx, dy) canvas pixels of the shown image; the photo follows the finger.
  const moveBy = (dx, dy) => {
    const d = s.data, w = windowOf(d, s.focal, s.zoom);
    const left = clamp(w.left - dx / w.scale, 0, d.photo[0] - w.cw);
    const top = clamp(w.top - dy / w.scale, 0, d.photo[1] - w.ch);
    s.focal = [(left + w.cw / 2) / d.photo[0], (top + w.ch / 2) / d.photo[1]];
  };
  const zoomTo = (z) => {
    const d = s.data, w = windowOf(d, s.focal, s.zoom);  // keep the window's centre where it is
    s.focal = [(w.left + w.cw / 2) / d.photo[0], (w.top + w.ch / 2) / d.photo[1]];
    s.zoom = clamp(z, 1, d.maxZoom);
  };
  const toCanvas = () => s.data.canvas[0] / img.getBoundingClientRect().width;
  const spread = () => { const [a, b] = [...s.pointers.values()]; return Math.hypot(a.x - b.x, a.y - b.y); };

  img.addEventListener("pointerdown", (e) => {
    if (!pad.classList.contains("fr-movable")) return;
    img.setPointerCapture(e.pointerId);
    s.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    s.busy = true;
    if (s.pointers.size === 2) { s.pinch = spread(); s.pinchZoom = s.zoom; }
    e.preventDefault();
  });
  img.addEventListener("pointermove", (e) => {
    const last = s.pointers.get(e.pointerId);
    if (!last) return;
    const now = { x: e.clientX, y: e.clientY };
    s.pointers.set(e.pointerId, now);
    if (s.pointers.size >= 2) zoomTo(s.pinchZoom * spread() / s.pinch);
    else { const k = toCanvas(); moveBy((now.x - last.x) * k, (now.y - last.y) * k); }
    describe(); later();
  });
  const up = (e) => {
    if (!s.pointers.delete(e.pointerId)) return;
    if (s.pointers.size === 0) { s.busy = false; send(); }
  };
  img.addEventListener("pointerup", up);
  img.addEventListener("pointercancel", up);
  img.addEventListener("wheel", (e) => {
    if (!pad.classList.contains("fr-movable")) return;
    e.preventDefault();
    zoomTo(s.zoom * Math.exp(-e.deltaY * 0.0015)); describe(); later();
  }, { passive: false });
  img.addEventListener("keydown", (e) => {
    if (!pad.classList.contains("fr-movable")) return;
    const step = s.data.canvas[0] / 25;
    const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) moveBy(...moves[e.key]);
    else if (e.key === "+" || e.key === "=") zoomTo(s.zoom + 0.1);
    else if (e.key === "-") zoomTo(s.zoom - 0.1);
    else return;
    e.preventDefault(); describe(); later();
  });
}
"""

_component = st.components.v2.component("frame_remix.photo_pad", html=_HTML, css=_CSS, js=_JS)

DEBOUNCE_MS = 120
PREFETCH_MS = 2500  # a preview unchanged this long gets its full-size file fetched for Share


@dataclass(frozen=True)
class PadWords:
    """The pad's hints, in the participant's language."""

    both: str = N_("Drag the photo to move it, pinch or scroll to zoom (arrow keys and +/- work too).")
    sideways: str = N_("Drag the photo sideways to move it; pinch or scroll to zoom in and move it up and down.")
    updown: str = N_("Drag the photo up or down to move it; pinch or scroll to zoom in and move it sideways.")
    zoom: str = N_("Pinch or scroll to zoom in, then drag the photo to move it.")


@dataclass(frozen=True)
class ShareWords:
    share: str = N_("Share")
    save: str = N_("Save image")
    shared: str = N_("Shared.")
    failed: str = N_("Sharing did not work here; use the download buttons below.")
    saved_copied: str = N_("Image saved and post text copied: paste it with the image.")
    saved: str = N_("Image saved. Copy the post text below.")
    preparing: str = N_("Preparing the full-size image…")
    again: str = N_("The image is ready: tap Share again.")


@dataclass(frozen=True)
class Share:
    """What the Share button hands over: the shown format's full-size file (its name, type and
    the address it is fetched from, see app_pages/share_files.py) and the post text."""

    name: str
    mime: str
    text: str
    url: str  # "" while the image may not be handed out (see `blocked`)
    words: ShareWords = ShareWords()
    blocked: str = ""  # the sentence a tap shows instead of sharing (a required field is empty)


@dataclass(frozen=True)
class Placement:
    """What the pad needs to move a photo: the shown format's canvas, its photo box and the photo."""

    canvas: tuple[int, int]
    box: tuple[int, int] | None  # the cover-fitted photo box in canvas pixels; None: nothing to move
    photo: tuple[int, int] | None  # the decoded photo's size (only its proportions matter)


def photo_pad(image: bytes, alt: str, placement: Placement, focal: tuple[float, float], zoom: float, key: str,
              on_place: Callable[[tuple[float, float], float], None], share: Share,
              words: PadWords = PadWords()) -> None:
    """Show the preview and its Share button; a finished drag, pinch, wheel or key press calls
    on_place(focal, zoom). `image` is the screen-sized JPEG of the shown format; Share hands over
    the full-size file at `share.url`."""

    def placed() -> None:
        crop = st.session_state[key]["crop"] or {}
        fx, fy = crop.get("focal", focal)
        on_place((min(1.0, max(0.0, float(fx))), min(1.0, max(0.0, float(fy)))),
                 min(MAX_ZOOM, max(1.0, float(crop.get("zoom", zoom)))))

    data = {
        "src": "data:image/jpeg;base64," + base64.b64encode(image).decode(), "alt": alt,
        "canvas": list(placement.canvas), "box": list(placement.box) if placement.box else None,
        "photo": list(placement.photo) if placement.photo else None, "focal": list(focal), "zoom": zoom,
        "maxZoom": MAX_ZOOM, "debounce": DEBOUNCE_MS, "prefetch": PREFETCH_MS, "words": words.__dict__,
        "share": {"name": share.name, "mime": share.mime, "text": share.text, "url": share.url,
                  "blocked": share.blocked, "words": share.words.__dict__},
    }
    _component(key=key, data=data, on_crop_change=placed)
