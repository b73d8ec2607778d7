"""Folder packs with special files (FIFOs) are refused in one sentence instead of hanging."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from frames.errors import FrameError
from frames.pack import load_pack
from tests.test_cli import BUNDLED, assert_user_error, cli

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")


def _pack(tmp_path: Path) -> Path:
    folder = tmp_path / "frame"
    shutil.copytree(BUNDLED / "ride-the-bus", folder)
    return folder


@pytest.mark.timeout(20)
def test_fifo_named_like_an_asset_is_refused(tmp_path: Path) -> None:
    folder = _pack(tmp_path)
    asset = next((folder / "assets").iterdir())
    asset.unlink()
    os.mkfifo(asset)
    sentence = f"'assets/{asset.name}' is not a regular file (a pipe, device or socket?); a frame pack holds only ordinary files"
    with pytest.raises(FrameError) as info:
        load_pack(folder)
    assert [str(p) for p in info.value.problems] == [sentence]
    assert_user_error(cli("validate", str(folder)), f"error: {sentence}")


@pytest.mark.timeout(20)
def test_fifo_as_manifest_or_zip_is_refused(tmp_path: Path) -> None:
    folder = _pack(tmp_path)
    (folder / "frame.toml").unlink()
    os.mkfifo(folder / "frame.toml")
    assert_user_error(cli("validate", str(folder)), "error: 'frame.toml' is not a regular file")
    os.mkfifo(tmp_path / "pack.zip")
    assert_user_error(cli("validate", str(tmp_path / "pack.zip")), "error: 'pack.zip' is not a regular file")
