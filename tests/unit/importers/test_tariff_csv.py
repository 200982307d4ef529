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
        (';1;T1;-1;2026-07-01', "rub_per_kwh '-1' is negative"),
        (';1;T1;1;', 'valid_from is empty'),
    ],
)
def test_a_bad_rate_rejects_the_file_naming_the_line(row: str, reason: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_tariffs('t.csv', tariffs(row))
    assert str(caught.value) == f't.csv: line 2: {reason}'


def test_the_same_rate_twice_is_rejected() -> None:
    with pytest.raises(ImportRejected, match=r'^t.csv: line 3: the same rate is already given on line 2$'):
        parse_tariffs('t.csv', tariffs(';1;T1;5;2026-01-01', ';1;T1;6;2026-01-01'))
