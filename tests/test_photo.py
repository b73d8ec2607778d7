"""Photo intake: only real JPEG/PNG/WebP, caps before decoding, upright, clean of metadata."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageChops, ImageCms

from frames import bundled_frame
from remix import PhotoError, encode, load_photo, render
from remix.photo import MAX_SIDE
from tests.samples import jpeg_bytes, phone_jpeg, photo_image


def refused(data: bytes) -> str:
    with pytest.raises(PhotoError) as info:
        load_photo(data, fit_within=(1080, 1080))
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with one tiny (invalid) data chunk."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


def saved(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def test_a_text_file_named_jpg() -> None:
    assert refused(b"hello, this is not a photo" * 20) == (
        "the photo is not a JPEG, PNG or WebP image (or it is damaged); choose a JPEG, PNG or WebP file"
    )


def test_a_truncated_jpeg() -> None:
    data = phone_jpeg(1200, 900)
    assert refused(data[: len(data) // 2]) == "the photo is damaged or cut short; save it again or choose another image"


def test_a_huge_png_header_is_refused_before_decoding() -> None:
    assert refused(png_header(100_000, 100_000)) == "the photo has too many pixels; the limit is 50 megapixels, use a smaller image"
    assert refused(png_header(9000, 6000)) == (
        "the photo is 9000x6000 pixels (54 megapixels); the limit is 50 megapixels, use a smaller image"
    )


@pytest.mark.parametrize(
    "data",
    [
        saved(Image.new("RGB", (64, 64), "red"), "TIFF"),
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nshowpage\n",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
        saved(Image.new("RGB", (64, 64), "red"), "BMP"),
    ],
    ids=["tiff", "eps", "svg", "bmp"],
)
def test_other_formats_are_refused(data: bytes) -> None:
    assert "is not a JPEG, PNG or WebP image" in refused(data)


def test_a_gif_with_3000_frames_is_refused() -> None:
    frames = [Image.new("P", (4, 4), i % 200) for i in range(3000)]
    data = saved(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert "is not a JPEG, PNG or WebP image" in refused(data)


def test_an_animated_webp_uses_its_first_frame() -> None:
    frames = [Image.new("RGB", (200, 100), c) for c in ("blue", "red", "green")]
    data = saved(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    photo = load_photo(data)
    r, g, b = photo.image.getpixel((100, 50))[:3]
    assert b > 200 and r < 40 and g < 40


def test_over_the_byte_cap() -> None:
    assert refused(b"\xff\xd8" + b"\0" * (16 * 2**20)) == "the photo is 16.0 MB; the limit is 15 MB, use a smaller image"


def test_gps_exif_and_comment_are_gone_everywhere() -> None:
    data = phone_jpeg(1600, 1200)
    assert b"shot at home" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    photo = load_photo(data, fit_within=(1080, 1080))
    assert photo.image.info == {} and not photo.image.getexif()
    frame = bundled_frame("ride-the-bus")
    out = encode(render(frame, {"city": "x", "story": "y"}, photo, "square"), frame, "square")
    decoded = Image.open(io.BytesIO(out))
    assert not decoded.getexif() and "comment" not in decoded.info and "icc_profile" not in decoded.info
    assert b"shot at home" not in out and b"GPS" not in out and b"Exif" not in out


def test_orientation_6_is_turned_upright() -> None:
    # Stored landscape with its ground (green) at the bottom; orientation 6 means "rotate 90
    # clockwise to view", so upright the photo is portrait with the ground on the left.
    photo = load_photo(phone_jpeg(1600, 1200, orientation=6))
    assert photo.size == (1200, 1600)
    left = photo.image.crop((0, 700, 60, 900)).resize((1, 1)).getpixel((0, 0))
    right = photo.image.crop((1140, 700, 1200, 900)).resize((1, 1)).getpixel((0, 0))
    assert left[1] < 110 and left[2] < 90  # the green-brown ground
    assert right[2] > 200  # the blue sky


@pytest.mark.parametrize(
    "orientation, size, ground",
    [(1, (1600, 1200), "bottom"), (3, (1600, 1200), "top"), (8, (1200, 1600), "right"), (6, (1200, 1600), "left")],
)
def test_every_orientation_puts_the_ground_where_the_camera_saw_it(orientation: int, size, ground: str) -> None:
    photo = load_photo(phone_jpeg(1600, 1200, orientation=orientation), fit_within=(600, 600))
    w, h = photo.size
    assert (w > h) == (size[0] > size[1])
    strips = {"bottom": (0, h - 20, w, h), "top": (0, 0, w, 20), "left": (0, 0, 20, h), "right": (w - 20, 0, w, h)}
    _r, g, b = photo.image.crop(strips[ground]).resize((1, 1)).getpixel((0, 0))
    assert b < 120 and g > b  # ground (green-brown), not sky (blue)


def test_cmyk_jpeg_becomes_rgb_with_the_right_colour() -> None:
    cmyk = Image.new("CMYK", (300, 200), (0, 255, 255, 0))  # pure red in CMYK
    photo = load_photo(jpeg_bytes(cmyk))
    assert photo.image.mode == "RGB"
    r, g, b = photo.image.getpixel((150, 100))
    assert r > 200 and g < 60 and b < 60


def test_icc_profile_is_applied_and_dropped() -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = jpeg_bytes(photo_image(400, 300), icc_profile=icc)
    photo = load_photo(data)
    assert "icc_profile" not in photo.image.info and photo.image.mode == "RGB"


def test_png_with_transparency_keeps_alpha_and_16_bit_png_opens() -> None:
    rgba = Image.new("RGBA", (100, 100), (255, 0, 0, 0))
    assert load_photo(saved(rgba, "PNG")).image.mode == "RGBA"
    deep = Image.new("I;16", (100, 100), 40000)
    photo = load_photo(saved(deep, "PNG"))
    assert photo.image.mode == "RGB" and 150 < photo.image.getpixel((5, 5))[0] < 160


def test_large_jpeg_is_decoded_small_but_still_covers_the_box() -> None:
    photo = load_photo(phone_jpeg(), fit_within=(1080, 605))
    w, h = photo.size
    assert w >= 0.9 * 1080 and h >= 0.9 * 810  # at most 10% short of covering (4:3 photo)
    assert w <= 4032 // 4  # draft mode decoded at a quarter of the size


def test_without_a_box_the_long_side_is_capped() -> None:
    assert max(load_photo(phone_jpeg()).size) == MAX_SIDE


def test_exif_orientation_with_draft_keeps_the_box_covered() -> None:
    photo = load_photo(phone_jpeg(orientation=6), fit_within=(1080, 1920))
    w, h = photo.size
    assert h > w and w >= 0.9 * 1440 and h >= 0.9 * 1920


def test_a_story_box_is_covered_by_a_three_eighths_decode() -> None:
    """libjpeg-turbo scales by eighths: 3/8 of a 12 MP photo just covers a story's 1080 x 1056
    box (Pillow's draft mode would halve it: 2016 x 1512, a third more pixels to shrink)."""
    photo = load_photo(phone_jpeg(), fit_within=(1080, 1056))
    assert photo.size == (1512, 1134)
    assert photo.pixels is not None and photo.pixels.shape == (1134, 1512, 4)


def test_the_decoded_photo_looks_like_pillows_decode() -> None:
    data = phone_jpeg(1600, 1200)
    ours = load_photo(data, fit_within=(800, 600)).image
    pillow = Image.open(io.BytesIO(data))
    pillow.draft("RGB", (800, 600))
    assert ours.mode == "RGB" and ours.size == pillow.size == (800, 600)
    difference = ImageChops.difference(ours, pillow.convert("RGB"))
    assert max(hi for _, hi in difference.getextrema()) <= 3


def test_an_icc_profile_is_applied_on_the_scaled_path_too() -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = jpeg_bytes(photo_image(1600, 1200), icc_profile=icc)
    photo = load_photo(data, fit_within=(800, 600))
    assert photo.image.mode == "RGB" and photo.image.info == {} and photo.size == (800, 600)
    r, g, b = photo.image.getpixel((400, 300))[:3]
    r0, g0, b0 = load_photo(data).image.resize((800, 600)).getpixel((400, 300))[:3]
    assert abs(r - r0) + abs(g - g0) + abs(b - b0) <= 12


def test_the_photo_is_held_once() -> None:
    """The image over a libjpeg-turbo decode is a view of its array, not a copy."""
    photo = load_photo(phone_jpeg(1600, 1200), fit_within=(800, 600))
    pixels = photo.pixels
    assert pixels is not None
    pixels_before = photo.image.getpixel((10, 10))
    pixels[10, 10, :3] = (1, 2, 3)
    assert photo.image.getpixel((10, 10)) == (1, 2, 3) != pixels_before
