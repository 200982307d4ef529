"""Registry re-imports, 80020 by point code, Green Button with a named meter, and tariff rates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import text

from services.core.system import System
from tests.integration.ingest_helpers import count, csv, days, half_hours, load, registry, snapshot

FIXTURES = Path(__file__).resolve().parent.parent / 'fixtures' / 'greenbutton'
DAY = date(2026, 3, 10)
ROW_1 = '7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;M-1;1;30;2026-01-01;690000000000001'


def xml_80020(code: str, periods: str, day: str = '20260310') -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><message class="80020" version="2" number="7">'
        f'<datetime><timestamp>20260311010000</timestamp><day>{day}</day></datetime><sender><name>ЭСО</name></sender>'
        f'<area><name>Тверь</name><measuringpoint code="{code}" name="Кв. 1"><measuringchannel code="01">{periods}'
        '</measuringchannel></measuringpoint></area></message>'
    ).encode()


def test_a_registry_re_import_updates_accounts_and_meters_without_duplicates(system: System) -> None:
    load(system, ('r.csv', registry(ROW_1)))
    moved = '7701;г. Тверь, ул. Мира, д. 1, кв. 9;Иванова А. А.;M-1;1;30;2026-01-01;690000000000001'
    (report,) = load(system, ('r2.csv', registry(moved)))
    assert report.ok
    assert (count(system, 'account'), count(system, 'meter')) == (1, 1)
    assert snapshot(system)['account'][0][1] == 'г. Тверь, ул. Мира, д. 1, кв. 9'


def test_a_short_registry_keeps_the_columns_it_does_not_have(system: System) -> None:
    load(system, ('r.csv', registry(ROW_1)))
    load(
        system,
        ('short.csv', registry('7701;г. Тверь, ул. Мира, д. 1;M-1', header='account_number;address;meter_serial')),
    )
    meter = snapshot(system)['meter'][0]
    assert meter[5] == '690000000000001'  # point_code kept


def test_a_tariff_change_in_the_registry_rebuilds_the_meters_roll_ups(system: System) -> None:
    load(system, ('r.csv', registry(ROW_1)))
    load(system, ('d.csv', csv(*half_hours('M-1', DAY, ['0,1'] * 48))))
    assert days(system, 'M-1', DAY, DAY)[0].zones == {1: 4800}
    load(system, ('r2.csv', registry(ROW_1.replace(';M-1;1;', ';M-1;2;'))))
    assert days(system, 'M-1', DAY, DAY)[0].zones == {1: 3200, 2: 1600}  # 32 day and 16 night half hours


def test_a_replacement_links_the_old_meter_to_the_new_one(system: System) -> None:
    header = 'account_number;address;meter_serial;installed_on;removed_on;replaced_by'
    rows = ('7701;ул. Мира, 1;OLD;2020-01-01;2026-02-01;NEW', '7701;ул. Мира, 1;NEW;2026-02-01;;')
    (report,) = load(system, ('r.csv', registry(*rows, header=header)))
    assert report.ok
    with system.engine.connect() as conn:
        linked = conn.execute(
            text('SELECT o.serial, n.serial FROM meter o JOIN meter n ON n.id = o.replaced_by_id')
        ).all()
    assert [tuple(r) for r in linked] == [('OLD', 'NEW')]


def test_a_replacement_by_an_unknown_meter_is_rejected_at_its_line(system: System) -> None:
    header = 'account_number;address;meter_serial;replaced_by'
    (report,) = load(system, ('r.csv', registry('7701;ул. Мира, 1;OLD;GHOST', header=header)))
    assert report.message() == 'r.csv: line 2: replaced_by names meter GHOST, which is not in the registry'
    assert count(system, 'account') == 0


def test_an_80020_file_maps_its_measuring_point_to_the_registry_meter(system: System) -> None:
    load(system, ('r.csv', registry(ROW_1)))
    periods = ''.join(
        f'<period start="{h:02d}00" end="{h:02d}30"><value status="0">0.25</value></period>' for h in range(3)
    )
    (report,) = load(system, ('x.xml', xml_80020('690000000000001', periods)))
    assert report.ok and report.rows == 3
    assert days(system, 'M-1', DAY, DAY)[0].total == 750  # 3 × 250 Wh


def test_an_unknown_measuring_point_rejects_the_file_at_its_element(system: System) -> None:
    load(system, ('r.csv', registry(ROW_1)))
    periods = '<period start="0000" end="0030"><value>0.25</value></period>'
    (report,) = load(system, ('x.xml', xml_80020('123456789012345', periods)))
    assert report.message().startswith('x.xml: element area[1]/measuringpoint[@code=123456789012345]')
    assert 'unknown measuring point 123456789012345' in report.message()


def test_a_green_button_sample_imports_into_the_named_meter(system: System) -> None:
    load(system, ('r.csv', registry(ROW_1.replace(';30;', ';60;'))))
    data = (FIXTURES / 'hourlyForMonthJan.xml').read_bytes()
    (report,) = load(system, ('gb.xml', data), meter='M-1')
    assert report.ok, report.message()
    assert report.rows > 0 and count(system, 'interval_energy') == report.rows


def test_tariff_rates_are_upserted_by_group_zones_zone_and_date(system: System) -> None:
    header = 'tariff_group;tariff_zones;zone;rub_per_kwh;valid_from'
    rates = (header + '\n;2;T1;6.48;2026-07-01\n;2;T2;3,41;2026-07-01\n').encode()
    load(system, ('t.csv', rates))
    load(system, ('t2.csv', rates.replace(b'6.48', b'6.50')))
    stored = sorted((r[2], str(r[3])) for r in snapshot(system)['tariff_rate'])
    assert [(zone, float(rate)) for zone, rate in stored] == [(1, 6.5), (2, 3.41)]


def test_a_new_reading_day_moves_the_billing_periods_of_stored_data(system: System) -> None:
    header = 'account_number;address;meter_serial;installed_on;reading_day'
    load(system, ('r.csv', registry('7701;ул. Мира, 1;RD-1;2026-01-01;25', header=header)))
    load(system, ('d.csv', csv(*half_hours('RD-1', date(2026, 3, 22), ['0,1'] * 48))))
    march = days(system, 'RD-1', date(2026, 3, 1), date(2026, 4, 30), interval='month', period='billing')
    assert [r.total for r in march] == [4800, 0]  # 22 March is before the 25th: billing March
    load(system, ('r2.csv', registry('7701;ул. Мира, 1;RD-1;2026-01-01;20', header=header)))
    moved = days(system, 'RD-1', date(2026, 3, 1), date(2026, 4, 30), interval='month', period='billing')
    assert [r.total for r in moved] == [0, 4800]  # after the 20th: billing April
