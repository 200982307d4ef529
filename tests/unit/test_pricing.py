"""Pricing with effective dates (SPEC §6.5, B1): pure functions, no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.metering.pricing import DayZone, cost_by_zone, day_rate, rate_on, rate_table, rub

TABLE = rate_table(
    [
        (1, date(2026, 7, 1), Decimal('6.00')),
        (1, date(2026, 1, 1), Decimal('5.00')),
        (2, date(2026, 1, 1), Decimal('3.00')),
    ]
)


def test_the_rate_in_force_is_the_latest_one_that_started_on_or_before_the_day() -> None:
    assert rate_on(TABLE, 1, date(2026, 6, 30)) == Decimal('5.00')
    assert rate_on(TABLE, 1, date(2026, 7, 1)) == Decimal('6.00')
    assert rate_on(TABLE, 1, date(2025, 12, 31)) is None


def test_a_rate_change_mid_month_prices_each_day_at_its_own_rate() -> None:
    days = [
        DayZone(date(2026, 6, 30), 1, 10_000),
        DayZone(date(2026, 7, 1), 1, 10_000),
        DayZone(date(2026, 7, 1), 2, 2_500),
    ]
    # T1: 10 kWh × 5.00 + 10 kWh × 6.00 = 110.00; T2: 2.5 kWh × 3.00 = 7.50
    assert cost_by_zone(days, TABLE) == {1: Decimal('110.00'), 2: Decimal('7.50')}


def test_a_later_rate_never_re_prices_the_past() -> None:
    june = [DayZone(date(2026, 6, 15), 1, 7_000)]
    later = rate_table([(1, date(2026, 1, 1), Decimal('5.00')), (1, date(2026, 7, 1), Decimal('9.99'))])
    assert cost_by_zone(june, later) == cost_by_zone(june, TABLE) == {1: Decimal('35.00')}  # 7 kWh × 5.00


def test_money_stays_exact_and_is_rounded_only_for_display() -> None:
    cost = cost_by_zone([DayZone(date(2026, 2, 1), 1, 1)], TABLE)[1]
    assert cost == Decimal('0.005')  # 0.001 kWh × 5.00
    assert rub(cost) == Decimal('0.01')


def test_an_all_day_load_pays_the_hour_weighted_rate_of_the_zones() -> None:
    # 2 zones: T1 16 h at 6.00, T2 8 h at 3.00 → (16 × 6 + 8 × 3) / 24 = 5.00
    assert day_rate(TABLE, 2, date(2026, 7, 2)) == Decimal('5.00')
