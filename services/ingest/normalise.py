"""Pure normalisation of parsed interval values into stored rows (SPEC §5, «Odd intervals in real files»).

Meters are resolved by serial or 80020 point code, each value is checked against its meter's profile length,
longer values are spread over profile intervals, and collisions settle on the later value in file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from models import ENERGY_CODES, ENERGY_NAMES, ESTIMATED
from services.ingest.formats import ImportRejected, IntervalValue

Row = tuple[int, int, int, int, int]  # meter_id, energy, start (epoch s UTC), wh, flags


@dataclass(frozen=True, slots=True)
class MeterRef:
    """What normalisation needs of a registry meter."""

    id: int
    serial: str
    profile_minutes: int


@dataclass
class Notes:
    """Warnings folded by kind: the first place and how many more, so a file of quirks gives a short report."""

    file: str
    _seen: dict[str, tuple[str, int]] = field(default_factory=dict)

    def add(self, kind: str, where: str) -> None:
        first, count = self._seen.get(kind, (where, 0))
        self._seen[kind] = (first, count + 1)

    def lines(self) -> list[str]:
        out = []
        for kind, (where, count) in self._seen.items():
            more = f' (and {count - 1} more like it)' if count > 1 else ''
            out.append(f'{self.file}: {where}: {kind}{more}')
        return out


def spread(wh: int, parts: int) -> list[int]:
    """W Wh over k intervals: W // k each, plus one Wh to each of the first W mod k (the sum stays exact)."""
    base, rest = divmod(wh, parts)
    return [base + 1 if n < rest else base for n in range(parts)]


def rejection(file: str, reason: str, value: IntervalValue) -> ImportRejected:
    """The rejection of `file` at the value's CSV line or XML element."""
    if value.line:
        return ImportRejected(file, reason, line=value.line)
    return ImportRejected(file, reason, element=value.where)


def where_text(value: IntervalValue) -> str:
    return f'line {value.line}' if value.line else f'element {value.where}'


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
            raise rejection(file, f'unknown meter {value.meter} (not in the registry)', value)
        return meter
    meter = by_point.get(value.point_code or '')
    if meter is None:
        reason = f'unknown measuring point {value.point_code} (no registry meter has this point_code)'
        raise rejection(file, reason, value)
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
            reason = (
                f'an interval of {length / 60:g} minutes is not a whole multiple of meter '
                f"{meter.serial}'s {meter.profile_minutes}-minute profile"
            )
            raise rejection(file, reason, value)
        if value.wh is None:
            continue
        energy = ENERGY_CODES[value.energy]
        if length == step:
            rows.append((meter.id, energy, start, value.wh, ESTIMATED if value.estimated else 0))
            continue
        spread_any = True
        parts = length // step
        notes.add(
            f'a value of {length // 60} minutes was spread over {parts} intervals of {meter.profile_minutes} '
            'minutes and marked estimated',
            where_text(value),
        )
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
            moment = datetime.fromtimestamp(row[2], UTC)
            where = f'{ENERGY_NAMES[row[1]]} at {moment:%Y-%m-%d %H:%M} UTC'
            notes.add('this interval got two values; the later one in the file is kept', where)
        kept[key] = row
    return list(kept.values())
