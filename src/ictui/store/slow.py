"""A store slowed on purpose, for tests of timing: ``ICTUI_SLOW_STORE``.

The cockpit is correct at any speed, and a quiet machine hides the bugs an IC meets on a
busy laptop or a far server. With ``ICTUI_SLOW_STORE=800`` (or ``800:7``, the seed of
its random draws) every call the cockpit makes to the store (every read and every write,
the list read before it opens included) first waits a random 0–800 ms, each call its own
draw. The tests that send keys in bursts set it; nobody else should.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

T = TypeVar("T")

VARIABLE = "ICTUI_SLOW_STORE"


class Delay:
    """Random pauses of 0 to ``max_seconds``, from one seeded generator shared by threads."""

    def __init__(self, max_seconds: float, seed: int | None) -> None:
        self.max_seconds = max_seconds
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            pause = self._random.uniform(0, self.max_seconds)
        time.sleep(pause)


def from_environment() -> Delay | None:
    """The delay ``ICTUI_SLOW_STORE`` asks for ("MS" or "MS:SEED"), or None."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return None
    milliseconds, _, seed = value.partition(":")
    try:
        return Delay(max(0.0, float(milliseconds)) / 1000, int(seed) if seed else None)
    except ValueError:
        return None


class SlowStore:
    """Every method of ``store`` waits ``delay`` before it runs (attributes pass through)."""

    def __init__(self, store: Any, delay: Delay) -> None:
        self._store = store
        self._delay = delay

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not callable(value) or name.startswith("__"):
            return value
        delay = self._delay

        @wraps(value)
        def slowed(*args: Any, **kwargs: Any) -> Any:
            delay.wait()
            return value(*args, **kwargs)

        return slowed


def slowed(function: Callable[..., T], delay: Delay | None) -> Callable[..., T]:
    """``function``, waiting ``delay`` before each call (as it is when ``delay`` is None)."""
    if delay is None:
        return function

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        delay.wait()
        return function(*args, **kwargs)

    return wrapper
