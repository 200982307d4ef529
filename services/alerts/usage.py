"""Usage alerts (B5): a billing period heading over the resident's threshold, and the summary of a closed period.

High usage: the period so far (day roll-ups, cost at the rates of each day) scaled to the whole period by the
time elapsed, once at least MIN_DAYS have passed; alerted once per meter and period when the forecast exceeds
the resident's threshold in kWh or in roubles. Monthly summary: once per meter and closed billing period, from
the billing roll-up, with the comparison to the period before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from models import ENERGY_CODES, Account, EnergyRollup, Grain, Meter, User
from services.alerts.emails import queue_alert
from services.alerts.preferences import HIGH_USAGE, MONTHLY_SUMMARY, thresholds, wants
from services.core import fmt
from services.core.i18n import _
from services.core.settings import Settings
from services.metering import insights, periods, pricing, series
from services.metering.rollups import MeterLife
from services.residents import access, dashboard

MIN_DAYS = 3
DAY = 86400


@dataclass(frozen=True)
class Recorder:
    """Whether a cause was alerted already, and how to record one (evaluate.py keeps alert_sent)."""

    seen: Callable[[str], bool]
    add: Callable[[str], None]


def high_usage(session: Session, settings: Settings, user: User, now: datetime, record: Recorder) -> None:
    kwh, rub = thresholds(session=session, user_id=user.id or 0)
    if kwh is None and rub is None:
        return
    tz, default_day = settings.tz, settings.reading_day
    for period in dashboard.readings_tile(session=session, user=user, now=now, tz=tz, default_reading_day=default_day):
        year, month = (int(p) for p in period.label.split('-'))
        life = access.meter_life(session=session, meter_id=period.meter.id, default_reading_day=default_day)
        bounds = periods.billing_period(year, month, life.reading_day, tz)
        elapsed = now.timestamp() - bounds.start
        if elapsed < MIN_DAYS * DAY:
            continue
        share = Decimal(bounds.end - bounds.start) / Decimal(round(elapsed))
        wh = round(period.wh * share)
        cost = period.cost * share if period.cost is not None else None
        over = (kwh is not None and wh > kwh * 1000) or (rub is not None and cost is not None and cost > rub)
        key = f'high_usage:{period.meter.id}:{period.label}'
        if not over or record.seen(key):
            continue
        if not wants(session=session, user_id=user.id or 0, kind=HIGH_USAGE, meter_id=period.meter.id):
            continue
        text = _('At this rate meter {serial} will use about {energy} in the billing period of {month}.')
        lines = [_('Hello!'), text.format(serial=period.meter.serial, energy=fmt.kwh_text(round(wh, -3)),
                                          month=fmt.month_title(year, month))]  # fmt: skip
        if cost is not None:
            lines.append(_('That is about {cost} at the current rates.').format(cost=fmt.roubles(cost)))
        subject = _('Meter {serial}: usage above your threshold').format(serial=period.meter.serial)
        queue_alert(session=session, settings=settings, user=user, kind=HIGH_USAGE, meter_id=period.meter.id,
                    subject=subject, paragraphs=lines, link='/readings', now=now)  # fmt: skip
        record.add(key)


def monthly_summary(
    session: Session, settings: Settings, user: User, meters: list[Meter], now: datetime, record: Recorder
) -> None:
    tz, today = settings.tz, now.astimezone(settings.tz).date()
    for meter in meters:
        life = access.meter_life(session=session, meter_id=meter.id or 0, default_reading_day=settings.reading_day)
        year, month = _previous(*periods.billing_label_of(today, life.reading_day))
        key = f'monthly:{meter.id}:{year:04d}-{month:02d}'
        closed = periods.billing_period(year, month, life.reading_day, tz)
        wh = _billing_wh(session, meter.id or 0, closed.start)
        if wh is None or record.seen(key):
            continue
        if not wants(session=session, user_id=user.id or 0, kind=MONTHLY_SUMMARY, meter_id=meter.id or 0):
            continue
        name = fmt.month_title(year, month)
        text = _('Meter {serial} used {energy} in the billing period of {month}.')
        lines = [_('Hello!'), text.format(serial=meter.serial, energy=fmt.kwh_text(wh), month=name)]
        cost = _closed_cost(session, meter, life, year, month, settings, now)
        if cost is not None:
            lines.append(_('Its cost at the rates in force each day: {cost}.').format(cost=fmt.roubles(cost)))
        comparison = _comparison(session, meter.id or 0, life.reading_day, year, month, wh, settings)
        if comparison:
            lines.append(comparison)
        subject = _('Meter {serial}: {month} in figures').format(serial=meter.serial, month=name)
        queue_alert(session=session, settings=settings, user=user, kind=MONTHLY_SUMMARY, meter_id=meter.id or 0,
                    subject=subject, paragraphs=lines, link='/readings', now=now)  # fmt: skip
        record.add(key)


def _closed_cost(
    session: Session, meter: Meter, life: MeterLife, year: int, month: int, settings: Settings, now: datetime
) -> Decimal | None:
    """The roubles of a closed billing period, each day at the rates in force that day; None without rates."""
    account = session.get(Account, meter.account_id)
    rates = pricing.load_rates(
        session=session, tariff_group=account.tariff_group if account else '', tariff_zones=meter.tariff_zones
    )
    if not rates:
        return None
    first, after = periods.billing_bounds(year, month, life.reading_day)
    rows = series.series(
        session.connection(), meter=life, energy=ENERGY_CODES['A+'], interval='day', period='calendar',
        first=first, last=after - timedelta(days=1), tz=settings.tz, now=int(now.timestamp()),
    )  # fmt: skip
    return sum(pricing.cost_by_zone(pricing.day_zones(rows, settings.tz), rates).values(), Decimal(0))


def _comparison(
    session: Session, meter_id: int, reading_day: int, year: int, month: int, wh: int, settings: Settings
) -> str:
    closed = periods.billing_period(year, month, reading_day, settings.tz)
    py, pm = _previous(year, month)
    before = periods.billing_period(py, pm, reading_day, settings.tz)
    before_wh = _billing_wh(session, meter_id, before.start)
    if not before_wh:
        return ''
    other = insights.PeriodTotal(before_wh, round((before.end - before.start) / DAY),
                                 _('in {month}').format(month=fmt.month_in(pm)))  # fmt: skip
    return insights.comparison_sentence(insights.PeriodTotal(wh, round((closed.end - closed.start) / DAY), ''), [other])


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _billing_wh(session: Session, meter_id: int, start: int) -> int | None:
    rows = session.exec(
        select(EnergyRollup).where(
            EnergyRollup.meter_id == meter_id,
            EnergyRollup.energy == 1,
            EnergyRollup.grain == int(Grain.billing),
            EnergyRollup.start == start,
            col(EnergyRollup.present) > 0,
        )
    ).all()
    return sum(r.wh for r in rows) if rows else None
