"""The exported site marks right-to-left remix and frame pages `dir="rtl"` with their `lang`."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import gallery
from frames import bundled_frame
from gallery.export import export_site
from remix import RenderOptions


class RootAttrs(HTMLParser):
    """The attributes of the page's <html> element."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.attrs = dict(attrs)


def root_attrs(path: Path) -> dict[str, str | None]:
    parser = RootAttrs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.attrs


def test_rtl_remix_pages_get_dir_and_lang(store, tmp_path: Path) -> None:
    frame = bundled_frame("clean-air")
    arabic = gallery.publish_remix(store, frame, {"city": "عمّان", "hope": "هواء نظيف لأطفالنا"}, consent=True,
                                   options=RenderOptions(lang="ar", maker="ليلى"))
    english = gallery.publish_remix(store, frame, {"city": "Leeds", "hope": "Clean air for our kids"}, consent=True)
    out = tmp_path / "site"
    export_site(store, out)
    assert root_attrs(out / "remixes" / f"{arabic.id}.html") == {"lang": "ar", "dir": "rtl"}
    assert root_attrs(out / "remixes" / f"{english.id}.html") == {"lang": "en", "dir": "ltr"}
    assert root_attrs(out / "index.html") == {"lang": "en", "dir": "ltr"}
    assert root_attrs(out / "frames" / "clean-air.html") == {"lang": "en", "dir": "ltr"}
