"""Pure normalisation of parsed interval values into stored rows (SPEC §5, «Odd intervals in real files»).

Meters are resolved by serial or 80020 point code, each value is checked against its meter's profile length,
longer values are spread over profile intervals, and collisions settle on the later value in file order.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from operator import attrgetter
from zoneinfo import ZoneInfo

from models import ENERGY_CODES, ENERGY_NAMES, ESTIMATED
from services.core.messages import Reason
from services.ingest.formats import ImportRejected, IntervalValue, Notice
from services.ingest.formats.text import clip
from services.metering import periods

Row = tuple[int, int, int, int, int]  # meter_id, energy, start (epoch s UTC), wh, flags


@dataclass(frozen=True, slots=True)
class MeterRef:
    """What normalisation needs of a registry meter."""

    id: int
    serial: str
    profile_minutes: int


@dataclass
class Notes:
    """Warnings folded by kind: the first one and how many more, so a file of quirks gives a short report."""

    file: str
    _seen: dict[Hashable, tuple[Notice, int]] = field(default_factory=dict)

    def add(self, reason: Reason, value: IntervalValue | None = None, *, kind: Hashable = None) -> None:
        """Note `reason` at the value's line or element; notes of one kind (by default one reason) fold together."""
        key = reason if kind is None else kind
        seen = self._seen.get(key)
        if seen is None:
            self._seen[key] = (_located(self.file, reason, value), 1)
        else:
            self._seen[key] = (seen[0], seen[1] + 1)

    def notices(self) -> list[Notice]:
        """In the order first noted, except that collisions of spread shares come last: the whole file is spread
        before any collision is settled, while a stream settles them chunk by chunk — both report alike."""
        folded = sorted(self._seen.items(), key=lambda item: item[0] == 'spread_collision')
        return [replace(first, more=count - 1) for _, (first, count) in folded]


def spread(wh: int, parts: int) -> list[int]:
    """W Wh over k intervals: W // k each, plus one Wh to each of the first W mod k (the sum stays exact)."""
    base, rest = divmod(wh, parts)
    return [base + 1 if n < rest else base for n in range(parts)]


def rejection(file: str, reason: Reason, value: IntervalValue) -> ImportRejected:
    """The rejection of `file` at the value's CSV line or XML element."""
    if value.line:
        return ImportRejected(file, reason, line=value.line)
    return ImportRejected(file, reason, element=value.where)


def _located(file: str, reason: Reason, value: IntervalValue | None) -> Notice:
    if value is None:
        return Notice(file, reason)
    return Notice(file, reason, line=value.line) if value.line else Notice(file, reason, element=value.where)


def resolve(
    file: str,
    value: IntervalValue,
    by_serial: Mapping[str, MeterRef],
    by_point: Mapping[str, MeterRef],
) -> MeterRef:
    """The value's meter; an unknown serial or point code rejects the file at the value's line or element."""
    if value.meter is not None:
        meter = by_serial.get(value.meter)
        if meter is None:
            raise rejection(file, Reason('unknown_meter', serial=clip(value.meter)), value)
        return meter
    meter = by_point.get(value.point_code or '')
    if meter is None:
        raise rejection(file, Reason('unknown_point', code=clip(str(value.point_code))), value)
    return meter


def normalise(
    file: str,
    values: Iterable[IntervalValue],
    by_serial: Mapping[str, MeterRef],
    by_point: Mapping[str, MeterRef],
    notes: Notes,
) -> list[Row]:
    """Stored rows sorted by primary key; missing values store nothing (they never erase a stored value)."""
    return Normaliser(file, by_serial, by_point, notes).rows(values)


class Normaliser:
    """`normalise` for a file read in chunks: the meters and the epoch seconds of each time are looked up once.

    Timestamps repeat across meters (every meter has the same half hours), so converting each distinct
    datetime once removes most of the per-row work of a big file.
    """

    def __init__(
        self, file: str, by_serial: Mapping[str, MeterRef], by_point: Mapping[str, MeterRef], notes: Notes
    ) -> None:
        self.file, self.by_serial, self.by_point, self.notes = file, by_serial, by_point, notes
        self.seconds: dict[datetime, int] = {}

    def rows(self, values: Iterable[IntervalValue]) -> list[Row]:
        """The stored rows of `values`, sorted by primary key, collisions of spread shares settled."""
        rows: list[Row] = []
        append = rows.append
        seconds = self.seconds
        codes = ENERGY_CODES
        spread_any = False
        meter = MeterRef(0, '', 0)
        meter_id, step = 0, 0
        for value in values:
            if value.meter is None or value.meter != meter.serial:  # files list one meter's values in a row
                meter = resolve(self.file, value, self.by_serial, self.by_point)
                meter_id, step = meter.id, meter.profile_minutes * 60
            start = seconds.get(value.start)
            if start is None:
                start = seconds[value.start] = int(value.start.timestamp())
            end = seconds.get(value.end)
            if end is None:
                end = seconds[value.end] = int(value.end.timestamp())
            if end - start == step:
                if value.wh is not None:
                    append((meter_id, codes[value.energy], start, value.wh, ESTIMATED if value.estimated else 0))
                continue
            spread_any = self._spread(value, meter, start, end - start, rows) or spread_any
        if spread_any:  # the parser made (meter, energy, start) unique; spread shares may land on other values
            rows = _later_wins(rows, self.notes)
        rows.sort()  # primary-key order: B-tree inserts in order are several times faster
        return rows

    def _spread(self, value: IntervalValue, meter: MeterRef, start: int, length: int, rows: list[Row]) -> bool:
        """A value longer than the profile spread over its intervals; False for a missing one."""
        step = meter.profile_minutes * 60
        if length <= 0 or length % step:
            minutes = f'{length / 60:g}'
            reason = Reason('not_whole_profile', minutes=minutes, serial=meter.serial, profile=meter.profile_minutes)
            raise rejection(self.file, reason, value)
        if value.wh is None:
            return False
        energy = ENERGY_CODES[value.energy]
        parts = length // step
        self.notes.add(Reason('spread', minutes=length // 60, parts=parts, profile=meter.profile_minutes), value)
        rows.extend(
            (meter.id, energy, start + n * step, part, ESTIMATED) for n, part in enumerate(spread(value.wh, parts))
        )
        return True


def chunks(values: Sequence[IntervalValue], size: int) -> list[tuple[int, int]]:
    """[a, b) bounds of slices of about `size` values that never split one meter's values.

    Spread shares can only collide within one meter, so each slice settles its own collisions. A file that
    lists a meter's values in more than one place (time-major) is one slice, as the later value in file
    order must win with its warning.
    """
    bounds: list[tuple[int, int]] = []
    seen: set[tuple[str | None, str | None]] = set()
    first = last = 0
    for key, group in groupby(values, key=_meter_of):
        if key in seen:
            return [(0, len(values))]
        seen.add(key)
        last += sum(1 for _ in group)
        if last - first >= size:
            bounds.append((first, last))
            first = last
    if last > first:
        bounds.append((first, last))
    return bounds


_meter_of = attrgetter('meter', 'point_code')


def touched_days(rows: Sequence[Row], tz: ZoneInfo) -> dict[tuple[int, int], set[date]]:
    """Local days per (meter, energy) of rows sorted by key: one bisection per day, not one step per row."""
    touched: dict[tuple[int, int], set[date]] = {}
    n = 0
    while n < len(rows):
        meter_id, energy, start = rows[n][0], rows[n][1], rows[n][2]
        day = periods.local_day(start, tz)
        touched.setdefault((meter_id, energy), set()).add(day)
        # the first row of the next local day, or of the next meter/energy
        n = bisect.bisect_left(rows, (meter_id, energy, periods.midnight(day + timedelta(days=1), tz)), lo=n + 1)
    return touched


def _later_wins(rows: list[Row], notes: Notes) -> list[Row]:
    """One row per interval, the later in file order, when spread shares landed on intervals given again."""
    kept: dict[tuple[int, ...], Row] = {}
    for row in rows:
        key = row[:3]
        if key in kept:
            at = f'{datetime.fromtimestamp(row[2], UTC):%Y-%m-%d %H:%M}'
            notes.add(Reason('spread_collision', energy=ENERGY_NAMES[row[1]], at=at), kind='spread_collision')
        kept[key] = row
    return list(kept.values())
