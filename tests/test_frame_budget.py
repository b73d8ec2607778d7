"""A frame's images share a decoded-pixel budget, are kept at the size they are drawn, and every
cached image counts against a byte budget: any frame that validates renders in under 500 MB."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from benchmarks.heavy_assets import heavy_pack, measure_in_process
from frames import bundled_frame
from frames.pack import frame_from_files, load_pack
from remix.imagecache import ImageCache
from remix.layers import decoded_asset
from tests.test_cli import assert_user_error, cli


def test_pack_of_huge_one_colour_assets_is_refused_in_one_sentence(tmp_path: Path) -> None:
    pack = heavy_pack(tmp_path / "heavy", side=2000, count=10)
    assert sum(p.stat().st_size for p in pack.rglob("*.png")) < 200_000  # tiny on disk, 40 megapixels decoded
    run = cli("validate", str(pack))
    assert_user_error(run, (
        "error: assets: the frame's images add up to 40 megapixels; the limit for all of them together is 24 "
        "megapixels, so save each at the size it is drawn at (assets/a0.png is 2000x2000 but drawn at most "
        "1080x1080; assets/a1.png is 2000x2000 but drawn at most 1080x1080; assets/a2.png is 2000x2000 but drawn "
        "at most 1080x1080 and 7 more)\n"))
    assert len(run.stderr.splitlines()) == 1


def test_formats_that_draw_too_much_are_refused(tmp_path: Path) -> None:
    pack = heavy_pack(tmp_path / "big", side=100, count=2, canvas=4096, formats=2)
    assert_user_error(cli("validate", str(pack)), (
        "error: formats: the formats draw 101 megapixels in all (every canvas plus every image layer's box); "
        "the limit is 40, so use smaller canvases or fewer full-size image layers"))


def _png(size: tuple[int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", size, (200, 30, 30, 128)).save(buf, "PNG")
    return buf.getvalue()


def test_assets_are_kept_at_the_largest_size_they_are_drawn() -> None:
    source = bundled_frame("ride-the-bus")
    files = {"frame.toml": source.manifest_bytes, **source.assets}
    name = next(n for n in source.assets if n in source.manifest_bytes.decode())
    files[name] = _png((3000, 3000))
    frame = frame_from_files(files, "test")
    kept = decoded_asset(frame, name)
    uses = [(f.width, f.height) for f in frame.manifest.formats.values()]
    assert max(kept.size) < 3000 and kept.mode == "RGBA"
    assert max(kept.size) <= max(max(w, h) for w, h in uses)


def test_image_cache_is_bounded_by_bytes() -> None:
    cache = ImageCache(10 * 2**20)
    for i in range(5):
        cache.put(i, Image.new("RGBA", (1000, 1000)))  # 4 MB each
    assert cache.bytes <= 10 * 2**20 and len(cache) == 2
    assert cache.get(0) == (False, None) and cache.get(4)[0]
    cache.put("huge", Image.new("RGBA", (2000, 2000)))  # larger than the whole budget: not kept
    assert cache.get("huge") == (False, None) and cache.bytes <= 10 * 2**20
    small = ImageCache(10 * 2**20, max_entries=3)
    for i in range(5):
        small.put(i, Image.new("L", (10, 10)))
    assert len(small) == 3 and small.get(1) == (False, None)


@pytest.mark.timeout(240)
def test_frame_at_the_budget_edge_renders_in_under_500_mb(tmp_path: Path) -> None:
    """One see-through asset just under the pixel budget, drawn over the largest canvas a format
    may have: the worst a frame that validates can ask of a render."""
    pack = heavy_pack(tmp_path / "edge", side=4898, count=1, canvas=4096, formats=1, alpha=True)
    load_pack(pack)  # validates
    validate_s, render_s, peak_mb, refused = measure_in_process(pack)
    assert not refused
    assert peak_mb < 500, (peak_mb, validate_s, render_s)

