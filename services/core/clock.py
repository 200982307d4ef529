"""The system's clock: the wall clock in production, a chosen instant in tests and demos (KABINET_NOW).

Every service takes `now` as an argument; pages, jobs and commands read it from `System.now()`, so a test or a
demo decides what time it is for the whole process, the server processes of end-to-end tests included.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...


class WallClock:
    """The real time: what production runs on."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock:
    """Starts at a chosen instant and runs on at the real pace (timers, expiries and throttles still work)."""

    def __init__(self, start: datetime) -> None:
        self._start = start.astimezone(UTC)
        self._started = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._started)


class ManualClock:
    """Stands still at a chosen instant until a test moves it (`set`, `advance`)."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, instant: datetime) -> None:
        with self._lock:
            self._now = instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta
