"""Local-time periods of the utility's zone: days, months, years, billing periods, tariff zones (SPEC §5).

Pure functions over plain values. Instants are epoch seconds (UTC); days are `date`s of the utility's zone;
a period is a half-open [start, end) pair of epoch seconds.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_SCHEDULE: dict[int, tuple[tuple[int, int, int], ...]] = {
    # tariff zones -> (start minute, end minute, zone) of the household zones of Russia, local time
    1: ((0, 1440, 1),),
    2: ((0, 420, 2), (420, 1380, 1), (1380, 1440, 2)),
    3: ((0, 420, 2), (420, 600, 1), (600, 1020, 3), (1020, 1260, 1), (1260, 1380, 3), (1380, 1440, 2)),
}


@dataclass(frozen=True)
class Period:
    label: str  # '2026-03-01T13:00', '2026-03-01', '2026-03', '2026'
    start: int  # epoch seconds, UTC
    end: int

    def local_start(self, tz: ZoneInfo) -> datetime:
        return datetime.fromtimestamp(self.start, tz)

    def local_end(self, tz: ZoneInfo) -> datetime:
        return datetime.fromtimestamp(self.end, tz)


@lru_cache(maxsize=8192)  # every chart asks for the same days again: a zone conversion is the costly part
def midnight(day: date, tz: ZoneInfo) -> int:
    """Epoch seconds of local 00:00 of `day` (a zone that skips midnight gets the first instant after it)."""
    local = datetime(day.year, day.month, day.day, tzinfo=tz)
    instant = int(local.timestamp())
    # A nonexistent local midnight (a spring-forward at 00:00) maps past the gap, which is what a day means.
    return instant


def local_day(instant: int, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(instant, tz).date()


def day_period(day: date, tz: ZoneInfo) -> Period:
    return Period(day.isoformat(), midnight(day, tz), midnight(day + timedelta(days=1), tz))


def month_period(year: int, month: int, tz: ZoneInfo) -> Period:
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    return Period(f'{year:04d}-{month:02d}', midnight(date(year, month, 1), tz), midnight(date(ny, nm, 1), tz))


def year_period(year: int, tz: ZoneInfo) -> Period:
    return Period(f'{year:04d}', midnight(date(year, 1, 1), tz), midnight(date(year + 1, 1, 1), tz))


def billing_end_day(year: int, month: int, reading_day: int) -> date:
    """The first day after the billing period labelled year-month: the day after the reading day, clamped."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(reading_day, last)) + timedelta(days=1)


def billing_bounds(year: int, month: int, reading_day: int) -> tuple[date, date]:
    """First day and the first day after the billing period labelled year-month (local dates)."""
    py, pm = (year - 1, 12) if month == 1 else (year, month - 1)
    return billing_end_day(py, pm, reading_day), billing_end_day(year, month, reading_day)


def billing_period(year: int, month: int, reading_day: int, tz: ZoneInfo) -> Period:
    first, after = billing_bounds(year, month, reading_day)
    return Period(f'{year:04d}-{month:02d}', midnight(first, tz), midnight(after, tz))


def billing_label_of(day: date, reading_day: int) -> tuple[int, int]:
    """The (year, month) label of the billing period that holds local `day`."""
    if day < billing_end_day(day.year, day.month, reading_day):
        return day.year, day.month
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def billing_year_period(year: int, reading_day: int, tz: ZoneInfo) -> Period:
    first, _ = billing_bounds(year, 1, reading_day)
    _, after = billing_bounds(year, 12, reading_day)
    return Period(f'{year:04d}', midnight(first, tz), midnight(after, tz))


@lru_cache(maxsize=2048)  # a chart's «always on» insight reads the hours of the last two weeks every time
def hours_of_day(day: date, tz: ZoneInfo) -> tuple[Period, ...]:
    """Every local hour of `day`: 23 or 25 on clock-change days; a repeated hour keeps its label."""
    span = day_period(day, tz)
    hours: list[Period] = []
    instant = span.start
    while instant < span.end:
        local = datetime.fromtimestamp(instant, tz)
        start = int(local.replace(minute=0, second=0).timestamp()) if local.minute or local.second else instant
        end = min(start + 3600, span.end)
        hours.append(Period(local.strftime('%Y-%m-%dT%H:00'), start, end))
        instant = end
    return tuple(hours)


def days(first: date, last: date) -> Iterator[date]:
    """Every date from `first` to `last`, inclusive."""
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def months(first: date, last: date) -> Iterator[tuple[int, int]]:
    """Every (year, month) from that of `first` to that of `last`, inclusive."""
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


class ZoneClock:
    """Tariff zone and local day of instants for one meter's tariff, fast on days without a clock change."""

    def __init__(
        self, tz: ZoneInfo, tariff_zones: int, schedule: dict[int, Sequence[tuple[int, int, int]]] | None = None
    ) -> None:
        self.tz = tz
        spans = (schedule or DEFAULT_SCHEDULE).get(tariff_zones) or DEFAULT_SCHEDULE[1]
        self.by_minute = _minute_table(spans)
        # The zone of each local hour when no zone boundary falls inside an hour (the household zones), else None.
        hour_zones = [self.by_minute[hour * 60] for hour in range(24)]
        uniform = all(self.by_minute[minute] == hour_zones[minute // 60] for minute in range(1440))
        self.hour_zones: list[int] | None = hour_zones if uniform else None
        self._days: dict[date, tuple[int, int, bool, int]] = {}

    def day_info(self, day: date) -> tuple[int, int, bool, int]:
        """(start, end, has a clock change, UTC offset seconds at start) of local `day`."""
        info = self._days.get(day)
        if info is None:
            start, end = midnight(day, self.tz), midnight(day + timedelta(days=1), self.tz)
            offset = _offset(start, self.tz)
            info = (start, end, end - start != 86400 or _offset(end - 1, self.tz) != offset, offset)
            self._days[day] = info
        return info

    def zone(self, instant: int) -> int:
        """The tariff zone (1..3) of the interval that starts at `instant`: by its local start minute."""
        local = datetime.fromtimestamp(instant, self.tz)
        return self.by_minute[local.hour * 60 + local.minute]

    def zone_in_day(self, instant: int, day_start: int, offset: int, has_change: bool) -> int:
        if has_change:
            return self.zone(instant)
        return self.by_minute[((instant - day_start) // 60 + start_minute(day_start, offset)) % 1440]


def start_minute(day_start: int, offset: int) -> int:
    """The local minute of the day at which a local day starts (0, unless the clock skipped midnight)."""
    # local midnight is normally minute 0; a zone whose clock skipped midnight starts later in the day
    return ((day_start + offset) // 60) % 1440


def _offset(instant: int, tz: ZoneInfo) -> int:
    delta = datetime.fromtimestamp(instant, tz).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def _minute_table(spans: Sequence[tuple[int, int, int]]) -> list[int]:
    table = [1] * 1440
    for start, end, zone in spans:
        for minute in range(start, end):
            table[minute] = zone
    return table


def to_utc(instant: int) -> datetime:
    return datetime.fromtimestamp(instant, UTC)


def iso_local(instant: int, tz: ZoneInfo) -> str:
    """'2026-03-01T00:00:00+03:00' for an instant, in the utility's zone."""
    return datetime.fromtimestamp(instant, tz).isoformat()
