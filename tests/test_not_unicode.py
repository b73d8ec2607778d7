"""Text that is not valid Unicode is refused at the CLI's edge: one sentence, exit 2, nothing written."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import ROOT

SENTENCE = ("is not valid UTF-8 text (typed in a terminal set to another encoding, such as Latin-1?); "
            "switch the terminal to UTF-8 and try again")


def cli_bytes(*args: bytes) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI with raw byte arguments, as a Latin-1 terminal passes them."""
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable.encode(), str(ROOT / "frame_remix_cli.py").encode(), *args],
                          check=False, capture_output=True, cwd=ROOT, timeout=120, env=env)


@pytest.mark.parametrize("args, shown", [
    ([b"--set", b"city=\xe9vora"], "city=\\xe9vora"),
    ([b"--maker", b"Jos\xe9"], "Jos\\xe9"),
])
def test_latin1_argument_is_refused(tmp_path: Path, args: list[bytes], shown: str) -> None:
    out = tmp_path / "out"
    run = cli_bytes(b"render", b"ride-the-bus", b"--sample", *args, b"--out", str(out).encode())
    stderr = run.stderr.decode()
    assert run.returncode == 2, stderr
    assert stderr == f"error: the argument '{shown}' {SENTENCE}\n"
    assert not out.exists()


def test_utf8_argument_is_accepted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = cli_bytes(b"render", b"ride-the-bus", b"--sample", b"--set", "city=Évora 你好".encode(), b"--out",
                    str(out).encode(), b"--format", b"square")
    assert run.returncode == 0, run.stderr.decode()
    assert "Évora 你好" in (out / "texts.json").read_text(encoding="utf-8")


def test_csv_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_bytes(b"city,story\n" + "Évora,café com leite\n".encode("latin-1"))
    out = tmp_path / "out"
    run = cli_bytes(b"bulk", b"ride-the-bus", str(rows).encode(), b"--out", str(out).encode())
    assert run.returncode == 2
    assert run.stderr.decode() == "error: 'rows.csv' is not UTF-8 text; save the CSV as UTF-8\n"
    assert not out.exists()
