"""The Make page's text fields as one small browser component that sends what is typed while
it is typed (debounced), so the preview follows every word without Enter or leaving the field.

Streamlit's own text inputs commit only on Enter or blur. This component (st.components.v2,
inline HTML/CSS/JS, no build step) draws the frame's short texts, long texts and choices, shows
each field's grapheme count live, and hands the values to Python 100 ms after the last
keystroke; Python keeps them in st.session_state under the same keys as before
(`make_<frame>_<field>`, `make_maker`), so prefill, preview and publishing read them as they did.

Every label, help text, placeholder and value is organizer or participant text: the script
only ever puts it in the page with textContent/value/attributes, never as HTML.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

DEBOUNCE_MS = 100

_HTML = '<div class="fr-fields"></div>'

_CSS = """
.fr-fields { display: flex; flex-direction: column; gap: 1rem; font-family: var(--st-font, sans-serif);
  color: var(--st-text-color, #31333f); }
.fr-field { display: flex; flex-direction: column; gap: .25rem; }
.fr-field label { font-size: .875rem; }
.fr-field .fr-req { color: var(--st-primary-color, #b00020); margin-inline-start: .2em; }
.fr-field .fr-help { font-size: .8rem; opacity: .8; }
.fr-field input, .fr-field textarea, .fr-field select {
  font: inherit; font-size: 1rem; color: inherit; background: var(--st-secondary-background-color, #f0f2f6);
  border: 1px solid var(--st-border-color, #d5d7de); border-radius: .5rem; padding: .5rem .75rem;
  width: 100%; box-sizing: border-box; }
.fr-field textarea { min-height: 5.5rem; resize: vertical; }
.fr-field input:focus-visible, .fr-field textarea:focus-visible, .fr-field select:focus-visible {
  outline: 2px solid var(--st-primary-color, #b00020); outline-offset: 1px; }
.fr-field .fr-count { font-size: .75rem; opacity: .8; text-align: end; }
.fr-field .fr-count.fr-over { color: #b00020; opacity: 1; font-weight: 600; }
"""

_JS = """
const graphemes = (text) => {
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    let n = 0; for (const _ of new Intl.Segmenter().segment(text)) n++; return n;
  }
  return Array.from(text).length;
};

function build(root, fields, uid) {
  root.replaceChildren();
  for (const [i, f] of fields.entries()) {
    const wrap = document.createElement("div");
    wrap.className = "fr-field";
    const id = `${uid}-${i}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = f.label;
    if (f.required) {
      const star = document.createElement("span");
      star.className = "fr-req"; star.textContent = "*"; star.setAttribute("aria-hidden", "true");
      label.append(star);
    }
    wrap.append(label);
    let input;
    if (f.kind === "choice") {
      input = document.createElement("select");
      for (const [value, text] of f.options) {
        const option = document.createElement("option");
        option.value = value; option.textContent = text;
        input.append(option);
      }
    } else {
      input = document.createElement(f.kind === "long_text" ? "textarea" : "input");
      if (f.kind !== "long_text") input.type = "text";
      if (f.placeholder) input.placeholder = f.placeholder;
      input.setAttribute("autocomplete", "off");
    }
    input.id = id;
    input.dir = "auto";
    input.dataset.key = f.key;
    if (f.required) input.setAttribute("aria-required", "true");
    const described = [];
    if (f.help) {
      const help = document.createElement("div");
      help.className = "fr-help"; help.id = `${id}-help`; help.textContent = f.help;
      wrap.append(help); described.push(help.id);
    }
    wrap.append(input);
    if (f.limit) {
      const count = document.createElement("div");
      count.className = "fr-count"; count.id = `${id}-count`; count.dataset.limit = f.limit;
      wrap.append(count); described.push(count.id);
    }
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    root.append(wrap);
  }
}

function count(input) {
  const counter = input.parentElement.querySelector(".fr-count");
  if (!counter) return;
  const n = graphemes(input.value), limit = Number(counter.dataset.limit);
  counter.textContent = `${n}/${limit}`;
  counter.classList.toggle("fr-over", n > limit);
  input.setAttribute("aria-invalid", n > limit ? "true" : "false");
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".fr-fields");
  const signature = JSON.stringify(data.fields);
  const s = root.__fr || (root.__fr = { echoes: {}, timer: null, signature: null });
  const inputs = () => [...root.querySelectorAll("[data-key]")];
  const send = () => {
    clearTimeout(s.timer); s.timer = null;
    const values = {};
    for (const el of inputs()) {
      values[el.dataset.key] = el.value;
      (s.echoes[el.dataset.key] ||= []).push(el.value);
      s.echoes[el.dataset.key].splice(0, s.echoes[el.dataset.key].length - 50);
    }
    setStateValue("values", values);
  };
  if (s.signature !== signature) {  // first mount, another language or frame: draw the fields
    const typed = {};
    for (const el of inputs()) typed[el.dataset.key] = el.value;
    build(root, data.fields, `fr-${Math.random().toString(36).slice(2, 8)}`);
    s.signature = signature;
    for (const el of inputs()) {
      el.value = typed[el.dataset.key] ?? data.values[el.dataset.key] ?? "";
      count(el);
      el.addEventListener("input", () => { count(el); clearTimeout(s.timer); s.timer = setTimeout(send, data.debounce); });
      el.addEventListener("change", send);
    }
  } else {  // a rerun: take only values Python changed itself, never an echo of what was typed
    const focused = root.getRootNode().activeElement;  // inside the shadow root, not the host
    for (const el of inputs()) {
      const k = el.dataset.key, v = data.values[k] ?? "";
      const echo = (s.echoes[k] || []).includes(v);  // an older run answering an earlier send
      if (!echo && focused !== el && el.value !== v) { el.value = v; count(el); }
    }
  }
}
"""

_component = st.components.v2.component("frame_remix.live_fields", html=_HTML, css=_CSS, js=_JS)


@dataclass(frozen=True)
class LiveField:
    """One field as the component draws it (all of it plain text; nothing is HTML)."""

    key: str
    label: str
    kind: str  # text | long_text | choice
    help: str = ""
    placeholder: str = ""
    limit: int | None = None
    required: bool = False
    options: tuple[tuple[str, str], ...] = ()

    def as_data(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "kind": self.kind, "help": self.help,
                "placeholder": self.placeholder, "limit": self.limit, "required": self.required,
                "options": [list(o) for o in self.options]}


def live_fields(fields: list[LiveField], key: str, on_change: Callable[[], None] | None = None) -> dict[str, str]:
    """Draw the fields; return every field's value from st.session_state[field.key].

    The values typed in the browser reach st.session_state (under each field's key) before the
    script reruns, so a value Python sets there (a remix's words) is shown, and one typed wins.
    """
    for f in fields:
        if f.kind == "choice" and st.session_state.get(f.key) not in [o[0] for o in f.options]:
            st.session_state[f.key] = f.options[0][0] if f.options else ""
        st.session_state.setdefault(f.key, "")
    values = {f.key: str(st.session_state[f.key]) for f in fields}

    def store() -> None:
        typed = st.session_state[key]["values"] or {}
        for f in fields:
            if f.key in typed:
                st.session_state[f.key] = str(typed[f.key])
        if on_change:
            on_change()

    _component(key=key, data={"fields": [f.as_data() for f in fields], "values": values, "debounce": DEBOUNCE_MS},
               on_values_change=store)
    return {f.key: str(st.session_state[f.key]) for f in fields}
