"""parse_file: detection, dispatch, in-file de-duplication and localised rejections."""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from services.ingest.formats import ImportRejected, parse_file

MOSCOW = ZoneInfo('Europe/Moscow')
HEADER = 'meter;obis;start;end;value;unit;status'


def test_each_format_is_dispatched_from_its_content() -> None:
    registry = parse_file('a.txt', b'account_number;address;meter_serial\n1;x;SN1\n', tz=MOSCOW)
    tariffs = parse_file(
        'b.txt', b'tariff_group;tariff_zones;zone;rub_per_kwh;valid_from\n;1;T1;5;2026-01-01\n', tz=MOSCOW
    )
    sample = Path(__file__).parents[2] / 'fixtures' / 'greenbutton' / '1dayLP_45Days.xml'
    green = parse_file('c.txt', sample.read_bytes(), tz=MOSCOW, meter='SN1')
    assert (registry.format, len(registry.registry)) == ('registry', 1)
    assert (tariffs.format, len(tariffs.tariffs)) == ('tariffs', 1)
    assert (green.format, len(green.intervals)) == ('greenbutton', 45)


def test_the_same_interval_twice_keeps_the_later_value_with_a_warning() -> None:
    data = '\n'.join((
        HEADER,
        'SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;1;kWh;',
        'SN1;1.29.0;2026-03-01T00:30:00Z;2026-03-01T01:00:00Z;5;kWh;',
        'SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;2;kWh;',
    )).encode()  # fmt: skip
    parsed = parse_file('d.csv', data, tz=MOSCOW)
    assert [(v.line, v.wh) for v in parsed.intervals] == [(3, 5000), (4, 2000)]  # line 2 replaced by line 4
    assert [str(w) for w in parsed.warnings] == [
        'd.csv: line 4: A+ at 2026-03-01 00:00 UTC again; this later value replaces the earlier one'
    ]


def test_a_later_missing_duplicate_does_not_erase_the_earlier_value() -> None:
    data = '\n'.join((
        HEADER,
        'SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;1;kWh;',
        'SN1;1.29.0;2026-03-01T00:00:00Z;2026-03-01T00:30:00Z;;kWh;missing',
    )).encode()  # fmt: skip
    parsed = parse_file('d.csv', data, tz=MOSCOW)
    assert [(v.line, v.wh) for v in parsed.intervals] == [(2, 1000)]
    assert [str(w) for w in parsed.warnings] == [
        'd.csv: line 3: A+ at 2026-03-01 00:00 UTC again but missing; the earlier value is kept'
    ]


def test_duplicated_registers_keep_the_later_reading() -> None:
    data = f'{HEADER}\nSN1;1.8.0;2026-03-01T00:00:00Z;;1;kWh;\nSN1;1.8.0;2026-03-01T00:00:00Z;;2;kWh;\n'.encode()
    assert [r.wh for r in parse_file('d.csv', data, tz=MOSCOW).registers] == [2000]


def test_a_rejection_reads_in_russian_with_the_russian_line_word() -> None:
    data = f'{HEADER}\nSN1;1.29.0;2026-03-01T01:00:00Z;2026-03-01T00:00:00Z;1;kWh;\n'.encode()
    with pytest.raises(ImportRejected) as caught:
        parse_file('d.csv', data, tz=MOSCOW)
    error = caught.value
    assert (error.file, error.line, error.element) == ('d.csv', 2, None)
    assert str(error).startswith('d.csv: line 2: ends before it starts')
    assert error.localized('ru').startswith('d.csv: строка 2: заканчивается раньше, чем начинается')


def test_garbage_is_rejected_with_a_clear_reason() -> None:
    with pytest.raises(ImportRejected, match=r'^g.dat: line 1: unrecognised content'):
        parse_file('g.dat', 'всякая всячина\n'.encode('cp1251'), tz=MOSCOW)
