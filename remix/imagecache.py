"""A cache of decoded images bounded by the bytes their pixels take, not by how many there are.

An entry-count cache (`lru_cache(maxsize=32)`) of decoded images has no memory bound at all:
32 entries of 4096 x 4096 RGBA are 2 GB. This one evicts the least recently used images once
their pixels pass a byte budget, so a long-running app server stays within it whatever frames
and photos it renders. Thread-safe (Streamlit reruns on many threads); a value is computed
outside the lock, so two threads may compute the same image once each, which is harmless.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import ParamSpec, TypeVar

from PIL import Image

P = ParamSpec("P")
R = TypeVar("R")


def image_bytes(value: object) -> int:
    """Bytes of pixel memory an image holds (Pillow keeps 3 and 4 band images at 4 bytes a
    pixel), or the images and arrays of a tuple together."""
    if isinstance(value, Image.Image):
        return value.width * value.height * (4 if len(value.getbands()) > 1 else 1)
    if isinstance(value, tuple):
        return sum(image_bytes(v) for v in value)
    return int(getattr(value, "nbytes", 0))  # a numpy array


class ImageCache:
    """Least recently used images, evicted once their pixels pass `max_bytes` (or their number
    `max_entries`: keys hold on to what they name, such as a frame and its asset bytes)."""

    def __init__(self, max_bytes: int, max_entries: int = 512) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.bytes = 0
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[bool, object]:
        with self._lock:
            if key not in self._items:
                return False, None
            self._items.move_to_end(key)
            return True, self._items[key][0]

    def put(self, key: Hashable, value: object) -> None:
        size = image_bytes(value)
        if size > self.max_bytes:
            return  # larger than the whole budget: used once, never kept
        with self._lock:
            if key in self._items:
                self.bytes -= self._items.pop(key)[1]
            self._items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes or len(self._items) > self.max_entries:
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def cached(self, fn: Callable[P, R]) -> Callable[P, R]:
        """Memoize a function of hashable positional arguments whose result is an image."""

        @wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            key = (fn.__qualname__, args, tuple(sorted(kwargs.items())))
            found, value = self.get(key)
            if found:
                return value  # type: ignore[return-value]
            result = fn(*args, **kwargs)
            self.put(key, result)
            return result

        return wrapper


# One budget for organizer art, fitted photos, gradients and masks in this process.
IMAGES = ImageCache(96 * 2**20)
