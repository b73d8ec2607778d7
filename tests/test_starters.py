"""frames.starters: six starters that publish as they are, whose words and kit reach every format."""
from __future__ import annotations

import pytest

from frames.contrast import contrast_problems
from frames.editing import apply_edits, build_frame, manifest_data, starter_data
from frames.localize import words
from frames.model import CreditLayer, TextLayer
from frames.starters import starter_frame, starter_ids
from remix import RenderOptions, clean_values, render


def sample(frame, fmt: str, lang: str | None = None):
    values = clean_values(frame.manifest, words(frame.manifest, lang).samples())
    return render(frame, values, None, fmt, RenderOptions(lang=lang) if lang else RenderOptions())


def test_there_are_at_least_six_kinds_of_starter() -> None:
    assert set(starter_ids()) >= {"photo-frame", "quote-card", "statement", "event-poster", "round-badge", "rtl-first"}
    kinds = {i: {f.kind for f in starter_frame(i).manifest.fields} for i in starter_ids()}
    assert "photo" not in kinds["statement"] and "photo" not in kinds["quote-card"]
    assert any(layer.kind == "photo" and layer.shape == "circle"
               for layer in starter_frame("round-badge").manifest.formats["square"].layers)
    assert starter_frame("rtl-first").manifest.language == "ar"


@pytest.mark.parametrize("starter_id", starter_ids())
def test_each_starter_is_ready_to_publish(starter_id: str) -> None:
    frame = starter_frame(starter_id)
    m = frame.manifest
    assert set(m.formats) == {"square", "story", "card"}
    assert not list(contrast_problems(m)), "every text meets WCAG AA on what lies under it"
    for fmt in m.formats.values():
        credits = [layer for layer in fmt.layers if isinstance(layer, CreditLayer)]
        assert credits and all(c.max_size * 1080 / min(fmt.width, fmt.height) >= 24 or c.max_size >= 24 for c in credits)
        assert any(layer.kind == "qr" for layer in fmt.layers)
    built = build_frame(starter_data(frame, f"my-{starter_id}", "Our group"), frame.assets)
    assert built.id == f"my-{starter_id}"


@pytest.mark.parametrize("starter_id", starter_ids())
def test_the_title_and_a_kit_colour_reach_every_format(starter_id: str) -> None:
    frame = starter_frame(starter_id)
    data = manifest_data(frame)
    assert all(any(isinstance(layer, TextLayer) and layer.template == "{{ title }}" for layer in fmt.layers)
               for fmt in frame.manifest.formats.values())
    retitled = build_frame(apply_edits(data, {"title": "Something else"}), frame.assets)
    recoloured = build_frame(apply_edits(data, {"brand.colors.background": "#ff00ff"}), frame.assets)
    for fmt in frame.manifest.formats:
        before = sample(frame, fmt)
        assert sample(retitled, fmt).tobytes() != before.tobytes()
        a, b = (im.convert("RGB").resize((120, 120), 0) for im in (before, sample(recoloured, fmt)))
        assert sum(1 for p, q in zip(a.get_flattened_data(), b.get_flattened_data()) if p != q) > 120 * 120 // 20  # the background shows it
