"""Cost in roubles per bar and on the main page tile (SPEC B1, §6.5); numbers from tests/readings_data.py.

T1 (day) is 3.2 kWh a day at 5.00 ₽ until 14 March and 6.00 ₽ from 15 March 2026; T2 (night) 1.6 kWh a day at
3.00 ₽; 10 March lacks 0.3 kWh of T1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.engine import Connection
from sqlmodel import Session, delete

from components.consumption_chart import chart_options
from models import TariffRate, User
from services.core.system import System
from services.metering import pricing, series
from services.metering.rollups import MeterLife
from services.residents import access, dashboard
from tests.integration.test_consumption import chart
from tests.readings_data import NOW, TZ, seed


def test_a_year_bar_holding_a_rate_change_is_priced_with_both_rates(system: System) -> None:
    data = chart(system, seed(system.engine), anchor=date(2026, 1, 1), view='year')
    february, march, april = data.bar_cost[1:4]
    assert february == {1: Decimal('448.00'), 2: Decimal('134.40')}  # 28 × 3.2 × 5.00; 28 × 1.6 × 3.00
    # March T1: 1–14 March (14 × 3.2 − 0.3) kWh × 5.00 = 222.50 plus 15–31 March 17 × 3.2 × 6.00 = 326.40
    assert march == {1: Decimal('548.90'), 2: Decimal('148.80')}  # T2: 31 × 1.6 × 3.00
    assert april == {1: Decimal('576.00'), 2: Decimal('144.00')}  # 30 × 3.2 × 6.00; 30 × 1.6 × 3.00
    assert data.bar_cost[0] == {} and data.bar_cost[11] == {}  # no energy in January or December
    assert data.cost == pricing.total_by_zone(data.bar_cost)


def test_a_billing_period_bar_holding_a_rate_change_is_priced_with_both_rates(system: System) -> None:
    data = chart(system, seed(system.engine), anchor=date(2026, 1, 1), view='year', period='billing')
    assert [r.label for r in data.rows] == [f'2026-{m:02d}' for m in range(1, 13)]  # twelve labels, not 13
    # the period labelled March is 26 Feb – 25 Mar: T1 at 5.00 for 26 Feb – 14 Mar, (17 × 3.2 − 0.3) × 5 = 270.50,
    # at 6.00 for 15–25 Mar, 11 × 3.2 × 6 = 211.20; together 481.70. T2: 28 × 1.6 × 3.00 = 134.40
    assert data.bar_cost[2] == {1: Decimal('481.70'), 2: Decimal('134.40')}
    # the period labelled April is 26 Mar – 25 Apr, all at 6.00: 31 × 3.2 × 6 = 595.20; 31 × 1.6 × 3 = 148.80
    assert data.bar_cost[3] == {1: Decimal('595.20'), 2: Decimal('148.80')}


def test_the_days_of_the_bars_holding_a_change_are_read_once(system: System) -> None:
    seeded = seed(system.engine)
    year = chart(system, seeded, anchor=date(2026, 1, 1), view='year', period='billing')
    calls: list[tuple[date, date]] = []
    with Session(system.engine) as session:
        life = access.meter_life(session=session, meter_id=seeded.meter_id, default_reading_day=25)
        conn = session.connection()

        def read_days(first: date, last: date) -> list[series.SeriesRow]:
            calls.append((first, last))
            return series.series(
                conn, meter=life, energy=1, interval='day', period='billing', first=first, last=last, tz=TZ,
                now=int(NOW.timestamp()),
            )  # fmt: skip

        # a second change inside the period labelled April (26 Mar – 25 Apr): T2 from 3.00 to 4.00 on 1 April
        rates = pricing.rate_table(
            [(1, date(2025, 1, 1), Decimal(5)), (1, date(2026, 3, 15), Decimal(6)), (2, date(2025, 1, 1), Decimal(3)),
             (2, date(2026, 4, 1), Decimal(4))]
        )  # fmt: skip
        costs = pricing.bar_costs(year.rows, rates, TZ, read_days)
    assert calls == [(date(2026, 2, 26), date(2026, 4, 25))]  # one read from March's first day to April's last
    # April's T2: 26–31 March 6 × 1.6 × 3.00 = 28.80 plus 1–25 April 25 × 1.6 × 4.00 = 160.00
    assert costs[3][2] == Decimal('188.80')
    assert costs[2] == year.bar_cost[2] and costs[4] == {1: Decimal('96.00'), 2: Decimal('32.00')}  # 26–30 Apr


def test_the_day_bars_of_a_month_change_price_on_the_day_of_the_new_rate(system: System) -> None:
    data = chart(system, seed(system.engine), anchor=date(2026, 3, 1))
    assert data.bar_cost[13][1] == Decimal('16.00')  # 14 March: 3.2 kWh × 5.00
    assert data.bar_cost[14][1] == Decimal('19.20')  # 15 March: 3.2 kWh × 6.00
    assert data.bar_cost[9][1] == Decimal('14.50')  # 10 March: (3.2 − 0.3) kWh × 5.00


def test_each_bars_tooltip_says_its_cost_per_zone_and_in_total(system: System) -> None:
    data = chart(system, seed(system.engine), anchor=date(2026, 1, 1), view='year')
    options = chart_options(data)
    march = options['series'][0]['data'][2]['tip']
    assert 'День: 98,9\xa0кВт·ч · 548,90\xa0₽' in march  # 31 × 3.2 − 0.3 kWh
    assert 'Ночь: 49,6\xa0кВт·ч · 148,80\xa0₽' in march
    assert 'Всего: 148,5\xa0кВт·ч · 697,70\xa0₽' in march  # 548.90 + 148.80
    assert 'Всего: 0\xa0кВт·ч · 0,00\xa0₽' in options['series'][0]['data'][0]['tip']  # January: nothing stored


def test_reactive_energy_is_never_priced(system: System) -> None:
    data = chart(system, seed(system.engine), anchor=date(2026, 3, 1), energy=3)
    assert data.cost == {} and all(cost == {} for cost in data.bar_cost)
    assert '₽' not in chart_options(data)['series'][0]['data'][0]['tip']


def test_the_readings_tile_prices_the_billing_period_so_far_across_the_rate_change(system: System) -> None:
    seeded = seed(system.engine)
    with Session(system.engine) as session:
        user = session.get(User, seeded.user_id)
        assert user is not None
        now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # the period labelled March runs from 26 February
        (item,) = dashboard.readings_tile(session=session, user=user, now=now, tz=TZ, default_reading_day=25)
    assert item.first_day == date(2026, 2, 26)
    assert item.wh == 23 * 4_800 - 300  # 26 Feb – 20 Mar is 23 days, 300 Wh missing on 10 March
    # T1: 26 Feb – 14 Mar (17 × 3.2 − 0.3) × 5.00 = 270.50, 15–20 Mar 6 × 3.2 × 6.00 = 115.20;
    # T2: 23 × 1.6 × 3.00 = 110.40; together 496.10
    assert item.cost == Decimal('496.10')


def test_the_tile_has_no_cost_without_rates(system: System) -> None:
    seeded = seed(system.engine)
    with Session(system.engine) as session:
        session.execute(delete(TariffRate))
        session.commit()
        user = session.get(User, seeded.user_id)
        assert user is not None
        (item,) = dashboard.readings_tile(session=session, user=user, now=NOW, tz=TZ, default_reading_day=25)
    assert item.cost is None and item.wh > 0


def test_the_rates_of_several_tariffs_read_at_once_are_those_read_one_by_one(system: System) -> None:
    seed(system.engine)  # «город», two zones
    with Session(system.engine) as session:
        session.add(TariffRate(tariff_group='', tariff_zones=2, zone=1, rub_per_kwh=Decimal('4.00'),
                               valid_from=date(2025, 1, 1)))  # fmt: skip
        session.add(TariffRate(tariff_group='село', tariff_zones=1, zone=1, rub_per_kwh=Decimal('3.50'),
                               valid_from=date(2025, 1, 1)))  # fmt: skip
        session.commit()
        # its own group; the default group's ('') for a group without rates; nothing for a tariff nobody rates
        tariffs = [('город', 2), ('село', 2), ('село', 1), ('город', 3)]
        many = pricing.load_rates_many(session=session, tariffs=tariffs)
        one_by_one = {t: pricing.load_rates(session=session, tariff_group=t[0], tariff_zones=t[1]) for t in tariffs}
    assert many == one_by_one
    assert many['село', 2] == {1: [(date(2025, 1, 1), Decimal('4.00'))]}
    assert many['город', 3] == {}


def test_several_series_read_at_once_are_those_read_one_by_one(system: System) -> None:
    seeded = seed(system.engine)
    life = MeterLife(seeded.meter_id, 2, 30, 25, date(2026, 2, 1), None)
    other = MeterLife(seeded.other_meter_id, 1, 30, 25, date(2025, 1, 1), None)
    asks = [  # overlapping days of one meter, days before its installation, another meter without data
        series.Ask(life, date(2026, 3, 1), date(2026, 3, 20)),
        series.Ask(life, date(2026, 3, 10), date(2026, 4, 2)),
        series.Ask(life, date(2026, 1, 25), date(2026, 2, 3)),
        series.Ask(other, date(2026, 3, 1), date(2026, 3, 5)),
    ]
    now = int(NOW.timestamp())

    def one(conn: Connection, meter: MeterLife, first: date, last: date) -> list[series.SeriesRow]:
        return series.series(
            conn, meter=meter, energy=1, interval='day', period='calendar', first=first, last=last, tz=TZ, now=now
        )

    with Session(system.engine) as session:
        conn = session.connection()
        many = series.series_many(conn, asks=asks, energy=1, interval='day', period='calendar', tz=TZ, now=now)
        one_by_one = [one(conn, a.meter, a.first, a.last) for a in asks]
    assert many == one_by_one
    assert [len(rows) for rows in many] == [20, 24, 10, 5]
    assert many[1][0].total == 4_800 - 300  # 10 March: three half hours of 100 Wh missing
