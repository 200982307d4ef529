"""Plausible ranges of meter data (SPEC §6): a value outside them rejects its file at its line or element.

The parsers already refuse what cannot be a number or a time at all (too many digits, no UTC time); this
module refuses what can be read but cannot be true or cannot be stored:

- every time (interval start and end, register, instant value, event) within `Limits.earliest .. latest`
  (by default 1990-01-01 to now + 2 days: KABINET_IMPORT_EARLIEST, KABINET_IMPORT_AHEAD_DAYS);
- interval energy at most 1,000 kW over its length (500 kWh in half an hour) and at most what the interval
  column holds (INTEGER, 2,147,483,647 Wh); a register at most what a BIGINT holds; energy is never negative
  (the parsers refuse a minus sign);
- power -1,000..1,000 kW, voltage 0..1,000 V, current 0..1,000 A, relay state 0, 1 or 2, all finite;
- an event code 0..2,147,483,647 (INTEGER).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from operator import attrgetter

from services.core.messages import Reason
from services.ingest.formats.records import ImportRejected, InstantValue, IntervalValue, ParsedFile

MAX_INTERVAL_WH = 2**31 - 1  # interval_energy.wh is an INTEGER
MAX_REGISTER_WH = 2**63 - 1  # register_reading.wh is a BIGINT
MAX_EVENT_CODE = 2**31 - 1  # meter_event.code is an INTEGER
MAX_POWER_W = 1_000_000  # 1,000 kW: far above any connection of a household or a small business
# What 1,000 kW give in 15 minutes, the shortest profile: a file of smaller values needs no check per value
# (an interval shorter than a profile is rejected when stored).
QUICK_WH = MAX_POWER_W // 4
# What an instantaneous quantity may be: (lowest, highest) in W, V and A.
QUANTITY_RANGES = {
    'P': (-MAX_POWER_W, MAX_POWER_W),
    'U1': (0, 1000), 'U2': (0, 1000), 'U3': (0, 1000),
    'I1': (0, 1000), 'I2': (0, 1000), 'I3': (0, 1000),
}  # fmt: skip
RELAY_STATES = (0, 1, 2)
EARLIEST = date(1990, 1, 1)
AHEAD_DAYS = 2


@dataclass(frozen=True, slots=True)
class Limits:
    """The window of times a file may hold (aware UTC datetimes, both ends included)."""

    earliest: datetime
    latest: datetime

    @classmethod
    def around(cls, now: datetime, *, earliest: date = EARLIEST, ahead_days: int = AHEAD_DAYS) -> Limits:
        """From 00:00 UTC of `earliest` to `now` + `ahead_days` days."""
        first = datetime.combine(earliest, time(0), tzinfo=UTC)
        return cls(first, now.astimezone(UTC) + timedelta(days=ahead_days))


def check(parsed: ParsedFile, limits: Limits) -> None:
    """Raise ImportRejected at the first value of `parsed` outside the ranges above; registry and tariffs pass."""
    _intervals(parsed.file, parsed.intervals, limits)
    for register in parsed.registers:
        _within(parsed.file, register.at, limits, register.line)
        if register.wh is not None and register.wh > MAX_REGISTER_WH:
            reason = Reason('energy_too_large', wh=register.wh, limit=MAX_REGISTER_WH)
            raise ImportRejected(parsed.file, reason, line=register.line)
    for instant in parsed.instants:
        _within(parsed.file, instant.at, limits, instant.line)
        _instant(parsed.file, instant)
    for event in parsed.events:
        _within(parsed.file, event.at, limits, event.line)
        if not 0 <= event.code <= MAX_EVENT_CODE:
            reason = Reason('event_code_range', code=event.code, limit=MAX_EVENT_CODE)
            raise ImportRejected(parsed.file, reason, line=event.line)


def _intervals(file: str, values: list[IntervalValue], limits: Limits) -> None:
    """The earliest start, the latest end and the largest value decide, found at C speed: files have millions."""
    if not values:
        return
    first = min(values, key=attrgetter('start'))
    if first.start < limits.earliest:
        raise _at(file, first, outside_window(first.start, limits))
    last = max(values, key=attrgetter('end'))
    if last.end > limits.latest:
        raise _at(file, last, outside_window(last.end, limits))
    if max([value.wh for value in values if value.wh is not None], default=0) <= QUICK_WH:
        return
    for value in values:  # a big value somewhere: does it fit its own interval's length?
        if value.wh is not None:
            seconds = (value.end - value.start).total_seconds()
            limit = min(MAX_INTERVAL_WH, int(MAX_POWER_W * seconds / 3600))
            if value.wh > limit:
                raise _at(file, value, Reason('interval_energy_too_large', wh=value.wh, limit=limit))


def _instant(file: str, instant: InstantValue) -> None:
    if instant.quantity == 'relay':
        if instant.value not in RELAY_STATES:
            raise ImportRejected(file, Reason('relay_state_range', value=f'{instant.value:g}'), line=instant.line)
        return
    low, high = QUANTITY_RANGES[instant.quantity]
    if not (math.isfinite(instant.value) and low <= instant.value <= high):
        value, lowest, highest = (_in_units(instant.quantity, n) for n in (instant.value, low, high))
        reason = Reason('quantity_range', quantity=instant.quantity, value=value, low=lowest, high=highest)
        raise ImportRejected(file, reason, line=instant.line)


def _in_units(quantity: str, n: float) -> Reason:
    if quantity == 'P':
        return Reason('watts', n=f'{n:g}')
    if quantity.startswith('U'):
        return Reason('volts', n=f'{n:g}')
    return Reason('amperes', n=f'{n:g}')


def _within(file: str, moment: datetime, limits: Limits, line: int) -> None:
    if not limits.earliest <= moment <= limits.latest:
        raise ImportRejected(file, outside_window(moment, limits), line=line)


def outside_window(moment: datetime, limits: Limits) -> Reason:
    return Reason(
        'time_outside_window', at=_minute(moment), earliest=_minute(limits.earliest), latest=_minute(limits.latest)
    )


def _minute(moment: datetime) -> str:
    return f'{moment.year:04d}-{moment:%m-%d %H:%M}'  # %Y gives '1' for the year 1


def _at(file: str, value: IntervalValue, reason: Reason) -> ImportRejected:
    if value.line:
        return ImportRejected(file, reason, line=value.line)
    return ImportRejected(file, reason, element=value.where)
