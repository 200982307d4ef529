"""Meter data CSV keyed by OBIS code (SPEC 6.2)."""

from datetime import UTC, datetime

import pytest

from services.ingest.formats.obis_csv import parse_obis, parse_obis_csv
from services.ingest.formats.records import EventValue, ImportRejected, InstantValue, IntervalValue, RegisterValue

HEADER = 'meter;obis;start;end;value;unit;status'


def obis_csv(*rows: str, header: str = HEADER, encoding: str = 'utf-8', bom: bool = False) -> bytes:
    return (b'\xef\xbb\xbf' if bom else b'') + '\n'.join((header, *rows)).encode(encoding)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 2, 28, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize('text', ['1-0:1.29.0*255', '1-0:1.29.0', '1.0.1.29.0.255', '1.29.0'])
def test_every_obis_spelling_means_the_same_code(text: str) -> None:
    assert parse_obis(text) == (1, 0, 1, 29, 0, 255)


def test_the_short_form_of_an_event_code_is_abstract() -> None:
    assert parse_obis('96.11.4') == (0, 0, 96, 11, 4, 255)


def test_an_interval_in_kwh_with_an_offset_becomes_utc_wh() -> None:
    parsed = parse_obis_csv(
        'd.csv', obis_csv('SN1;1.0.1.29.0.255;2026-03-01T00:00:00+03:00;2026-03-01T00:30:00+03:00;0.25;kWh;')
    )
    # 00:00+03:00 is 21:00 UTC the day before; 0.25 kWh = 250 Wh
    assert parsed.intervals == [IntervalValue(2, 'line 2', 'SN1', None, 'A+', at(21), at(21, 30), 250, False, False)]


@pytest.mark.parametrize(
    ('value', 'unit', 'wh'),
    [
        ('0,25', 'кВт·ч', 250),  # decimal comma, Russian unit with a middle dot
        ('250', 'Втч', 250),
        ('250', 'wh', 250),
        ('0.0125', 'KWH', 13),  # 12.5 Wh rounds half up to 13
    ],
)
def test_active_energy_units_in_any_spelling_give_integer_wh(value: str, unit: str, wh: int) -> None:
    row = f'SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;{value};{unit};'
    assert parse_obis_csv('d.csv', obis_csv(row)).intervals[0].wh == wh


def test_reactive_energy_takes_varh_units_and_c_selects_the_energy_type() -> None:
    rows = [f'SN1;1.0.{c}.29.0.255;2026-03-01T00:00:00Z;2026-03-01T01:00:00Z;1,5;квар·ч;' for c in (3, 4)]
    assert [(v.energy, v.wh) for v in parse_obis_csv('d.csv', obis_csv(*rows)).intervals] == [
        ('R+', 1500),
        ('R-', 1500),
    ]


def test_a_comma_separated_windows_1251_file_with_bom_less_russian_units_parses() -> None:
    data = obis_csv(
        'SN1,1-0:2.29.0*255,2026-03-01T00:00:00Z,2026-03-01T00:30:00Z,"0,1",кВтч,estimated',
        header=HEADER.replace(';', ','),
        encoding='cp1251',
    )
    (value,) = parse_obis_csv('d.csv', data).intervals
    assert (value.energy, value.wh, value.estimated, value.missing) == ('A-', 100, True, False)


def test_a_utf8_bom_file_parses() -> None:
    data = obis_csv('SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;1;Wh;', bom=True)
    assert parse_obis_csv('d.csv', data).intervals[0].wh == 1


@pytest.mark.parametrize(('value', 'status'), [('', 'missing'), ('', ''), ('5', 'MISSING')])
def test_a_missing_status_or_an_empty_value_is_missing_without_wh(value: str, status: str) -> None:
    row = f'SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;{value};kWh;{status}'
    (interval,) = parse_obis_csv('d.csv', obis_csv(row)).intervals
    assert (interval.wh, interval.missing) == (None, True)


def test_a_zero_length_interval_is_dropped_with_a_warning() -> None:
    parsed = parse_obis_csv('d.csv', obis_csv('SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:00:00Z;1;kWh;'))
    assert parsed.intervals == []
    assert [str(w) for w in parsed.warnings] == ['d.csv: line 2: zero-length interval at 2026-03-01T00:00:00Z dropped']


def test_registers_instants_relay_and_events_land_in_their_lists() -> None:
    parsed = parse_obis_csv(
        'd.csv',
        obis_csv(
            'SN1;1.0.1.8.0.255;2026-03-01T03:00:00+03:00;;12345,678;kWh;',
            'SN1;1.8.2;2026-03-01T00:00:00Z;;100;Wh;estimated',
            'SN1;1.0.1.7.0.255;2026-03-01T00:00:00Z;;1,2;кВт;',
            'SN1;1.0.72.7.0.255;2026-03-01T00:00:00Z;;229.5;В;',
            'SN1;1.0.51.7.0.255;2026-03-01T00:00:00Z;;3.1;A;',
            'SN1;0.0.96.3.10.255;2026-03-01T00:00:00Z;;0;;',
            'SN1;0-0:96.11.4*255;2026-03-01T00:00:00Z;;1;;',
        ),
    )
    midnight = datetime(2026, 3, 1, tzinfo=UTC)
    assert parsed.registers == [
        RegisterValue(2, 'SN1', 'A+', 0, midnight, 12345678, False, False),  # 12345.678 kWh
        RegisterValue(3, 'SN1', 'A+', 2, midnight, 100, True, False),
    ]
    assert parsed.instants == [
        InstantValue(4, 'SN1', 'P', midnight, 1200.0),  # 1.2 kW
        InstantValue(5, 'SN1', 'U3', midnight, 229.5),
        InstantValue(6, 'SN1', 'I2', midnight, 3.1),
        InstantValue(7, 'SN1', 'relay', midnight, 0.0),
    ]
    assert parsed.events == [EventValue(8, 'SN1', midnight, 4, 1)]


def test_a_given_meter_fills_rows_without_one() -> None:
    data = obis_csv('1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;1;kWh', header='obis;start;end;value;unit')
    assert parse_obis_csv('d.csv', data, meter='SN9').intervals[0].meter == 'SN9'


@pytest.mark.parametrize(
    ('row', 'reason'),
    [
        ('SN1;1.29.0;2026-03-01T01:00:00Z;2026-03-01T00:30:00Z;1;kWh;', 'ends before it starts'),
        ('SN1;1.29.0;2026-03-01T00:00:00;2026-03-01T00:30:00Z;1;kWh;', "start '2026-03-01T00:00:00' has no UTC offset"),
        ('SN1;1.29.0;01.03.2026;2026-03-01T00:30:00Z;1;kWh;', "start '01.03.2026' is not an ISO 8601 timestamp"),
        ('SN1;1.29.0;2026-03-01T00:00:00Z;;1;kWh;', 'end is empty'),
        ('SN1;1.0.1.99.0.255;2026-03-01T00:00:00Z;;1;kWh;', 'unknown OBIS code 1.0.1.99.0.255'),
        ('SN1;1.29;2026-03-01T00:00:00Z;;1;kWh;', "OBIS code '1.29' is not written as"),
        ('SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;1;kvarh;', "unit 'kvarh' does not fit A+ energy"),
        ('SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;1;MJ;', "unit 'MJ' is unknown"),
        ('SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;one;kWh;', "value 'one' is not a number"),
        ('SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;-1;kWh;', "energy value '-1' is negative"),
        ('SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;1;kWh;guess', "status 'guess' is not one of"),
        (';1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;1;kWh;', 'meter is empty'),
        ('SN1;1.0.32.7.0.255;2026-03-01T00:00:00Z;;230;A;', "unit 'A' does not fit U1"),
        ('SN1;0.0.96.3.10.255;2026-03-01T00:00:00Z;;3;;', 'relay state must be 0, 1 or 2, not 3'),
        ('SN1;0.0.96.11.11.255;2026-03-01T00:00:00Z;;1;;', 'unknown SPODES journal 11'),
        ('SN1;0.0.96.11.4.255;2026-03-01T00:00:00Z;;1;V;', "unit 'V' given for a value without a unit"),
    ],
)
def test_a_bad_row_rejects_the_file_with_its_line_and_reason(row: str, reason: str) -> None:
    good = 'SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;1;kWh;'
    with pytest.raises(ImportRejected) as caught:
        parse_obis_csv('d.csv', obis_csv(good, row))
    assert str(caught.value).startswith(f'd.csv: line 3: {reason}')


def test_a_missing_obis_column_is_rejected_on_line_1() -> None:
    with pytest.raises(ImportRejected, match=r'^d.csv: line 1: missing required column\(s\): obis$'):
        parse_obis_csv('d.csv', obis_csv(header='meter;start;value'))
