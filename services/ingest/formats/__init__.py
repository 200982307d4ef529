"""Pure parsers of the import formats (SPEC 6): bytes in, plain records out, ImportRejected on any error.

The parsers check everything that needs no database. The storage layer still has to check meters against
the registry, reject intervals that are not whole multiples of a meter's profile, and spread long values.

De-duplication: within one file, the same meter (or 80020 point), energy type and interval start twice keeps
the later value in file order, and likewise for a register (meter, energy, zone, time); `parse_file` does
this and lists each drop as a warning. A later *missing* value does not replace an earlier real one, as a
missing row never erases stored data (SPEC 5). The storage layer must still settle collisions that appear
only after spreading long values over profile intervals.
"""

from __future__ import annotations

from typing import TypeVar
from zoneinfo import ZoneInfo

from services.core.messages import Reason
from services.ingest.formats.detect import detect_format
from services.ingest.formats.greenbutton import parse_greenbutton
from services.ingest.formats.limits import Limits, check
from services.ingest.formats.obis_csv import parse_obis_csv
from services.ingest.formats.records import (
    ENERGY,
    EventValue,
    ImportRejected,
    InstantValue,
    IntervalValue,
    Notice,
    ParsedFile,
    RegisterValue,
    RegistryRow,
    TariffRateRow,
)
from services.ingest.formats.registry_csv import parse_registry
from services.ingest.formats.tariff_csv import parse_tariffs
from services.ingest.formats.xml80020 import parse_xml80020

__all__ = [
    'ENERGY',
    'EventValue',
    'ImportRejected',
    'InstantValue',
    'IntervalValue',
    'Limits',
    'Notice',
    'ParsedFile',
    'RegisterValue',
    'RegistryRow',
    'TariffRateRow',
    'check',
    'detect_format',
    'keep_later_registers',
    'parse_file',
]


def parse_file(
    file_name: str, data: bytes, *, tz: ZoneInfo, meter: str | None = None, limits: Limits | None = None
) -> ParsedFile:
    """Recognise the format from the content and parse it; times in UTC, energy in Wh; raises ImportRejected.

    `tz` is the utility's zone for 80020 wall-clock times; `meter` names the meter of a Green Button feed
    (overriding its UsagePoint title) and fills empty meter cells of an OBIS CSV. With `limits`, meter data
    outside the plausible ranges (services.ingest.formats.limits) rejects the file too.
    """
    format_name = detect_format(data, file_name)
    if format_name == 'registry':
        return parse_registry(file_name, data)
    if format_name == 'tariffs':
        return parse_tariffs(file_name, data)
    if format_name == 'obis_csv':
        parsed = parse_obis_csv(file_name, data, meter=meter)
    elif format_name == 'xml80020':
        parsed = parse_xml80020(file_name, data, tz=tz)
    else:
        parsed = parse_greenbutton(file_name, data, meter=meter)
    if limits is not None:
        check(parsed, limits)
    _keep_later(parsed)
    return parsed


_Value = TypeVar('_Value', IntervalValue, RegisterValue)


def _keep_later(parsed: ParsedFile) -> None:
    """Drop earlier duplicates of an interval or register value in place, with a warning for each."""
    intervals: dict[tuple[object, ...], IntervalValue] = {}
    duplicated = False
    for value in parsed.intervals:  # millions of values: the common case stays inline
        key: tuple[object, ...] = (value.meter, value.point_code, value.energy, value.start)
        if key in intervals:
            duplicated = True
            _offer(intervals, key, value, parsed)
        else:
            intervals[key] = value
    if duplicated:
        parsed.intervals = list(intervals.values())
    keep_later_registers(parsed)


def keep_later_registers(parsed: ParsedFile) -> None:
    """`_keep_later` of the registers alone: the earlier of two readings of one key goes, with a warning."""
    registers: dict[tuple[object, ...], RegisterValue] = {}
    for register in parsed.registers:
        _offer(registers, (register.meter, register.energy, register.zone, register.at), register, parsed)
    parsed.registers = list(registers.values())


def _again(file: str, value: IntervalValue | RegisterValue, *, kept_earlier: bool) -> Notice:
    """The warning of a value given again; written only for duplicates (files have millions of values)."""
    if isinstance(value, RegisterValue):
        at = f'{value.at:%Y-%m-%d %H:%M}'
        again = Reason(
            'register_again_missing' if kept_earlier else 'register_again', energy=value.energy, zone=value.zone, at=at
        )
        return Notice(file, again, line=value.line)
    reason = Reason(
        'interval_again_missing' if kept_earlier else 'interval_again',
        energy=value.energy,
        at=f'{value.start:%Y-%m-%d %H:%M}',
    )
    return Notice(file, reason, line=value.line) if value.line else Notice(file, reason, element=value.where)


def _offer(kept: dict[tuple[object, ...], _Value], key: tuple[object, ...], value: _Value, parsed: ParsedFile) -> None:
    earlier = kept.get(key)
    if earlier is None:
        kept[key] = value
    elif value.missing and not earlier.missing:
        parsed.warnings.append(_again(parsed.file, value, kept_earlier=True))
    else:
        del kept[key]  # re-insert so that the kept value sits at its later position in file order
        kept[key] = value
        parsed.warnings.append(_again(parsed.file, value, kept_earlier=False))
