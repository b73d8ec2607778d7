"""The core stays free of the UI: frames, remix and gallery never import streamlit."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(out.stdout.split())


def test_core_does_not_import_streamlit() -> None:
    modules = imported_after("import frames, remix, gallery, remix.pipeline, remix.bulk, frame_remix_cli")
    assert "streamlit" not in modules


def test_frames_and_remix_do_not_import_sqlite_utils() -> None:
    modules = imported_after("import frames, remix, remix.pipeline, remix.bulk")
    assert "sqlite_utils" not in modules


def test_no_core_source_mentions_streamlit_imports() -> None:
    for pkg in ("frames", "remix", "gallery"):
        for path in (ROOT / pkg).rglob("*.py"):
            text = path.read_text()
            assert "import streamlit" not in text and "from streamlit" not in text, path
