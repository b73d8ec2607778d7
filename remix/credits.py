"""The credit line, built in one place for every image, preview, sample render and gallery page.

Its words come from a gettext message catalogue (domain `render`, `remix/locale/<lang>/
LC_MESSAGES/render.po`, compiled to `.mo` beside it and loaded with the standard library), so
a Spanish render says "remix de Ana" and an Arabic one is worded, and laid out, right to left.
Translators see whole phrases with named placeholders; values are only ever substituted into
our own catalogue strings, never interpreted.
"""
from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from frames.localize import Words
from frames.pack import Frame

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "render"
SEPARATOR = " · "


def N_(message: str) -> str:
    """Marks a catalogue string where it is defined (extraction finds it); translated where used."""
    return message


TITLE_BY = N_("“%(title)s” by %(organizer)s")
ADAPTED_FROM = N_("adapted from “%(source)s”")
ADAPTED_FROM_BY = N_("adapted from “%(source)s” by %(organizer)s")
REMIX_BY = N_("remix by %(maker)s")
ANONYMOUS = N_("anonymous")
LICENCE_NAMES = {  # licence id -> its name on an image (anything else: the id with spaces)
    "CC-BY-4.0": N_("CC BY 4.0"),
    "CC-BY-SA-4.0": N_("CC BY-SA 4.0"),
    "CC0-1.0": N_("CC0 (public domain)"),
}


@dataclass(frozen=True)
class CreditFacts:
    """Who and what an image credits; `source_*` name the frame a fork was adapted from."""

    title: str
    organizer: str
    licence: str
    maker: str = ""
    source_title: str = ""
    source_organizer: str = ""


@lru_cache(maxsize=32)
def catalogue(lang: str | None) -> gettext.NullTranslations:
    """The `render` catalogue for a language ('ar', 'pt-BR' falls back to 'pt'); English is the source."""
    if not lang:
        return gettext.NullTranslations()
    candidates = [lang.replace("-", "_"), lang.split("-")[0]]
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=candidates, fallback=True)


def licence_name(licence: str, lang: str | None = None) -> str:
    name = LICENCE_NAMES.get(licence)
    return catalogue(lang).gettext(name) if name else licence.replace("-", " ")


def remix_by(maker: str, lang: str | None = None) -> str:
    """'remix by Ana' in the language; an empty name is 'anonymous' in it."""
    t = catalogue(lang)
    return t.gettext(REMIX_BY) % {"maker": maker or t.gettext(ANONYMOUS)}


def credit_line(facts: CreditFacts, lang: str | None = None) -> str:
    """Frame, organizer, licence, fork source and maker, worded in `lang` (English without one)."""
    t = catalogue(lang)
    parts = [t.gettext(TITLE_BY) % {"title": facts.title, "organizer": facts.organizer},
             licence_name(facts.licence, lang)]
    if facts.source_title:
        template = ADAPTED_FROM_BY if facts.source_organizer else ADAPTED_FROM
        parts.append(t.gettext(template) % {"source": facts.source_title, "organizer": facts.source_organizer})
    if facts.maker:
        parts.append(remix_by(facts.maker, lang))
    return SEPARATOR.join(parts)


def languages() -> list[str]:
    """The languages the catalogue has (besides English, its source)."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))


def frame_credit_line(frame: Frame, w: Words, maker: str) -> str:
    """An image's credit line: the frame in the render's words, its organizer, licence, fork source, maker."""
    m = frame.manifest
    source = m.derived_from
    return credit_line(CreditFacts(
        w.title, m.organizer.name, m.licence, maker,
        (source.title or source.id) if source else "", source.organizer if source else "",
    ), w.lang)
