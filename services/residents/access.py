"""What a resident owns: their accounts and meters. Every read of resident data goes through these checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models import Account, Meter, MeterName, ResidentAccount, User
from services.core.errors import AccountNotFound, NotYourMeter
from services.metering.rollups import MeterLife


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


def accounts_of(*, session: Session, user: User) -> list[Account]:
    """The resident's personal accounts, in the order they were added."""
    rows = session.exec(
        select(Account)
        .join(ResidentAccount, col(ResidentAccount.account_id) == col(Account.id))
        .where(ResidentAccount.user_id == user.id)
        .order_by(col(ResidentAccount.added_at), col(Account.id))
    ).all()
    return list(rows)


def get_account(*, session: Session, user: User, account_id: int) -> Account:
    """The account if the resident holds it; AccountNotFound otherwise (also for ids that do not exist)."""
    link = session.exec(
        select(ResidentAccount).where(ResidentAccount.user_id == user.id, ResidentAccount.account_id == account_id)
    ).first()
    account = session.get(Account, account_id) if link else None
    if account is None:
        raise AccountNotFound('Not found')
    return account


def meters_of(*, session: Session, user: User, include_removed: bool = False) -> list[MeterView]:
    """The resident's meters over all their accounts (removed ones only when asked)."""
    names = _names(session, user)
    rows = session.exec(  # one query for every account's meters, in the order of accounts_of
        select(Meter, Account)
        .join(Account, col(Account.id) == col(Meter.account_id))
        .join(ResidentAccount, col(ResidentAccount.account_id) == col(Account.id))
        .where(ResidentAccount.user_id == user.id)
        .order_by(col(ResidentAccount.added_at), col(Account.id), col(Meter.id))
    ).all()
    return [
        _view(meter, account, names.get(meter.id or 0, ''))
        for meter, account in rows
        if meter.removed_on is None or include_removed
    ]


def get_meter(*, session: Session, user: User, meter_id: int) -> MeterView:
    """The meter if it belongs to one of the resident's accounts; NotYourMeter otherwise."""
    meter = session.get(Meter, meter_id)
    if meter is None:
        raise NotYourMeter('Not found')
    try:
        account = get_account(session=session, user=user, account_id=meter.account_id)
    except AccountNotFound as error:
        raise NotYourMeter('Not found') from error
    return _view(meter, account, _names(session, user).get(meter_id, ''))


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


def _names(session: Session, user: User) -> dict[int, str]:
    return {n.meter_id: n.name for n in session.exec(select(MeterName).where(MeterName.user_id == user.id)).all()}


def _view(meter: Meter, account: Account, custom: str) -> MeterView:
    return MeterView(
        id=meter.id or 0,
        serial=meter.serial,
        name=custom or f'{meter.model} № {meter.serial}'.strip(),
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
