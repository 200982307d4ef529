"""Green Button ESPI (SPEC 6.4): an Atom feed whose entries link UsagePoint -> MeterReading -> ReadingType and
IntervalBlock by their hrefs. Entry order is not meaningful in Atom, so only the links are followed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from services.core.messages import Reason
from services.ingest.formats.records import ImportRejected, IntervalValue, Notice, ParsedFile
from services.ingest.formats.text import VALUE, BadValue, clip, load_xml, local_name, parse_int, to_wh

ENERGY_BY_READING = {(72, 1): 'A+', (72, 19): 'A-', (73, 1): 'R+', (73, 19): 'R-'}  # (uom, flowDirection)
# ESPI QualityOfReading values that mean "not measured": edited, estimated, derived, projected, mixed, normalised.
ESTIMATED_QUALITIES = frozenset({7, 8, 9, 11, 12, 13, 15})


@dataclass(frozen=True, slots=True)
class _Entry:
    path: str  # 'entry[N]'
    title: str
    self_href: str
    up_href: str
    related: tuple[str, ...]
    resources: tuple[ET.Element, ...]  # the children of <content>
    kind: str  # local name of the first resource, lower case ('' for an entry without content)


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a MeterReading's ReadingType says about its values."""

    energy: str
    power_of_ten: int
    interval_seconds: int | None


def parse_greenbutton(file: str, data: bytes, *, meter: str | None = None) -> ParsedFile:
    """Interval energy of every MeterReading; the meter is the UsagePoint's title unless `meter` is given."""
    root = load_xml(file, data)
    if local_name(root.tag) != 'feed':
        raise ImportRejected(file, Reason('not_atom_root'), element=local_name(root.tag))
    entries = [_entry(element, number) for number, element in enumerate(_children(root, 'entry'), start=1)]
    parsed = ParsedFile(file=file, format='greenbutton')
    usage_points = [entry for entry in entries if entry.kind == 'usagepoint']
    readings = [entry for entry in entries if entry.kind == 'meterreading']
    blocks = [entry for entry in entries if entry.kind == 'intervalblock']
    if not usage_points:
        raise ImportRejected(file, Reason('no_usage_point'), element='feed')
    reading_types = [entry for entry in entries if entry.kind == 'readingtype']
    plans: dict[str, tuple[_Entry, _Reading]] = {}  # MeterReading path -> (its UsagePoint, its ReadingType)
    for reading in readings:
        usage_point = _linked_up(file, reading, usage_points, 'UsagePoint')
        reading_type = _reading_type(file, reading, reading_types)
        if isinstance(reading_type, Reason):  # demand, cost, gas, net flow: nothing we store
            parsed.warnings.append(Notice(file, reading_type, element=reading.path))
        else:
            plans[reading.path] = (usage_point, reading_type)
    meters = _meters(file, {usage_point.path: usage_point for usage_point, _ in plans.values()}, meter)
    for block in blocks:
        if not readings:
            raise ImportRejected(file, Reason('block_without_reading'), element=block.path)
        reading = _linked_up(file, block, readings, 'MeterReading')
        if reading.path in plans:
            usage_point, reading_type = plans[reading.path]
            _read_block(file, block, meters[usage_point.path], reading_type, parsed)
    return parsed


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local_name(child.tag) == name]


def _text(element: ET.Element, *names: str) -> str | None:
    """The stripped text of a descendant reached through `names` (local names), or None."""
    for name in names:
        found = _children(element, name)
        if not found:
            return None
        element = found[0]
    return (element.text or '').strip()


def _entry(element: ET.Element, number: int) -> _Entry:
    links = [(link.get('rel', '').strip(), _href(link.get('href', ''))) for link in _children(element, 'link')]
    content = _children(element, 'content')
    resources = tuple(content[0]) if content else ()
    return _Entry(
        path=f'entry[{number}]',
        title=_text(element, 'title') or '',
        self_href=next((href for rel, href in links if rel == 'self'), ''),
        up_href=next((href for rel, href in links if rel == 'up'), ''),
        related=tuple(href for rel, href in links if rel == 'related'),
        resources=resources,
        kind=local_name(resources[0].tag) if resources else '',
    )


def _href(text: str) -> str:
    return text.strip().rstrip('/')


def _same(left: str, right: str) -> bool:
    """Hrefs match when equal or when one is a path suffix of the other (absolute vs relative links)."""
    if not left or not right:
        return False
    return left == right or left.endswith('/' + right) or right.endswith('/' + left)


def _is_child(child: _Entry, parent: _Entry) -> bool:
    """`child` hangs below `parent`: its up link is one of parent's related links, or its self link extends parent's."""
    if any(_same(child.up_href, related) for related in parent.related):
        return True
    return bool(parent.self_href) and child.self_href.startswith(parent.self_href + '/')


def _linked_up(file: str, child: _Entry, parents: list[_Entry], kind: str) -> _Entry:
    linked = [parent for parent in parents if _is_child(child, parent)]
    if len(linked) == 1:
        return linked[0]
    if not linked and len(parents) == 1:
        return parents[0]  # the only candidate: still independent of entry order
    raise ImportRejected(file, Reason('unlinked_entry', kind=kind), element=child.path)


def _reading_type(file: str, reading: _Entry, reading_types: list[_Entry]) -> _Reading | Reason:
    """How to read the MeterReading's values, or why it is not energy we store."""
    linked = [entry for entry in reading_types if any(_same(entry.self_href, href) for href in reading.related)]
    if not linked and len(reading_types) == 1:
        linked = reading_types
    if len(linked) != 1:
        raise ImportRejected(file, Reason('no_reading_type'), element=reading.path)
    entry = linked[0]
    resource = entry.resources[0]
    try:
        uom = parse_int(_text(resource, 'uom') or '', 'uom')
        flow = parse_int(_text(resource, 'flowdirection') or '1', 'flowDirection')
        power = parse_int(_text(resource, 'poweroftenmultiplier') or '0', 'powerOfTenMultiplier')
        interval = _text(resource, 'intervallength')
        seconds = parse_int(interval, 'intervalLength') if interval else None
    except BadValue as error:
        raise ImportRejected(file, error.reason, element=f'{entry.path}/content/ReadingType') from None
    energy = ENERGY_BY_READING.get((uom, flow))
    if energy is None:
        return Reason('not_energy_reading', name=entry.title or entry.self_href, uom=uom, flow=flow)
    return _Reading(energy, power, seconds)


def _meters(file: str, usage_points: dict[str, _Entry], meter: str | None) -> dict[str, str]:
    """Meter serial per UsagePoint path: the given `meter`, else each UsagePoint's title."""
    if meter is not None:
        if len(usage_points) > 1:
            raise ImportRejected(file, Reason('several_usage_points', n=len(usage_points)), element='feed')
        return {path: meter for path in usage_points}
    for path, usage_point in usage_points.items():
        if not usage_point.title:
            raise ImportRejected(file, Reason('untitled_usage_point'), element=path)
    return {path: usage_point.title for path, usage_point in usage_points.items()}


def _read_block(file: str, block: _Entry, meter: str, reading: _Reading, parsed: ParsedFile) -> None:
    interval_blocks = [resource for resource in block.resources if local_name(resource.tag) == 'intervalblock']
    for block_number, interval_block in enumerate(interval_blocks, start=1):
        for number, element in enumerate(_children(interval_block, 'intervalreading'), start=1):
            path = f'{block.path}/content/IntervalBlock[{block_number}]/IntervalReading[{number}]'
            try:
                value = _interval(element, meter, reading, path)
            except BadValue as error:
                raise ImportRejected(file, error.reason, element=path) from None
            if value is None:
                parsed.warnings.append(Notice(file, Reason('zero_length_reading'), element=path))
            else:
                parsed.intervals.append(value)


def _interval(element: ET.Element, meter: str, reading: _Reading, path: str) -> IntervalValue | None:
    start_text = _text(element, 'timeperiod', 'start')
    if not start_text:
        raise BadValue(Reason('no_start'))
    start = _moment(parse_int(start_text, 'timePeriod/start'), start_text)
    duration_text = _text(element, 'timeperiod', 'duration')
    seconds = parse_int(duration_text, 'timePeriod/duration') if duration_text else reading.interval_seconds
    if seconds is None:
        raise BadValue(Reason('no_duration'))
    if seconds < 0:
        raise BadValue(Reason('negative_duration'))
    if seconds == 0:
        return None
    value_text = _text(element, 'value')
    wh = None
    if value_text:
        amount = parse_int(value_text, VALUE)
        if amount < 0:
            raise BadValue(Reason('negative', what=VALUE, value=value_text))
        written = f'{value_text}e{reading.power_of_ten}' if reading.power_of_ten else value_text
        wh = to_wh(Decimal(amount), reading.power_of_ten, written=written)
    quality = _text(element, 'readingquality', 'quality')
    estimated = bool(quality) and parse_int(quality or '', 'ReadingQuality/quality') in ESTIMATED_QUALITIES
    try:
        end = start + timedelta(seconds=seconds)
    except OverflowError:
        raise BadValue(
            Reason('time_unrepresentable', what=Reason('column', name='timePeriod/duration'), value=str(seconds))
        ) from None
    return IntervalValue(0, path, meter, None, reading.energy, start, end, wh, estimated, wh is None)


def _moment(seconds: int, text: str) -> datetime:
    """Unix seconds as a UTC time; one beyond the years 1..9999 is refused (the window is checked later)."""
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, ValueError, OSError):
        raise BadValue(
            Reason('time_unrepresentable', what=Reason('column', name='timePeriod/start'), value=clip(text))
        ) from None
