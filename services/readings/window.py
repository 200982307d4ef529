"""The utility's window for manual readings (KABINET_READING_WINDOW): local days of each month, pure arithmetic."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Window:
    month: date  # the 1st of the month the readings belong to
    opens: date  # first local day, inclusive
    closes: date  # last local day, inclusive

    def holds(self, day: date) -> bool:
        return self.opens <= day <= self.closes


def window_of(month: date, days: tuple[int, int]) -> Window:
    """The window of the month holding `month`; days past the month's end are its last day (25-31 in February)."""
    first = month.replace(day=1)
    last_day = calendar.monthrange(first.year, first.month)[1]
    return Window(first, first.replace(day=min(days[0], last_day)), first.replace(day=min(days[1], last_day)))


def open_window(today: date, days: tuple[int, int]) -> Window | None:
    """The window open on the local day `today`, else None."""
    window = window_of(today, days)
    return window if window.holds(today) else None


def next_window(today: date, days: tuple[int, int]) -> Window:
    """The window open on `today` or the next one to open."""
    window = window_of(today, days)
    if today <= window.closes:
        return window
    following = (today.replace(day=1) + _MONTH).replace(day=1)
    return window_of(following, days)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - _DAY).replace(day=1)


_DAY = date(2000, 1, 2) - date(2000, 1, 1)
_MONTH = date(2000, 2, 1) - date(2000, 1, 1)  # 31 days: from a month's 1st, always into the next month
