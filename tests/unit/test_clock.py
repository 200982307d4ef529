"""The system clock: the wall clock in production, one that starts at a chosen instant in tests and demos."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from services.core.clock import ManualClock, ShiftedClock, WallClock
from services.core.settings import Settings
from services.core.system import clock_of

START = datetime(2027, 1, 2, 21, 30, tzinfo=UTC)  # 00:30 on 3 January in Moscow


def test_a_shifted_clock_starts_at_its_instant_and_runs_on_at_the_real_pace() -> None:
    clock = ShiftedClock(START)
    first = clock.now()
    time.sleep(0.05)
    second = clock.now()
    assert START <= first < START + timedelta(seconds=1)
    assert timedelta(seconds=0.04) <= second - first < timedelta(seconds=1)


def test_a_manual_clock_stands_still_until_moved() -> None:
    clock = ManualClock(START)
    time.sleep(0.01)
    assert clock.now() == START
    clock.advance(timedelta(minutes=90))
    assert clock.now() == START + timedelta(minutes=90)
    clock.set(datetime(2028, 2, 29, 12, 0, tzinfo=UTC))
    assert clock.now().date().isoformat() == '2028-02-29'


def test_an_instance_without_a_chosen_instant_runs_on_the_wall_clock() -> None:
    clock = clock_of(Settings(_env_file=None, mode='production'))  # type: ignore[call-arg]
    assert isinstance(clock, WallClock)
    first, second = clock.now(), clock.now()
    assert first.utcoffset() == timedelta(0) and first <= second < first + timedelta(seconds=5)  # aware UTC, runs on


def test_a_test_instance_with_a_chosen_instant_starts_there() -> None:
    clock = clock_of(Settings(_env_file=None, mode='test', now=START.isoformat()))  # type: ignore[call-arg]
    assert START <= clock.now() < START + timedelta(seconds=5)
