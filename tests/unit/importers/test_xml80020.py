"""XML 80020 (SPEC 6.3): local wall-clock periods of one day, including both clock-change days."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from services.ingest.formats.records import ImportRejected, IntervalValue
from services.ingest.formats.xml80020 import parse_xml80020

MOSCOW = ZoneInfo('Europe/Moscow')
BERLIN = ZoneInfo('Europe/Berlin')
POINT = '123456789012345'


def message(periods: str, *, day: str = '20260301', point_tag: str = 'measuringpoint', channel: str = '01') -> str:
    return (
        f'<message class="80020" version="2" number="1"><datetime><timestamp>20260302010000</timestamp>'
        f'<daylightsavingtime>0</daylightsavingtime><day>{day}</day></datetime>'
        f'<sender><inn>7700000000</inn><name>ЭСО</name></sender>'
        f'<area><inn>7700000000</inn><name>Посёлок</name>'
        f'<{point_tag} code="{POINT}" name="Кв. 1"><measuringchannel code="{channel}" desc="A+">{periods}'
        f'</measuringchannel></{point_tag}></area></message>'
    )


def period(start: str, end: str, value: str = '1', extra: str = '') -> str:
    return f'<period start="{start}" end="{end}"{extra}><value status="0">{value}</value></period>'


def utf8(text: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode()


def hours(day_periods: list[tuple[str, str, str]]) -> str:
    return ''.join(period(start, end, '1', extra) for start, end, extra in day_periods)


def test_a_period_is_a_utc_interval_in_wh_keyed_by_point_code() -> None:
    parsed = parse_xml80020('m.xml', utf8(message(period('0030', '0100', '0,125'))), tz=MOSCOW)
    path = f'area[1]/measuringpoint[@code={POINT}]/measuringchannel[@code=01]/period[@start=0030]'
    start = datetime(2026, 2, 28, 21, 30, tzinfo=UTC)  # 00:30 Moscow (+03:00)
    # 0.125 kWh = 125 Wh
    assert parsed.intervals == [
        IntervalValue(0, path, None, POINT, 'A+', start, start + timedelta(minutes=30), 125, False, False)
    ]


def test_end_0000_is_the_next_midnight() -> None:
    (value,) = parse_xml80020('m.xml', utf8(message(period('2330', '0000'))), tz=MOSCOW).intervals
    assert value.end == datetime(2026, 3, 1, 21, 0, tzinfo=UTC)  # 2 March 00:00 Moscow


@pytest.mark.parametrize(('channel', 'energy'), [('01', 'A+'), ('02', 'A-'), ('03', 'R+'), ('04', 'R-')])
def test_channels_01_to_04_are_the_four_energy_types(channel: str, energy: str) -> None:
    data = utf8(message(period('0000', '0030'), channel=channel))
    assert parse_xml80020('m.xml', data, tz=MOSCOW).intervals[0].energy == energy


@pytest.mark.parametrize('point_tag', ['accountpoint', 'deliverypoint'])
def test_account_and_delivery_points_count_as_measuring_points(point_tag: str) -> None:
    data = utf8(message(period('0000', '0030'), point_tag=point_tag))
    assert parse_xml80020('m.xml', data, tz=MOSCOW).intervals[0].point_code == POINT


def test_status_1_and_an_empty_value_are_missing() -> None:
    periods = '<period start="0000" end="0030"><value status="1">5</value></period>' + period('0030', '0100', '')
    intervals = parse_xml80020('m.xml', utf8(message(periods)), tz=MOSCOW).intervals
    assert [(v.wh, v.missing) for v in intervals] == [(None, True), (None, True)]


def test_windows_1251_with_uppercase_names_reads_like_utf8() -> None:
    upper = message(period('0000', '0030', '2')).upper().replace('ЭСО', 'эсо')
    data = ('<?xml version="1.0" encoding="windows-1251"?>' + upper).encode('cp1251')
    (value,) = parse_xml80020('m.xml', data, tz=MOSCOW).intervals
    assert (value.point_code, value.energy, value.wh) == (POINT, 'A+', 2000)  # 2 kWh


def test_the_autumn_day_in_berlin_has_25_contiguous_hours() -> None:
    plan = [(f'{h:02}00', f'{(h + 1) % 24:02}00', '') for h in range(24)]
    plan[2:3] = [('0200', '0300', ' summer="1"'), ('0200', '0300', ' summer="0"')]
    intervals = parse_xml80020('m.xml', utf8(message(hours(plan), day='20261025')), tz=BERLIN).intervals
    assert len(intervals) == 25
    assert intervals[0].start == datetime(2026, 10, 24, 22, tzinfo=UTC)  # 00:00 CEST (+02:00)
    assert intervals[-1].end == datetime(2026, 10, 25, 23, tzinfo=UTC)  # next 00:00 CET (+01:00)
    assert all(v.end - v.start == timedelta(hours=1) for v in intervals)
    assert all(a.end == b.start for a, b in pairwise(intervals))


def test_the_autumn_day_in_half_hours_keeps_both_passes_of_the_repeated_hour() -> None:
    plan = [(f'{m // 60:02}{m % 60:02}', f'{(m + 30) // 60 % 24:02}{(m + 30) % 60:02}', '') for m in range(0, 1440, 30)]
    first_pass = [(start, end, ' summer="1"') for start, end, _ in plan[4:6]]
    plan[4:4] = first_pass  # 02:00-02:30 and 02:30-03:00 in summer time, then again in winter time
    intervals = parse_xml80020('m.xml', utf8(message(hours(plan), day='20261025')), tz=BERLIN).intervals
    assert len(intervals) == 50  # 25 h x 2
    assert [v.start.hour for v in intervals[4:8]] == [0, 0, 1, 1]  # 02:00 CEST = 00:00 UTC, 02:00 CET = 01:00 UTC
    assert all(a.end == b.start for a, b in pairwise(intervals))


def test_the_spring_day_in_berlin_has_23_contiguous_hours() -> None:
    plan = [(f'{h:02}00', f'{(h + 1) % 24:02}00', '') for h in range(24) if h != 2]
    intervals = parse_xml80020('m.xml', utf8(message(hours(plan), day='20260329')), tz=BERLIN).intervals
    assert len(intervals) == 23
    assert intervals[1].end - intervals[1].start == timedelta(hours=1)  # 01:00 CET to 03:00 CEST
    assert intervals[-1].end - intervals[0].start == timedelta(hours=23)
    assert all(a.end == b.start for a, b in pairwise(intervals))


def test_an_empty_period_in_the_spring_gap_is_dropped_with_a_warning() -> None:
    parsed = parse_xml80020('m.xml', utf8(message(period('0200', '0300', ''), day='20260329')), tz=BERLIN)
    assert parsed.intervals == []
    assert str(parsed.warnings[0]).endswith('period at 02:00 skipped by the clock change dropped')


def test_energy_in_the_spring_gap_is_rejected() -> None:
    with pytest.raises(ImportRejected, match=r'period\[@start=0200\]: starts at 02:00, which the clock change skips'):
        parse_xml80020('m.xml', utf8(message(period('0200', '0300', '1'), day='20260329')), tz=BERLIN)


def test_a_zero_length_period_is_dropped_with_a_warning() -> None:
    parsed = parse_xml80020('m.xml', utf8(message(period('0100', '0100'))), tz=MOSCOW)
    assert (parsed.intervals, str(parsed.warnings[0]).endswith('zero-length period dropped')) == ([], True)


@pytest.mark.parametrize(
    ('periods', 'where', 'reason'),
    [
        (period('0100', '0030'), 'period[@start=0100]', 'ends before it starts (00:30 < 01:00)'),
        (period('0160', '0200'), 'period[@start=0160]', "start '0160' is not a time HHMM"),
        (period('0000', '0030', 'x'), 'period[@start=0000]', "value 'x' is not a number"),
        (period('0000', '0030', '-1'), 'period[@start=0000]', "value '-1' is negative"),
        ('<period start="0000" end="0030"><value status="2">1</value></period>', 'period[@start=0000]',
         "value status '2' is not 0 or 1"),
    ],
)  # fmt: skip
def test_a_bad_period_rejects_the_file_naming_the_element(periods: str, where: str, reason: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_xml80020('m.xml', utf8(message(periods)), tz=MOSCOW)
    channel = f'area[1]/measuringpoint[@code={POINT}]/measuringchannel[@code=01]'
    assert str(caught.value) == f'm.xml: element {channel}/{where}: {reason}'
    assert caught.value.localized('ru').startswith(f'm.xml: элемент {channel}/{where}: ')


def test_an_unknown_channel_is_rejected() -> None:
    with pytest.raises(ImportRejected, match=r"measuringchannel\[@code=05\]: channel code '05' is not 01"):
        parse_xml80020('m.xml', utf8(message(period('0000', '0030'), channel='05')), tz=MOSCOW)


def test_a_bad_day_is_rejected() -> None:
    with pytest.raises(ImportRejected, match=r"^m.xml: element message/datetime/day: day '20260230' is not a date"):
        parse_xml80020('m.xml', utf8(message(period('0000', '0030'), day='20260230')), tz=MOSCOW)
