"""Characters HTML, XML and JSON cannot carry never survive normalization, for participant and
organizer text alike; every exported file parses."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

import gallery
from frames import bundled_frame
from frames.manifest import parse_manifest
from frames.pack import Frame, frame_from_files
from frames.textnorm import clean_chars, clean_line
from gallery.export import export_site
from remix import RenderOptions
from remix.posttext import build_texts
from remix.textnorm import normalize_name, normalize_text

CONTROLS = "\x00\x01\x08\x0b\x0c\x0e\x1b\x1f\x7f\x85\x9f"
NONCHARACTERS = "\ufffe\uffff\ufdd0\ufdef\U0001fffe\U0001ffff\U0010fffe\U0010ffff"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
OTHER = "\ufeff\ufff9\ufffb\U000e0001"
SURROGATES = "\ud800\udce9\udfff"
BAD = CONTROLS + NONCHARACTERS + BIDI + OTHER + SURROGATES  # every character that must not survive
BAD_IN_TOML = CONTROLS + NONCHARACTERS + BIDI + OTHER  # TOML cannot hold surrogates at all
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def dirty(text: str, bad: str = BAD) -> str:
    """The text with every bad character spliced in between its words."""
    return f"{bad}{text.replace(' ', f' {bad}')}{bad}"


def test_every_bad_character_is_dropped() -> None:
    for ch in BAD:
        assert clean_chars(f"a{ch}b") == ("a\nb" if ch in "\x0b\x0c\x85" else "ab"), repr(ch)
    assert normalize_text(dirty("my story here"), multiline=False) == "my story here"
    assert normalize_name(dirty("Ana B")) == "Ana B"
    assert clean_line("  Ride\n the\tbus  ") == "Ride the bus"
    assert clean_chars("keep\nlines  and  spaces") == "keep\nlines  and  spaces"


def toml_escaped(text: str) -> str:
    """A TOML basic string holding `text`, every character outside printable ASCII escaped."""
    out = []
    for ch in text:
        out.append(ch if " " <= ch <= "~" and ch not in '"\\' else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def dirty_frame() -> Frame:
    """ride-the-bus with every bad character in each organizer text: title, organizer, message,
    call to action, hashtags, labels, help, samples, templates and a translation."""
    source = bundled_frame("ride-the-bus")
    text = source.manifest_bytes.decode()
    m = source.manifest
    field = m.fields[0]
    for old in [m.title, m.organizer.name, m.message, m.call_to_action, field.label, field.help, field.sample]:
        assert f'"{old}"' in text, old
        text = text.replace(f'"{old}"', toml_escaped(dirty(old, BAD_IN_TOML)), 1)
    tag = m.hashtags[0]
    text = text.replace(f'"{tag}"', toml_escaped(tag + BAD_IN_TOML), 1)
    text = text.replace('id = "ride-the-bus"', 'id = "dirty-bus"', 1)
    text += f"\n[translations.pt]\ntitle = {toml_escaped(dirty('Vou de autocarro', BAD_IN_TOML))}\n"
    files = {"frame.toml": text.encode(), **source.assets}
    frame = frame_from_files(files, "dirty")
    assert frame.manifest.title == m.title and frame.manifest.hashtags[0] == tag
    return frame


def test_organizer_text_is_cleaned_when_the_manifest_is_parsed() -> None:
    frame = dirty_frame()
    m = frame.manifest
    texts = [m.title, m.organizer.name, m.message, m.call_to_action, *m.hashtags, m.translations["pt"].title or ""]
    texts += [x for f in m.fields for x in (f.label, f.help, f.sample)]
    assert not any(ch in t for t in texts for ch in BAD)
    assert m.translations["pt"].title == "Vou de autocarro"
    post = build_texts(frame, {"city": "Lyon", "story": dirty("the night bus")}).post
    assert all(ch not in text for text in post.values() for ch in BAD)


def test_bidi_override_in_a_title_is_removed() -> None:
    manifest = parse_manifest(b'id = "x1"\ntitle = "Bus \\u202eevil\\u202c \\u2067fun\\u2069"\n[organizer]\n'
                              b'name = "\\u202eOrg"\n[texts]\npost = "p"\nalt = "a"\n[formats.square]\nwidth = 100\n'
                              b'height = 100\n[[formats.square.layers]]\nkind = "background"\n')
    assert (manifest.title, manifest.organizer.name) == ("Bus evil fun", "Org")


class WellFormed(HTMLParser):
    """Fails on an unclosed or mismatched element; collects the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)
        self.text += [v for _, v in attrs if v]

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack[-3:], tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture
def exported(store, tmp_path: Path) -> Path:
    frame = dirty_frame()
    gallery.publish_frame(store, frame)
    gallery.publish_remix(store, frame, {"city": dirty("São Paulo"), "story": dirty("The night bus home, every day")},
                          consent=True, options=RenderOptions(maker=dirty("Ana Maria")), place=dirty("Sé"))
    gallery.publish_remix(store, bundled_frame("ride-the-bus"), {"city": "Lyon", "story": dirty("Tram and bus")},
                          consent=True)
    out = tmp_path / "site"
    export_site(store, out, title=dirty("Buses for all"))
    return out


def test_every_exported_file_parses_and_carries_no_bad_character(exported: Path) -> None:
    atom = ET.parse(exported / "feed.atom").getroot()
    atom_text = " ".join(atom.itertext())
    assert "The\n\nnight\n\nbus" in atom_text and "Why I ride the bus" in atom_text
    feed = json.loads((exported / "feed.json").read_text(encoding="utf-8"))
    feed_text = json.dumps(feed, ensure_ascii=False)
    assert len(feed["items"]) == 2 and "Ana Maria" in feed_text
    pages = sorted(exported.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        parser = WellFormed()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        assert parser.stack == [], page
        page_text = "".join(parser.text)
        assert not [ch for ch in BAD if ch in page_text], page
    assert not [ch for ch in BAD if ch in atom_text or ch in feed_text]
    for path in [exported / "feed.atom", exported / "feed.json", *pages]:
        raw = path.read_text(encoding="utf-8")
        assert not [hex(ord(ch)) for ch in BAD if ch in raw], path
