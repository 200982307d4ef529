"""Manual register readings (B7): what a resident may submit for a meter now, the checks, and the submission.

A reading is one register value per tariff zone (T1..T3 as the meter's tariff has) for the month whose window
is open. It must not be below the previous reading of the zone (a submitted one of an earlier month, or a
register the meter sent), nor far above what the meter usually uses: its usual daily use (from the last two
earlier readings) × 3, at least 10 kWh a day, × the days since the previous reading; with no usual use known,
100 kWh a day. Inside the window the resident may change the values; afterwards they are the utility's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session, col, select

from models import ManualReading, Meter, User
from services.core.errors import DomainError
from services.readings.window import Window, next_window, open_window
from services.residents import access
from services.residents.access import MeterView

MANUAL = 'manual'
SPARE_FACTOR = 3  # a month may hold three times the usual use (a cold spell, guests) before it looks wrong
MIN_DAILY_WH = 10_000  # ... and never less than 10 kWh a day
UNKNOWN_DAILY_WH = 100_000  # with no history, up to 100 kWh a day
MAX_KWH = Decimal('99999999')  # eight digits: more than any household register shows


@dataclass(frozen=True)
class Previous:
    wh: int
    day: date  # local day of the reading


@dataclass(frozen=True)
class ZoneForm:
    zone: int  # 1..3
    previous: Previous | None
    ceiling_wh: int | None  # the most that is plausible today; None without a previous reading
    submitted_wh: int | None  # this window's value, if any


@dataclass(frozen=True)
class Submitted:
    month: date
    zone: int
    wh: int
    submitted_at: datetime


@dataclass(frozen=True)
class ManualState:
    meter: MeterView
    manual: bool  # read by the resident; False: the meter sends its readings itself
    window: Window | None  # open now
    upcoming: Window  # open now or the next one
    zones: list[ZoneForm] = field(default_factory=list)
    history: list[Submitted] = field(default_factory=list)  # newest first


@dataclass(frozen=True)
class Refusal:
    zone: int
    reason: str  # 'empty' | 'not_number' | 'below_previous' | 'implausible' | 'too_many_decimals'
    previous: Previous | None = None
    ceiling_wh: int | None = None


class ReadingsRefused(DomainError):
    """Some values cannot be accepted; each refusal names its zone and why."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__('Readings refused')
        self.refusals = refusals


class WindowClosed(DomainError):
    """The window is closed (or the meter is read remotely): nothing may be submitted now."""


def manual_state(
    *, session: Session, user: User, meter_id: int, tz: ZoneInfo, days: tuple[int, int], now: datetime
) -> ManualState:
    """What the resident may do for the meter now (NotYourMeter for another's meter); days are local."""
    view = access.get_meter(session=session, user=user, meter_id=meter_id)
    meter = session.get(Meter, meter_id)
    assert meter is not None
    today = now.astimezone(tz).date()
    window, upcoming = open_window(today, days), next_window(today, days)
    manual = meter.reading_mode == MANUAL and meter.removed_on is None
    history = _history(session, meter_id)
    if not manual or window is None:
        return ManualState(view, manual, None if not manual else window, upcoming, [], history)
    return ManualState(view, manual, window, upcoming, _zones(session, meter, window, tz, now), history)


def submit(
    *,
    session: Session,
    user: User,
    meter_id: int,
    values: dict[int, str],
    tz: ZoneInfo,
    days: tuple[int, int],
    now: datetime,
) -> list[Submitted]:
    """Store this window's register values (typed kWh by zone); ReadingsRefused or WindowClosed otherwise."""
    state = manual_state(session=session, user=user, meter_id=meter_id, tz=tz, days=days, now=now)
    if state.window is None:
        raise WindowClosed('The window for readings is closed')
    accepted: dict[int, int] = {}
    refusals: list[Refusal] = []
    for form in state.zones:
        outcome = check(form, values.get(form.zone, ''))
        if isinstance(outcome, Refusal):
            refusals.append(outcome)
        else:
            accepted[form.zone] = outcome
    if refusals:
        raise ReadingsRefused(refusals)
    stored = []
    for zone, wh in accepted.items():
        stored.append(_store(session, meter_id, state.window.month, zone, wh, user, now))
    session.commit()
    return stored


def check(form: ZoneForm, typed: str) -> int | Refusal:
    """Watt-hours of a typed value in kWh («12 345,6»), or why it is refused."""
    cleaned = typed.replace(' ', '').replace('\u00a0', '').replace(',', '.')
    if not cleaned:
        return Refusal(form.zone, 'empty')
    try:
        kwh = Decimal(cleaned)
    except InvalidOperation:
        return Refusal(form.zone, 'not_number')
    if not kwh.is_finite() or kwh < 0 or kwh > MAX_KWH:
        return Refusal(form.zone, 'not_number')
    wh = kwh * 1000
    if wh != wh.to_integral_value():
        return Refusal(form.zone, 'too_many_decimals')
    value = int(wh)
    if form.previous is not None and value < form.previous.wh:
        return Refusal(form.zone, 'below_previous', previous=form.previous)
    if form.ceiling_wh is not None and value > form.ceiling_wh:
        return Refusal(form.zone, 'implausible', previous=form.previous, ceiling_wh=form.ceiling_wh)
    return value


def _zones(session: Session, meter: Meter, window: Window, tz: ZoneInfo, now: datetime) -> list[ZoneForm]:
    forms = []
    current = {
        r.zone: r.wh
        for r in session.exec(
            select(ManualReading).where(ManualReading.meter_id == meter.id, ManualReading.month == window.month)
        )
    }
    today = now.astimezone(tz).date()
    for zone in range(1, meter.tariff_zones + 1):
        earlier = _earlier(session, meter, zone, window, tz, now)
        previous = earlier[0] if earlier else None
        ceiling = None
        if previous is not None:
            daily = _usual_daily(earlier)
            allowed = max(SPARE_FACTOR * daily, MIN_DAILY_WH) if daily is not None else UNKNOWN_DAILY_WH
            ceiling = previous.wh + allowed * max((today - previous.day).days, 1)
        forms.append(ZoneForm(zone, previous, ceiling, current.get(zone)))
    return forms


def _earlier(session: Session, meter: Meter, zone: int, window: Window, tz: ZoneInfo, now: datetime) -> list[Previous]:
    """The zone's two latest readings before this window (submitted ones and the meter's own), newest first."""
    found: list[Previous] = []
    for row in session.exec(
        select(ManualReading)
        .where(ManualReading.meter_id == meter.id, ManualReading.zone == zone, ManualReading.month < window.month)
        .order_by(col(ManualReading.month).desc())
        .limit(2)
    ):
        found.append(Previous(row.wh, row.submitted_at.astimezone(tz).date()))
    zones = (zone, 0) if meter.tariff_zones == 1 else (zone,)
    for zone_code in zones:
        rows = session.connection().execute(
            text(
                'SELECT at, wh FROM register_reading WHERE meter_id = :m AND energy = 1 AND zone = :z AND at <= :now '
                'ORDER BY at DESC LIMIT 2'
            ),
            {'m': meter.id, 'z': zone_code, 'now': int(now.timestamp())},
        )
        found += [Previous(int(wh), datetime.fromtimestamp(int(at), tz).date()) for at, wh in rows]
        if found:
            break
    found.sort(key=lambda p: (p.day, p.wh), reverse=True)
    return found[:2]


def _usual_daily(earlier: list[Previous]) -> int | None:
    if len(earlier) < 2 or earlier[0].day <= earlier[1].day or earlier[0].wh < earlier[1].wh:
        return None
    return (earlier[0].wh - earlier[1].wh) // (earlier[0].day - earlier[1].day).days


def _history(session: Session, meter_id: int) -> list[Submitted]:
    rows = session.exec(
        select(ManualReading)
        .where(ManualReading.meter_id == meter_id)
        .order_by(col(ManualReading.month).desc(), col(ManualReading.zone))
        .limit(36)
    )
    return [Submitted(r.month, r.zone, r.wh, r.submitted_at) for r in rows]


def _store(session: Session, meter_id: int, month: date, zone: int, wh: int, user: User, now: datetime) -> Submitted:
    row = session.exec(
        select(ManualReading).where(
            ManualReading.meter_id == meter_id, ManualReading.month == month, ManualReading.zone == zone
        )
    ).first()
    if row is None:
        row = ManualReading(meter_id=meter_id, month=month, zone=zone, wh=wh)
    row.wh, row.user_id, row.submitted_at = wh, user.id, now
    session.add(row)
    return Submitted(month, zone, wh, now)
