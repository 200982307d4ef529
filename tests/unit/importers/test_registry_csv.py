"""Registry CSV (SPEC 6.1)."""

from datetime import date

import pytest

from services.ingest.formats.records import ImportRejected
from services.ingest.formats.registry_csv import parse_registry

HEADER = (
    'account_number;address;holder_name;meter_serial;meter_model;phases;tariff_zones;profile_minutes;installed_on;'
    'verified_on;verification_interval_years;point_code;reading_day;removed_on;replaced_by;tariff_group'
)
FULL_ROW = '1001;ул. Мира, 1;Иванов И. И.;SN1;Меркурий 206;3;2;60;01.02.2024;2024-01-15;16;123456789012345;20;;;село'


def registry(*rows: str, header: str = HEADER, encoding: str = 'utf-8') -> bytes:
    return '\n'.join((header, *rows)).encode(encoding)


def test_a_full_row_is_read_with_both_date_styles() -> None:
    (row,) = parse_registry('r.csv', registry(FULL_ROW)).registry
    assert (row.line, row.account_number, row.address, row.holder_name) == (2, '1001', 'ул. Мира, 1', 'Иванов И. И.')
    assert (row.meter_serial, row.meter_model, row.phases, row.tariff_zones, row.profile_minutes) == (
        'SN1',
        'Меркурий 206',
        3,
        2,
        60,
    )
    assert (row.installed_on, row.verified_on, row.verification_interval_years) == (
        date(2024, 2, 1),
        date(2024, 1, 15),
        16,
    )
    assert (row.point_code, row.reading_day, row.removed_on, row.replaced_by, row.tariff_group) == (
        '123456789012345',
        20,
        None,
        None,
        'село',
    )


def test_only_the_required_columns_give_the_defaults() -> None:
    data = registry('7,Lenina 2,SN7', header='account_number,address,meter_serial')
    (row,) = parse_registry('r.csv', data).registry
    assert (row.phases, row.tariff_zones, row.profile_minutes, row.tariff_group) == (1, 1, 30, '')
    assert row.installed_on is None and row.holder_name is None and row.reading_day is None


def test_a_windows_1251_registry_reads_the_same_as_utf8() -> None:
    assert parse_registry('r.csv', registry(FULL_ROW, encoding='cp1251')).registry == (
        parse_registry('r.csv', registry(FULL_ROW)).registry
    )


def test_a_replacement_pair_is_two_rows() -> None:
    old = '1001;a;;SN1;;;;;2020-01-01;;;;;2025-06-10;SN2;'
    new = '1001;a;;SN2;;;;;2025-06-10;;;;;;;'
    rows = parse_registry('r.csv', registry(old, new)).registry
    assert (rows[0].removed_on, rows[0].replaced_by, rows[1].installed_on) == (
        date(2025, 6, 10),
        'SN2',
        date(2025, 6, 10),
    )


def test_an_unknown_column_is_ignored_with_a_warning() -> None:
    parsed = parse_registry('r.csv', registry('1;a;2;x', header='account_number;address;meter_serial;colour'))
    assert [str(w) for w in parsed.warnings] == ['r.csv: line 1: ignored unknown column(s): colour']


@pytest.mark.parametrize(
    ('row', 'reason'),
    [
        ('1001;;;SN1;;;;;;;;;;;;', 'address is empty'),
        ('1001;a;;SN1;;2;;;;;;;;;;', 'phases must be one of 1, 3, not 2'),
        ('1001;a;;SN1;;;4;;;;;;;;;', 'tariff_zones must be one of 1, 2, 3, not 4'),
        ('1001;a;;SN1;;;;20;;;;;;;;', 'profile_minutes must be one of 15, 30, 60, not 20'),
        ('1001;a;;SN1;;;;;;;;;32;;;', 'reading_day must be 1..31, not 32'),
        ('1001;a;;SN1;;;;;;;;;x;;;', "reading_day 'x' is not a whole number"),
        ('1001;a;;SN1;;;;;2024-13-01;;;;;;;', "installed_on '2024-13-01' does not exist"),
        ('1001;a;;SN1;;;;;;;;12345;;;;', "point_code '12345' must be 15 digits"),
        ('1001;a;;SN1;;;;;2025-01-02;;;;;2025-01-01;;', 'removed_on 2025-01-01 is before installed_on 2025-01-02'),
        ('1001;a;;SN1;;;;;;;;;;;SN1;', 'meter SN1 cannot be replaced by itself'),
    ],
)
def test_a_bad_value_rejects_the_file_naming_the_line(row: str, reason: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_registry('r.csv', registry(FULL_ROW, row))
    assert str(caught.value) == f'r.csv: line 3: {reason}'


def test_the_same_meter_twice_is_rejected() -> None:
    with pytest.raises(ImportRejected, match=r'^r.csv: line 3: meter SN1 is already listed on line 2$'):
        parse_registry('r.csv', registry(FULL_ROW, FULL_ROW))


def test_a_missing_required_column_rejects_line_1() -> None:
    with pytest.raises(ImportRejected, match=r'^r.csv: line 1: missing required column\(s\): meter_serial$'):
        parse_registry('r.csv', registry('1;a', header='account_number;address'))
