"""Driving the two shells from tests: the app through AppTest, the CLI through its `main`."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from frame_remix_cli import main

ROOT = Path(__file__).resolve().parent.parent


def app_test(**params: str) -> AppTest:
    """The app's entry point as AppTest, with `params` as the page's query parameters (not yet run)."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`frame-remix ARGV...` in this process: exit code, stdout, stderr (never a traceback)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err
