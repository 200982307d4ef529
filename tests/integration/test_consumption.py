"""The chart and table services against roll-ups on a real database (see tests/readings_data.py for the numbers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from models import User
from services.core.errors import NotYourMeter
from services.core.system import System
from services.ingest.formats.tariff_csv import parse_tariffs
from services.metering import consumption, pricing, readings_table
from services.metering.consumption import ChartQuery
from tests.readings_data import NOW, TZ, Seeded, seed


def chart(system: System, seeded: Seeded, **query: object) -> consumption.ChartData:
    with Session(system.engine) as session:
        user = session.get(User, seeded.user_id)
        assert user is not None
        q = ChartQuery(meter_id=seeded.meter_id, **query)  # type: ignore[arg-type]
        return consumption.chart(session=session, user=user, query=q, tz=TZ, default_reading_day=25, now=NOW)


def table(system: System, seeded: Seeded, meter_id: int | None = None) -> readings_table.ReadingsTable:
    with Session(system.engine) as session:
        user = session.get(User, seeded.user_id)
        assert user is not None
        return readings_table.month_table(
            session=session, user=user, meter_id=meter_id or seeded.meter_id, energy=1, month=date(2026, 3, 1),
            tz=TZ, default_reading_day=25, now=NOW,
        )  # fmt: skip


def test_a_calendar_month_shows_each_day_with_the_zone_totals_of_the_roll_ups(system: System) -> None:
    data = chart(system, seed(system.engine), anchor=date(2026, 3, 17))
    assert (data.first, data.last, len(data.rows)) == (date(2026, 3, 1), date(2026, 3, 31), 31)
    # T1: 31 days × 3,200 Wh − 300 Wh of the gap = 98,900; T2: 31 × 1,600 = 49,600
    assert data.totals == {1: 98_900, 2: 49_600}
    assert data.missing == 3 and data.estimated == 1
    assert data.rows[9].missing == 3  # 10 March
    assert data.title == 'март 2026' and data.dates == ''


def test_a_billing_month_runs_from_the_day_after_the_reading_day_and_shows_its_dates(system: System) -> None:
    data = chart(system, seed(system.engine), anchor=date(2026, 3, 1), period='billing')
    # reading day 25: the period labelled March is 26 Feb .. 25 Mar = 3 + 25 = 28 days
    assert (data.first, data.last, len(data.rows)) == (date(2026, 2, 26), date(2026, 3, 25), 28)
    assert data.dates == '26 фев – 25 мар 2026'
    # T1: 28 × 3,200 − 300 = 89,300; T2: 28 × 1,600 = 44,800
    assert data.totals == {1: 89_300, 2: 44_800}


def test_the_cost_follows_the_rate_in_force_on_each_day(system: System) -> None:
    data = chart(system, seed(system.engine), anchor=date(2026, 3, 1))
    # T1: 1–14 March at 5.00: (14 × 3.2 − 0.3) kWh × 5 = 222.50; 15–31 March at 6.00: 17 × 3.2 × 6 = 326.40
    assert data.cost[1] == Decimal('548.90')
    assert data.cost[2] == Decimal('148.80')  # 31 × 1.6 kWh × 3.00


def test_a_new_rate_never_re_prices_the_past(system: System) -> None:
    seeded = seed(system.engine)
    before = chart(system, seeded, anchor=date(2026, 3, 1)).cost
    with Session(system.engine) as session:
        pricing.store_tariffs(
            session=session,
            rows=parse_tariffs(
                't.csv',
                b'tariff_group;tariff_zones;zone;rub_per_kwh;valid_from\n'
                b'\xd0\xb3\xd0\xbe\xd1\x80\xd0\xbe\xd0\xb4;2;T1;9.99;2026-04-01\n',
            ).tariffs,
        )
        session.commit()
    assert chart(system, seeded, anchor=date(2026, 3, 1)).cost == before
    # April: 30 × 3.2 kWh at the new 9.99 = 959.04
    assert chart(system, seeded, anchor=date(2026, 4, 1)).cost[1] == Decimal('959.04')


def test_a_year_has_twelve_months_and_drilling_goes_year_month_day(system: System) -> None:
    seeded = seed(system.engine)
    year = chart(system, seeded, anchor=date(2026, 6, 1), view='year')
    assert len(year.rows) == 12 and year.ticks[:3] == ['янв', 'фев', 'мар']
    assert year.rows[1].total == 28 * 4_800  # February: 28 days × 4,800 Wh
    month_query = consumption.drill(year, 2)
    assert month_query is not None and month_query.view == 'month' and month_query.anchor == date(2026, 3, 1)
    month = chart(system, seeded, **{k: getattr(month_query, k) for k in ('anchor', 'view', 'period')})
    day_query = consumption.drill(month, 9)
    assert day_query is not None and day_query.anchor == date(2026, 3, 10)
    day = chart(system, seeded, anchor=day_query.anchor, view='day')
    assert len(day.rows) == 24 and day.rows[12].missing == 2 and day.rows[13].missing == 1  # 12:00, 12:30, 13:00
    assert consumption.drill(day, 3) is None


def test_a_finished_month_is_compared_with_the_month_before_by_daily_average(system: System) -> None:
    data = chart(system, seed(system.engine), anchor=date(2026, 3, 1))
    # March 148,500 Wh / 31 days = 4,790.3 a day; February 134,400 / 28 = 4,800 a day: −0.2 % ≈ the same
    assert data.comparison == 'Примерно столько же, сколько в феврале (в периоде на 3 дня больше).'
    assert data.forecast is None


def test_the_readings_table_shows_registers_at_each_midnight_and_the_days_usage(system: System) -> None:
    result = table(system, seed(system.engine))
    assert len(result.rows) == 31 and result.has_registers
    first = result.rows[0]
    # 1 March 00:00: T1 1,000,000 + 28 × 3,200 = 1,089,600; T2 500,000 + 28 × 1,600 = 544,800
    assert first.registers == {0: 1_634_400, 1: 1_089_600, 2: 544_800}
    assert first.used == 4_800 and first.from_registers
    tenth = result.rows[9]
    assert tenth.used == 4_500 and tenth.missing == 3  # 4,800 − 3 × 100
    no_register = result.rows[14]  # 15 March has no registers: the profile gives the usage
    assert no_register.registers == {} and no_register.used == 4_800 and not no_register.from_registers
    assert result.rows[13].used == 4_800 and not result.rows[13].from_registers  # its end register is missing too


def test_a_meter_without_registers_shows_the_profile_only(system: System) -> None:
    result = table(system, seed(system.engine, registers=False))
    assert not result.has_registers
    assert [r.used for r in result.rows[:2]] == [4_800, 4_800]


def test_a_forged_meter_id_is_refused(system: System) -> None:
    seeded = seed(system.engine)
    with pytest.raises(NotYourMeter):
        chart(system, Seeded(seeded.user_id, seeded.email, seeded.other_meter_id, 0), anchor=date(2026, 3, 1))
    with pytest.raises(NotYourMeter):
        table(system, seeded, meter_id=seeded.other_meter_id)


def test_only_the_energy_types_with_data_are_offered(system: System) -> None:
    seeded = seed(system.engine)
    with Session(system.engine) as session:
        user = session.get(User, seeded.user_id)
        assert user is not None
        assert consumption.energies_of(session=session, user=user, meter_id=seeded.meter_id) == [1]


def test_a_year_is_priced_exactly_across_a_rate_change_inside_one_of_its_months(system: System) -> None:
    data = chart(system, seed(system.engine), anchor=date(2026, 1, 1), view='year')
    # T1: February 28 × 3.2 kWh × 5.00 = 448.00; March 548.90 (changes on the 15th); April 30 × 3.2 × 6.00 = 576.00
    assert data.cost[1] == Decimal('1572.90')
    assert data.cost[2] == Decimal('427.20')  # (28 + 31 + 30) days × 1.6 kWh × 3.00
