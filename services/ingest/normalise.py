"""Pure normalisation of parsed interval values into stored rows (SPEC §5, «Odd intervals in real files»).

Meters are resolved by serial or 80020 point code, each value is checked against its meter's profile length,
longer values are spread over profile intervals, and collisions settle on the later value in file order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from models import ENERGY_CODES, ENERGY_NAMES, ESTIMATED
from services.core.messages import Reason
from services.ingest.formats import ImportRejected, IntervalValue, Notice
from services.ingest.formats.text import clip

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
        return [replace(first, more=count - 1) for first, count in self._seen.values()]


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
    rows: list[Row] = []
    spread_any = False
    meter = MeterRef(0, '', 0)
    for value in values:
        if value.meter is None or value.meter != meter.serial:  # files list one meter's values in a row
            meter = resolve(file, value, by_serial, by_point)
        start = int(value.start.timestamp())
        length = int(value.end.timestamp()) - start
        step = meter.profile_minutes * 60
        if length != step and (length <= 0 or length % step):
            minutes = f'{length / 60:g}'
            reason = Reason('not_whole_profile', minutes=minutes, serial=meter.serial, profile=meter.profile_minutes)
            raise rejection(file, reason, value)
        if value.wh is None:
            continue
        energy = ENERGY_CODES[value.energy]
        if length == step:
            rows.append((meter.id, energy, start, value.wh, ESTIMATED if value.estimated else 0))
            continue
        spread_any = True
        parts = length // step
        notes.add(Reason('spread', minutes=length // 60, parts=parts, profile=meter.profile_minutes), value)
        rows.extend(
            (meter.id, energy, start + n * step, part, ESTIMATED) for n, part in enumerate(spread(value.wh, parts))
        )
    if spread_any:  # the parser made (meter, energy, start) unique; spread shares may land on other values
        rows = _later_wins(rows, notes)
    rows.sort()  # primary-key order: B-tree inserts in order are several times faster
    return rows


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
