"""Pure planning of set-based roll-ups: the interval spans and the periods that a refresh recomputes.

A span is a stretch of one meter's intervals in which the UTC offset is constant, so that SQL finds each
interval's local hour, minute and day with integer arithmetic: a run of plain days is one span, a day with a
clock change is one span per offset. Periods are the months, billing periods and years that hold the days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from models import Grain
from services.metering import periods

Key = tuple[int, int]  # meter_id, energy
Run = tuple[date, date]  # first and last local day, inclusive
# meter_id, energy, tariff_zones, lo, hi, shift (UTC offset s), day_start (None: by arithmetic), hour_lo
SpanRow = tuple[int, int, int, int, int, int, int | None, int]
# meter_id, energy, grain, lo, hi, source grain, life_lo, life_hi
PeriodRow = tuple[int, int, int, int, int, int, int | None, int | None]


@dataclass(frozen=True)
class MeterLife:
    """What the roll-ups need to know of a meter."""

    id: int
    tariff_zones: int
    profile_minutes: int
    reading_day: int  # the account's, else the utility's
    installed_on: date | None
    removed_on: date | None


def runs_of(days: Iterable[date]) -> list[Run]:
    """Consecutive days as (first, last) runs, in order."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


class Calendar:
    """Local days of one zone with their clock changes, computed once per day and shared by every meter."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._midnights: dict[date, int] = {}
        self._changes: dict[int, list[date]] = {}

    def midnight(self, day: date) -> int:
        found = self._midnights.get(day)
        if found is None:
            found = self._midnights[day] = periods.midnight(day, self.tz)
        return found

    def offset(self, instant: int) -> int:
        delta = datetime.fromtimestamp(instant, self.tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    def changes(self, first: date, last: date) -> list[date]:
        """Days of first..last that are not 24 plain hours from local 00:00 (clock changes)."""
        found: list[date] = []
        for year in range(first.year, last.year + 1):
            if year not in self._changes:
                self._changes[year] = [d for d in periods.days(date(year, 1, 1), date(year, 12, 31)) if self._odd(d)]
            found.extend(d for d in self._changes[year] if first <= d <= last)
        return found

    def _odd(self, day: date) -> bool:
        start, end = self.midnight(day), self.midnight(day + timedelta(days=1))
        offset = self.offset(start)
        return end - start != 86400 or self.offset(end - 1) != offset or (start + offset) % 86400 != 0

    def spans(self, run: Run) -> list[tuple[int, int, int, int | None, int]]:
        """(lo, hi, shift, day_start, hour_lo) of the days of `run`: plain stretches and clock-change days."""
        first, last = run
        out: list[tuple[int, int, int, int | None, int]] = []
        for change in self.changes(first, last):
            if first < change:
                out.append(self._plain(first, change - timedelta(days=1)))
            out.extend(self._change_day(change))
            first = change + timedelta(days=1)
        if first <= last:
            out.append(self._plain(first, last))
        return out

    def _plain(self, first: date, last: date) -> tuple[int, int, int, int | None, int]:
        lo = self.midnight(first)
        return lo, self.midnight(last + timedelta(days=1)), self.offset(lo), None, lo

    def _change_day(self, day: date) -> list[tuple[int, int, int, int | None, int]]:
        start, end = self.midnight(day), self.midnight(day + timedelta(days=1))
        before, after = self.offset(start), self.offset(end - 1)
        if before == after:
            return [(start, end, before, start, start - (start + before) % 3600)]
        lo, hi = start, end - 1  # the first instant of the new offset, by bisection
        while hi - lo > 1:
            middle = (lo + hi) // 2
            lo, hi = (middle, hi) if self.offset(middle) == before else (lo, middle)
        turn = hi
        return [
            (start, turn, before, start, start - (start + before) % 3600),
            (turn, end, after, start, turn - (turn + after) % 3600),
        ]


def span_rows(calendar: Calendar, meters: Mapping[int, MeterLife], runs: Mapping[Key, Sequence[Run]]) -> list[SpanRow]:
    """Every span of every (meter, energy) run, in key order."""
    rows: list[SpanRow] = []
    for (meter_id, energy), key_runs in sorted(runs.items()):
        zones = meters[meter_id].tariff_zones
        for run in key_runs:
            for lo, hi, shift, day_start, hour_lo in calendar.spans(run):
                rows.append((meter_id, energy, zones, lo, hi, shift, day_start, hour_lo))
    return rows


def period_rows(
    calendar: Calendar, meters: Mapping[int, MeterLife], runs: Mapping[Key, Sequence[Run]]
) -> tuple[list[PeriodRow], list[PeriodRow]]:
    """Months and billing periods (summed from days), then years and billing years (from those)."""
    tz = calendar.tz
    coarse: list[PeriodRow] = []
    years: list[PeriodRow] = []
    for (meter_id, energy), key_runs in sorted(runs.items()):
        meter = meters[meter_id]
        life_lo = calendar.midnight(meter.installed_on) if meter.installed_on else None
        life_hi = calendar.midnight(meter.removed_on) if meter.removed_on else None
        months: set[tuple[int, int]] = set()
        bills: set[tuple[int, int]] = set()
        for first, last in key_runs:
            months.update(periods.months(first, last))
            bills.update(_labels(periods.billing_label_of(first, meter.reading_day),
                                 periods.billing_label_of(last, meter.reading_day)))  # fmt: skip
        for y, m in sorted(months):
            span = periods.month_period(y, m, tz)
            coarse.append((meter_id, energy, int(Grain.month), span.start, span.end, int(Grain.day), life_lo, life_hi))
        for y, m in sorted(bills):
            span = periods.billing_period(y, m, meter.reading_day, tz)
            coarse.append(
                (meter_id, energy, int(Grain.billing), span.start, span.end, int(Grain.day), life_lo, life_hi)
            )
        for year in sorted({y for y, _ in months}):
            span = periods.year_period(year, tz)
            years.append((meter_id, energy, int(Grain.year), span.start, span.end, int(Grain.month), None, None))
        for year in sorted({y for y, _ in bills}):
            span = periods.billing_year_period(year, meter.reading_day, tz)
            years.append(
                (meter_id, energy, int(Grain.billing_year), span.start, span.end, int(Grain.billing), None, None)
            )
    return coarse, years


def _labels(first: tuple[int, int], last: tuple[int, int]) -> Iterable[tuple[int, int]]:
    return periods.months(date(first[0], first[1], 1), date(last[0], last[1], 1))


def zone_case(minute: str, tariff_zones: Iterable[int], by_minute: Mapping[int, Sequence[int]]) -> str:
    """A SQL CASE giving the tariff zone of a local `minute` of the day for the meter's `tariff_zones` column."""
    branches = []
    for zones in sorted(set(tariff_zones)):
        table = by_minute[zones]
        edges = [m for m in range(1, 1440) if table[m] != table[m - 1]]
        if not edges:
            branches.append(f'WHEN {zones} THEN {table[0]}')
            continue
        inner = ' '.join(f'WHEN {minute} < {edge} THEN {table[edge - 1]}' for edge in edges)
        branches.append(f'WHEN {zones} THEN CASE {inner} ELSE {table[1439]} END')
    return f'CASE s.tariff_zones {" ".join(branches)} ELSE 1 END' if branches else '1'
