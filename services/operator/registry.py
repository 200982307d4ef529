"""The registry for operators (SPEC O6, O7): accounts and their meters, registered or not, with data health.

A meter's last data is the end of its latest interval (a primary-key seek per energy type), read only for the
accounts of the page shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, text
from sqlmodel import Session, col, select

from models import Account, Meter, ResidentAccount, User
from models.registry import address_search_key
from services.identity.roles import require_staff

PER_PAGE = 20
SILENT_AFTER = timedelta(days=3)


@dataclass(frozen=True)
class RegistryMeter:
    id: int
    serial: str
    model: str
    removed: bool
    last_data: datetime | None  # UTC end of the latest interval, None when it never sent any
    health: str  # 'ok' | 'silent' | 'never' | 'removed'


@dataclass(frozen=True)
class RegistryUser:
    id: int
    name: str
    email: str


@dataclass(frozen=True)
class RegistryAccount:
    id: int
    number: str
    address: str
    holder_name: str
    meters: list[RegistryMeter]
    users: list[RegistryUser]


@dataclass(frozen=True)
class RegistryPage:
    rows: list[RegistryAccount]
    page: int
    more: bool


def accounts(
    *,
    session: Session,
    actor: User,
    query: str,
    registered: str,
    now: datetime,
    page: int = 0,
    per_page: int = PER_PAGE,
) -> RegistryPage:
    """Accounts matching `query` (number, part of the address or a meter serial); `registered` is '', 'yes' or 'no'."""
    require_staff(actor)
    page = max(0, page)
    statement = select(Account)
    words = ' '.join(query.split())
    if words:
        by_meter = select(Meter.account_id).where(col(Meter.serial).startswith(words, autoescape=True))
        statement = statement.where(
            col(Account.number).startswith(words, autoescape=True)
            | col(Account.address_search).contains(address_search_key(words), autoescape=True)
            | col(Account.id).in_(by_meter)
        )
    held = exists().where(col(ResidentAccount.account_id) == col(Account.id))
    if registered == 'yes':
        statement = statement.where(held)
    elif registered == 'no':
        statement = statement.where(~held)
    found = list(session.exec(statement.order_by(col(Account.number)).offset(page * per_page).limit(per_page + 1)))
    shown = found[:per_page]
    return RegistryPage(rows=_rows(session, shown, now), page=page, more=len(found) > per_page)


def _rows(session: Session, shown: list[Account], now: datetime) -> list[RegistryAccount]:
    ids = [a.id for a in shown]
    if not ids:
        return []
    meters: dict[int, list[RegistryMeter]] = defaultdict(list)
    for meter in session.exec(select(Meter).where(col(Meter.account_id).in_(ids)).order_by(col(Meter.id))).all():
        meters[meter.account_id].append(_meter(session, meter, now))
    users: dict[int, list[RegistryUser]] = defaultdict(list)
    links = session.exec(
        select(ResidentAccount.account_id, User)
        .join(User, col(User.id) == col(ResidentAccount.user_id))
        .where(col(ResidentAccount.account_id).in_(ids))
    ).all()
    for account_id, user in links:
        users[account_id].append(RegistryUser(user.id or 0, user.full_name, user.email))
    return [
        RegistryAccount(
            a.id or 0, a.number, a.address, a.holder_name, meters.get(a.id or 0, []), users.get(a.id or 0, [])
        )
        for a in shown
    ]


def _meter(session: Session, meter: Meter, now: datetime) -> RegistryMeter:
    starts = [
        session.execute(
            text('SELECT MAX(start) FROM interval_energy WHERE meter_id = :m AND energy = :e'),
            {'m': meter.id, 'e': energy},
        ).scalar()
        for energy in range(1, 5)
    ]
    known = [int(s) for s in starts if s is not None]
    last = datetime.fromtimestamp(max(known) + meter.profile_minutes * 60, UTC) if known else None
    if meter.removed_on is not None:
        health = 'removed'
    elif last is None:
        health = 'never'
    else:
        health = 'ok' if now - last < SILENT_AFTER else 'silent'
    return RegistryMeter(meter.id or 0, meter.serial, meter.model, meter.removed_on is not None, last, health)
