"""Meter data CSV keyed by OBIS code (SPEC 6.2): interval energy, registers, instant values, relay, events."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from itertools import islice

from services.core.messages import Reason
from services.ingest.formats.detect import csv_format
from services.ingest.formats.records import (
    ENERGY,
    EventValue,
    ImportRejected,
    InstantValue,
    IntervalValue,
    Notice,
    ParsedFile,
    RegisterValue,
)
from services.ingest.formats.text import (
    BadValue,
    Content,
    CsvRow,
    NotStreamable,
    check_header,
    clip,
    contains,
    fast_wh,
    first_line,
    iter_quoted,
    parse_decimal,
    parse_int,
    parse_timestamp,
    read_rows,
    sniff_delimiter,
    text_blocks,
    text_to_wh,
    to_wh,
)
from services.metering import spodes

Record = IntervalValue | RegisterValue | InstantValue | EventValue

# Unit spellings after lower-casing and dropping '·', '.', spaces: name -> (quantity kind, power of ten to base).
_UNITS = {
    'kwh': ('active', 3), 'квтч': ('active', 3), 'wh': ('active', 0), 'втч': ('active', 0),
    'kvarh': ('reactive', 3), 'кварч': ('reactive', 3), 'varh': ('reactive', 0), 'варч': ('reactive', 0),
    'kw': ('power', 3), 'квт': ('power', 3), 'w': ('power', 0), 'вт': ('power', 0),
    'v': ('voltage', 0), 'в': ('voltage', 0), 'a': ('current', 0), 'а': ('current', 0),
}  # fmt: skip
_INSTANTS = {1: ('P', 'power'), 32: ('U1', 'voltage'), 52: ('U2', 'voltage'), 72: ('U3', 'voltage'),
             31: ('I1', 'current'), 51: ('I2', 'current'), 71: ('I3', 'current')}  # fmt: skip
_STATUSES = {'': 'ok', 'ok': 'ok', 'estimated': 'estimated', 'missing': 'missing'}
# OBIS value groups are 0..255: at most three digits each (a 5,000-digit group is not a code).
_IEC_OBIS = re.compile(r'(\d{1,3})-(\d{1,3}):(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:[*.&](\d{1,3}))?')
_DOTTED_OBIS = re.compile(r'\d{1,3}(?:\.\d{1,3}){2,5}')


def parse_obis_csv(file: str, data: bytes, *, meter: str | None = None) -> ParsedFile:
    """Every row in file order; `meter` only fills rows whose meter cell is empty or absent."""
    required = ('obis', 'start', 'value') if meter else ('meter', 'obis', 'start', 'value')
    header, records = read_rows(file, data, required=required)
    index = {name: position for position, name in enumerate(header) if name}
    parsed = ParsedFile(file=file, format='obis_csv')
    fast = _FastPath(tuple(index.get(name, -1) for name in _FAST_COLUMNS), meter)
    for line, fields in records:
        value = fast.interval(line, fields)
        if value is not None:
            parsed.intervals.append(value)
            continue
        record = _read(file, CsvRow(line, fields, index), meter)
        if isinstance(record, Reason):
            parsed.warnings.append(Notice(file, record, line=line))
        elif isinstance(record, IntervalValue):
            parsed.intervals.append(record)
        elif isinstance(record, RegisterValue):
            parsed.registers.append(record)
        elif isinstance(record, InstantValue):
            parsed.instants.append(record)
        else:
            parsed.events.append(record)
    return parsed


# An interval value as a streaming parser gives it: (place, meter, energy, start, end, wh, estimated), times in
# whole epoch seconds (UTC), wh None for a missing value. The place is the CSV line, or the element path of
# XML (where the meter is the 80020 point code). A tuple costs a fifth of an IntervalValue.
Interval = tuple[int | str, str, str, int, int, int | None, bool]


def stream_obis_csv(  # noqa: PLR0915 - one loop over millions of rows, its caches in local names
    file: str, data: Content, *, meter: str | None = None, into: ParsedFile, size: int = 8192
) -> Iterator[list[Interval]]:
    """`parse_obis_csv` a block of at most `size` interval values at a time, in file order.

    Registers, instant values, events and the parser's warnings go into `into` (they are few); interval values
    are yielded as `Interval` tuples. Errors are ImportRejected as in `parse_obis_csv` but raised when their
    line is reached, so a caller that must name the first error of the whole file re-reads it with
    `parse_obis_csv` (the pipeline does). NotStreamable for a time with fractions of a second, and for a
    header of another format (a file on disk is told from its opening, decoded before the encoding of the
    whole file is known).
    """
    required = ('obis', 'start', 'value') if meter else ('meter', 'obis', 'start', 'value')
    header_line = first_line(text_blocks(file, data))[1]
    if csv_format(header_line) != 'obis_csv':
        raise NotStreamable(file)
    delimiter = sniff_delimiter(header_line)
    header: tuple[str, ...] | None = None
    width, fast_width = 0, 1  # no fast path before the header
    index: dict[str, int] = {}
    p_meter = p_obis = p_start = p_end = p_value = p_unit = p_status = -1
    kinds: dict[tuple[str, str], tuple[str, int] | None] = {}
    stamps: dict[str, int | None] = {}
    values: dict[int, dict[str, int | None]] = {0: {}, 3: {}}
    meters: dict[str, str] = {'': meter or ''}
    last_obis = last_unit = None
    kind: tuple[str, int] | None = None
    block: list[Interval] = []
    append = block.append
    for records in _record_blocks(file, data, delimiter, size):
        for number, fields in records:
            count = len(fields)
            if fast_width <= count <= width:  # the common row: interval energy with a plain value (as _FastPath)
                status = fields[p_status] if p_status >= 0 else ''
                if not status or (status := status.strip().lower()) in _FAST_STATUSES:
                    obis, unit = fields[p_obis], fields[p_unit]
                    if obis != last_obis or unit != last_unit:
                        key = (obis.strip(), unit.strip())
                        kind = kinds[key] if key in kinds else kinds.setdefault(key, _energy_and_power(*key))
                        last_obis, last_unit = obis, unit
                    cell = fields[p_start]
                    try:
                        start = stamps[cell]
                    except KeyError:
                        start = stamps[cell] = _seconds(cell)
                    cell = fields[p_end]
                    try:
                        end = stamps[cell]
                    except KeyError:
                        end = stamps[cell] = _seconds(cell)
                    cell = fields[p_meter] if p_meter >= 0 else ''
                    try:
                        name = meters[cell]
                    except KeyError:
                        name = meters[cell] = cell.strip() or meter or ''
                    if kind is not None and start is not None and end is not None and end > start and name:
                        cell = fields[p_value]
                        known = values[kind[1]]
                        try:
                            wh = known[cell]
                        except KeyError:
                            wh = known[cell] = fast_wh(cell.strip(), kind[1])
                        if wh is not None:
                            append((number, name, kind[0], start, end, wh, status == 'estimated'))
                            continue
            # csv.reader gives [] for a blank line of a quoted file: no first cell to look at
            if header is not None and 0 < count <= width and (fields[0].strip() or ''.join(fields).strip()):
                value = _slow_row(file, number, fields, index, meter, into)
                if value is not None:
                    append(value)
                continue
            if not ''.join(fields).strip():
                continue
            if header is None:
                header = tuple(cell.strip().lstrip('\ufeff').lower() for cell in fields)
                check_header(file, number, header, required)
                width = len(header)
                index = {name: position for position, name in enumerate(header) if name}
                positions = tuple(index.get(name, -1) for name in _FAST_COLUMNS)
                p_meter, p_obis, p_start, p_end, p_value, p_unit, p_status = positions
                usable = min(positions[:6]) >= 0 or bool(meter and min(positions[1:6]) >= 0)
                fast_width = max(positions) + 1 if usable else width + 1  # wider than any row: no fast path
                continue
            raise ImportRejected(file, Reason('field_count', n=count, width=width), line=number)
        if block:  # at most `size` records were read: no count per row
            yield block
            block = []
            append = block.append
    if header is None:
        raise ImportRejected(file, Reason('empty_file'), line=1)


def _record_blocks(file: str, data: Content, delimiter: str, size: int) -> Iterator[Iterable[tuple[int, list[str]]]]:
    """(line, raw cells) of every record, at most `size` records at a time; the text is never whole."""
    if contains(data, b'"'):  # a quote byte is a quote in UTF-8 and windows-1251 alike
        records = iter_quoted(text_blocks(file, data), delimiter)
        while quoted := list(islice(records, size)):
            yield quoted
        return
    number = 1  # without quotes a record is a line split at the delimiter: several times faster than csv.reader
    for text in text_blocks(file, data):
        lines = text.splitlines()
        for first in range(0, len(lines), size):
            part = lines[first : first + size] if len(lines) > size else lines
            yield enumerate([line.split(delimiter) for line in part], number + first)
        number += len(lines)


def _seconds(text: str) -> int | None:
    """Whole epoch seconds of a timestamp cell, None when the fast path cannot take it."""
    try:
        moment = parse_timestamp(text.strip())
    except BadValue:
        return None
    return None if moment.microsecond else int(moment.timestamp())


def _read(file: str, row: CsvRow, meter: str | None) -> Record | Reason:
    """The record of a row (`_record`); a bad value rejects the file, naming the row's line."""
    try:
        return _record(row, meter)
    except BadValue as error:
        raise ImportRejected(file, error.reason, line=row.line) from None


def _slow_row(
    file: str, number: int, fields: list[str], index: dict[str, int], meter: str | None, into: ParsedFile
) -> Interval | None:
    """Any row the fast path does not take, read by `_record`: an interval comes back, the rest goes `into`."""
    record = _read(file, CsvRow(number, fields, index), meter)
    if isinstance(record, Reason):
        into.warnings.append(Notice(file, record, line=number))
    elif isinstance(record, IntervalValue):
        if record.start.microsecond or record.end.microsecond:
            raise NotStreamable(file)
        start, end = int(record.start.timestamp()), int(record.end.timestamp())
        return (number, record.meter or '', record.energy, start, end, record.wh, record.estimated)
    elif isinstance(record, RegisterValue):
        into.registers.append(record)
    elif isinstance(record, InstantValue):
        into.instants.append(record)
    else:
        into.events.append(record)
    return None


_FAST_COLUMNS = ('meter', 'obis', 'start', 'end', 'value', 'unit', 'status')
_FAST_STATUSES = frozenset({'', 'ok', 'estimated'})
_KIND_OF = {'A+': 'active', 'A-': 'active', 'R+': 'reactive', 'R-': 'reactive'}


class _FastPath:
    """The common row — interval energy with a plain value — read with per-file caches; None for any other row.

    A year of half hours of a few hundred meters is millions of rows, so this decides the import speed. Any
    row it does not fully understand goes through `_record`, which gives the precise error or warning.
    """

    def __init__(self, positions: tuple[int, ...], default_meter: str | None) -> None:
        self.positions = positions
        self.usable = min(positions[:6]) >= 0 or bool(default_meter and min(positions[1:6]) >= 0)
        self.width = max(positions) + 1
        self.default_meter = default_meter
        self.kinds: dict[tuple[str, str], tuple[str, int] | None] = {}  # (obis, unit) -> (energy, power of ten)
        self.stamps: dict[str, datetime | None] = {}
        # Wh of each value text, per power of ten of its unit: meters repeat the same few thousand readings.
        self.values: dict[int, dict[str, int | None]] = {0: {}, 3: {}}

    def interval(self, line: int, fields: list[str]) -> IntervalValue | None:
        if not self.usable or len(fields) < self.width:
            return None
        p_meter, p_obis, p_start, p_end, p_value, p_unit, p_status = self.positions
        status = fields[p_status] if p_status >= 0 else ''
        if status and (status := status.strip().lower()) not in _FAST_STATUSES:
            return None
        key = (fields[p_obis].strip(), fields[p_unit].strip())
        kind = self.kinds[key] if key in self.kinds else self.kinds.setdefault(key, _energy_and_power(*key))
        start, end = self._stamp(fields[p_start].strip()), self._stamp(fields[p_end].strip())
        meter = (fields[p_meter].strip() if p_meter >= 0 else '') or self.default_meter
        if kind is None or start is None or end is None or end <= start or not meter:
            return None
        text = fields[p_value]
        values = self.values[kind[1]]
        wh = values.get(text)
        if wh is None:
            wh = values.setdefault(text, fast_wh(text.strip(), kind[1]))
            if wh is None:
                return None
        return IntervalValue(line, f'line {line}', meter, None, kind[0], start, end, wh, status == 'estimated', False)

    def _stamp(self, text: str) -> datetime | None:
        if text in self.stamps:
            return self.stamps[text]
        try:
            moment: datetime | None = parse_timestamp(text)
        except BadValue:
            moment = None
        self.stamps[text] = moment
        return moment


def _energy_and_power(obis: str, unit: str) -> tuple[str, int] | None:
    """(energy type, power of ten to Wh) of an interval-energy code with a fitting unit, else None."""
    try:
        energy = _interval_energy(obis)
        kind, power_of_ten = _unit_of(unit)
    except BadValue:
        return None
    return (energy, power_of_ten) if energy is not None and kind == _KIND_OF[energy] else None


@lru_cache(maxsize=1024)
def _interval_energy(text: str) -> str | None:
    """The energy type of an interval-energy OBIS code (1.0.C.29.0.255), None for any other code."""
    a, b, c, d, e, f = parse_obis(text)
    if (a, b, d, e, f) == (1, 0, 29, 0, 255) and 1 <= c <= 4:
        return ENERGY[c - 1]
    return None


@lru_cache(maxsize=1024)  # a file uses a handful of codes on every row
def parse_obis(text: str) -> tuple[int, int, int, int, int, int]:
    """A-B:C.D.E*F, A.B.C.D.E.F or the short C.D.E (A = 1, or 0 for the abstract C = 96) as six numbers."""
    cleaned = text.strip()
    if match := _IEC_OBIS.fullmatch(cleaned):
        a, b, c, d, e = (int(part) for part in match.groups()[:5])
        return a, b, c, d, e, int(match[6] or 255)
    if _DOTTED_OBIS.fullmatch(cleaned):
        parts = [int(part) for part in cleaned.split('.')]
        if len(parts) == 3:
            c, d, e = parts
            return (0 if c == 96 else 1), 0, c, d, e, 255
        if len(parts) in (5, 6):
            a, b, c, d, e, *rest = parts
            return a, b, c, d, e, rest[0] if rest else 255
    raise BadValue(Reason('obis_format', code=clip(text)))


def _record(row: CsvRow, default_meter: str | None) -> Record | Reason:
    """The row's record, or the warning when the row carries nothing to store."""
    meter = row.get('meter') or default_meter
    if not meter:
        raise BadValue(Reason('empty', column='meter'))
    a, b, c, d, e, f = obis = parse_obis(row.get('obis'))
    if not row.get('start'):
        raise BadValue(Reason('empty', column='start'))
    start = parse_timestamp(row.get('start'), 'start')
    status = _STATUSES.get(row.get('status').lower())
    if status is None:
        raise BadValue(Reason('unknown_status', status=clip(row.get('status'))))
    if (a, b, f) == (1, 0, 255) and 1 <= c <= 4 and (d, e) == (29, 0):
        return _interval(row, meter, ENERGY[c - 1], start, status)
    if (a, b, f) == (1, 0, 255) and 1 <= c <= 4 and d == 8 and 0 <= e <= 4:
        wh = _energy_wh(row, ENERGY[c - 1], status)
        return RegisterValue(row.line, meter, ENERGY[c - 1], e, start, wh, status == 'estimated', wh is None)
    if (a, b, d, e, f) == (1, 0, 7, 0, 255) and c in _INSTANTS:
        return _instant(row, meter, c, start, status)
    if (a, b, c, d, e, f) == (0, 0, 96, 3, 10, 255):
        return _relay(row, meter, start, status)
    if (a, b, c, d, f) == (0, 0, 96, 11, 255):
        return _event(row, meter, start, journal=e)
    raise BadValue(Reason('unknown_obis', code='.'.join(map(str, obis))))


def _interval(row: CsvRow, meter: str, energy: str, start: datetime, status: str) -> IntervalValue | Reason:
    if not row.get('end'):
        raise BadValue(Reason('end_empty'))
    end = parse_timestamp(row.get('end'), 'end')
    if end < start:
        raise BadValue(Reason('ends_before_start_at', end=clip(row.get('end')), start=clip(row.get('start'))))
    wh = _energy_wh(row, energy, status)
    if end == start:
        return Reason('zero_length_interval', start=clip(row.get('start')))
    where = f'line {row.line}'
    return IntervalValue(row.line, where, meter, None, energy, start, end, wh, status == 'estimated', wh is None)


def _energy_wh(row: CsvRow, energy: str, status: str) -> int | None:
    """Integer Wh (varh), or None for a missing value; the unit must suit the energy type."""
    kind, power_of_ten = _unit(row)
    expected = 'active' if energy.startswith('A') else 'reactive'
    if kind != expected:
        raise BadValue(Reason('unit_energy', unit=clip(row.get('unit')), energy=energy, units=_example_units(expected)))
    text = row.get('value')
    if status == 'missing' or not text:
        return None
    if not text.startswith('-'):
        return text_to_wh(text, power_of_ten)
    amount = parse_decimal(text)
    if amount < 0:
        raise BadValue(Reason('negative', what=Reason('energy_value'), value=text))
    return to_wh(amount, power_of_ten)


def _instant(row: CsvRow, meter: str, c: int, start: datetime, status: str) -> InstantValue | Reason:
    quantity, expected = _INSTANTS[c]
    kind, power_of_ten = _unit(row)
    if kind != expected:
        raise BadValue(
            Reason('unit_quantity', unit=clip(row.get('unit')), quantity=quantity, units=_example_units(expected))
        )
    if status == 'missing' or not row.get('value'):
        return Reason('quantity_without_value', quantity=quantity)
    value = parse_decimal(row.get('value')).scaleb(power_of_ten)
    return InstantValue(row.line, meter, quantity, start, float(value))


def _relay(row: CsvRow, meter: str, start: datetime, status: str) -> InstantValue | Reason:
    _no_unit(row)
    if status == 'missing' or not row.get('value'):
        return Reason('relay_without_value')
    state = parse_int(row.get('value'), Reason('relay_state'))
    if state not in (0, 1, 2):
        raise BadValue(Reason('relay_state_range', value=state))
    return InstantValue(row.line, meter, 'relay', start, float(state))


def _event(row: CsvRow, meter: str, start: datetime, *, journal: int) -> EventValue:
    _no_unit(row)
    if journal not in spodes.JOURNALS:
        raise BadValue(Reason('unknown_journal', journal=journal))
    code = parse_int(row.get('value'), Reason('event_code'))
    if code < 0:
        raise BadValue(Reason('negative_event_code', code=code))
    return EventValue(row.line, meter, start, journal, code)


def _unit(row: CsvRow) -> tuple[str, int]:
    return _unit_of(row.get('unit'))


@lru_cache(maxsize=256)
def _unit_of(text: str) -> tuple[str, int]:
    key = re.sub(r'[\s·⋅.*]', '', text).lower()
    if key not in _UNITS:
        raise BadValue(Reason('unit_unknown', unit=clip(text)) if text else Reason('empty', column='unit'))
    return _UNITS[key]


def _no_unit(row: CsvRow) -> None:
    if row.get('unit'):
        raise BadValue(Reason('unit_not_wanted', unit=clip(row.get('unit'))))


def _example_units(kind: str) -> str:
    return ', '.join(name for name, (unit_kind, _) in _UNITS.items() if unit_kind == kind and name.isascii())
