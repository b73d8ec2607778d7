"""frames.tomledit, the one manifest writer: edits and forks keep comments, escape odd strings, re-parse."""
from __future__ import annotations

import pytest

from frames import FrameError, bundled_frame, bundled_ids
from frames.editing import apply_edits, build_frame, manifest_data
from frames.manifest import load_toml, parse_manifest
from frames.textnorm import clean_chars, clean_line
from frames.tomledit import write_manifest
from gallery.forking import fork_manifest
from gallery.models import FrameSource

ODD = [
    'quote " and \\ backslash',
    "two\nlines\tand a tab",
    "CR\r\nline end",
    "مدينة نظيفة للجميع",  # right-to-left
    "emoji 🚌✊🏽 and ZWJ 👩‍👩‍👧",
    "del\x7f and ctl\x01",
    '"""triple quotes""" and \'\'\'',
    "trailing backslash \\",
]


def comments(text: bytes) -> list[str]:
    return [line for line in text.decode().splitlines() if line.lstrip().startswith("#")]


@pytest.mark.parametrize("frame_id", bundled_ids())
def test_unchanged_tables_write_the_same_bytes(frame_id: str) -> None:
    frame = bundled_frame(frame_id)
    assert write_manifest(manifest_data(frame), frame.manifest_bytes) == frame.manifest_bytes


@pytest.mark.parametrize("text", ODD)
def test_an_edit_keeps_comments_and_escapes_odd_strings(text: str) -> None:
    frame = bundled_frame("clean-air")
    head = next(i for i, la in enumerate(frame.manifest.formats["square"].layers) if getattr(la, "id", None) == "headline")
    data = apply_edits(manifest_data(frame), {"title": text[:100], "message": text,
                                              f"formats.square.layers[{head}].template": text})
    out = write_manifest(data, frame.manifest_bytes)
    assert load_toml(out) == data
    assert comments(out) == comments(frame.manifest_bytes)
    # the file keeps the text exactly; the parsed frame carries it as every frame's text is carried
    # (frames.textnorm: no control characters, \n line ends)
    assert build_frame(data, frame.assets, base=frame.manifest_bytes).manifest.message == clean_chars(text)


@pytest.mark.parametrize("text", ODD)
def test_a_fork_keeps_comments_and_escapes_odd_strings(text: str) -> None:
    frame = bundled_frame("care-counts")
    out = fork_manifest(frame.manifest_bytes, "care-leeds", FrameSource("care-counts", 1, "https://a.example",
                                                                         text[:100], text[:100]))
    parsed = parse_manifest(out)
    assert (parsed.id, parsed.version, parsed.derived_from.title) == ("care-leeds", 1, clean_line(text[:100]))
    assert comments(out) == comments(frame.manifest_bytes)
    assert out.decode().count("\n# ") == frame.manifest_bytes.decode().count("\n# ")


def test_only_the_changed_line_changes() -> None:
    frame = bundled_frame("clean-air")
    data = apply_edits(manifest_data(frame), {"formats.square.layers[1].box.x": 0.07})
    before = frame.manifest_bytes.decode().splitlines()
    after = write_manifest(data, frame.manifest_bytes).decode().splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after)
    assert changed == [("box = { x = 0.05, y = 0.04, w = 0.14, h = 0.14 }", "box = { x = 0.07, y = 0.04, w = 0.14, h = 0.14 }")]


def test_removing_a_table_keeps_the_comments_of_the_others() -> None:
    frame = bundled_frame("clean-air")
    data = manifest_data(frame)
    del data["fields"][0]
    data["formats"]["square"]["layers"].append({"kind": "text", "template": "x", "box": {"x": 0, "y": 0, "w": 1, "h": 1}})
    out = write_manifest(data, frame.manifest_bytes)
    assert load_toml(out) == data
    assert comments(out) == comments(frame.manifest_bytes)
    assert 'box = {x = 0, y = 0, w = 1, h = 1}' in out.decode()  # a new small table stays inline


def test_a_value_toml_cannot_hold_is_one_sentence() -> None:
    with pytest.raises(FrameError, match="a value of type NoneType cannot be written to a manifest"):
        write_manifest({"title": "x", "extra": [None]})
