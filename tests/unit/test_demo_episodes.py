"""The demo's meter events pair up: each «Выключение питания» has its «Включение», never two starts in a row."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from models import Meter
from services.demo.events import demo_events
from services.metering import spodes

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize('seed', range(12))
def test_every_demo_episode_that_starts_also_ends_before_the_next_of_its_kind_starts(seed: int) -> None:
    meters = {
        role: Meter(id=n, serial=str(n), model='Нева', installed_on=date(2024, 1, 1))
        for n, role in enumerate(('house', 'flat', 'garage'), start=1)
    }
    events = demo_events(meters=meters, rng=random.Random(seed), now=NOW, tz=ZoneInfo('Europe/Moscow'))
    assert sum(1 for e in events if (e.journal, e.code) == (2, 1)) > 24  # outages every month of two years
    open_starts: set[tuple[int, int, int]] = set()
    for event in events:
        end = spodes.episode_end_code(event.journal, event.code)
        if end is not None:
            key = (event.meter_id, event.journal, end)
            assert key not in open_starts, f'two starts without an end: {event.journal}/{event.code} at {event.at}'
            open_starts.add(key)
        elif spodes.is_episode_end(event.journal, event.code):
            key = (event.meter_id, event.journal, event.code)
            assert key in open_starts, f'an end without a start: {event.journal}/{event.code} at {event.at}'
            open_starts.remove(key)
    assert not open_starts
