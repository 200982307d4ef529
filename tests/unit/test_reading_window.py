"""The manual-readings window (B7, KABINET_READING_WINDOW): local days of each month."""

from __future__ import annotations

from datetime import date

import pytest

from services.core.settings import Settings
from services.readings.window import next_window, open_window, window_of

DAYS = (15, 25)


def test_the_window_is_open_on_its_first_and_last_day_and_closed_around_them() -> None:
    assert open_window(date(2026, 3, 14), DAYS) is None
    assert open_window(date(2026, 3, 15), DAYS) == window_of(date(2026, 3, 1), DAYS)
    assert open_window(date(2026, 3, 25), DAYS) is not None
    assert open_window(date(2026, 3, 26), DAYS) is None


def test_before_the_window_the_next_one_is_this_months_and_after_it_next_months() -> None:
    assert next_window(date(2026, 3, 3), DAYS).opens == date(2026, 3, 15)
    after = next_window(date(2026, 3, 31), DAYS)
    assert (after.month, after.opens, after.closes) == (date(2026, 4, 1), date(2026, 4, 15), date(2026, 4, 25))


def test_after_decembers_window_the_next_is_januarys() -> None:
    assert next_window(date(2026, 12, 28), DAYS).opens == date(2027, 1, 15)


def test_a_window_past_the_months_end_ends_on_its_last_day() -> None:
    window = window_of(date(2026, 2, 10), (25, 31))
    assert window.closes == date(2026, 2, 28)


def test_the_setting_accepts_a_range_of_days_and_refuses_anything_else() -> None:
    assert Settings(reading_window=' 1-10 ').reading_days == (1, 10)
    assert Settings().reading_days == (15, 25)
    for bad in ('25-15', '0-10', '15', '15-32', 'a-b'):
        with pytest.raises(ValueError, match='KABINET_READING_WINDOW'):
            Settings(reading_window=bad)
