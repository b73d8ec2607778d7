"""Layout by hand: the layer boxes of one format drawn over its preview, moved and resized with a finger or mouse.

A `st.components.v2` component (inline HTML/CSS/JS, no build step). Dragging a box moves it,
the corner handle resizes it; edges and centres snap to the canvas edges and centre; arrow keys
move the focused box by 1 % (with Shift: resize). On release the component reports the box
as fractions of the canvas, and the editor turns that into the same edit the number inputs make.
"""
from __future__ import annotations

import base64
from typing import Any

import streamlit as st

CSS = """
.bx-root { position: relative; width: 100%; max-width: 520px; background: #ddd; touch-action: none;
           user-select: none; margin: 0 auto; }
.bx-root img { position: absolute; inset: 0; width: 100%; height: 100%; display: block; pointer-events: none; }
.bx { position: absolute; box-sizing: border-box; border: 2px dashed rgba(20, 20, 20, .85);
      outline: 1px solid rgba(255, 255, 255, .9); cursor: move; background: rgba(255, 255, 255, .08); }
.bx.sel { border: 3px solid #d6336c; background: rgba(214, 51, 108, .12); }
.bx:focus-visible { outline: 3px solid #1c7ed6; }
.bx-h { position: absolute; right: -9px; bottom: -9px; width: 18px; height: 18px; border-radius: 50%;
        background: #d6336c; border: 2px solid #fff; cursor: nwse-resize; }
.bx-l { position: absolute; left: 2px; top: 2px; font: 600 11px/1.2 sans-serif; color: #fff;
        background: rgba(20, 20, 20, .75); padding: 1px 4px; border-radius: 3px; pointer-events: none; }
.bx-guide { position: absolute; background: #1c7ed6; opacity: 0; pointer-events: none; }
.bx-guide.v { top: 0; bottom: 0; width: 1px; left: 50%; } .bx-guide.h { left: 0; right: 0; height: 1px; top: 50%; }
.bx-guide.on { opacity: .9; }
"""

JS = """
export default function(component) {
  const { data, setStateValue, parentElement } = component;
  if (!data) return;
  let root = parentElement.querySelector('.bx-root');
  if (!root) { root = document.createElement('div'); root.className = 'bx-root'; parentElement.appendChild(root); }
  root.innerHTML = '';
  root.style.aspectRatio = data.width + ' / ' + data.height;
  root.dataset.format = data.format;
  if (data.image) { const img = document.createElement('img'); img.src = data.image; img.alt = data.alt; root.appendChild(img); }
  const gv = document.createElement('div'); gv.className = 'bx-guide v'; root.appendChild(gv);
  const gh = document.createElement('div'); gh.className = 'bx-guide h'; root.appendChild(gh);
  const SNAP = 0.015, r4 = v => Math.round(v * 10000) / 10000;
  const snapPos = (p, size, guide) => {
    if (Math.abs(p) < SNAP) return 0;
    if (Math.abs(p + size - 1) < SNAP) return 1 - size;
    if (Math.abs(p + size / 2 - 0.5) < SNAP) { guide.classList.add('on'); return 0.5 - size / 2; }
    return p;
  };
  const snapEnd = (start, size) => {
    const end = start + size;
    for (const t of [0.5, 1]) if (Math.abs(end - t) < SNAP) return t - start;
    return size;
  };
  const place = (el, b) => {
    el.style.left = (b.x * 100) + '%'; el.style.top = (b.y * 100) + '%';
    el.style.width = (b.w * 100) + '%'; el.style.height = (b.h * 100) + '%';
  };
  const send = b => setStateValue('box', { index: b.i, x: r4(b.x), y: r4(b.y), w: r4(b.w), h: r4(b.h) });
  for (const b of data.boxes) {
    const el = document.createElement('div');
    el.className = 'bx' + (b.i === data.selected ? ' sel' : '');
    el.tabIndex = 0; el.setAttribute('role', 'slider'); el.setAttribute('aria-label', b.label + ' box');
    el.dataset.index = b.i; el.title = b.label;
    const label = document.createElement('span'); label.className = 'bx-l'; label.textContent = b.label; el.appendChild(label);
    const handle = document.createElement('div'); handle.className = 'bx-h'; handle.setAttribute('aria-hidden', 'true');
    el.appendChild(handle);
    place(el, b);
    root.appendChild(el);
    el.addEventListener('pointerdown', e => {
      e.preventDefault(); el.setPointerCapture(e.pointerId); el.focus();
      const rect = root.getBoundingClientRect(), sx = e.clientX, sy = e.clientY, o = { ...b };
      const mode = e.target === handle ? 'resize' : 'move';
      const move = ev => {
        gv.classList.remove('on'); gh.classList.remove('on');
        const dx = (ev.clientX - sx) / rect.width, dy = (ev.clientY - sy) / rect.height;
        if (mode === 'move') {
          b.x = snapPos(Math.min(Math.max(o.x + dx, 0), 1 - o.w), o.w, gv);
          b.y = snapPos(Math.min(Math.max(o.y + dy, 0), 1 - o.h), o.h, gh);
        } else {
          b.w = snapEnd(o.x, Math.min(Math.max(o.w + dx, 0.02), 1 - o.x));
          b.h = snapEnd(o.y, Math.min(Math.max(o.h + dy, 0.02), 1 - o.y));
        }
        place(el, b);
      };
      const up = () => {
        el.removeEventListener('pointermove', move); el.removeEventListener('pointerup', up);
        gv.classList.remove('on'); gh.classList.remove('on');
        if (b.x !== o.x || b.y !== o.y || b.w !== o.w || b.h !== o.h) send(b);
      };
      el.addEventListener('pointermove', move); el.addEventListener('pointerup', up);
    });
    el.addEventListener('keydown', e => {
      const step = 0.01, keys = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (!(e.key in keys)) return;
      e.preventDefault();
      const [dx, dy] = keys[e.key];
      if (e.shiftKey) { b.w = Math.min(Math.max(b.w + dx, 0.02), 1 - b.x); b.h = Math.min(Math.max(b.h + dy, 0.02), 1 - b.y); }
      else { b.x = Math.min(Math.max(b.x + dx, 0), 1 - b.w); b.y = Math.min(Math.max(b.y + dy, 0), 1 - b.h); }
      place(el, b); send(b);
    });
  }
}
"""

_component = st.components.v2.component("frame_remix_box_editor", css=CSS, js=JS)


def box_editor(fmt: str, size: tuple[int, int], boxes: list[dict[str, Any]], selected: int, key: str,
               image: bytes | None = None, alt: str = "") -> dict[str, float] | None:
    """Draw the boxes over the preview; the box the organizer just moved ({index, x, y, w, h}), else None."""
    data = {"format": fmt, "width": size[0], "height": size[1], "boxes": boxes, "selected": selected, "alt": alt,
            "image": "data:image/jpeg;base64," + base64.b64encode(image).decode() if image else None}
    result = _component(key=key, data=data, default={"box": None}, on_box_change=lambda: None)
    moved = getattr(result, "box", None)
    return moved if isinstance(moved, dict) else None
