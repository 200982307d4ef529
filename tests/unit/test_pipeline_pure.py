"""Pure pieces of the pipeline: spreading long values, normalisation, billing and DST periods (SPEC §5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.ingest.formats import ImportRejected, IntervalValue
from services.ingest.formats.text import fast_wh, parse_decimal, to_wh
from services.ingest.normalise import MeterRef, Notes, normalise, spread
from services.metering import periods

MSK = ZoneInfo('Europe/Moscow')
BERLIN = ZoneInfo('Europe/Berlin')
METER = MeterRef(7, 'M-7', 30)


def value(start: datetime, minutes: int, wh: int | None, *, line: int = 2) -> IntervalValue:
    end = start + timedelta(minutes=minutes)
    return IntervalValue(line, f'line {line}', 'M-7', None, 'A+', start, end, wh, False, wh is None)


@given(wh=st.integers(0, 10**9), parts=st.integers(1, 96))
def test_spreading_keeps_the_sum_and_gives_the_remainder_to_the_first_intervals(wh: int, parts: int) -> None:
    shares = spread(wh, parts)
    assert sum(shares) == wh and len(shares) == parts
    assert max(shares) - min(shares) <= 1 and shares == sorted(shares, reverse=True)


def test_101_wh_over_two_half_hours_is_51_then_50() -> None:
    assert spread(101, 2) == [51, 50]  # 101 // 2 = 50 each, and 101 mod 2 = 1 extra Wh to the first


def test_normalising_keeps_the_later_value_of_an_interval_and_marks_spread_values_estimated() -> None:
    t = datetime(2026, 3, 1, 9, tzinfo=UTC)
    notes = Notes('f.csv')
    rows = normalise('f.csv', [value(t, 60, 101), value(t, 30, 7, line=3)], {'M-7': METER}, {}, notes)
    start = int(t.timestamp())
    assert rows == [(7, 1, start, 7, 0), (7, 1, start + 1800, 50, 1)]  # the later 7 Wh wins the first half hour
    assert len(notes.notices()) == 2


def test_a_missing_value_stores_nothing() -> None:
    t = datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert normalise('f.csv', [value(t, 30, None)], {'M-7': METER}, {}, Notes('f.csv')) == []


@pytest.mark.parametrize('minutes', [45, 20, 0])
def test_an_interval_that_is_not_a_whole_profile_multiple_is_rejected_at_its_line(minutes: int) -> None:
    with pytest.raises(ImportRejected, match='line 2: an interval of'):
        normalise('f.csv', [value(datetime(2026, 3, 1, tzinfo=UTC), minutes, 5)], {'M-7': METER}, {}, Notes('f.csv'))


@pytest.mark.parametrize(
    ('text', 'power', 'wh'), [('0,125', 3, 125), ('1.5', 3, 1500), ('250', 0, 250), ('12', 3, 12000), ('0.1', 3, 100)]
)
def test_plain_numbers_take_the_integer_path_exactly(text: str, power: int, wh: int) -> None:
    assert fast_wh(text, power) == wh == to_wh(parse_decimal(text), power)


@pytest.mark.parametrize('text', ['0.0005', '1 000', '1e3', '-1', '٣', '1.5'])
def test_anything_else_is_left_to_decimal(text: str) -> None:
    assert fast_wh(text, 0 if text == '1.5' else 3) is None


@pytest.mark.parametrize(
    ('reading_day', 'label', 'first', 'after'),
    [
        (25, (2026, 3), date(2026, 2, 26), date(2026, 3, 26)),  # 26 Feb .. 25 Mar
        (20, (2026, 3), date(2026, 2, 21), date(2026, 3, 21)),
        (31, (2026, 2), date(2026, 2, 1), date(2026, 3, 1)),  # D = 31 gives calendar months
        (30, (2026, 3), date(2026, 3, 1), date(2026, 3, 31)),  # February clamps to the 28th: 1 .. 30 Mar
        (30, (2026, 4), date(2026, 3, 31), date(2026, 5, 1)),  # 31 Mar .. 30 Apr
        (25, (2026, 1), date(2025, 12, 26), date(2026, 1, 26)),
    ],
)
def test_billing_periods_run_from_the_day_after_the_reading_day(
    reading_day: int, label: tuple[int, int], first: date, after: date
) -> None:
    assert periods.billing_bounds(*label, reading_day) == (first, after)
    assert periods.billing_label_of(first, reading_day) == label
    assert periods.billing_label_of(after - timedelta(days=1), reading_day) == label


def test_clock_change_days_in_berlin_have_23_and_25_hours_with_the_repeated_hour_labelled_twice() -> None:
    spring = periods.hours_of_day(date(2026, 3, 29), BERLIN)
    autumn = periods.hours_of_day(date(2026, 10, 25), BERLIN)
    assert (len(spring), len(autumn)) == (23, 25)
    assert '2026-03-29T02:00' not in [h.label for h in spring]
    assert [h.label for h in autumn].count('2026-10-25T02:00') == 2
    day = periods.day_period(date(2026, 10, 25), BERLIN)
    assert day.end - day.start == 25 * 3600


def test_moscow_has_no_clock_change_and_local_midnight_is_21_00_utc() -> None:
    assert periods.midnight(date(2026, 3, 1), MSK) == int(datetime(2026, 2, 28, 21, tzinfo=UTC).timestamp())
    assert len(periods.hours_of_day(date(2026, 3, 29), MSK)) == 24


def test_the_household_zones_are_whole_hours_so_hour_roll_ups_can_be_grouped_by_the_database() -> None:
    clock = periods.ZoneClock(MSK, 3)
    assert clock.hour_zones is not None
    assert clock.hour_zones[7:10] == [1, 1, 1] and clock.hour_zones[23] == 2 and clock.hour_zones[12] == 3


def meter_values(serial: str, count: int) -> list[IntervalValue]:
    t = datetime(2026, 3, 1, tzinfo=UTC)
    return [
        IntervalValue(n + 2, f'line {n + 2}', serial, None, 'A+', t + timedelta(minutes=30 * n),
                      t + timedelta(minutes=30 * n + 30), n, False, False)
        for n in range(count)
    ]  # fmt: skip


def test_slices_of_a_file_close_only_where_the_meter_changes() -> None:
    from services.ingest.normalise import chunks

    values = meter_values('A', 5) + meter_values('B', 3) + meter_values('C', 4)
    assert chunks(values, 4) == [(0, 5), (5, 12)]  # A alone reaches 4; B (3) + C (4) close at the end
    assert chunks(values, 100) == [(0, 12)]


def test_a_file_that_names_a_meter_in_two_places_is_one_slice() -> None:
    from services.ingest.normalise import chunks

    values = meter_values('A', 3) + meter_values('B', 3) + meter_values('A', 3)[1:]
    assert chunks(values, 2) == [(0, 8)]


def test_one_normaliser_converts_each_distinct_time_once_and_gives_what_normalise_gives() -> None:
    from services.ingest.normalise import Normaliser

    values = meter_values('M-7', 6)
    normaliser = Normaliser('f.csv', {'M-7': METER}, {}, Notes('f.csv'))
    in_slices = normaliser.rows(values[:3]) + normaliser.rows(values[3:])
    assert in_slices == normalise('f.csv', values, {'M-7': METER}, {}, Notes('f.csv'))
    assert len(normaliser.seconds) == 7  # six half hours have seven distinct boundaries
