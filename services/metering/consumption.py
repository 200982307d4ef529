"""What the consumption chart of /readings shows (SPEC S7, B1–B3, B10), read from roll-ups only.

One call builds a whole screen: the bars (hours of a day, days of a month or billing period, months of a
year), totals and cost per tariff zone, the forecast and comparison of a month, the always-on load.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, text
from sqlmodel import Session

from models import ENERGY_CODES, Account, User
from services.core import fmt
from services.core.i18n import _
from services.metering import insights, periods, pricing
from services.metering.series import SeriesRow, series
from services.residents import access
from services.residents.access import MeterView

VIEWS = ('day', 'month', 'year')
SERIES_INTERVAL = {'day': 'hour', 'month': 'day', 'year': 'month'}
ACTIVE_IMPORT = ENERGY_CODES['A+']
ALWAYS_ON_DAYS = 14
NIGHT_HOURS = range(5)  # local 00:00–05:00, when a household sleeps


@dataclass(frozen=True)
class ChartQuery:
    """What the resident asked for; `anchor` is a day inside the period (see `normalise`)."""

    meter_id: int
    anchor: date
    energy: int = ACTIVE_IMPORT
    view: str = 'month'  # 'day' | 'month' | 'year'
    period: str = 'calendar'  # 'calendar' | 'billing'


@dataclass(frozen=True)
class ChartData:
    query: ChartQuery
    meter: MeterView
    title: str  # «март 2026», «15 марта 2026», «2026»
    dates: str  # «26 фев – 25 мар 2026» for billing periods, else ''
    first: date  # local days shown, inclusive
    last: date
    rows: list[SeriesRow]
    ticks: list[str]  # x-axis labels
    zones: list[int]
    totals: dict[int, int] = field(default_factory=dict)  # zone -> Wh
    cost: dict[int, Decimal] = field(default_factory=dict)  # zone -> RUB, unrounded; empty when not priced
    bar_cost: list[dict[int, Decimal]] = field(default_factory=list)  # per row: zone -> RUB, unrounded
    forecast: insights.Forecast | None = None
    comparison: str = ''
    always_on: insights.AlwaysOn | None = None
    timezone: str = ''

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def missing(self) -> int:
        return sum(r.missing for r in self.rows)

    @property
    def estimated(self) -> int:
        return sum(r.estimated for r in self.rows)

    @property
    def can_drill(self) -> bool:
        return self.query.view != 'day'


def opening_query(*, meter_id: int, today: date) -> ChartQuery:
    """The chart the section opens with: the current calendar month."""
    return ChartQuery(meter_id=meter_id, anchor=today)


def normalise(query: ChartQuery, reading_day: int) -> ChartQuery:
    """The anchor the view expects: the 1st of the month label (of the billing period holding the day), Jan 1."""
    a = query.anchor
    if query.view == 'month':
        if query.period == 'billing':
            y, m = periods.billing_label_of(a, reading_day)
            return replace(query, anchor=date(y, m, 1))
        return replace(query, anchor=a.replace(day=1))
    if query.view == 'year':
        return replace(query, anchor=date(a.year, 1, 1))
    return query


def bounds(query: ChartQuery, reading_day: int) -> tuple[date, date]:
    """The first and last local day the chart covers."""
    a = query.anchor
    if query.view == 'day':
        return a, a
    if query.view == 'month':
        if query.period == 'billing':
            first, after = periods.billing_bounds(a.year, a.month, reading_day)
            return first, after - timedelta(days=1)
        ny, nm = (a.year + 1, 1) if a.month == 12 else (a.year, a.month + 1)
        return date(a.year, a.month, 1), date(ny, nm, 1) - timedelta(days=1)
    if query.period == 'billing':
        first, _after = periods.billing_bounds(a.year, 1, reading_day)
        _first, after = periods.billing_bounds(a.year, 12, reading_day)
        return first, after - timedelta(days=1)
    return date(a.year, 1, 1), date(a.year, 12, 31)


def drill(data: ChartData, index: int) -> ChartQuery | None:
    """The finer chart behind bar `index`: year → month (or billing period) → day; None for an hour."""
    q = data.query
    if q.view == 'year' and 0 <= index < 12:
        return replace(q, view='month', anchor=date(q.anchor.year, index + 1, 1))
    if q.view == 'month' and 0 <= index < len(data.rows):
        return replace(q, view='day', anchor=data.first + timedelta(days=index))
    return None


def chart(
    *, session: Session, user: User, query: ChartQuery, tz: ZoneInfo, default_reading_day: int, now: datetime
) -> ChartData:
    """The chart screen for a meter of `user` (NotYourMeter otherwise); energy in Wh, cost in RUB, local days."""
    meter = access.get_meter(session=session, user=user, meter_id=query.meter_id)
    life = access.meter_life(session=session, meter_id=meter.id, default_reading_day=default_reading_day)
    query = normalise(query, life.reading_day)
    conn = session.connection()
    stamp, today = int(now.timestamp()), now.astimezone(tz).date()
    first, last = bounds(query, life.reading_day)

    def read(interval: str, lo: date, hi: date, hours: Container[int] | None = None) -> list[SeriesRow]:
        return series(
            conn, meter=life, energy=query.energy, interval=interval, period=query.period, first=lo, last=hi, tz=tz,
            now=stamp, hours=hours,
        )  # fmt: skip

    # a year's bars are its twelve month labels; a billing year's first day lies in December of the year before
    year = query.anchor.year
    labels = (date(year, 1, 1), date(year, 12, 31)) if query.view == 'year' else (first, last)
    rows = read(SERIES_INTERVAL[query.view], *labels)
    rates = _rates(session, meter, query.energy)
    totals: dict[int, int] = {z: 0 for z in range(1, meter.tariff_zones + 1)}
    for row in rows:
        for zone, wh in row.zones.items():
            totals[zone] = totals.get(zone, 0) + wh
    bar_cost = pricing.bar_costs(rows, rates, tz, lambda lo, hi: read('day', lo, hi))
    data = ChartData(
        query=query,
        meter=meter,
        title=_title(query),
        dates=fmt.span(first, last) if query.period == 'billing' and query.view != 'day' else '',
        first=first,
        last=last,
        rows=rows,
        ticks=[_tick(query.view, r, tz) for r in rows],
        zones=zone_order(sorted(totals), meter.tariff_zones),
        totals=totals,
        cost=pricing.total_by_zone(bar_cost),
        bar_cost=bar_cost,
        timezone=str(tz),
    )
    if query.view == 'month':
        data = _month_insights(data, rows, rates, read, today, tz)
    if query.energy == ACTIVE_IMPORT:
        night = read('hour', today - timedelta(days=ALWAYS_ON_DAYS), today - timedelta(days=1), NIGHT_HOURS)
        hours = [r.total for r in night if r.complete]
        rate = pricing.day_rate(rates, meter.tariff_zones, today) if rates else None
        data = replace(data, always_on=insights.always_on(night_hours_wh=hours, rate=rate))
    return data


def energies_of(*, session: Session, user: User, meter_id: int) -> list[int]:
    """The energy types (1..4) the resident's meter has roll-ups of; A+ when it has none yet."""
    return energies_of_meters(session=session, user=user, meter_ids=[meter_id])[meter_id]


def energies_of_meters(*, session: Session, user: User, meter_ids: Sequence[int]) -> dict[int, list[int]]:
    """`energies_of` each of the resident's meters, asked in one statement (NotYourMeter for any other meter)."""
    for meter_id in meter_ids:
        access.get_meter(session=session, user=user, meter_id=meter_id)
    if not meter_ids:
        return {}
    codes = list(ENERGY_CODES.values())
    has = ', '.join(
        f'EXISTS (SELECT 1 FROM energy_rollup WHERE meter_id = meter.id AND energy = {int(e)})' for e in codes
    )
    rows = session.connection().execute(
        text(f'SELECT id, {has} FROM meter WHERE id IN :ids').bindparams(bindparam('ids', expanding=True)),
        {'ids': list(meter_ids)},
    )
    found = {int(row[0]): [e for e, present in zip(codes, row[1:], strict=True) if present] for row in rows}
    return {m: found.get(m) or [ACTIVE_IMPORT] for m in meter_ids}


def _month_insights(
    data: ChartData,
    day_rows: list[SeriesRow],
    rates: pricing.RateTable,
    read: Callable[[str, date, date], list[SeriesRow]],
    today: date,
    tz: ZoneInfo,
) -> ChartData:
    """Forecast of a running month and the comparison with the month before and the same month a year ago."""
    y, m = data.query.anchor.year, data.query.anchor.month
    after = data.last + timedelta(days=1)
    complete_days = [
        (periods.local_day(r.start, tz), r.total, r.complete)
        for r in day_rows
        if periods.local_day(r.start, tz) < today
    ]
    past_cost = None
    if rates:
        counted = [r for r in day_rows if r.complete and periods.local_day(r.start, tz) < today]
        past_cost = sum(pricing.cost_by_zone(pricing.day_zones(counted, tz), rates).values(), Decimal(0))
    outlook = insights.forecast(days=complete_days, cost=past_cost, first=data.first, after=after, today=today)
    length = (after - data.first).days
    if outlook is not None:
        current = insights.PeriodTotal(outlook.wh, length, '')
    elif after <= today:
        current = insights.PeriodTotal(data.total, length, '')
    else:
        return replace(data, forecast=None)
    months = read('month', date(y - 1, m, 1), date(y, m, 1))
    previous = months[-2] if len(months) >= 2 else None
    year_ago = months[0] if len(months) == 13 else None
    pm = 12 if m == 1 else m - 1
    others = [
        _period_total(previous, tz, _('in {month}').format(month=fmt.month_in(pm))),
        _period_total(
            year_ago, tz, _('in {month} {year}').format(month=fmt.month_in(m), year=y - 1)
        ),
    ]  # fmt: skip
    return replace(data, forecast=outlook, comparison=insights.comparison_sentence(current, others))


def _period_total(row: SeriesRow | None, tz: ZoneInfo, name: str) -> insights.PeriodTotal | None:
    if row is None or not row.present:
        return None
    days = (periods.local_day(row.end, tz) - periods.local_day(row.start, tz)).days
    return insights.PeriodTotal(row.total, days, name)


def _rates(session: Session, meter: MeterView, energy: int) -> pricing.RateTable:
    if energy != ACTIVE_IMPORT:  # only imported active energy is billed
        return {}
    account = session.get(Account, meter.account_id)
    group = account.tariff_group if account else ''
    return pricing.load_rates(session=session, tariff_group=group, tariff_zones=meter.tariff_zones)


def _title(query: ChartQuery) -> str:
    a = query.anchor
    if query.view == 'day':
        return fmt.day_title(a)
    if query.view == 'month':
        title = fmt.month_title(a.year, a.month)
        return _('billing period {month}').format(month=title) if query.period == 'billing' else title
    return _('billing year {year}').format(year=a.year) if query.period == 'billing' else str(a.year)


def _tick(view: str, row: SeriesRow, tz: ZoneInfo) -> str:
    if view == 'day':
        return row.label[11:13]
    if view == 'month':
        return str(periods.local_day(row.start, tz).day)
    return fmt.short_month(int(row.label[5:7]))


ENERGY_LABELS = {1: 'Active forward', 2: 'Active reverse', 3: 'Reactive forward', 4: 'Reactive reverse'}
# The resident's words for the zones, in the order a bill lists them (T3 half-peak sits between peak and night).
ZONE_LABELS = {1: {1: 'Consumption'}, 2: {1: 'Day', 2: 'Night'}, 3: {1: 'Peak', 3: 'Half-peak', 2: 'Night'}}


def energy_name(energy: int) -> str:
    """«Активная прямая»."""
    return _(ENERGY_LABELS.get(energy, 'Active forward'))


def unit(energy: int) -> str:
    """«кВт·ч» for active energy, «квар·ч» for reactive."""
    return _('kWh') if energy in (1, 2) else _('kvarh')


def zone_order(zones: list[int], tariff_zones: int) -> list[int]:
    """The zones in the order of the resident's bill; zones outside the tariff come last."""
    known = [z for z in ZONE_LABELS.get(tariff_zones, ZONE_LABELS[1]) if z in zones]
    return known + sorted(z for z in zones if z not in known)


def zone_name(zone: int, tariff_zones: int) -> str:
    """«День», «Ночь», «Пик», «Полупик»; «T2» for a zone the tariff does not have."""
    label = ZONE_LABELS.get(tariff_zones, ZONE_LABELS[1]).get(zone)
    return _(label) if label else f'T{zone}'
