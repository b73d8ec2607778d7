"""Browser benchmark: first load, last keystroke -> updated preview, drag -> updated preview, and
the capacity of one server with 8 phones typing, in headless Chromium against the real
`streamlit run` server on loopback.

    .venv/bin/python -m benchmarks.browser             # single-session figures
    .venv/bin/python -m benchmarks.browser --capacity  # plus 8 phones typing for 60 s (run it once)

Latency is measured from the moment the last key of a word is pressed (or the finger lifted)
to the moment the preview image in the page shows that word (its alt text names the words, and
its new image has loaded). The machine's other load shows up here more than in the render
benchmarks.
"""
from __future__ import annotations

import asyncio
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

from benchmarks.support import CHROMIUM, CHROMIUM_ARGS, free_port, phone_jpeg  # noqa: E402

WORDS = 20
LOADS = 5
DRAGS = 10
PHONES, EVERY_S, FOR_S = 8, 2.0, 60.0
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
PAD = ".fr-pad img"
SHOWS = ("([el, word]) => el.alt.includes(word) && el.complete && el.naturalWidth > 0")


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
        context = browser.new_context(**PHONE)
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{url}/?frame=ride-the-bus")
        page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=page.locator(PAD).element_handle(timeout=60_000))
        times.append((time.perf_counter() - start) * 1000)
        context.close()
    return times


def keystrokes(browser, url: str) -> list[float]:
    """Type a town name like a person (60 ms a key); time from its last key to the preview showing it."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{url}/?frame=ride-the-bus")
    image = page.locator(PAD).element_handle(timeout=60_000)
    city = page.get_by_role("textbox", name="Your town or city", exact=True)
    times = []
    for n in range(WORDS):
        city.fill("")
        city.click()
        word = f"Town{n:02d}x"
        page.keyboard.type(word[:-1], delay=60)
        start = time.perf_counter()
        page.keyboard.press(word[-1])
        page.wait_for_function(SHOWS, arg=[image, word], polling="raf", timeout=30_000)
        times.append((time.perf_counter() - start) * 1000)
    context.close()
    return times


def drags(browser, url: str, tmp: Path) -> list[float]:
    """Drag the photo on the preview; time from lifting the finger to the moved photo shown."""
    photo = tmp / "me.jpg"
    photo.write_bytes(phone_jpeg(1600, 1200, orientation=6))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/?frame=ride-the-bus")
    page.locator(PAD).first.wait_for(timeout=60_000)
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_text("Uploaded me.jpg").wait_for(timeout=60_000)
    page.get_by_text("Drag the photo").wait_for(timeout=60_000)
    times = []
    for n in range(DRAGS):
        pad = page.locator(PAD).first
        before = pad.get_attribute("src")
        box = pad.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.3
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x, y + (40 if n % 2 == 0 else -40), steps=4)
        start = time.perf_counter()
        page.mouse.up()
        page.wait_for_function("([el, old]) => el.src !== old && el.complete", arg=[pad.element_handle(), before],
                               polling="raf", timeout=30_000)
        times.append((time.perf_counter() - start) * 1000)
    context.close()
    return times


async def _phone(browser, url: str, number: int, deadline: float, out: list[float], misses: list[int]) -> None:
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    await page.goto(f"{url}/?frame=ride-the-bus")
    image = await page.locator(PAD).element_handle(timeout=120_000)
    story = page.get_by_role("textbox", name="Why you ride", exact=True)
    await story.click()
    words = 0
    while time.perf_counter() < deadline:
        tick = time.perf_counter()
        word = f" w{number}x{words}"
        await page.keyboard.type(word[:-1], delay=50)
        start = time.perf_counter()
        await page.keyboard.press(word[-1])
        try:
            await page.wait_for_function(SHOWS, arg=[image, word.strip()], polling="raf", timeout=15_000)
            out.append((time.perf_counter() - start) * 1000)
        except Exception:  # noqa: BLE001 (a word never shown counts as a miss)
            misses.append(1)
        words += 1
        await asyncio.sleep(max(0.0, EVERY_S - (time.perf_counter() - tick)))
    await context.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc), to say what the server itself costs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    """The machine's 1-minute load average: the other jobs the figures shared the cores with."""
    return Path("/proc/loadavg").read_text().split()[0]


async def capacity(url: str) -> tuple[list[float], int]:
    """PHONES phones typing a new word every EVERY_S seconds for FOR_S seconds, one server."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        out: list[float] = []
        misses: list[int] = []
        deadline = time.perf_counter() + FOR_S + 20  # ~20 s to open the 8 pages, then FOR_S of typing
        await asyncio.gather(*(_phone(browser, url, n, deadline, out, misses) for n in range(PHONES)))
        await browser.close()
    return out, len(misses)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def line(label: str, values: list[float]) -> str:
    return (f"  {label:<48} median {statistics.median(values):6.0f} ms   p95 {p95(values):6.0f} ms   "
            f"(n={len(values)}, max {max(values):.0f})")


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                loads = first_loads(browser, url)
                keys = keystrokes(browser, url)
                moves = drags(browser, url, Path(tmp))
                browser.close()
            before, cpu_before, load_before = time.perf_counter(), cpu_seconds(proc.pid), load()
            crowd = asyncio.run(capacity(url)) if "--capacity" in sys.argv else None
            server_cpu = (cpu_seconds(proc.pid) - cpu_before) / (time.perf_counter() - before)
            load_after = load()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
    print("browser (real server on loopback, headless Chromium, phone emulation 390x844)")
    print(line("first load of /?frame=ride-the-bus -> preview", loads))
    print(line("last keystroke -> preview shows the word", keys))
    print(line("drag released -> moved photo shown (1280)", moves))
    if crowd:
        times, missed = crowd
        print(line(f"{PHONES} phones, a word every {EVERY_S:.0f} s for {FOR_S:.0f} s", times) + f", {missed} missed")
        print(f"  the server process used {server_cpu:.0%} of one core meanwhile; load average {load_before} before, "
              f"{load_after} after (2 cores; the 8 pages' Chromium runs on them too)")


if __name__ == "__main__":
    main()
