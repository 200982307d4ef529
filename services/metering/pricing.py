"""Tariff rates with effective dates and the cost of consumption in roubles (SPEC §6.5, B1).

A rate holds from local 00:00 of `valid_from` until the next `valid_from` of the same group, tariff and zone.
Rates change at local midnight, so pricing day roll-ups per zone is exact: cost = Σ_day Σ_zone kWh × rate of
that day. A new rate therefore never re-prices the past.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import TariffRate, User
from services.core.db import prepared
from services.identity import audit
from services.identity.roles import require_staff
from services.ingest.formats.records import TariffRateRow
from services.metering.periods import DEFAULT_SCHEDULE, local_day
from services.metering.series import SeriesRow
from services.metering.tariffs import check_rate

KOPECK = Decimal('0.01')
RateTable = dict[int, list[tuple[date, Decimal]]]  # zone 1..3 -> [(valid_from, RUB per kWh)], by date


@dataclass(frozen=True)
class DayZone:
    """Energy of one zone on one local day."""

    day: date
    zone: int
    wh: int


def rate_table(rates: Iterable[tuple[int, date, Decimal]]) -> RateTable:
    """(zone, valid_from, rate) triples grouped by zone and sorted by date."""
    table: RateTable = {}
    for zone, valid_from, rate in rates:
        table.setdefault(zone, []).append((valid_from, Decimal(rate)))
    for entries in table.values():
        entries.sort()
    return table


def rate_on(table: RateTable, zone: int, day: date) -> Decimal | None:
    """The rate of `zone` in force on local `day`, or None before the first rate."""
    entries = table.get(zone, [])
    index = bisect.bisect_right([valid_from for valid_from, _ in entries], day) - 1
    return entries[index][1] if index >= 0 else None


def cost_by_zone(days: Iterable[DayZone], table: RateTable) -> dict[int, Decimal]:
    """Roubles per zone, unrounded: each day's energy at the rate in force that day (days without one cost 0)."""
    cost: dict[int, Decimal] = {}
    for item in days:
        rate = rate_on(table, item.zone, item.day)
        if rate is not None:
            cost[item.zone] = cost.get(item.zone, Decimal(0)) + Decimal(item.wh) / 1000 * rate
    return cost


def day_zones(rows: Iterable[SeriesRow], tz: ZoneInfo) -> list[DayZone]:
    """Rows of a day (or hour) series as energy per zone on their local day."""
    return [DayZone(local_day(r.start, tz), zone, wh) for r in rows for zone, wh in r.zones.items() if wh]


def bar_costs(
    rows: Sequence[SeriesRow], table: RateTable, tz: ZoneInfo, read_days: Callable[[date, date], list[SeriesRow]]
) -> list[dict[int, Decimal]]:
    """Roubles per zone of each bar, unrounded (empty dicts when there are no rates).

    Rates change only at local midnight, so a bar holding no change is priced whole at its first day's rate,
    exactly. The days of the bars that do hold a change are read once, `read_days(first, last)` over the span
    from the first such bar to the last, and priced day by day.
    """
    if not table:
        return [{} for _ in rows]
    changes = sorted({valid_from for entries in table.values() for valid_from, _ in entries})
    spans = [(local_day(r.start, tz), local_day(r.end - 1, tz)) for r in rows]
    split = [i for i, (first, last) in enumerate(spans) if _changes_inside(changes, first, last)]
    by_bar: dict[int, list[DayZone]] = {i: [] for i in split}
    if split:
        firsts = [spans[i][0] for i in split]
        for item in day_zones(read_days(spans[split[0]][0], spans[split[-1]][1]), tz):
            index = split[bisect.bisect_right(firsts, item.day) - 1]
            if spans[index][0] <= item.day <= spans[index][1]:
                by_bar[index].append(item)
    return [
        cost_by_zone(
            by_bar[i] if i in by_bar else [DayZone(spans[i][0], zone, wh) for zone, wh in row.zones.items() if wh],
            table,
        )
        for i, row in enumerate(rows)
    ]


def _changes_inside(changes: list[date], first: date, last: date) -> bool:
    """Whether a rate starts on a day after `first` and up to `last` (sorted `changes`)."""
    index = bisect.bisect_right(changes, first)
    return index < len(changes) and changes[index] <= last


def total_by_zone(costs: Iterable[dict[int, Decimal]]) -> dict[int, Decimal]:
    """The sum per zone of several bars' costs."""
    total: dict[int, Decimal] = {}
    for cost in costs:
        for zone, value in cost.items():
            total[zone] = total.get(zone, Decimal(0)) + value
    return total


def day_rate(table: RateTable, tariff_zones: int, day: date) -> Decimal | None:
    """The rate of a load that runs all day, weighted by each zone's hours (for the always-on estimate)."""
    spans = DEFAULT_SCHEDULE.get(tariff_zones) or DEFAULT_SCHEDULE[1]
    total = Decimal(0)
    for start, end, zone in spans:
        rate = rate_on(table, zone, day)
        if rate is None:
            return None
        total += rate * (end - start) / 1440
    return total


def rub(value: Decimal) -> Decimal:
    """Rounded to kopecks, for display only."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def load_rates(*, session: Session, tariff_group: str, tariff_zones: int) -> RateTable:
    """The rates of the group's tariff; the default group's ('') when the group has none."""
    return load_rates_many(session=session, tariffs=[(tariff_group, tariff_zones)])[tariff_group, tariff_zones]


def load_rates_many(*, session: Session, tariffs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], RateTable]:
    """`load_rates` of each (tariff group, tariff zones) pair, read in one statement."""
    wanted = set(tariffs)
    if not wanted:
        return {}
    session.flush()  # as an ORM query would: rates stored earlier in this transaction count
    rows = session.connection().execute(  # plain rows, not objects: every page with a tile or a chart reads them
        _rates_of(),
        {
            'groups': sorted({group for group, _zones in wanted} | {''}),
            'zones': sorted({zones for _group, zones in wanted}),
        },
    )
    found: dict[tuple[str, int], list[tuple[int, date, Decimal]]] = {}
    for group, zones, zone, valid_from, rub_per_kwh in rows:
        found.setdefault((group, zones), []).append((zone, valid_from, rub_per_kwh))
    tables = {}
    for group, zones in wanted:
        chosen = found.get((group, zones)) or found.get(('', zones)) or []
        tables[group, zones] = rate_table(chosen) if chosen else {}
    return tables


@prepared
def _rates_of() -> Select[str, int, int, date, Decimal]:
    rates = TariffRate.__table__.c  # type: ignore[attr-defined]
    return sa_select(rates.tariff_group, rates.tariff_zones, rates.zone, rates.valid_from, rates.rub_per_kwh).where(
        rates.tariff_group.in_(bindparam('groups', expanding=True)),
        rates.tariff_zones.in_(bindparam('zones', expanding=True)),
    )


def all_rates(*, session: Session) -> list[TariffRate]:
    """Every stored rate, by group, tariff, zone and date."""
    return list(
        session.exec(
            select(TariffRate).order_by(
                col(TariffRate.tariff_group),
                col(TariffRate.tariff_zones),
                col(TariffRate.zone),
                col(TariffRate.valid_from),
            )
        ).all()
    )


def store_tariffs(*, session: Session, rows: Sequence[TariffRateRow]) -> int:
    """Upsert parsed tariff rows on (group, tariff, zone, valid_from); returns how many were written."""
    for row in rows:
        put_rate(
            session=session,
            tariff_group=row.tariff_group,
            tariff_zones=row.tariff_zones,
            zone=int(row.zone.lstrip('Tt')),
            rub_per_kwh=row.rub_per_kwh,
            valid_from=row.valid_from,
        )
    return len(rows)


def put_rate(
    *, session: Session, tariff_group: str, tariff_zones: int, zone: int, rub_per_kwh: Decimal, valid_from: date
) -> TariffRate:
    """Store one rate, replacing the one of the same group, tariff, zone and date; RateRefused when invalid."""
    check_rate(tariff_group=tariff_group, tariff_zones=tariff_zones, zone=zone, rub_per_kwh=rub_per_kwh)
    group = tariff_group.strip()
    rate = session.exec(
        select(TariffRate).where(
            TariffRate.tariff_group == group,
            TariffRate.tariff_zones == tariff_zones,
            TariffRate.zone == zone,
            TariffRate.valid_from == valid_from,
        )
    ).first() or TariffRate(
        tariff_group=group, tariff_zones=tariff_zones, zone=zone, valid_from=valid_from, rub_per_kwh=rub_per_kwh
    )
    rate.rub_per_kwh = rub_per_kwh
    session.add(rate)
    session.flush()
    return rate


def add_rate(
    *,
    session: Session,
    user: User | None,
    tariff_group: str,
    tariff_zones: int,
    zone: int,
    rub_per_kwh: Decimal,
    valid_from: date,
    now: datetime,
) -> TariffRate:
    """An operator's rate, stored as put_rate does and recorded in the audit log with who set it.

    NotAllowed unless `user` is staff; RateRefused when the rate breaks a rule. A rate decides what residents are
    shown to pay, so the audit row is written in the same transaction as the rate.
    """
    staff = require_staff(user)
    rate = put_rate(
        session=session, tariff_group=tariff_group, tariff_zones=tariff_zones, zone=zone, rub_per_kwh=rub_per_kwh,
        valid_from=valid_from,
    )  # fmt: skip
    detail = f'{rate.tariff_group!r} {rate.tariff_zones} T{rate.zone} {rate.rub_per_kwh} from {rate.valid_from}'
    audit.record(session=session, action='tariff_rate_set', user_id=staff.id, now=now, detail=detail)
    return rate
