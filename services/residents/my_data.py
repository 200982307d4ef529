"""«Скачать мои данные» (SPEC B4): a meter's interval values over chosen days as Green Button ESPI XML or CSV.

The XML is the format the importer reads (SPEC 6.4, services/ingest/formats/greenbutton.py): one UsagePoint
titled with the meter's serial, one MeterReading per energy type, its ReadingType (uom 72 Wh / 73 varh,
flowDirection 1 forward / 19 reverse, intervalLength of the profile) and an IntervalBlock per local day. Every
interval of the meter's life in the range is written: a measured value plainly, an estimated one with
ReadingQuality 8 («estimated»), a missing one as an IntervalReading without a value. Imported into another
portal it gives the same day totals with the same missing and estimated marks.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session

from models import ESTIMATED, User
from services.core.errors import DomainError
from services.metering import periods
from services.residents import access
from services.residents.access import MeterView

ATOM = 'http://www.w3.org/2005/Atom'
ESPI = 'http://naesb.org/espi'
READING_OF_ENERGY = {1: (72, 1), 2: (72, 19), 3: (73, 1), 4: (73, 19)}  # energy code -> (uom, flowDirection)
ENERGY_NAMES = {1: 'A+', 2: 'A-', 3: 'R+', 4: 'R-'}
QUALITY_ESTIMATED = 8  # ESPI QualityOfReading: estimated using a reference day
MAX_DAYS = 800  # two years and a little more: a download stays a few megabytes


class BadRange(DomainError):
    """The dates do not make a range this download can give."""


@dataclass(frozen=True)
class Interval:
    start: int  # epoch seconds, UTC
    wh: int | None  # None: missing
    estimated: bool


@dataclass(frozen=True)
class Extract:
    meter: MeterView
    energy: int
    first: date
    last: date
    tz: ZoneInfo
    seconds: int  # the profile's interval length
    days: list[tuple[date, list[Interval]]]

    @property
    def name(self) -> str:
        return f'meter_{self.meter.serial}_{ENERGY_NAMES[self.energy]}_{self.first}_{self.last}'


def extract(
    *,
    session: Session,
    user: User,
    meter_id: int,
    energy: int,
    first: date,
    last: date,
    tz: ZoneInfo,
    now: datetime,
    limit: bool = True,
) -> Extract:
    """The meter's intervals of the local days first..last (within its life and before `now`); NotFound for a
    meter that is not the resident's, BadRange for reversed or too long ranges or an unknown energy type."""
    meter = access.get_meter(session=session, user=user, meter_id=meter_id)
    if energy not in READING_OF_ENERGY:
        raise BadRange('Unknown energy type.')
    if last < first:
        raise BadRange('The end date is before the start date.')
    if limit and (last - first).days >= MAX_DAYS:
        raise BadRange('Choose at most {n} days.')
    seconds = meter.profile_minutes * 60
    lo, hi = periods.midnight(first, tz), periods.midnight(last + timedelta(days=1), tz)
    rows = session.connection().execute(
        text(
            'SELECT start, wh, flags FROM interval_energy '
            'WHERE meter_id = :m AND energy = :e AND start >= :lo AND start < :hi ORDER BY start'
        ),
        {'m': meter.id, 'e': energy, 'lo': lo, 'hi': hi},
    )
    stored = {int(start): (int(wh), bool(int(flags) & ESTIMATED)) for start, wh, flags in rows}
    life_lo = periods.midnight(meter.installed_on, tz) if meter.installed_on else lo
    life_hi = periods.midnight(meter.removed_on, tz) if meter.removed_on else hi
    end = min(hi, life_hi, int(now.timestamp()) // seconds * seconds)
    days: list[tuple[date, list[Interval]]] = []
    for day in periods.days(first, last):
        start, stop = max(periods.midnight(day, tz), life_lo), min(periods.midnight(day + timedelta(days=1), tz), end)
        slots = []
        for at in range(start, stop, seconds):
            wh, estimated = stored.get(at, (None, False))
            slots.append(Interval(at, wh, estimated))
        if slots:
            days.append((day, slots))
    return Extract(meter, energy, first, last, tz, seconds, days)


def to_espi(data: Extract, *, now: datetime) -> bytes:
    """The Green Button ESPI Atom feed of the extract."""
    ET.register_namespace('', ATOM)
    ET.register_namespace('espi', ESPI)
    feed = ET.Element(f'{{{ATOM}}}feed')
    _add(feed, 'id', f'urn:kabinet:meter:{data.meter.serial}:{data.first}:{data.last}')
    _add(feed, 'title', f'{data.meter.serial} {data.first} – {data.last}')
    _add(feed, 'updated', now.astimezone(UTC).isoformat(timespec='seconds'))
    point = 'UsagePoint/1'
    reading = f'{point}/MeterReading/1'
    usage = _entry(feed, data.meter.serial, self_href=point, related=[f'{point}/MeterReading'])
    kind = ET.SubElement(ET.SubElement(_content(usage, 'UsagePoint'), f'{{{ESPI}}}ServiceCategory'), f'{{{ESPI}}}kind')
    kind.text = '0'  # electricity
    meter_reading = _entry(
        feed, ENERGY_NAMES[data.energy], self_href=reading, up=f'{point}/MeterReading',
        related=['ReadingType/1', f'{reading}/IntervalBlock'],
    )  # fmt: skip
    _content(meter_reading, 'MeterReading')
    uom, flow = READING_OF_ENERGY[data.energy]
    reading_type = _content(_entry(feed, ENERGY_NAMES[data.energy], self_href='ReadingType/1'), 'ReadingType')
    for name, value in (('flowDirection', flow), ('intervalLength', data.seconds), ('powerOfTenMultiplier', 0)):
        _espi(reading_type, name, str(value))
    _espi(reading_type, 'uom', str(uom))
    for number, (day, slots) in enumerate(data.days, start=1):
        entry = _entry(feed, str(day), self_href=f'{reading}/IntervalBlock/{number}', up=f'{reading}/IntervalBlock')
        block = _content(entry, 'IntervalBlock')
        period = ET.SubElement(block, f'{{{ESPI}}}interval')
        _espi(period, 'duration', str(len(slots) * data.seconds))
        _espi(period, 'start', str(slots[0].start))
        for slot in slots:
            _interval_reading(block, slot, data.seconds)
    written: bytes = ET.tostring(feed, encoding='utf-8', xml_declaration=True)
    return written


def to_csv(data: Extract) -> bytes:
    """One line per interval: local start, UTC start, Wh (empty when missing), and its mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=';', lineterminator='\r\n')
    writer.writerow(['meter', 'energy', 'local_start', 'utc_start', 'seconds', 'wh', 'quality'])
    for _day, slots in data.days:
        for slot in slots:
            at = datetime.fromtimestamp(slot.start, UTC)
            quality = 'missing' if slot.wh is None else 'estimated' if slot.estimated else 'measured'
            writer.writerow([
                data.meter.serial, ENERGY_NAMES[data.energy], at.astimezone(data.tz).isoformat(timespec='minutes'),
                at.isoformat(timespec='minutes'), data.seconds, '' if slot.wh is None else slot.wh, quality,
            ])  # fmt: skip
    return ('\ufeff' + buffer.getvalue()).encode('utf-8')


def _interval_reading(block: ET.Element, slot: Interval, seconds: int) -> None:
    element = ET.SubElement(block, f'{{{ESPI}}}IntervalReading')
    if slot.estimated and slot.wh is not None:
        _espi(ET.SubElement(element, f'{{{ESPI}}}ReadingQuality'), 'quality', str(QUALITY_ESTIMATED))
    period = ET.SubElement(element, f'{{{ESPI}}}timePeriod')
    _espi(period, 'duration', str(seconds))
    _espi(period, 'start', str(slot.start))
    if slot.wh is not None:
        _espi(element, 'value', str(slot.wh))


def _entry(
    feed: ET.Element, title: str, *, self_href: str, up: str = '', related: list[str] | None = None
) -> ET.Element:
    entry = ET.SubElement(feed, f'{{{ATOM}}}entry')
    _add(entry, 'id', f'urn:kabinet:{self_href}')
    ET.SubElement(entry, f'{{{ATOM}}}link', rel='self', href=self_href)
    if up:
        ET.SubElement(entry, f'{{{ATOM}}}link', rel='up', href=up)
    for href in related or []:
        ET.SubElement(entry, f'{{{ATOM}}}link', rel='related', href=href)
    _add(entry, 'title', title)
    return entry


def _content(entry: ET.Element, resource: str) -> ET.Element:
    return ET.SubElement(ET.SubElement(entry, f'{{{ATOM}}}content'), f'{{{ESPI}}}{resource}')


def _add(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, f'{{{ATOM}}}{name}').text = value


def _espi(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, f'{{{ESPI}}}{name}').text = value
