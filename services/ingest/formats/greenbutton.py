"""Green Button ESPI (SPEC 6.4): an Atom feed whose entries link UsagePoint -> MeterReading -> ReadingType and
IntervalBlock by their hrefs. Entry order is not meaningful in Atom, so only the links are followed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from services.core.messages import Reason
from services.ingest.formats.obis_csv import Interval
from services.ingest.formats.records import ImportRejected, IntervalValue, Notice, ParsedFile
from services.ingest.formats.text import (
    MAX_DIGITS,
    VALUE,
    BadValue,
    Content,
    NotStreamable,
    clip,
    load_xml,
    local_name,
    parse_int,
    to_wh,
    xml_events,
)

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
    plan = _Plan(file, entries, meter, parsed)
    for block in plan.blocks:
        target = plan.of_block(block)
        if target is not None:
            _read_block(file, block, *target, parsed)
    return parsed


def stream_greenbutton(
    file: str, data: Content, *, meter: str | None = None, into: ParsedFile, size: int = 8192
) -> Iterator[list[Interval]]:
    """`parse_greenbutton` a block of at most `size` interval values at a time, in document order.

    Atom gives its entries in any order, so the document is read twice by a pull parser: first every entry but
    the values (the IntervalReadings are dropped as they are read, an IntervalBlock entry keeps its links only),
    to follow the links as the whole-document parser does; then the values of each IntervalBlock, dropped once
    read. The tree never exists whole. The warnings go into `into`; errors are the whole-document parser's,
    raised when reached. NotStreamable for a malformed document or another root (the caller reads it whole).
    """
    plan = _Plan(file, list(_entries_without_values(file, data)), meter, into)
    light = {entry.path: entry for entry in plan.blocks}
    block: list[Interval] = []
    stack: list[ET.Element] = []
    number = 0
    entry: ET.Element | None = None  # the open <entry> (a child of the root)
    content: ET.Element | None = None  # its first <content>: what the whole-document parser reads
    interval_block: ET.Element | None = None  # the open IntervalBlock of that content
    target: tuple[str, _Reading] | None = None  # the meter and reading type of the open entry's values
    path = ''
    blocks = readings = 0
    for events in _events(file, data):
        for event, element in events:
            if event == 'start':
                stack.append(element)
                depth, name = len(stack), local_name(element.tag)
                if depth == 2:
                    entry = element if name == 'entry' else None
                    if entry is not None:
                        number += 1
                        found = light.get(f'entry[{number}]')
                        target = plan.of_block(found) if found is not None else None
                        content, blocks = None, 0
                elif depth == 3 and name == 'content' and content is None and entry is not None:
                    content = element
                elif depth == 4 and name == 'intervalblock' and content is not None and stack[2] is content:
                    blocks, readings, interval_block = blocks + 1, 0, element
                    path = f'entry[{number}]/content/IntervalBlock[{blocks}]'
                continue
            stack.pop()
            if len(stack) == 4 and stack[3] is interval_block and local_name(element.tag) == 'intervalreading':
                readings += 1
                if target is not None:
                    value = _value(file, element, *target, f'{path}/IntervalReading[{readings}]', into.warnings)
                    if value is not None:
                        start, end = int(value.start.timestamp()), int(value.end.timestamp())
                        block.append((value.where, target[0], value.energy, start, end, value.wh, value.estimated))
                        if len(block) >= size:  # blocks of `size` values, however the document was read
                            yield block
                            block = []
                stack[3].remove(element)
            elif len(stack) == 1:
                stack[0].remove(element)
                entry = content = interval_block = target = None
    if block:
        yield block


class _Plan:
    """The links of a feed followed: which meter and reading type the values of each IntervalBlock entry have."""

    def __init__(self, file: str, entries: list[_Entry], meter: str | None, parsed: ParsedFile) -> None:
        self.file = file
        usage_points = [entry for entry in entries if entry.kind == 'usagepoint']
        self.readings = [entry for entry in entries if entry.kind == 'meterreading']
        self.blocks = [entry for entry in entries if entry.kind == 'intervalblock']
        if not usage_points:
            raise ImportRejected(file, Reason('no_usage_point'), element='feed')
        reading_types = _Hrefs([entry for entry in entries if entry.kind == 'readingtype'])
        usage_points_up, self.readings_up = _Parents(usage_points), _Parents(self.readings)
        self.plans: dict[str, tuple[_Entry, _Reading]] = {}  # MeterReading path -> (its UsagePoint, ReadingType)
        for reading in self.readings:
            usage_point = _linked_up(file, reading, usage_points_up, 'UsagePoint')
            reading_type = _reading_type(file, reading, reading_types)
            if isinstance(reading_type, Reason):  # demand, cost, gas, net flow: nothing we store
                parsed.warnings.append(Notice(file, reading_type, element=reading.path))
            else:
                self.plans[reading.path] = (usage_point, reading_type)
        self.meters = _meters(file, {usage_point.path: usage_point for usage_point, _ in self.plans.values()}, meter)

    def of_block(self, block: _Entry) -> tuple[str, _Reading] | None:
        """The meter and reading type of an IntervalBlock entry's values; None for a reading we do not store."""
        if not self.readings:
            raise ImportRejected(self.file, Reason('block_without_reading'), element=block.path)
        reading = _linked_up(self.file, block, self.readings_up, 'MeterReading')
        if reading.path not in self.plans:
            return None
        usage_point, reading_type = self.plans[reading.path]
        return self.meters[usage_point.path], reading_type


def _events(file: str, data: Content) -> Iterator[list[tuple[str, Any]]]:
    """`xml_events` of a feed: NotStreamable for another root, which the whole-document parser names."""
    first = True
    for events in xml_events(file, data):
        if first and events:
            if local_name(events[0][1].tag) != 'feed':
                raise NotStreamable(file)  # the whole-document parser names what the root is
            first = False
        yield events
    if first:
        raise NotStreamable(file)


def _entries_without_values(file: str, data: Content) -> Iterator[_Entry]:
    """Every entry of the feed in document order; an IntervalBlock entry without its resources (its values)."""
    stack: list[ET.Element] = []
    number = 0
    for events in _events(file, data):
        for event, element in events:
            if event == 'start':
                stack.append(element)
                continue
            stack.pop()
            if len(stack) == 1:
                if local_name(element.tag) == 'entry':
                    number += 1
                    entry = _entry(element, number)
                    yield replace(entry, resources=()) if entry.kind == 'intervalblock' else entry
                stack[0].remove(element)
            elif (
                stack and local_name(element.tag) == 'intervalreading' and local_name(stack[-1].tag) == 'intervalblock'
            ):
                stack[-1].remove(element)  # a value: read in the second pass


def _value(
    file: str, element: ET.Element, meter: str, reading: _Reading, path: str, warnings: list[Notice]
) -> IntervalValue | None:
    """The IntervalReading's value; None, with a warning, for a zero-length one; a bad one rejects the file."""
    try:
        value = _interval(element, meter, reading, path)
    except BadValue as error:
        raise ImportRejected(file, error.reason, element=path) from None
    if value is None:
        warnings.append(Notice(file, Reason('zero_length_reading'), element=path))
    return value


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


class _Hrefs:
    """Entries found by an href as `_same` matches it, without comparing it with every entry's (a feed of a
    utility holds thousands of UsagePoints and MeterReadings): by `key` (the self link by default)."""

    def __init__(self, entries: list[_Entry], key: Callable[[_Entry], Iterable[str]] = lambda e: (e.self_href,)):
        self.entries = entries
        self.whole: dict[str, list[int]] = {}  # an href -> the entries that have it
        self.tails: dict[str, list[int]] = {}  # what follows each '/' of an href -> the entries that have it
        for n, entry in enumerate(entries):
            for href in set(key(entry)):
                if href:
                    self.whole.setdefault(href, []).append(n)
                    for tail in _tails(href):
                        self.tails.setdefault(tail, []).append(n)

    def matching(self, href: str) -> set[int]:
        """The positions of the entries with an href `_same` as `href`: equal, or one a path suffix of the other."""
        if not href:
            return set()
        found = {*self.whole.get(href, ()), *self.tails.get(href, ())}
        for tail in _tails(href):
            found.update(self.whole.get(tail, ()))
        return found


class _Parents(_Hrefs):
    """The entries a child may hang below (`_is_child`), by their related links and their self links."""

    def __init__(self, entries: list[_Entry]) -> None:
        super().__init__(entries, key=lambda entry: entry.related)
        self.selves: dict[str, list[int]] = {}
        for n, entry in enumerate(entries):
            if entry.self_href:
                self.selves.setdefault(entry.self_href, []).append(n)

    def of(self, child: _Entry) -> list[_Entry]:
        """The parents `child` hangs below, in entry order (the candidates checked with `_is_child`)."""
        found = self.matching(child.up_href)
        href = child.self_href
        for cut in (n for n, character in enumerate(href) if character == '/'):
            found.update(self.selves.get(href[:cut], ()))
        return [self.entries[n] for n in sorted(found) if _is_child(child, self.entries[n])]


def _tails(href: str) -> list[str]:
    """What follows each '/' of `href`: the hrefs it ends with as a path."""
    return [href[cut + 1 :] for cut, character in enumerate(href) if character == '/' and cut + 1 < len(href)]


def _linked_up(file: str, child: _Entry, parents: _Parents, kind: str) -> _Entry:
    linked = parents.of(child)
    if len(linked) == 1:
        return linked[0]
    if not linked and len(parents.entries) == 1:
        return parents.entries[0]  # the only candidate: still independent of entry order
    raise ImportRejected(file, Reason('unlinked_entry', kind=kind), element=child.path)


def _reading_type(file: str, reading: _Entry, reading_types: _Hrefs) -> _Reading | Reason:
    """How to read the MeterReading's values, or why it is not energy we store."""
    found = set().union(*(reading_types.matching(href) for href in reading.related))
    linked = [entry for n, entry in enumerate(reading_types.entries) if n in found]
    if not linked and len(reading_types.entries) == 1:
        linked = reading_types.entries
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
            value = _value(file, element, meter, reading, path, parsed.warnings)
            if value is not None:
                parsed.intervals.append(value)


def _interval(element: ET.Element, meter: str, reading: _Reading, path: str) -> IntervalValue | None:
    start_text, duration_text, value_text, quality = _reading_texts(element)
    if not start_text:
        raise BadValue(Reason('no_start'))
    start = _moment(_whole(start_text, 'timePeriod/start'), start_text)
    seconds = _whole(duration_text, 'timePeriod/duration') if duration_text else reading.interval_seconds
    if seconds is None:
        raise BadValue(Reason('no_duration'))
    if seconds < 0:
        raise BadValue(Reason('negative_duration'))
    if seconds == 0:
        return None
    wh = None
    if value_text:
        amount = _whole(value_text, VALUE)
        if amount < 0:
            raise BadValue(Reason('negative', what=VALUE, value=value_text))
        if reading.power_of_ten:
            written = f'{value_text}e{reading.power_of_ten}'
            wh = to_wh(Decimal(amount), reading.power_of_ten, written=written)
        else:
            wh = amount  # watt-hours as written: at most 18 digits, below to_wh's bound
    estimated = bool(quality) and parse_int(quality or '', 'ReadingQuality/quality') in ESTIMATED_QUALITIES
    try:
        end = start + timedelta(seconds=seconds)
    except OverflowError:
        raise BadValue(
            Reason('time_unrepresentable', what=Reason('column', name='timePeriod/duration'), value=str(seconds))
        ) from None
    return IntervalValue(0, path, meter, None, reading.energy, start, end, wh, estimated, wh is None)


def _whole(text: str, what: str | Reason) -> int:
    """`parse_int` of a stripped text, plain digits read at once (every reading has a start, most a value)."""
    if len(text) <= MAX_DIGITS and text.isascii() and text.isdigit():
        return int(text)
    return parse_int(text, what)


def _reading_texts(element: ET.Element) -> tuple[str | None, str | None, str | None, str | None]:
    """`_text` of an IntervalReading's timePeriod/start, timePeriod/duration, value and ReadingQuality/quality, its
    children looked at once (a feed has millions of readings)."""
    period = value = rated = None
    for child in element:
        name = local_name(child.tag)
        if name == 'timeperiod':
            period = child if period is None else period
        elif name == 'value':
            value = child if value is None else value
        elif name == 'readingquality':
            rated = child if rated is None else rated
    start = duration = quality = None
    if period is not None:
        for child in period:
            name = local_name(child.tag)
            if name == 'start' and start is None:
                start = (child.text or '').strip()
            elif name == 'duration' and duration is None:
                duration = (child.text or '').strip()
    if rated is not None:
        quality = next((child.text or '' for child in rated if local_name(child.tag) == 'quality'), None)
    written = None if value is None else (value.text or '').strip()
    return start, duration, written, None if quality is None else quality.strip()


def _moment(seconds: int, text: str) -> datetime:
    """Unix seconds as a UTC time; one beyond the years 1..9999 is refused (the window is checked later)."""
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, ValueError, OSError):
        raise BadValue(
            Reason('time_unrepresentable', what=Reason('column', name='timePeriod/start'), value=clip(text))
        ) from None
