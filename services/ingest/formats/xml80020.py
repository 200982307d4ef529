"""XML 80020 (SPEC 6.3): half-hour or hourly energy per measuring point, in local wall-clock time of one day."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from services.core.messages import Reason
from services.ingest.formats.obis_csv import Interval
from services.ingest.formats.records import ImportRejected, IntervalValue, Notice, ParsedFile
from services.ingest.formats.text import (
    VALUE,
    BadValue,
    Content,
    NotStreamable,
    clip,
    load_xml,
    local_name,
    parse_decimal,
    to_wh,
    xml_events,
)

POINT_TAGS = ('measuringpoint', 'accountpoint', 'deliverypoint')
CHANNELS = {'01': 'A+', '02': 'A-', '03': 'R+', '04': 'R-'}
_HHMM = re.compile(r'([01]\d|2[0-4])([0-5]\d)')


@dataclass(frozen=True, slots=True)
class _Point:
    code: str
    path: str


def parse_xml80020(file: str, data: bytes, *, tz: ZoneInfo) -> ParsedFile:
    """Interval energy of every measuring point, keyed by point code, with times converted from `tz` to UTC."""
    root = load_xml(file, data)
    _lower_names(root)
    if root.tag != 'message' or root.get('class', '').strip() != '80020':
        raise ImportRejected(file, Reason('not_80020_root'), element=root.tag)
    day = _day(file, root)
    areas = root.findall('area')
    if not areas:
        raise ImportRejected(file, Reason('no_area'), element='message')
    parsed = ParsedFile(file=file, format='xml80020')
    for area_number, area in enumerate(areas, start=1):
        for element in area:
            if element.tag in POINT_TAGS:
                point = _point(file, element, f'area[{area_number}]')
                _read_point(file, element, point, day=day, tz=tz, parsed=parsed)
    return parsed


def stream_xml80020(file: str, data: Content, *, tz: ZoneInfo, into: ParsedFile) -> Iterator[list[Interval]]:
    """`parse_xml80020` a measuring point at a time: its values as `Interval` tuples (located by element path).

    The document is read by a pull parser and each point is dropped once read, so the tree never exists
    whole. The parser's warnings go into `into`. NotStreamable for what the whole-document parser must judge:
    a malformed document, another root, or a point before the day (the caller then reads it whole).
    """
    stack: list[ET.Element] = []
    day: date | None = None
    areas = 0
    for events in xml_events(file, data):
        block: list[Interval] = []
        for event, found in events:
            element: ET.Element = found
            if event == 'start':
                element.tag = local_name(element.tag)
                element.attrib = {local_name(name): value for name, value in element.attrib.items()}
                if not stack and (element.tag != 'message' or element.get('class', '').strip() != '80020'):
                    raise NotStreamable(file)
                stack.append(element)
                areas += len(stack) == 2 and element.tag == 'area'
                continue
            stack.pop()
            if len(stack) == 1 and element.tag == 'datetime' and day is None:
                day = _day(file, stack[0])  # the first <datetime>, as root.findtext('datetime/day') reads it
            elif len(stack) == 2 and stack[1].tag == 'area' and element.tag in POINT_TAGS:
                if day is None:
                    raise NotStreamable(file)
                point = _point(file, element, f'area[{areas}]')
                read = ParsedFile(file=file, format='xml80020')
                _read_point(file, element, point, day=day, tz=tz, parsed=read)
                into.warnings += read.warnings
                block += [
                    (v.where, point.code, v.energy, int(v.start.timestamp()), int(v.end.timestamp()), v.wh, False)
                    for v in read.intervals
                ]
                stack[1].remove(element)  # read: the tree keeps only what is still open
        if block:
            yield block
    if not areas or day is None:
        raise NotStreamable(file)


def _lower_names(root: ET.Element) -> None:
    """Exporters differ in the case of element and attribute names; the format itself does not care."""
    for element in root.iter():
        element.tag = local_name(element.tag)
        element.attrib = {local_name(name): value for name, value in element.attrib.items()}


def _day(file: str, root: ET.Element) -> date:
    text = (root.findtext('datetime/day') or '').strip()
    try:
        if re.fullmatch(r'\d{8}', text):
            day = date(int(text[:4]), int(text[4:6]), int(text[6:]))
            if not 2 <= day.year <= 9998:  # a day and its neighbours must have UTC times; the window is checked later
                reason = Reason('time_unrepresentable', what=Reason('date'), value=text)
                raise ImportRejected(file, reason, element='message/datetime/day')
            return day
    except ValueError:
        pass
    raise ImportRejected(file, Reason('day_not_a_date', day=clip(text)), element='message/datetime/day')


def _point(file: str, element: ET.Element, area_path: str) -> _Point:
    code = element.get('code', '').strip()
    if not code:
        raise ImportRejected(file, Reason('point_without_code'), element=f'{area_path}/{element.tag}')
    return _Point(code, f'{area_path}/{element.tag}[@code={clip(code)}]')


def _read_point(file: str, element: ET.Element, point: _Point, *, day: date, tz: ZoneInfo, parsed: ParsedFile) -> None:
    for channel in element.findall('measuringchannel'):
        code = channel.get('code', '').strip()
        channel_path = f'{point.path}/measuringchannel[@code={clip(code)}]'
        if code not in CHANNELS:
            raise ImportRejected(file, Reason('channel_code', code=clip(code)), element=channel_path)
        for period in channel.findall('period'):
            path = _period_path(channel_path, period)
            try:
                result = _period(period, day=day, tz=tz, code=point.code, energy=CHANNELS[code], path=path)
            except BadValue as error:
                raise ImportRejected(file, error.reason, element=path) from None
            if isinstance(result, Reason):
                parsed.warnings.append(Notice(file, result, element=path))
            else:
                parsed.intervals.append(result)


def _period_path(channel_path: str, period: ET.Element) -> str:
    summer = period.get('summer')
    return f'{channel_path}/period[@start={clip(period.get("start", ""))}]' + (
        f'[@summer={clip(summer)}]' if summer is not None else ''
    )


def _period(
    period: ET.Element, *, day: date, tz: ZoneInfo, code: str, energy: str, path: str
) -> IntervalValue | Reason:
    """The period's value, or the warning when it is dropped (zero length, or a clock-change gap)."""
    first_pass = period.get('summer', '').strip() == '1'
    local_start = _wall_clock(day, period.get('start', ''), 'start', is_end=False)
    local_end = _wall_clock(day, period.get('end', ''), 'end', is_end=True)
    if local_end < local_start:
        raise BadValue(Reason('ends_before_start_at', end=f'{local_end:%H:%M}', start=f'{local_start:%H:%M}'))
    wh = _value_wh(period)
    if not _exists(local_start, tz):
        if wh:
            raise BadValue(Reason('start_in_clock_gap', start=f'{local_start:%H:%M}', zone=tz.key))
        return Reason('period_in_clock_gap', start=f'{local_start:%H:%M}')
    start = _to_utc(local_start, tz, fold=0 if first_pass else 1)
    end = _end_utc(local_start, local_end, start=start, tz=tz, first_pass=first_pass)
    if end < start:
        raise BadValue(Reason('ends_before_start'))
    if end == start:
        return Reason('zero_length_period')
    return IntervalValue(0, path, None, code, energy, start, end, wh, False, wh is None)


@lru_cache(maxsize=4096)  # a document repeats the same 48 periods for every point and channel
def _wall_clock(day: date, text: str, what: str, *, is_end: bool) -> datetime:
    match = _HHMM.fullmatch(text.strip())
    if not match or (match[1] == '24' and match[2] != '00'):
        raise BadValue(Reason('not_hhmm', what=Reason('attribute', name=what), value=clip(text)))
    minutes = int(match[1]) * 60 + int(match[2])
    if is_end and minutes == 0:
        minutes = 24 * 60  # end="0000" is the next midnight
    if not is_end and minutes == 24 * 60:
        raise BadValue(Reason('end_of_day', what=Reason('attribute', name=what), value=text))
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)


def _value_wh(period: ET.Element) -> int | None:
    """Wh from the kWh value, None when missing (status 1, an empty value or no <value> at all)."""
    value = period.find('value')
    if value is None:
        return None
    status = value.get('status', '0').strip() or '0'
    if status not in ('0', '1'):
        raise BadValue(Reason('value_status', status=clip(status)))
    text = (value.text or '').strip()
    if status == '1' or not text:
        return None
    return _kwh_to_wh(text)


@lru_cache(maxsize=8192)  # meters repeat the same few thousand readings
def _kwh_to_wh(text: str) -> int:
    amount = parse_decimal(text)
    if amount < 0:
        raise BadValue(Reason('negative', what=VALUE, value=text))
    return to_wh(amount, 3, written=text)


@lru_cache(maxsize=4096)
def _end_utc(
    local_start: datetime, local_end: datetime, *, start: datetime, tz: ZoneInfo, first_pass: bool
) -> datetime:
    """The end instant, resolved against the start.

    A first-pass (summer="1") period lies wholly in summer time, but its end wall time ("03:00" ending the
    repeated hour 02:00-03:00) reads as winter time in zoneinfo; its length is the wall-clock difference.
    Otherwise the end is the earliest reading of its wall time after the start, which resolves an end in
    the repeated hour (01:00-02:00 ends at the first 02:00) and an end in the spring gap alike.
    """
    if first_pass:
        return start + (local_end - local_start)
    candidates = sorted({_to_utc(local_end, tz, fold=0), _to_utc(local_end, tz, fold=1)})
    return next((moment for moment in candidates if moment > start), candidates[-1])


@lru_cache(maxsize=4096)
def _to_utc(local: datetime, tz: ZoneInfo, *, fold: int) -> datetime:
    return local.replace(tzinfo=tz, fold=fold).astimezone(UTC)


@lru_cache(maxsize=4096)
def _exists(local: datetime, tz: ZoneInfo) -> bool:
    """False for wall times the spring clock change skips (they do not survive a round trip through UTC)."""
    return _to_utc(local, tz, fold=0).astimezone(tz).replace(tzinfo=None) == local
