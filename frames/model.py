"""The frame model: the manifest as typed, bounded data (what every key means and which values
are allowed) and `Frame`, a validated manifest with its assets.

Every number has a range so that no manifest can make the renderer allocate gigabytes, and
every model forbids unknown keys so a typo is reported instead of silently ignored. Cross-field
rules (templates, assets, translations) live in `frames.validate`; parsing in `frames.manifest`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal, TypeGuard

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from frames.fontbook import FAMILY_NAMES

SCHEMA_VERSION = 1
PLATFORMS: dict[str, int] = {"x": 280, "bluesky": 300, "mastodon": 500, "instagram": 2200}
Platform = Literal["x", "bluesky", "mastodon", "instagram"]  # PLATFORMS' keys, as the manifest's tables name them

RESERVED_NAMES = frozenset(
    {"title", "message", "organizer", "hashtags", "call_to_action", "link", "maker", "licence"}
)


def is_platform(name: str) -> TypeGuard[Platform]:
    return name in PLATFORMS


Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
FrameId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Color = Annotated[str, Field(pattern=r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")]
AssetName = Annotated[str, Field(pattern=r"^assets/[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}\.(?:png|jpg|jpeg|webp)$")]
Template = Annotated[str, Field(max_length=2000)]
FontName = Literal[FAMILY_NAMES]  # type: ignore[valid-type]
Fraction = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
LangCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")]
Url = Annotated[str, Field(pattern=r"^https?://[^\s<>\"']{1,290}$")]


class Strict(BaseModel):
    """Base of every manifest table: unknown keys are errors, numbers must be finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Box(Strict):
    """A rectangle as fractions of the canvas, so one layout scales to any size."""

    x: Fraction
    y: Fraction
    w: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]
    h: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]

    @model_validator(mode="after")
    def _inside_canvas(self) -> Box:
        if self.x + self.w > 1.000001:
            raise PydanticCustomError(
                "box_outside",
                "right edge {edge} is outside the canvas (0..1); make x + w at most 1",
                {"edge": round(self.x + self.w, 4)},
            )
        if self.y + self.h > 1.000001:
            raise PydanticCustomError(
                "box_outside",
                "bottom edge {edge} is outside the canvas (0..1); make y + h at most 1",
                {"edge": round(self.y + self.h, 4)},
            )
        return self

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in pixels on a canvas of that size."""
        left, top = round(self.x * width), round(self.y * height)
        return left, top, max(left + 1, round((self.x + self.w) * width)), max(
            top + 1, round((self.y + self.h) * height)
        )


class Point(Strict):
    x: Fraction = 0.5
    y: Fraction = 0.5


class Gradient(Strict):
    to: Color
    angle: Annotated[int, Field(ge=0, le=359)] = 180


class Outline(Strict):
    color: Color = "#000000"
    width: Annotated[int, Field(ge=1, le=20)] = 2


class BackgroundLayer(Strict):
    """Fills the whole canvas: a colour, a gradient from it, or an image (cover-fitted)."""

    kind: Literal["background"]
    color: Color = "#ffffff"
    gradient: Gradient | None = None
    image: AssetName | None = None


class NoPhotoImage(Strict):
    """Without a photo, the box shows an organizer image (cover-fitted), e.g. campaign art."""

    kind: Literal["image"]
    image: AssetName


class NoPhotoPattern(Strict):
    """Without a photo, the box shows a pattern in the brand colours (the first is the ground)."""

    kind: Literal["pattern"]
    style: Literal["stripes", "dots"] = "stripes"
    colors: Annotated[list[Color], Field(min_length=2, max_length=4)]


NoPhoto = Annotated[NoPhotoImage | NoPhotoPattern, Field(discriminator="kind")]


class Duotone(Strict):
    """The photo in two brand colours: its shadows in `dark`, its highlights in `light`."""

    dark: Color
    light: Color
    strength: Annotated[float, Field(ge=0.1, le=1.0, allow_inf_nan=False)] = 1.0  # 1 = fully two-tone

    @model_validator(mode="after")
    def _dark_is_darker(self) -> Duotone:
        if _luminance(self.dark) > _luminance(self.light):
            raise PydanticCustomError(
                "duotone_order",
                "dark {dark} is lighter than light {light}; swap them (shadows take dark, highlights light)",
                {"dark": self.dark, "light": self.light},
            )
        return self


class Scrim(Strict):
    """A gradient of a brand colour over the photo, strongest at one side, so text there reads."""

    color: Color = "#000000"
    side: Literal["bottom", "top", "left", "right"] = "bottom"
    strength: Annotated[float, Field(ge=0.05, le=1.0, allow_inf_nan=False)] = 0.7  # opacity at that side
    extent: Annotated[float, Field(ge=0.1, le=1.0, allow_inf_nan=False)] = 0.6  # share of the photo it covers


def _luminance(color: str) -> float:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


class PhotoLayer(Strict):
    """The participant's photo, cover- or contain-fitted into its box around a focal point,
    optionally treated: a duotone in two brand colours, then a scrim under the text.

    `empty` says how the box looks when there is no photo (an image or a brand pattern); without
    it a stripe pattern in `placeholder` (or grey) is drawn, so no image is ever half empty."""

    kind: Literal["photo"]
    field: Slug = "photo"
    box: Box
    fit: Literal["cover", "contain"] = "cover"
    focal: Point = Point()
    shape: Literal["rect", "circle"] = "rect"
    placeholder: Color | None = None
    empty: NoPhoto | None = None
    duotone: Duotone | None = None
    scrim: Scrim | None = None


class ImageLayer(Strict):
    """An organizer image or overlay (PNG with alpha), fitted into its box."""

    kind: Literal["image"]
    image: AssetName
    box: Box = Box(x=0, y=0, w=1, h=1)
    fit: Literal["cover", "contain", "stretch"] = "contain"
    opacity: Fraction = 1.0


class TextLayer(Strict):
    """A template over the fields, wrapped and shrunk to fit its box; never overflows it."""

    kind: Literal["text"]
    id: Slug | None = None
    template: Template
    box: Box
    font: FontName = "sans"
    min_size: Annotated[int, Field(ge=8, le=400)] = 18
    max_size: Annotated[int, Field(ge=8, le=400)] = 72
    color: Color = "#111111"
    outline: Outline | None = None
    panel: Color | None = None
    padding: Annotated[float, Field(ge=0.0, le=0.3, allow_inf_nan=False)] = 0.0
    align: Literal["start", "end", "left", "center", "right"] = "start"
    valign: Literal["top", "middle", "bottom"] = "top"
    max_lines: Annotated[int, Field(ge=1, le=40)] = 12
    line_height: Annotated[float, Field(ge=0.8, le=2.5, allow_inf_nan=False)] = 1.2
    # A pinned size: every remix of the frame draws this layer at exactly this size, so the
    # campaign's headlines never jump between remixes. Only text that cannot fit at it shrinks,
    # and only if `min_size` is given (down to it); otherwise it is cut with "…".
    size: Annotated[int, Field(ge=8, le=400)] | None = None
    # "curly": straight quotes and apostrophes become the render language's typographic ones.
    typography: Literal["plain", "curly"] = "plain"

    @property
    def size_range(self) -> tuple[int, int]:
        """(smallest, largest) size the text may take."""
        if self.size is None:
            return self.min_size, self.max_size
        return (self.min_size if "min_size" in self.model_fields_set else self.size), self.size

    @model_validator(mode="after")
    def _sizes_ordered(self) -> TextLayer:
        if self.size is not None:
            if "max_size" in self.model_fields_set and self.max_size != self.size:
                raise PydanticCustomError(
                    "size_pinned",
                    "size {size} pins the text size, so max_size does not apply; remove max_size",
                    {"size": self.size},
                )
            if "min_size" in self.model_fields_set and self.min_size > self.size:
                raise PydanticCustomError(
                    "size_order",
                    "min_size {lo} is larger than size {size}; min_size is how far text that does not fit may shrink",
                    {"lo": self.min_size, "size": self.size},
                )
            return self
        if self.min_size > self.max_size:
            raise PydanticCustomError(
                "size_order",
                "min_size {lo} is larger than max_size {hi}; swap them",
                {"lo": self.min_size, "hi": self.max_size},
            )
        return self


# A QR code must still scan when its image is shown 360 px wide and re-encoded as JPEG q70, as
# feeds do. Measured with zxing-cpp over 36 placements (square, story and card canvases, 12
# offsets each; tests/test_qr.py runs the bundled frames): at 4.2 px per module on a 1080 px
# wide canvas 19-27 of 36 decoded, at 4.6 32-36, from 4.8 up 30-36 (the misses sit where a
# module lands near 2 px at 360 and aliases). The schema asks for 5, counting 41 modules: a
# version-4 code (links up to 78 bytes at level L) plus the four-module quiet zones.
QR_MIN_MODULE_PX = 5.0  # per module, on a canvas 1080 px wide (scaled with the canvas width)
QR_REFERENCE_MODULES = 41


class QrLayer(Strict):
    """A QR code back to this frame on this instance; the URL is never the organizer's."""

    kind: Literal["qr"]
    box: Box
    color: Color = "#000000"
    background: Color = "#ffffff"

    def module_px(self, width: int, height: int) -> float:
        """Pixels per module of a reference-size code in this box, as if the canvas were 1080 px wide."""
        left, top, right, bottom = self.box.pixels(width, height)
        return min(right - left, bottom - top) / QR_REFERENCE_MODULES * 1080 / width

    def min_side(self, width: int) -> int:
        """The smallest box side in pixels that gives QR_MIN_MODULE_PX on a canvas this wide."""
        return math.ceil(QR_MIN_MODULE_PX * QR_REFERENCE_MODULES * width / 1080)


# Credits must be readable in a feed: capital letters at least 24 px tall on a canvas 1080 px
# wide (scaled with the width). The bundled fonts' capitals are 0.714 em tall (Noto Sans and
# Serif, 'H'; tests/test_credits.py measures them), so the text size is cap height x 1.43.
CREDIT_CAP_PX = 24
CREDIT_SIZE_PER_CAP = 1.43
CREDIT_LINE_HEIGHT = 1.15
CREDIT_TWO_LINES_EM = 2.5  # two Latin lines: ascent + descent (1.37 em) + one line pitch (1.15 em)


def credit_size(width: int) -> int:
    """The credit line's text size on a canvas this wide (its floor; a layer may ask for more)."""
    return math.ceil(CREDIT_CAP_PX * CREDIT_SIZE_PER_CAP * width / 1080)


class CreditLayer(Strict):
    """The credit line (frame, organizer, licence, maker); its wording is not editable, and its
    size is at least `credit_size(width)` whatever `max_size` says."""

    kind: Literal["credit"]
    box: Box
    font: FontName = "sans"
    max_size: Annotated[int, Field(ge=8, le=120)] = 22
    color: Color = "#111111"
    align: Literal["start", "end", "left", "center", "right"] = "start"


Layer = Annotated[
    BackgroundLayer | PhotoLayer | ImageLayer | TextLayer | QrLayer | CreditLayer,
    Field(discriminator="kind"),
]
LAYER_KINDS = ("background", "photo", "image", "text", "qr", "credit")


class Brand(Strict):
    """The brand kit: named colours, fonts and a logo that layers use as `brand.<name>` (see frames.brand)."""

    colors: Annotated[dict[Slug, Color], Field(max_length=16)] = {}
    fonts: Annotated[dict[Slug, FontName], Field(max_length=8)] = {}
    logo: AssetName | None = None


class BrandOverride(Strict):
    """One format's own values for some of the kit's colours."""

    colors: Annotated[dict[Slug, Color], Field(max_length=16)] = {}


class Format(Strict):
    """One output (square post, story, link card...) with its own canvas, layers and encoding."""

    width: Annotated[int, Field(ge=100, le=4096)]
    height: Annotated[int, Field(ge=100, le=4096)]
    encoding: Literal["jpeg", "png"] = "jpeg"
    quality: Annotated[int, Field(ge=40, le=95)] = 90
    alt: Template | None = None
    mirror_rtl: bool = False  # in a right-to-left language, flip every box (and left/right alignment)
    brand: BrandOverride | None = None
    layers: Annotated[list[Layer], Field(min_length=1, max_length=30)]


class Option(Strict):
    value: Annotated[str, Field(min_length=1, max_length=80)]
    label: Annotated[str, Field(min_length=1, max_length=120)]


class FieldSpec(Strict):
    """One input a participant fills in."""

    name: Slug
    kind: Literal["text", "long_text", "choice", "photo"]
    label: Annotated[str, Field(min_length=1, max_length=80)]
    help: Annotated[str, Field(max_length=300)] = ""
    required: bool = False
    max_length: Annotated[int, Field(ge=1, le=5000)] | None = None
    options: Annotated[list[Option], Field(max_length=50)] = []
    sample: Annotated[str, Field(max_length=5000)] = ""

    @model_validator(mode="after")
    def _options_fit_kind(self) -> FieldSpec:
        if self.kind == "choice" and len(self.options) < 2:
            raise PydanticCustomError("choice_options", "a choice field needs at least 2 options", {})
        if self.kind != "choice" and self.options:
            raise PydanticCustomError("options_kind", "only choice fields take options; remove them", {})
        return self

    @property
    def limit(self) -> int:
        """The most characters a participant may type (defaults by kind)."""
        default = {"text": 80, "long_text": 600}.get(self.kind, 80)
        return self.max_length or default


class Organizer(Strict):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    url: Url | None = None


class DerivedFrom(Strict):
    """Where a fork came from: the source frame's id and version, and the instance it lives on."""

    id: FrameId
    version: Annotated[int, Field(ge=1, le=100000)]
    title: Annotated[str, Field(max_length=100)] = ""
    organizer: Annotated[str, Field(max_length=100)] = ""
    instance: Url | None = None


class Texts(Strict):
    """Post text (one template, optionally per platform) and the default alt-text template."""

    post: Template
    platforms: dict[Platform, Template] = {}
    alt: Template


class FieldTranslation(Strict):
    label: Annotated[str, Field(max_length=80)] | None = None
    help: Annotated[str, Field(max_length=300)] | None = None
    options: dict[str, Annotated[str, Field(max_length=120)]] = {}
    sample: Annotated[str, Field(max_length=5000)] | None = None


class Translation(Strict):
    """The frame's words in one more language; anything missing falls back to the original."""

    title: Annotated[str, Field(max_length=100)] | None = None
    message: Annotated[str, Field(max_length=300)] | None = None
    call_to_action: Annotated[str, Field(max_length=200)] | None = None
    fields: dict[str, FieldTranslation] = {}
    layers: dict[str, Template] = {}
    post: Template | None = None
    platforms: dict[Platform, Template] = {}
    alt: Template | None = None
    format_alt: dict[str, Template] = {}


class Manifest(Strict):
    """A whole frame: identity, credits, fields, formats, texts and translations."""

    schema_: Annotated[int, Field(alias="schema", ge=1)] = SCHEMA_VERSION
    id: FrameId
    version: Annotated[int, Field(ge=1, le=100000)] = 1
    title: Annotated[str, Field(min_length=1, max_length=100)]
    message: Annotated[str, Field(max_length=300)] = ""
    description: Annotated[str, Field(max_length=1000)] = ""
    organizer: Organizer
    licence: Annotated[str, Field(pattern=r"^[A-Za-z0-9.+-]{2,40}$")] = "CC-BY-4.0"
    language: LangCode = "en"
    derived_from: DerivedFrom | None = None
    hashtags: Annotated[list[Annotated[str, Field(pattern=r"^\w{1,60}$")]], Field(max_length=10)] = []
    call_to_action: Annotated[str, Field(max_length=200)] = ""
    moderation: Literal["publish", "approve"] = "publish"
    brand: Brand = Brand()
    fields: Annotated[list[FieldSpec], Field(max_length=20)] = []
    formats: Annotated[dict[Slug, Format], Field(min_length=1, max_length=6)]
    texts: Texts
    translations: Annotated[dict[LangCode, Translation], Field(max_length=30)] = {}

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True)

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True, eq=False)
class Frame:
    """A validated frame: its manifest, its asset bytes, and a digest identifying both.

    Built only by `frames.pack.frame_from_files`, which validates everything first; the
    renderer, the gallery and the shells all take this one type.
    """

    manifest: Manifest
    assets: Mapping[str, bytes]
    digest: str
    manifest_bytes: bytes
    source: str = ""

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> int:
        return self.manifest.version

    @property
    def title(self) -> str:
        return self.manifest.title
