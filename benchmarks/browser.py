"""Browser benchmark: first page load and the time from a committed text edit to the updated
preview, measured in headless Chromium against the real `streamlit run` server on loopback.

    .venv/bin/python -m benchmarks.browser

Prints medians; the machine's other load shows up here more than in the render benchmarks.
"""
from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

EDITS = 15
LOADS = 5


def start_server(data: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "FRAME_REMIX_DATA": str(data), "FRAME_REMIX_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.25)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("the server did not start")


def first_loads(browser, url: str) -> list[float]:
    times = []
    for _ in range(LOADS):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{url}/?frame=ride-the-bus")
        page.locator("[data-testid='stImage'] img").first.wait_for(timeout=60_000)
        times.append((time.perf_counter() - start) * 1000)
        context.close()
    return times


def preview_updates(browser, url: str) -> list[float]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{url}/?frame=ride-the-bus")
    image = page.locator("[data-testid='stImage'] img").first
    image.wait_for(timeout=60_000)
    story = page.get_by_role("textbox", name="Why you ride")
    times = []
    for n in range(EDITS):
        before = image.get_attribute("src")
        story.fill(f"Edit number {n}: the bus gets us to work and school on time.")
        start = time.perf_counter()
        story.press("Control+Enter")  # commits the edit, as leaving the field does
        page.wait_for_function("([el, old]) => el.src !== old", arg=[image.element_handle(), before], timeout=30_000)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                loads = first_loads(browser, url)
                edits = preview_updates(browser, url)
                browser.close()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
    print("browser (real server, headless Chromium), medians")
    print(f"  first load of /?frame=ride-the-bus to first preview image: {statistics.median(loads):7.0f} ms (n={LOADS})")
    print(f"  story edit committed -> preview image updated:              {statistics.median(edits):7.0f} ms (n={EDITS}, "
          f"min {min(edits):.0f}, max {max(edits):.0f})")


if __name__ == "__main__":
    main()
