"""The instant the suite runs at unless a test chooses another: nothing in the suite reads the wall clock.

A Wednesday in the middle of a month and of a billing period (reading day 25), away from any clock change.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.core.settings import Settings

TEST_NOW = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)  # 12:00 in Moscow

# Awkward instants of the utility's local time (Moscow unless said), for the tests that depend on the date.
FIRST_MINUTES_OF_A_MONTH = datetime.fromisoformat('2026-04-01T00:05:00+03:00')
FIRST_MINUTES_OF_A_YEAR = datetime.fromisoformat('2027-01-01T00:05:00+03:00')
LAST_EVENING_OF_A_MONTH = datetime.fromisoformat('2026-04-30T23:40:00+03:00')
LEAP_DAY = datetime.fromisoformat('2028-02-29T12:00:00+03:00')
BERLIN_SPRING_FORWARD = datetime.fromisoformat('2026-03-29T12:00:00+02:00')  # a 23-hour day in Europe/Berlin
BERLIN_FALL_BACK = datetime.fromisoformat('2026-10-25T12:00:00+01:00')  # a 25-hour day in Europe/Berlin
AWKWARD = [FIRST_MINUTES_OF_A_MONTH, FIRST_MINUTES_OF_A_YEAR, LAST_EVENING_OF_A_MONTH, LEAP_DAY]


def now_of(settings: Settings) -> datetime:
    """The instant the test's portal started at (its clock runs on from there)."""
    instant = settings.start_instant()
    assert instant is not None, 'the test settings choose an instant'
    return instant
