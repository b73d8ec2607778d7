"""Manifest parsing: every bad manifest gets a sentence naming the place and what to do."""
from __future__ import annotations

import pytest

from frames.errors import FrameError
from frames.manifest import parse_manifest

BASE = """
id = "test-frame"
title = "Test"
[organizer]
name = "Org"
[texts]
post = "{{ city }}"
alt = "alt"
[[fields]]
name = "city"
kind = "text"
label = "City"
[formats.square]
width = 1080
height = 1080
[[formats.square.layers]]
kind = "background"
color = "#112233"
[[formats.square.layers]]
kind = "text"
template = "{{ city }}"
box = { x = 0.1, y = 0.1, w = 0.8, h = 0.3 }
"""


def problems(text: str) -> list[str]:
    with pytest.raises(FrameError) as info:
        parse_manifest(text.encode())
    return [str(p) for p in info.value.problems]


def test_base_parses() -> None:
    m = parse_manifest(BASE.encode())
    assert m.id == "test-frame" and m.formats["square"].layers[1].box.w == 0.8


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("x = 0.1, y = 0.1, w = 0.8", "x = 0.4, y = 0.1, w = 0.8", "formats.square.layers[1].box: right edge 1.2 is outside the canvas (0..1); make x + w at most 1"),
        ("h = 0.3", "h = 0.95", "formats.square.layers[1].box: bottom edge 1.05 is outside the canvas (0..1); make y + h at most 1"),
        ("w = 0.8", "w = nan", "formats.square.layers[1].box.w: nan is not a number; write a plain number"),
        ("width = 1080", "width = 20000", "formats.square.width: 20000 is too large; the most allowed is 4096"),
        ('color = "#112233"', 'colour = "#112233"', "formats.square.layers[0]: unknown key 'colour' (did you mean 'color'?)"),
        ('color = "#112233"', 'color = "red"', "formats.square.layers[0].color: 'red' is not a colour; write it as #RRGGBB or #RRGGBBAA"),
        ('kind = "background"', 'kind = "sparkles"', "formats.square.layers[0]: kind 'sparkles' is not a layer kind; use one of background, photo, image, text, qr, credit"),
        ('id = "test-frame"', 'id = "Bad Id!"', "id: 'Bad Id!' is not a frame id; use 2-63 lowercase letters, digits and '-'"),
        ('title = "Test"', 'title = ""', "title: is empty; write something here"),
        ('[organizer]\nname = "Org"', "", "organizer: is missing; add it"),
    ],
)
def test_schema_errors_name_the_place(old: str, new: str, expected: str) -> None:
    assert old in BASE
    assert expected in problems(BASE.replace(old, new, 1))


def test_font_size_20000_is_refused() -> None:
    text = BASE.replace('template = "{{ city }}"', 'template = "{{ city }}"\nmax_size = 20000')
    assert "formats.square.layers[1].max_size: 20000 is too large; the most allowed is 400" in problems(text)


def test_min_size_above_max_size() -> None:
    text = BASE.replace('template = "{{ city }}"', 'template = "{{ city }}"\nmin_size = 90\nmax_size = 40')
    assert "formats.square.layers[1]: min_size 90 is larger than max_size 40; swap them" in problems(text)


def test_duplicate_key_is_refused() -> None:
    [message] = problems(BASE.replace('title = "Test"', 'title = "Test"\ntitle = "Again"'))
    assert message.startswith("frame.toml: a key is given twice") and message.endswith("keep only one")


def test_broken_toml_says_where() -> None:
    [message] = problems(BASE.replace('title = "Test"', 'title = "Test'))
    assert message.startswith("frame.toml: not valid TOML (") and "line 3" in message


def test_newer_schema_version_is_refused_whole() -> None:
    assert problems("schema = 2\n" + BASE) == [
        "schema: this frame uses schema 2, newer than this frame-remix understands (1); update frame-remix to open it"
    ]


def test_oversize_manifest() -> None:
    assert problems(BASE + "#" * 300_000) == ["frame.toml: the manifest is 293 KiB; the limit is 256 KiB"]


def test_not_utf8() -> None:
    with pytest.raises(FrameError, match="not UTF-8"):
        parse_manifest(b"title = \"\xff\xfe\"")


def test_deep_nesting_is_refused() -> None:
    deep = "x = " + "[" * 100_000 + "]" * 100_000
    with pytest.raises(FrameError):
        parse_manifest(deep.encode())


def test_every_problem_is_reported_at_once() -> None:
    text = BASE.replace("width = 1080", "width = 20000").replace("w = 0.8", "w = 1.5")
    found = problems(text)
    assert len(found) == 2


def test_template_problems_everywhere_are_reported_with_schema_problems() -> None:
    from frames.pack import frame_from_files

    text = BASE.replace("width = 1080", "width = 20000").replace(
        'alt = "alt"', 'alt = "alt"\n[texts.platforms]\nx = "{{ cty }}"', 1
    ) + '\n[translations.es]\npost = "{% for x in city %}{% endfor %}"\n'
    with pytest.raises(FrameError) as info:
        frame_from_files({"frame.toml": text.encode()}, "test")
    found = [str(p) for p in info.value.problems]
    assert "formats.square.width: 20000 is too large; the most allowed is 4096" in found
    assert any(p.startswith("texts.platforms.x: unknown field 'cty'") for p in found)
    assert any(p.startswith("translations.es.post: loops") for p in found)
