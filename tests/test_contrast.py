"""Bundled frames meet WCAG AA contrast for their text; the checker itself can fail."""
from __future__ import annotations

import pytest

from frames import bundled_frames
from frames.contrast import contrast_problems, contrast_ratio
from frames.manifest import parse_manifest
from tests.test_manifest import BASE


@pytest.mark.parametrize("frame", bundled_frames(), ids=lambda f: f.id)
def test_bundled_frames_meet_wcag_aa(frame) -> None:
    assert list(contrast_problems(frame.manifest)) == []


def test_known_ratios() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_low_contrast_is_reported() -> None:
    manifest = parse_manifest(BASE.replace('template = "{{ city }}"', 'template = "{{ city }}"\ncolor = "#223344"').encode())
    [problem] = list(contrast_problems(manifest))
    assert problem.place == "formats.square.layers[1]" and "WCAG AA needs 4.5:1" in problem.message
