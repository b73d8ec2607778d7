"""The server's background poll of its followed peers: one daemon thread, one poll round per interval.

The app's entry starts it once per process with the interval from Settings
(`FRAME_REMIX_POLL_SECONDS`, default 300; 0 = off). Only the app's entry starts it, so
the core, the CLI and tests that open a store never poll behind anyone's back.
Each round is `follow.poll_all`, itself bounded per peer, so a hostile peer costs a round at most
its limits; a round never raises into the thread (a failure is printed to the server's log and
the next round comes anyway).
"""
from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

from gallery.db import Store
from gallery.federation.follow import PollLimits, PollResult, poll_all


@dataclass(frozen=True)
class Poller:
    """A running poller; `stop()` ends it after the round in progress."""

    thread: threading.Thread
    event: threading.Event

    def stop(self, timeout: float = 5.0) -> None:
        self.event.set()
        self.thread.join(timeout)
        with _lock:
            if _started.get(self.thread.name) is self:
                del _started[self.thread.name]


_started: dict[str, Poller] = {}
_lock = threading.Lock()


def start_poller(store: Store, interval: float, *, limits: PollLimits | None = None,
                 log: Callable[[str], None] | None = None) -> Poller | None:
    """Poll every followed peer every `interval` seconds on a daemon thread; None when `interval` is 0.

    One poller per database per process: a second call returns the running one.
    """
    if interval <= 0:
        return None
    name = f"frame-remix-poller:{store.path}"
    with _lock:
        running = _started.get(name)
        if running is not None and running.thread.is_alive():
            return running
        event = threading.Event()
        thread = threading.Thread(target=_run, args=(store, float(interval), limits or PollLimits(), log or _print, event),
                                  name=name, daemon=True)
        poller = _started[name] = Poller(thread, event)
        thread.start()
        return poller


def _run(store: Store, interval: float, limits: PollLimits, log: Callable[[str], None], stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            for result in poll_all(store, limits):
                if result.stored or result.tombstones or result.refused or result.purged or result.error:
                    log(summary(result))  # a round that changed nothing stays out of the log
        except Exception as exc:  # noqa: BLE001 - the poller must outlive any one bad round
            log(f"frame-remix: peer poll failed: {exc}")


def summary(result: PollResult) -> str:
    """One log line per peer and round."""
    done = (f"{result.stored} kept, {result.tombstones} deletes, {result.refused} refused, {result.purged} gone at home, "
            f"{result.bytes // 1024} KiB")
    if result.not_modified:
        done = "nothing new"
    return f"frame-remix: polled {result.url}: {done}" + (f"; {result.error}" if result.error else "")


def _print(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
