"""Shared fixtures: a real gallery in tmp_path, a real Streamlit server on loopback and a real headless Chromium."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.support import CHROMIUM, CHROMIUM_ARGS, free_port
from gallery import close_store, open_store
from gallery.db import Store
from tests.test_gallery_support import ADMIN

ROOT = Path(__file__).resolve().parent.parent
ADMIN_KEY = "test-admin-key"  # the browser tests' server runs with this instance admin key
_free_port = free_port  # one Chromium recipe and one port picker, shared with the benchmarks


def _wait_healthy(proc: subprocess.Popen, port: int, log: Path, timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy in {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test server's data directory (gallery.db), so a test can seed it as an operator's CLI would."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, server_data: Path) -> Iterator[str]:
    """`streamlit run streamlit_app.py` on a free loopback port; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "FRAME_REMIX_PUBLIC_URL": f"http://127.0.0.1:{port}",
           "FRAME_REMIX_DATA": str(server_data), "FRAME_REMIX_ADMIN_KEY": ADMIN_KEY}
    with running_app(env, tmp_path_factory.mktemp("server") / "streamlit.log", port) as base:
        yield base


@contextmanager
def running_app(env: dict[str, str], log: Path, port: int | None = None) -> Iterator[str]:
    """`streamlit run streamlit_app.py` on a free loopback port with `env`, its output in `log`;
    yields the base URL once the server says it is healthy, and stops it (TERM, then KILL)."""
    port = port or _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
           "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        _wait_healthy(proc, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright; missing Chromium fails in CI and skips locally."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    width = getattr(request, "param", 1280)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "gallery.db")
    yield s
    close_store(s)


@pytest.fixture
def admin(store: Store) -> str:
    """The instance admin key, configured on the test's store as a shell would (Settings)."""
    store.settings = replace(store.settings, admin_key=ADMIN)
    return ADMIN


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """AppTest runs on a gallery in tmp_path with a configured public URL and empty Streamlit caches
    (`st.cache_resource` outlives an AppTest in one process); yields the data folder."""
    import streamlit as st

    monkeypatch.setenv("FRAME_REMIX_DATA", str(tmp_path))
    monkeypatch.setenv("FRAME_REMIX_PUBLIC_URL", "https://remix.example")
    st.cache_resource.clear()
    st.cache_data.clear()
    return tmp_path


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI runs in tmp_path (cwd outside the checkout) on the data folder tmp_path/data, whose
    stores are closed afterwards; yields that data folder."""
    import gallery.db

    monkeypatch.setenv("FRAME_REMIX_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "data"
    for store in list(gallery.db._stores.values()):
        gallery.db.close_store(store)
