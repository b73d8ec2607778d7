"""The one manifest writer: plain tables in, TOML out, keeping the organizer's comments and layout.

Both the editor (a draft's tables) and forking (a new id and `derived_from`) rewrite manifests
through `write_manifest`. It parses the manifest the organizer wrote with a round-trip TOML
editor (`tomlkit`), changes only the values that differ from the wanted tables, and lets
`tomlkit` write every string (one escaping for quotes, backslashes, newlines, controls).
The result is read back with the strict reader and must equal the wanted tables, so no
writer quirk can change what a frame means. Never imports streamlit; never touches the gallery.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, InlineTable, Table
from tomlkit.toml_document import TOMLDocument

from frames.errors import FrameError
from frames.manifest import load_toml

Container = TOMLDocument | Table | InlineTable


def write_manifest(data: Mapping[str, Any], base: bytes | None = None) -> bytes:
    """`data` as manifest TOML (UTF-8), edited into `base` so its comments and order survive.

    Raises FrameError when a value cannot be written (a type TOML has no word for), or when
    the written text would not read back as `data`.
    """
    doc = _parse(base) if base else tomlkit.document()
    _sync(doc, data, inline_small=False)
    out = tomlkit.dumps(doc).encode("utf-8")
    if load_toml(out) != _plain(data):
        raise FrameError("the manifest could not be written back exactly; export the pack and edit frame.toml by hand")
    return out


def _parse(base: bytes) -> TOMLDocument:
    try:
        return tomlkit.parse(base.decode("utf-8"))
    except (UnicodeDecodeError, tomlkit.exceptions.TOMLKitError):  # an unreadable base just starts afresh
        return tomlkit.document()


def _plain(data: Any) -> Any:
    """What `load_toml` gives back for `data` (tuples become lists)."""
    if isinstance(data, Mapping):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    return data


def _sync(node: Container, data: Mapping[str, Any], *, inline_small: bool) -> None:
    """Make `node` hold exactly `data`: drop keys it lost, recurse into shared tables, set the rest."""
    for key in [k for k in node if k not in data]:
        del node[key]
    for key, value in data.items():
        old = node.get(key)
        if old is not None and _same_shape(old, value):
            _merge(old, value, inline_small=inline_small)
        elif old is None or _unwrap(old) != _plain(value):
            node[key] = _item(value, inline_small=inline_small)


def _same_shape(old: Any, value: Any) -> bool:
    if isinstance(old, (Table, InlineTable)) and isinstance(value, Mapping):
        return True
    return isinstance(old, AoT) and _is_table_array(value)


def _merge(old: Any, value: Any, *, inline_small: bool) -> None:
    if isinstance(old, AoT):
        _align(old, value)
        for table, item in zip(old, value):
            _sync(table, item, inline_small=True)
        for item in value[len(old):]:
            table = _item([item], inline_small=True)[0]
            table.add(tomlkit.nl())  # a blank line before whatever follows, as the organizer's tables have
            old.append(table)
    else:
        _sync(old, value, inline_small=inline_small or isinstance(old, InlineTable))


def _align(old: AoT, value: Any) -> None:
    """Drop the tables that were removed (the first that differs, then from the end), so the
    tables that stay keep their own comments."""
    while len(old) > len(value):
        index = next((i for i, item in enumerate(value) if _unwrap(old[i]) != _plain(item)), len(value))
        del old[index]


def _unwrap(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _is_table_array(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _is_flat(value: Any) -> bool:
    return isinstance(value, Mapping) and not any(isinstance(v, (Mapping, list, tuple)) for v in value.values())


def _item(value: Any, *, inline_small: bool) -> Any:
    """A new tomlkit item: small flat tables inside arrays of tables stay inline (`box = { ... }`)."""
    if isinstance(value, Mapping):
        if inline_small and _is_flat(value):
            inline = tomlkit.inline_table()
            inline.update({k: _item(v, inline_small=True) for k, v in value.items()})
            return inline
        table = tomlkit.table()
        for k, v in value.items():
            table[k] = _item(v, inline_small=inline_small)
        return table
    if _is_table_array(value):
        aot = tomlkit.aot()
        for v in value:
            table = tomlkit.table()
            for k, w in v.items():
                table[k] = _item(w, inline_small=True)
            aot.append(table)
        return aot
    if isinstance(value, (list, tuple)):
        array = tomlkit.array()
        array.extend(_item(v, inline_small=True) for v in value)
        return array
    if isinstance(value, str):
        return tomlkit.string(value, multiline="\n" in value and _safe_multiline(value))
    if isinstance(value, (bool, int, float)):
        return tomlkit.item(value)
    raise FrameError(f"a value of type {type(value).__name__} cannot be written to a manifest")


def _safe_multiline(text: str) -> bool:
    """Multi-line strings read best as \"\"\"...\"\"\"; fall back to one line when a control char needs escaping."""
    return not any(ord(c) < 32 and c not in "\n\t" for c in text) and "\r" not in text
