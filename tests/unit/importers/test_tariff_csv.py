"""Tariff rates CSV (SPEC 6.5)."""

from datetime import date
from decimal import Decimal

import pytest

from services.ingest.formats.records import ImportRejected, TariffRateRow
from services.ingest.formats.tariff_csv import parse_tariffs

HEADER = 'tariff_group;tariff_zones;zone;rub_per_kwh;valid_from'


def tariffs(*rows: str) -> bytes:
    return '\n'.join((HEADER, *rows)).encode()


def test_rates_keep_decimal_rubles_an_empty_default_group_and_both_date_styles() -> None:
    parsed = parse_tariffs('t.csv', tariffs(';2;T2;3,12;2026-07-01', 'село;1;Т1;5.5;01.01.2026'))
    assert parsed.tariffs == [
        TariffRateRow(2, '', 2, 'T2', Decimal('3.12'), date(2026, 7, 1)),
        TariffRateRow(3, 'село', 1, 'T1', Decimal('5.5'), date(2026, 1, 1)),  # Cyrillic Т1 read as T1
    ]


@pytest.mark.parametrize(
    ('row', 'reason'),
    [
        (';2;T3;3.12;2026-07-01', "zone 'T3' must be one of T1, T2 for 2 zone(s)"),
        (';4;T1;3.12;2026-07-01', 'tariff_zones must be 1, 2 or 3, not 4'),
        (';1;T1;abc;2026-07-01', "rub_per_kwh 'abc' is not a number"),
        (';1;T1;-1;2026-07-01', 'the rate must be above zero, e.g. 5.62'),
        (';1;T1;0;2026-07-01', 'the rate must be above zero, e.g. 5.62'),
        (';1;T1;0,00;2026-07-01', 'the rate must be above zero, e.g. 5.62'),
        (';1;T1;5,62345;2026-07-01', 'at most four digits after the decimal point'),
        (';1;T1;100000;2026-07-01', 'the rate must be below 100000 RUB per kWh'),
        (f'{"г" * 65};1;T1;5;2026-07-01', 'the tariff group must be at most 64 characters long'),
        (';2;X;3.12;2026-07-01', "zone 'X' must be one of T1, T2 for 2 zone(s)"),
        (';1;T1;1;', 'valid_from is empty'),
    ],
)
def test_a_bad_rate_rejects_the_file_naming_the_line(row: str, reason: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_tariffs('t.csv', tariffs(row))
    assert str(caught.value) == f't.csv: line 2: {reason}'


def test_a_rate_at_the_limits_of_the_rules_is_read() -> None:
    group = 'г' * 64  # the longest group the column holds
    parsed = parse_tariffs('t.csv', tariffs(f'{group};3;т3;0,0001;2026-07-01', ';1;T1;99999,9999;2026-07-01'))
    assert [(r.tariff_group, r.zone, r.rub_per_kwh) for r in parsed.tariffs] == [
        (group, 'T3', Decimal('0.0001')),
        ('', 'T1', Decimal('99999.9999')),
    ]


def test_the_same_rate_twice_is_rejected() -> None:
    with pytest.raises(ImportRejected, match=r'^t.csv: line 3: the same rate is already given on line 2$'):
        parse_tariffs('t.csv', tariffs(';1;T1;5;2026-01-01', ';1;T1;6;2026-01-01'))
