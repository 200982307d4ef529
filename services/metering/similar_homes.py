"""Comparison with similar homes (B11): each account's last closed billing period against comparable homes.

Homes compare when they share the settlement (the address up to its first comma, «пос. Сахарово»), the tariff
(the most zones among the account's meters) and the tariff group of the registry (the kind of home as far as
the registry tells: «город», «село», «электроплита»). A group is shown only with at least MIN_HOMES homes, so
that no one's consumption can be inferred. A job computes it from the billing roll-ups into home_comparison;
pages only read that table.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models import Account, EnergyRollup, Grain, HomeComparison, Meter, User
from models.registry import address_search_key
from services.core.db import prepared
from services.metering import periods
from services.residents import access

MIN_HOMES = 20
A_PLUS = 1


@dataclass(frozen=True)
class Comparison:
    account_number: str
    period: str  # YYYY-MM
    wh: int
    homes: int
    median_wh: int
    efficient_wh: int

    @property
    def percent(self) -> int:
        """How far from the median, in whole percent: negative is less than similar homes."""
        return round((self.wh - self.median_wh) * 100 / self.median_wh) if self.median_wh else 0


def settlement(address: str) -> str:
    return address_search_key(address.split(',', maxsplit=1)[0])


def figures(values: list[int]) -> tuple[int, int]:
    """The median and the upper bound of the lowest quarter (inclusive quartiles), rounded to the Wh."""
    quartiles = statistics.quantiles(values, n=4, method='inclusive')
    return round(statistics.median(values)), round(quartiles[0])


def compute(*, session: Session, tz: ZoneInfo, default_reading_day: int, now: datetime) -> int:
    """Recompute home_comparison from the roll-ups at `now`; returns the number of accounts compared."""
    today = now.astimezone(tz).date()
    groups: dict[tuple[str, int, str, str], list[tuple[int, int]]] = defaultdict(list)
    for account, zones, meter_ids in _accounts(session):
        reading_day = account.reading_day or default_reading_day
        year, month = periods.billing_label_of(today, reading_day)
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)  # the last closed period
        period = periods.billing_period(year, month, reading_day, tz)
        wh = _energy(session, meter_ids, period.start)
        if wh is not None:
            key = (settlement(account.address), zones, account.tariff_group, period.label)
            groups[key].append((account.id or 0, wh))
    session.exec(delete(HomeComparison))
    compared = 0
    for (_place, _zones, _group, label), homes in groups.items():
        if len(homes) < MIN_HOMES:
            continue
        median, efficient = figures([wh for _id, wh in homes])
        for account_id, wh in homes:
            session.add(HomeComparison(account_id=account_id, period=label, wh=wh, homes=len(homes),
                                       median_wh=median, efficient_wh=efficient, computed_at=now))  # fmt: skip
        compared += len(homes)
    session.commit()
    return compared


def comparisons_of(*, session: Session, user: User) -> list[Comparison]:
    """The resident's accounts that have a comparison, in the order of their accounts."""
    accounts = access.accounts_of(session=session, user=user)
    if not accounts:
        return []
    rows = session.exec(_comparisons(), params={'accounts': [a.id for a in accounts]}).all()
    by_account = {row.account_id: row for row in rows}
    return [
        Comparison(account.number, row.period, row.wh, row.homes, row.median_wh, row.efficient_wh)
        for account in accounts
        if (row := by_account.get(account.id or 0)) is not None
    ]


@prepared
def _comparisons() -> SelectOfScalar[HomeComparison]:
    return select(HomeComparison).where(col(HomeComparison.account_id).in_(bindparam('accounts', expanding=True)))


def _accounts(session: Session) -> list[tuple[Account, int, list[int]]]:
    meters: dict[int, list[Meter]] = defaultdict(list)
    for meter in session.exec(select(Meter)).all():
        meters[meter.account_id].append(meter)
    found = []
    for account in session.exec(select(Account).order_by(col(Account.id))).all():
        mine = meters.get(account.id or 0, [])
        if mine:
            found.append((account, max(m.tariff_zones for m in mine), [m.id or 0 for m in mine]))
    return found


def _energy(session: Session, meter_ids: list[int], start: int) -> int | None:
    """A+ of the billing period starting at `start` over the meters, None when no interval of it is stored."""
    total, present = session.exec(
        select(func.sum(EnergyRollup.wh), func.sum(EnergyRollup.present)).where(
            col(EnergyRollup.meter_id).in_(meter_ids),
            EnergyRollup.energy == A_PLUS,
            EnergyRollup.grain == int(Grain.billing),
            EnergyRollup.start == start,
        )
    ).one()
    return int(total) if present else None
