"""Forecast, comparison sentence and always-on load (SPEC B2, B10): pure functions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from services.core import i18n
from services.metering.insights import PeriodTotal, always_on, comparison_sentence, forecast

MARCH = date(2026, 3, 1)


def test_the_forecast_is_the_run_rate_of_complete_days_times_the_period_length() -> None:
    days = [(MARCH + timedelta(days=n), 10_000, True) for n in range(10)]
    days.append((date(2026, 3, 11), 2_000, False))  # today, still running
    result = forecast(days=days, cost=Decimal('500'), first=MARCH, after=date(2026, 4, 1), today=date(2026, 3, 11))
    assert result is not None
    assert result.wh == 310_000  # 100,000 Wh / 10 days × 31 days
    assert result.cost == Decimal('1550')  # 500 ₽ / 10 × 31
    assert result.days_left == 21  # 11..31 March, today included
    assert result.days_counted == 10


def test_incomplete_days_do_not_drag_the_forecast_down_and_a_past_period_has_none() -> None:
    days = [(MARCH, 10_000, True), (date(2026, 3, 2), 1_000, False)]
    result = forecast(days=days, cost=None, first=MARCH, after=date(2026, 4, 1), today=date(2026, 3, 3))
    assert result is not None and result.wh == 310_000  # only 1 March counts: 10,000 × 31
    assert forecast(days=days, cost=None, first=MARCH, after=date(2026, 4, 1), today=date(2026, 4, 2)) is None


def test_the_comparison_names_the_percentage_and_the_day_difference_in_russian() -> None:
    i18n.set_language('ru')
    current = PeriodTotal(112_000, 31, '')
    same_length = PeriodTotal(100_000, 31, 'в марте 2025 года')
    # 112,000 / 100,000 = +12 %
    assert comparison_sentence(current, [same_length]) == 'На 12\xa0% больше, чем в марте 2025 года.'
    shorter = PeriodTotal(28 * 4_000, 28, 'в феврале')
    # per day: 112,000 / 31 = 3,612.9 vs 4,000 → −9.7 % ≈ −10 %; 31 − 28 = 3 days more
    expected = 'На 10\xa0% меньше, чем в феврале (в периоде на 3 дня больше).'
    assert comparison_sentence(current, [shorter, None]) == expected


def test_no_comparison_without_data_to_compare_with() -> None:
    assert comparison_sentence(PeriodTotal(1_000, 30, ''), [None, PeriodTotal(0, 31, 'в мае')]) == ''


def test_the_always_on_load_is_the_tenth_percentile_of_night_hours() -> None:
    hours = [100] * 3 + [150] * 27  # 30 night hours; index int(0.1 × 29) = 2 of the sorted list → 100 W
    result = always_on(night_hours_wh=hours, rate=Decimal('5.00'))
    assert result is not None and result.watts == 100
    assert result.kwh_month == Decimal('72')  # 100 W × 720 h / 1000
    assert result.cost_month == Decimal('360.00')  # 72 kWh × 5.00


def test_too_few_night_hours_say_nothing_about_the_always_on_load() -> None:
    assert always_on(night_hours_wh=[100] * 23, rate=None) is None
