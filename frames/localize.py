"""A frame's words in one language: translated where the organizer translated, original elsewhere.

Also reports, per language, which strings are still missing, so organizers see the gaps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from frames.model import FieldSpec, Manifest, TextLayer, Translation, is_platform

_EMPTY = Translation()
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})
AUTONYMS = {  # each language's name in itself, for language pickers
    "ar": "العربية", "bn": "বাংলা", "de": "Deutsch", "el": "Ελληνικά", "en": "English", "es": "Español",
    "fa": "فارسی", "fr": "Français", "he": "עברית", "hi": "हिन्दी", "it": "Italiano", "ja": "日本語",
    "ko": "한국어", "nl": "Nederlands", "pl": "Polski", "pt": "Português", "pt-BR": "Português (Brasil)",
    "ru": "Русский", "sw": "Kiswahili", "ta": "தமிழ்", "th": "ไทย", "tr": "Türkçe", "uk": "Українська",
    "ur": "اردو", "zh": "中文",
}


def language_name(code: str) -> str:
    """'العربية (ar)' for a known code, the code itself otherwise."""
    name = AUTONYMS.get(code) or AUTONYMS.get(code.split("-")[0])
    return f"{name} ({code})" if name else code


@dataclass(frozen=True)
class Words:
    """Everything a renderer needs to say, resolved for one language."""

    manifest: Manifest
    lang: str
    tr: Translation

    @property
    def title(self) -> str:
        return self.tr.title or self.manifest.title

    @property
    def message(self) -> str:
        return self.tr.message or self.manifest.message

    @property
    def call_to_action(self) -> str:
        return self.tr.call_to_action or self.manifest.call_to_action

    def post_template(self, platform: str) -> str:
        """Translated words first: a translated post beats the original's per-platform one."""
        m, tr = self.manifest, self.tr
        if not is_platform(platform):  # no per-platform table can name it
            return tr.post or m.texts.post
        return tr.platforms.get(platform) or tr.post or m.texts.platforms.get(platform) or m.texts.post

    def alt_template(self, fmt: str) -> str:
        """Translated words first: a translated alt text beats the original's per-format one."""
        m, tr = self.manifest, self.tr
        return tr.format_alt.get(fmt) or tr.alt or m.formats[fmt].alt or m.texts.alt

    def layer_template(self, layer: TextLayer) -> str:
        return self.tr.layers.get(layer.id or "", layer.template)

    def label(self, spec: FieldSpec) -> str:
        ftr = self.tr.fields.get(spec.name)
        return (ftr.label if ftr and ftr.label else None) or spec.label

    def help(self, spec: FieldSpec) -> str:
        ftr = self.tr.fields.get(spec.name)
        return (ftr.help if ftr and ftr.help else None) or spec.help

    def sample(self, spec: FieldSpec) -> str:
        ftr = self.tr.fields.get(spec.name)
        return (ftr.sample if ftr and ftr.sample else None) or spec.sample

    def samples(self) -> dict[str, str]:
        """Every text and choice field's example value: what previews and `--sample` fill in."""
        return {spec.name: self.sample(spec) for spec in self.manifest.fields if spec.kind != "photo"}

    def option_label(self, spec: FieldSpec, value: str) -> str:
        ftr = self.tr.fields.get(spec.name)
        if ftr and value in ftr.options:
            return ftr.options[value]
        return next((o.label for o in spec.options if o.value == value), value)

    @property
    def rtl(self) -> bool:
        return self.lang.split("-")[0] in RTL_LANGUAGES


def words(manifest: Manifest, lang: str | None = None) -> Words:
    """The frame's words in `lang` (None or an untranslated language means the original)."""
    if not lang or lang == manifest.language or lang not in manifest.translations:
        return Words(manifest, manifest.language, _EMPTY)
    return Words(manifest, lang, manifest.translations[lang])


def languages(manifest: Manifest) -> list[str]:
    """The frame's own language first, then its translations."""
    return [manifest.language, *sorted(manifest.translations)]


def missing_strings(manifest: Manifest, lang: str) -> list[str]:
    """Keys (as written in the manifest) still untranslated in `lang`."""
    tr = manifest.translations.get(lang, _EMPTY)
    missing = [k for k in ("title", "message", "call_to_action", "post", "alt") if _needs(manifest, k) and getattr(tr, k) is None]
    for spec in manifest.fields:
        ftr = tr.fields.get(spec.name)
        if not ftr or not ftr.label:
            missing.append(f"fields.{spec.name}.label")
        if spec.help and not (ftr and ftr.help):
            missing.append(f"fields.{spec.name}.help")
        missing += [f"fields.{spec.name}.options.{o.value}" for o in spec.options if not (ftr and o.value in ftr.options)]
    missing += [f"platforms.{p}" for p in manifest.texts.platforms if p not in tr.platforms]
    missing += [f"format_alt.{f}" for f, spec in manifest.formats.items() if spec.alt and f not in tr.format_alt]
    return missing + _missing_layers(manifest, tr)


_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def has_words(template: str) -> bool:
    """True when a template has words of its own (outside {{ }} and {% %}) that need translating."""
    return bool(re.search(r"[^\W\d_]", _TEMPLATE_CODE.sub("", template)))


def _missing_layers(manifest: Manifest, tr: Translation) -> list[str]:
    """Text layers with words of their own and no translation; a layer without an id cannot be
    translated at all, so it is named by its place (give it an id)."""
    ids: set[str] = set()
    unnamed: list[str] = []
    for name, fmt in manifest.formats.items():
        for i, layer in enumerate(fmt.layers):
            if not isinstance(layer, TextLayer) or not has_words(layer.template):
                continue
            if layer.id:
                ids.add(layer.id)
            else:
                unnamed.append(f"formats.{name}.layers[{i}]")
    return [f"layers.{i}" for i in sorted(ids) if i not in tr.layers] + unnamed


def _needs(manifest: Manifest, key: str) -> bool:
    if key in ("post", "alt"):
        return True
    return bool(getattr(manifest, key))
