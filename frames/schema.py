"""The manifest's JSON Schema, so organizers' editors can check a frame.toml as they type."""
from __future__ import annotations

from typing import Any

from frames.model import Manifest


def manifest_schema() -> dict[str, Any]:
    schema = Manifest.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "frame-remix frame manifest (frame.toml), schema 1"
    return schema
