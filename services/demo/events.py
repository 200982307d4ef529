"""Meter events of the demo meters: outages, voltage dips, clock corrections, one tamper, one clock fault."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from models import Meter, MeterEvent
from services.metering import spodes

POWER_OFF, POWER_ON = (2, 1), (2, 2)
REMOTE_OFF = (2, 3)
DIP_START, DIP_END = (0, 19), (0, 20)
SURGE_START, SURGE_END = (0, 13), (0, 14)
CLOCK_CORRECTED = (13, 1)
MAGNET_START, MAGNET_END = (4, 1), (4, 2)
RTC_ERROR, RTC_OK = (7, 5), (7, 6)
LINK_DOWN, LINK_UP = (5, 1), (5, 2)


def demo_events(*, meters: dict[str, Meter], rng: random.Random, now: datetime, tz: ZoneInfo) -> list[MeterEvent]:
    """Two years of journal entries for the demo resident's meters (each meter only within its life)."""
    events: list[MeterEvent] = []
    for role, meter in meters.items():
        first = now - timedelta(days=730)
        if meter.installed_on:
            first = max(
                first, datetime(meter.installed_on.year, meter.installed_on.month, meter.installed_on.day, tzinfo=tz)
            )
        last = now
        if meter.removed_on:
            last = datetime(meter.removed_on.year, meter.removed_on.month, meter.removed_on.day, tzinfo=tz)
        events += _routine(meter, rng, first, last)
        if role == 'house':
            start = now - timedelta(days=97, hours=5)
            events += _pair(meter, MAGNET_START, MAGNET_END, start, timedelta(minutes=42))
        if role == 'flat':
            start = now - timedelta(days=63, hours=2)
            events += _pair(meter, RTC_ERROR, RTC_OK, start, timedelta(hours=3, minutes=10))
        if role == 'bath':
            events.append(
                _event(
                    meter,
                    REMOTE_OFF,
                    now - timedelta(days=5, hours=3),
                    note='Отключение по заявке абонента: дом не используется зимой',
                )
            )
    return sorted(events, key=lambda e: e.at)


def _routine(meter: Meter, rng: random.Random, first: datetime, last: datetime) -> list[MeterEvent]:
    episodes: list[Episode] = []
    events: list[MeterEvent] = []
    day = first
    while day < last:
        month_end = min(day + timedelta(days=30), last)
        span = (month_end - day).total_seconds()

        def at() -> datetime:
            return day + timedelta(seconds=rng.uniform(0, span))  # noqa: B023 (used within this month's step)

        for _ in range(rng.randint(1, 4)):  # a few outages a month, minutes to hours
            episodes.append((POWER_OFF, POWER_ON, at(), timedelta(minutes=rng.choice([3, 12, 35, 90, 240]))))
        if rng.random() < 0.5:
            episodes.append((DIP_START, DIP_END, at(), timedelta(seconds=rng.randint(2, 50))))
        if rng.random() < 0.15:
            episodes.append((SURGE_START, SURGE_END, at(), timedelta(minutes=rng.randint(1, 25))))
        if rng.random() < 0.25:
            episodes.append((LINK_DOWN, LINK_UP, at(), timedelta(hours=rng.randint(1, 20))))
        events.append(
            _event(
                meter,
                CLOCK_CORRECTED,
                day + timedelta(days=rng.randint(0, 27), hours=3),
                note=f'Поправка {rng.choice([-4, -3, -2, 2, 3, 5])} с',
            )
        )
        day = month_end
    for start_kind, end_kind, start, length in _apart(episodes, last):
        events += _pair(meter, start_kind, end_kind, start, length)
    return [e for e in events if e.at < last]


Episode = tuple[tuple[int, int], tuple[int, int], datetime, timedelta]
GAP = timedelta(minutes=1)  # between the end of one episode and the start of the next of its kind


def _apart(episodes: list[Episode], last: datetime) -> list[Episode]:
    """Episodes of one kind never overlap and each ends before `last`: every start has its own end."""
    kept: list[Episode] = []
    ends: dict[tuple[int, int], datetime] = {}
    for episode in sorted(episodes, key=lambda e: e[2]):
        start_kind, _end_kind, start, length = episode
        previous_end = ends.get(start_kind)
        if (previous_end is not None and start < previous_end) or start + length >= last:
            continue
        kept.append(episode)
        ends[start_kind] = (start + length).replace(microsecond=0) + GAP
    return kept


def _pair(
    meter: Meter, start_kind: tuple[int, int], end_kind: tuple[int, int], start: datetime, length: timedelta
) -> list[MeterEvent]:
    return [_event(meter, start_kind, start), _event(meter, end_kind, start + length)]


def _event(meter: Meter, kind: tuple[int, int], at: datetime, note: str = '') -> MeterEvent:
    journal, code = kind
    at = at.replace(microsecond=0)
    return MeterEvent(
        meter_id=meter.id or 0,
        at=at,
        journal=journal,
        code=code,
        severity=spodes.severity(journal, code),
        note=note,
        imported_at=at,
    )
