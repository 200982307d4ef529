"""What a resident owns: their accounts and meters. Every read of resident data goes through these checks.

A page asks these questions many times in one transaction (the tiles, the badges, each meter's figures), so the
resident's accounts, meters and names are read in one statement and kept in the session until it writes, commits or
rolls back: later questions of the same transaction are answered without the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import BindParameter, and_, bindparam, event
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from models import Account, Meter, MeterName, ResidentAccount, User
from services.core import fmt
from services.core.db import prepared
from services.core.errors import AccountNotFound, NotYourMeter
from services.metering.rollups import MeterLife

T = TypeVar('T')


@dataclass(frozen=True)
class MeterView:
    """A meter as the resident sees it: with their own name and the account it belongs to."""

    id: int
    serial: str
    name: str  # the resident's name for it, else «model serial»
    custom_name: str
    model: str
    phases: int
    tariff_zones: int
    profile_minutes: int
    account_id: int
    account_number: str
    address: str
    installed_on: date | None
    removed_on: date | None


@dataclass(frozen=True)
class Holdings:
    """Everything the resident owns, as read in one statement."""

    accounts: list[Account]  # in the order they were added
    # every meter of those accounts, removed ones too, with its account and the resident's name for it
    meters: list[tuple[Meter, Account, str]]


def holdings(*, session: Session, user: User) -> Holdings:
    """The resident's accounts and all their meters with the resident's names (read once per transaction)."""
    return remembered(session, ('holdings', user.id), lambda: _read_holdings(session, user))


def _read_holdings(session: Session, user: User) -> Holdings:
    rows = session.exec(_holdings(), params={'user_id': user.id}).all()
    accounts = list({account.id: account for account, _meter, _name in rows}.values())
    meters = [(meter, account, name or '') for account, meter, name in rows if meter is not None]
    return Holdings(accounts, meters)


@prepared
def _holdings() -> Select[Account, Meter, str]:
    user_id: BindParameter[int] = bindparam('user_id')
    return (
        select(Account, Meter, MeterName.name)
        .select_from(ResidentAccount)
        .join(Account, col(Account.id) == col(ResidentAccount.account_id))
        .outerjoin(Meter, col(Meter.account_id) == col(Account.id))
        .outerjoin(MeterName, and_(col(MeterName.meter_id) == col(Meter.id), col(MeterName.user_id) == user_id))
        .where(col(ResidentAccount.user_id) == user_id)
        .order_by(col(ResidentAccount.added_at), col(Account.id), col(Meter.id))
    )


def remembered(session: Session, key: tuple[Any, ...], read: Callable[[], T]) -> T:
    """`read()` once per transaction under `key` (what the resident owns, what is new for them): kept until the
    transaction writes, commits or rolls back, so several tiles and checks of one page ask the database once."""
    full = (_REMEMBERED, *key)
    if full in session.info and not (session.new or session.dirty or session.deleted):
        return cast(T, session.info[full])
    found = session.info[full] = read()
    return found


def accounts_of(*, session: Session, user: User) -> list[Account]:
    """The resident's personal accounts, in the order they were added."""
    return list(holdings(session=session, user=user).accounts)


def get_account(*, session: Session, user: User, account_id: int) -> Account:
    """The account if the resident holds it; AccountNotFound otherwise (also for ids that do not exist)."""
    for account in holdings(session=session, user=user).accounts:
        if account.id == account_id:
            return account
    raise AccountNotFound('Not found')


def meters_of(*, session: Session, user: User, include_removed: bool = False) -> list[MeterView]:
    """The resident's meters over all their accounts (removed ones only when asked)."""
    return [
        _view(meter, account, name)
        for meter, account, name in holdings(session=session, user=user).meters
        if meter.removed_on is None or include_removed
    ]


def get_meter(*, session: Session, user: User, meter_id: int) -> MeterView:
    """The meter if it belongs to one of the resident's accounts; NotYourMeter otherwise."""
    for meter, account, name in holdings(session=session, user=user).meters:
        if meter.id == meter_id:
            return _view(meter, account, name)
    raise NotYourMeter('Not found')


def meter_life(*, session: Session, meter_id: int, default_reading_day: int) -> MeterLife:
    """What the roll-ups and series need of a meter (no ownership check: callers have done it)."""
    meter = session.get(Meter, meter_id)
    if meter is None:
        raise NotYourMeter('Not found')
    account = session.get(Account, meter.account_id)
    reading_day = (account.reading_day if account else None) or default_reading_day
    return MeterLife(
        id=meter_id,
        tariff_zones=meter.tariff_zones,
        profile_minutes=meter.profile_minutes,
        reading_day=reading_day,
        installed_on=meter.installed_on,
        removed_on=meter.removed_on,
    )


_REMEMBERED = 'kabinet.residents.remembered'


def _forget(session: OrmSession, *_args: Any) -> None:
    """A write, commit or rollback may change what a resident owns: the next question reads it again."""
    for key in [k for k in session.info if isinstance(k, tuple) and k[:1] == (_REMEMBERED,)]:
        del session.info[key]


def _forget_after_bulk_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        _forget(state.session)


for _event in ('after_flush', 'after_commit', 'after_soft_rollback'):
    event.listen(OrmSession, _event, _forget)
event.listen(OrmSession, 'do_orm_execute', _forget_after_bulk_write)


def _view(meter: Meter, account: Account, custom: str) -> MeterView:
    return MeterView(
        id=meter.id or 0,
        serial=meter.serial,
        name=custom or fmt.meter_name(meter.model, meter.serial),
        custom_name=custom,
        model=meter.model,
        phases=meter.phases,
        tariff_zones=meter.tariff_zones,
        profile_minutes=meter.profile_minutes,
        account_id=account.id or 0,
        account_number=account.number,
        address=account.address,
        installed_on=meter.installed_on,
        removed_on=meter.removed_on,
    )
