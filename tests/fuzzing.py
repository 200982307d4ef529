"""Valid seed files of every import format and the mutations that break them, for the property tests
(tests/unit/importers/test_parser_properties.py) and the longer `make fuzz` run (tests/fuzz.py).

A mutation is plain data — (operation, position, token) — so that hypothesis can shrink it and a crash found
by the fuzz run can be replayed; `outcome` says what a parser made of a file: records, a rejection, or a crash.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from services.ingest.formats import ImportRejected, IntervalValue, Limits, ParsedFile, parse_file
from services.ingest.formats.greenbutton import parse_greenbutton, stream_greenbutton
from services.ingest.formats.limits import MAX_INTERVAL_WH, MAX_REGISTER_WH
from services.ingest.formats.obis_csv import Interval, parse_obis_csv, stream_obis_csv
from services.ingest.formats.text import NotStreamable
from services.ingest.formats.xml80020 import parse_xml80020, stream_xml80020

NOW = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)
LIMITS = Limits.around(NOW)
MSK = ZoneInfo('Europe/Moscow')

OBIS = b"""meter;obis;start;end;value;unit;status
HOST-1;1-0:1.29.0*255;2026-03-01T00:00:00+03:00;2026-03-01T00:30:00+03:00;0,125;kWh;
HOST-1;1.0.1.29.0.255;2026-03-01T00:30:00+03:00;2026-03-01T01:30:00+03:00;250;Wh;estimated
HOST-1;1.0.3.29.0.255;2026-03-01T00:00:00+03:00;2026-03-01T00:30:00+03:00;0,031;kvarh;
HOST-1;1.0.1.29.0.255;2026-03-01T01:30:00+03:00;2026-03-01T02:00:00+03:00;;kWh;missing
HOST-1;1.0.1.8.0.255;2026-03-01T00:00:00+03:00;;12345,678;kWh;
HOST-1;1.0.1.8.2.255;2026-03-01T00:00:00+03:00;;4567;kWh;
HOST-1;1.0.1.7.0.255;2026-03-01T12:00:00+03:00;;1,5;kW;
HOST-1;1.0.32.7.0.255;2026-03-01T12:00:00+03:00;;229,5;V;
HOST-1;1.0.31.7.0.255;2026-03-01T12:00:00+03:00;;4,2;A;
HOST-1;0.0.96.3.10.255;2026-03-01T12:00:00+03:00;;1;;
HOST-1;0.0.96.11.4.255;2026-03-01T12:05:00+03:00;;1;;
"""

XML80020 = """<?xml version="1.0" encoding="UTF-8"?>
<message class="80020" version="2" number="1"><datetime><timestamp>20260302010000</timestamp>
<daylightsavingtime>0</daylightsavingtime><day>20260301</day></datetime>
<sender><inn>7700000000</inn><name>ЭСО</name></sender><area><inn>7700000000</inn><name>Посёлок</name>
<measuringpoint code="690000000000001" name="Кв. 1"><measuringchannel code="01" desc="A+">
<period start="0000" end="0030"><value status="0">0.125</value></period>
<period start="0030" end="0100"><value status="1"></value></period>
<period start="2330" end="0000"><value>1,5</value></period>
</measuringchannel><measuringchannel code="03"><period start="0000" end="0100"><value>0.2</value></period>
</measuringchannel></measuringpoint></area></message>
""".encode()

GREENBUTTON = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom">
 <entry><link rel="self" href="http://x/RT/1"/><content><ReadingType xmlns="http://naesb.org/espi">
   <flowDirection> 1 </flowDirection><powerOfTenMultiplier>-3</powerOfTenMultiplier>
   <intervalLength>1800</intervalLength>
   <uom>72</uom></ReadingType></content><published>yesterday-ish</published></entry>
 <entry><link rel="self" href="http://x/UP/1/MR/1/IB/1"/><link rel="up" href="http://x/UP/1/MR/1/IB"/>
   <content><IntervalBlock xmlns="http://naesb.org/espi">
   <IntervalReading><timePeriod><duration>1800</duration><start>1772312400</start></timePeriod><value>125000</value>
   </IntervalReading><IntervalReading><timePeriod><start>1772314200</start></timePeriod><value>250000</value>
   <ReadingQuality><quality>8</quality></ReadingQuality></IntervalReading></IntervalBlock></content></entry>
 <entry><link rel="self" href="http://x/UP/1/MR/1"/><link rel="up" href="http://x/UP/1/MR"/>
   <link rel="related" href="http://x/UP/1/MR/1/IB"/><link rel="related" href="http://x/RT/1"/>
   <content><MeterReading xmlns="http://naesb.org/espi"/></content></entry>
 <entry><link rel="self" href="http://x/UP/1"/><link rel="related" href="http://x/UP/1/MR"/><title>HOST-1</title>
   <content><UsagePoint xmlns="http://naesb.org/espi"><ServiceCategory><kind>0</kind></ServiceCategory>
   </UsagePoint></content></entry>
</feed>
"""

REGISTRY = """account_number;address;holder_name;meter_serial;meter_model;phases;tariff_zones;profile_minutes;\
installed_on;verified_on;verification_interval_years;point_code;reading_day;removed_on;replaced_by;tariff_group
7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;HOST-1;Милур 107;1;2;30;2026-01-01;2025-12-01;16;690000000000001;25;;;город
7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;OLD-1;;3;1;60;01.05.2014;;;;;2026-01-01;HOST-1;город
""".encode()

TARIFFS = b"""tariff_group;tariff_zones;zone;rub_per_kwh;valid_from
;1;T1;5,62;2026-01-01
;2;T2;3.12;01.07.2026
"""

SEEDS: dict[str, tuple[str, bytes]] = {
    'obis_csv': ('data.csv', OBIS),
    'xml80020': ('day.xml', XML80020),
    'greenbutton': ('usage.xml', GREENBUTTON),
    'registry': ('registry.csv', REGISTRY),
    'tariffs': ('rates.csv', TARIFFS),
}

TOKENS: tuple[bytes, ...] = (
    b'9' * 40, b'1' * 25, b'1' * 5000, b'1e999999999', b'1e-999999999', b'1e300', b'1e400', b'-1e30', b'-1', b'-0',
    b'NaN', b'inf', b'-inf', b'0001', b'9999', b'99991231', b'00010101', b'253402300800', b'-62135596801',
    b'2147483648', b'9223372036854775808', b'18446744073709551616', b'0', b'', b' ', b';', b',', b'.', b'"', b"'",
    b'\n', b'\r\n', b'\r', b'<', b'>', b'/>', b'&amp;', b'&#0;', b'&#xD800;', b'<!DOCTYPE x>', b'<![CDATA[1]]>',
    b'\x00', b'\xff', b'\x98', b'\xef\xbb\xbf', b'\xd0', b'+03:00', b'-03:00', b'Z', b'T', b'24', b'2400', b'0000',
    b'2360', b'1.0.1.29.0.255', b'0.0.96.11.0.255', b'0.0.96.11.255.255', b'1.0.32.7.0.255', b'0.0.96.3.10.255',
    b'1.0.1.8.9.255', b'kWh', b'Wh', b'V', b'A', b'kW', b'missing', b'estimated', b'summer="1"', b'status="1"',
    b'<value>', b'</value>', b'<period start="0000" end="0000">', b'0.0', b'1,5,5', b'1 000,5', '\u00a0'.encode(),
    b'1_000', b'\xd9\xa3', b'\xef\xbc\x91', b'\xc2\xb2',
)  # fmt: skip
OPERATIONS = ('set_byte', 'insert', 'delete', 'number', 'duplicate', 'truncate', 'swap_lines')


@dataclass(frozen=True, slots=True)
class Mutation:
    operation: str  # one of OPERATIONS
    position: int  # taken modulo the length it applies to
    token: int  # index into TOKENS, or a byte value, or a length


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    """`data` with each mutation applied in turn."""
    for mutation in mutations:
        data = _apply(data, mutation)
    return data


def _apply(data: bytes, m: Mutation) -> bytes:
    size = max(len(data), 1)
    at = m.position % size
    token = TOKENS[m.token % len(TOKENS)]
    if m.operation == 'set_byte':
        return data[:at] + bytes([m.token % 256]) + data[at + 1 :]
    if m.operation == 'insert':
        return data[:at] + token + data[at:]
    if m.operation == 'delete':
        return data[:at] + data[at + 1 + m.token % 64 :]
    if m.operation == 'duplicate':
        return data[:at] + data[at : at + 1 + m.token % 200] + data[at:]
    if m.operation == 'truncate':
        return data[:at]
    if m.operation == 'swap_lines':
        lines = data.split(b'\n')
        first, second = m.position % len(lines), m.token % len(lines)
        lines[first], lines[second] = lines[second], lines[first]
        return b'\n'.join(lines)
    return _replace_number(data, m.position, token)


def _replace_number(data: bytes, which: int, token: bytes) -> bytes:
    """The `which`-th run of digits (modulo their count) replaced by `token`: extreme values where numbers are."""
    runs: list[tuple[int, int]] = []
    start = -1
    for index, byte in enumerate(data):
        digit = 48 <= byte <= 57
        if digit and start < 0:
            start = index
        elif not digit and start >= 0:
            runs.append((start, index))
            start = -1
    if start >= 0:
        runs.append((start, len(data)))
    if not runs:
        return data
    first, end = runs[which % len(runs)]
    return data[:first] + token + data[end:]


def random_mutations(rng: random.Random, count: int) -> list[Mutation]:
    return [Mutation(rng.choice(OPERATIONS), rng.randrange(1 << 20), rng.randrange(1 << 16)) for _ in range(count)]


class Crash(AssertionError):
    """A parser ended in something else than records or ImportRejected, or returned what cannot be stored."""


def outcome(name: str, data: bytes, *, meter: str | None = None) -> ParsedFile | ImportRejected:
    """What the importers make of a file: its records (all of them storable) or its rejection; Crash otherwise."""
    try:
        parsed = parse_file(name, data, tz=MSK, meter=meter, limits=LIMITS)
    except ImportRejected as rejected:
        if not str(rejected).startswith(f'{name}: '):
            raise Crash(f'a rejection that does not name its file: {rejected}') from rejected
        if len(str(rejected)) > 400:  # a 5,000-character field is quoted clipped, never whole
            raise Crash(f'a rejection of {len(str(rejected))} characters: {str(rejected)[:300]}') from rejected
        return rejected
    except Exception as error:
        raise Crash(f'{type(error).__name__}: {error}') from error
    _storable(parsed)
    if parsed.format == 'obis_csv':
        _streams_alike(name, data, meter)
    elif parsed.format == 'xml80020':
        _80020_streams_alike(name, data)
    elif parsed.format == 'greenbutton':
        _feed_streams_alike(name, data, meter)
    return parsed


def _feed_streams_alike(name: str, data: bytes, meter: str | None) -> None:
    """The streaming Green Button parser gives what parse_greenbutton gives, or says it cannot (NotStreamable)."""
    _xml_streams_alike(
        'Green Button',
        parse_greenbutton(name, data, meter=meter),
        lambda into: stream_greenbutton(name, data, meter=meter, into=into, size=3),
        lambda value: value.meter,
    )


def _80020_streams_alike(name: str, data: bytes) -> None:
    """The streaming 80020 parser gives what parse_xml80020 gives, or says it cannot (NotStreamable)."""
    _xml_streams_alike(
        '80020',
        parse_xml80020(name, data, tz=MSK),
        lambda into: stream_xml80020(name, data, tz=MSK, into=into),
        lambda value: value.point_code,
    )


def _xml_streams_alike(
    what: str,
    whole: ParsedFile,
    stream: Callable[[ParsedFile], Iterator[list[Interval]]],
    name_of: Callable[[IntervalValue], str | None],
) -> None:
    streamed = ParsedFile(file=whole.file, format=whole.format)
    try:
        values = [value for block in stream(streamed) for value in block]
    except NotStreamable:
        return
    except Exception as error:
        why = f'{type(error).__name__}: {error}'
        raise Crash(f'the streaming {what} parser failed where the whole-document one did not: {why}') from error
    expected = [
        (v.where, name_of(v), v.energy, int(v.start.timestamp()), int(v.end.timestamp()), v.wh, v.estimated)
        for v in whole.intervals
    ]
    if values != expected or streamed.warnings != whole.warnings:
        raise Crash(f'the streaming {what} parser gives other records than the whole-document one')


def _streams_alike(name: str, data: bytes, meter: str | None) -> None:
    """The streaming OBIS parser gives what parse_obis_csv gives, or says it cannot (NotStreamable)."""
    whole = parse_obis_csv(name, data, meter=meter)
    streamed = ParsedFile(file=name, format='obis_csv')
    try:
        values = [value for block in stream_obis_csv(name, data, meter=meter, into=streamed, size=3) for value in block]
    except NotStreamable:
        return
    except Exception as error:
        raise Crash(
            f'the streaming parser failed where parse_obis_csv did not: {type(error).__name__}: {error}'
        ) from error
    expected = [
        (v.line, v.meter, v.energy, int(v.start.timestamp()), int(v.end.timestamp()), v.wh, v.estimated)
        for v in whole.intervals
    ]
    others = (streamed.registers, streamed.instants, streamed.events, streamed.warnings)
    if values != expected or others != (whole.registers, whole.instants, whole.events, whole.warnings):
        raise Crash('the streaming parser gives other records than parse_obis_csv')


def _storable(parsed: ParsedFile) -> None:
    """What a parser returns fits the plausible ranges and the columns: a storage step cannot overflow on it."""
    for value in parsed.intervals:
        if not (LIMITS.earliest <= value.start < value.end <= LIMITS.latest):
            raise Crash(f'an interval outside the window: {value}')
        if value.wh is not None and not 0 <= value.wh <= MAX_INTERVAL_WH:
            raise Crash(f'interval energy out of range: {value}')
    for register in parsed.registers:
        if register.wh is not None and not 0 <= register.wh <= MAX_REGISTER_WH:
            raise Crash(f'register out of range: {register}')
    moments = [r.at for r in parsed.registers] + [v.at for v in parsed.instants] + [e.at for e in parsed.events]
    if any(not LIMITS.earliest <= moment <= LIMITS.latest for moment in moments):
        raise Crash('a time outside the window')
