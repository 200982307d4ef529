"""The main page's tiles (SPEC S5): the key figures of Subscriber, Readings, Diagnostics and Support."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import ENERGY_CODES, User
from services.metering import periods, pricing, series
from services.metering.rollups import MeterLife
from services.residents import access, badges, subscriber
from services.residents.access import MeterView
from services.residents.subscriber import Verification
from services.support import requests as support_requests
from services.support import views


@dataclass(frozen=True)
class SubscriberTile:
    accounts: int
    meters: int
    nearest: tuple[MeterView, Verification] | None


@dataclass(frozen=True)
class MeterPeriod:
    """One meter's A+ in the current billing period so far, and the change against the same days last year."""

    meter: MeterView
    label: str  # 'YYYY-MM' of the billing period
    first_day: date
    wh: int  # the period so far, today included
    change_percent: float | None  # per-day average of the full days so far vs the same days a year earlier
    cost: Decimal | None = None  # RUB, unrounded: each day at the rates in force that day; None without rates


@dataclass(frozen=True)
class SupportTile:
    open_requests: int
    new_replies: int
    latest_subject: str = ''
    latest_status: str = ''


def subscriber_tile(*, session: Session, user: User, today: date) -> SubscriberTile:
    """How many accounts and installed meters the resident has, and the verification that falls due first."""
    accounts = access.accounts_of(session=session, user=user)
    meters = access.meters_of(session=session, user=user)
    return SubscriberTile(
        accounts=len(accounts),
        meters=len(meters),
        nearest=subscriber.nearest_verification(session=session, user=user, today=today),
    )


def readings_tile(
    *, session: Session, user: User, now: datetime, tz: ZoneInfo, default_reading_day: int
) -> list[MeterPeriod]:
    """Each installed meter's current billing period so far (Wh, from the day roll-ups) and its year-on-year change.

    Every meter's days of both years come from one statement, and the rates of every tariff from another."""
    today = now.astimezone(tz).date()
    owned = access.holdings(session=session, user=user)
    tariff_of = {meter.id: account.tariff_group for meter, account, _name in owned.meters}
    meters = access.meters_of(session=session, user=user)
    plans = [_plan(access.meter_life(session=session, meter_id=v.id, default_reading_day=default_reading_day), today)
             for v in meters]  # fmt: skip
    asks = [series.Ask(p.life, p.first, today) for p in plans]
    asks += [series.Ask(p.life, p.last_first, p.last_first + timedelta(days=p.full_days - 1)) for p in plans]
    found = series.series_many(
        session.connection(), asks=asks, energy=ENERGY_CODES['A+'], interval='day', period='calendar', tz=tz,
        now=int(now.timestamp()),
    )  # fmt: skip
    rates = pricing.load_rates_many(session=session, tariffs={(tariff_of[v.id], v.tariff_zones) for v in meters})
    this_year, year_before = found[: len(plans)], found[len(plans) :]
    result = []
    for view, plan, rows, last_rows in zip(meters, plans, this_year, year_before, strict=True):
        change = _change(last_rows, plan.full_days, sum(r.total for r in rows[: plan.full_days]))
        table = rates[tariff_of[view.id], view.tariff_zones]
        cost = sum(pricing.cost_by_zone(pricing.day_zones(rows, tz), table).values(), Decimal(0)) if table else None
        result.append(MeterPeriod(view, plan.label, plan.first, sum(r.total for r in rows), change, cost))
    return result


def diagnostics_tile(*, session: Session, user: User) -> badges.NewEvents:
    """New events since the resident last opened Diagnostics (count, worst severity, the newest)."""
    return badges.new_events(session=session, user=user)


def support_tile(*, session: Session, user: User) -> SupportTile:
    """Requests not yet closed, desk replies (never internal notes) not yet opened, and the latest request."""
    found = support_requests.summary(session=session, user=user)
    latest = found.latest
    return SupportTile(
        open_requests=found.open_requests,
        new_replies=found.new_replies,
        latest_subject=latest.subject if latest else '',
        latest_status=views.status_text(latest.status) if latest else '',
    )


@dataclass(frozen=True)
class _Plan:
    """Which days of a meter the tile reads: its billing period so far, and the same full days a year earlier."""

    life: MeterLife
    label: str
    first: date
    full_days: int
    last_first: date


def _plan(life: MeterLife, today: date) -> _Plan:
    year, month = periods.billing_label_of(today, life.reading_day)
    first, _after = periods.billing_bounds(year, month, life.reading_day)
    last_first = periods.billing_bounds(year - 1, month, life.reading_day)[0]
    return _Plan(life, f'{year:04d}-{month:02d}', first, (today - first).days, last_first)


def _change(last_rows: list[series.SeriesRow], full_days: int, this_wh: int) -> float | None:
    """Percent change of the per-day average over `full_days` days against the same days a year earlier."""
    if full_days <= 0:
        return None
    if any(r.expected == 0 for r in last_rows):  # the meter was not there a year ago: no fair comparison
        return None
    before = sum(r.total for r in last_rows)
    if before <= 0:
        return None
    # the same number of days on both sides, so the ratio of sums is the ratio of per-day averages
    return (this_wh - before) / before * 100
