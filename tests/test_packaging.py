"""Packaging: every imported library is declared, the licence file matches the declared licence,
and a built wheel runs its commands and its app from outside the checkout."""
from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import sys
import sysconfig
import tomllib
import urllib.request
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from tests.conftest import _free_port, _wait_healthy

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ["frames", "remix", "gallery", "app_pages", "streamlit_app.py", "frame_remix_cli.py"]
OURS = {"frames", "remix", "gallery", "app_pages", "streamlit_app", "frame_remix_cli"}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def imported_modules() -> set[str]:
    """Top-level names every shipped module imports (at any depth, lazy imports included)."""
    names: set[str] = set()
    for entry in SHIPPED:
        path = ROOT / entry
        for file in [path] if path.is_file() else path.rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text(), str(file))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
    return names - OURS - set(sys.stdlib_module_names)


def test_every_imported_library_is_declared() -> None:
    declared = {re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0].lower().replace("_", "-")
                for d in pyproject()["project"]["dependencies"]}
    dists = packages_distributions()
    missing = {}
    for module in sorted(imported_modules()):
        names = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
        if not names & declared:
            missing[module] = sorted(names)
    assert missing == {}


def test_the_licence_file_is_the_declared_agpl() -> None:
    assert pyproject()["project"]["license"] == "AGPL-3.0-or-later"
    text = (ROOT / "LICENSE").read_text()
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE\n                       Version 3, 19 November 2007")
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert len(text.splitlines()) == 661  # the whole licence, not a summary


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, installed alone into a new venv; its dependencies come
    from the test run's own environment (read, never imported from the checkout)."""
    tmp = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp)],
                           capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next(tmp.glob("frame_remix-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "streamlit_app.py" in names and "app_pages/make.py" in names and "frames/bundled/ride-the-bus/frame.toml" in names
    assert any(n.endswith("licenses/LICENSE") for n in names)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")  # a plain path: no editable finder
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
                           "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv


def outside_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRAME_REMIX_", "PYTHON"))}
    return env | {"FRAME_REMIX_DATA": str(tmp / "data")}


@pytest.mark.slow
def test_the_installed_wheel_lists_and_renders_from_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    command = str(installed / "bin" / "frame-remix")
    where = subprocess.run([str(installed / "bin" / "python"), "-c", "import frames, app_pages; print(frames.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=outside_env(tmp_path), timeout=60, check=False)
    assert where.returncode == 0 and where.stdout.startswith(str(installed)), where.stdout + where.stderr
    listed = subprocess.run([command, "list"], capture_output=True, text=True, cwd=tmp_path, env=outside_env(tmp_path),
                            timeout=120, check=False)
    assert listed.returncode == 0 and listed.stdout.startswith("care-counts"), listed.stderr
    rendered = subprocess.run([command, "render", "ride-the-bus", "--sample", "--format", "card", "--out", "o"],
                              capture_output=True, text=True, cwd=tmp_path, env=outside_env(tmp_path), timeout=120,
                              check=False)
    assert rendered.returncode == 0 and (tmp_path / "o" / "card.jpg").is_file(), rendered.stderr


@pytest.mark.slow
def test_the_installed_wheel_serves_the_app(installed: Path, tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(installed / "bin" / "frame-remix"), "serve", "--port", str(port), "--address",
                                 "127.0.0.1"], cwd=tmp_path, env=outside_env(tmp_path), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_healthy(proc, port, log, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200 and b"<div id=\"root\">" in page.read()
        with pytest.raises(urllib.error.HTTPError) as missing:  # the share routes of the packaged st.App
            urllib.request.urlopen(f"http://127.0.0.1:{port}/share/nope", timeout=10)
        assert missing.value.code == 404 and b"not in the gallery" in missing.value.read()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    key = (tmp_path / "data" / "admin.key").read_text().strip()
    assert key in log.read_text() and "Traceback" not in log.read_text()


def test_benchmarks_import_nothing_from_the_tests() -> None:
    for file in (ROOT / "benchmarks").glob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(), str(file))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] != "tests", file.name
            elif isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] != "tests" for a in node.names), file.name


def test_markers_are_registered_and_the_readme_names_a_command_for_each() -> None:
    markers = " ".join(pyproject()["tool"]["pytest"]["ini_options"]["markers"])
    assert "browser:" in markers and "slow:" in markers
    readme = (ROOT / "README.md").read_text()
    for command in ('-m "not browser and not slow"', "-m browser", "-m slow", ".venv/bin/python -m pytest -q\n"):
        assert command in readme, command
