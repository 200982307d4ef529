"""The Subscriber section (SPEC S6, S13, B6): accounts, meter cards, verification, replacements, load state.

Every function that takes a resident checks ownership through services.residents; a foreign or unknown id
raises NotFound, so a forged URL or event learns nothing.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from models import Account, InstantValue, Meter, MeterEvent, MeterName, RegisterReading, User
from services.core.errors import DomainError
from services.residents import access
from services.residents.access import MeterView

NAME_MAX = 60
DUE_SOON_DAYS = 60
RELAY_OFF_EVENT = (2, 3)  # SPODES journal 2 code 3: consumer disconnected remotely
DAY_SECONDS = 86400


@dataclass(frozen=True)
class AccountSummary:
    """A personal account with the meters the resident sees on it (removed ones last)."""

    id: int
    number: str
    address: str
    holder_name: str
    meters: list[MeterView]

    @property
    def active_meters(self) -> list[MeterView]:
        return [m for m in self.meters if m.removed_on is None]


@dataclass(frozen=True)
class Verification:
    """Поверка: the last date, the interval and the next due date; state ok | due_soon | overdue | unknown."""

    verified_on: date | None
    interval_years: int | None
    next_due: date | None
    days_left: int | None  # negative when overdue
    state: str


@dataclass(frozen=True)
class Replacement:
    """One meter change at a metering point: the old meter's last and the new meter's first A+ register (Wh)."""

    on: date | None
    old_id: int
    old_serial: str
    old_model: str
    old_last_wh: int | None
    old_last_at: datetime | None
    new_id: int
    new_serial: str
    new_model: str
    new_first_wh: int | None
    new_first_at: datetime | None


@dataclass(frozen=True)
class LoadState:
    """The latest instantaneous values (SPEC S13); times are aware UTC, power in W, voltage V, current A."""

    measured_at: datetime | None
    power_w: float | None
    voltages: list[float | None]  # per phase
    currents: list[float | None]
    relay: int | None  # 0 disconnected, 1 connected, 2 ready for reconnection
    relay_at: datetime | None
    relay_reason: str = ''
    relay_reason_at: datetime | None = None
    power_series: list[tuple[int, float]] = field(default_factory=list)  # (epoch seconds, W), last 24 h


@dataclass(frozen=True)
class MeterCard:
    view: MeterView
    phases: int
    tariff_zones: int
    profile_minutes: int
    installed_on: date | None
    removed_on: date | None
    verification: Verification
    replacements: list[Replacement]
    load: LoadState


def account_list(*, session: Session, user: User) -> list[AccountSummary]:
    """The resident's personal accounts with their meters, in the order they were added."""
    views = access.meters_of(session=session, user=user, include_removed=True)
    return [_summary(account, views) for account in access.accounts_of(session=session, user=user)]


def account_card(*, session: Session, user: User, account_id: int) -> AccountSummary:
    """One account of the resident with its meters; AccountNotFound for a foreign or unknown id."""
    account = access.get_account(session=session, user=user, account_id=account_id)
    return _summary(account, access.meters_of(session=session, user=user, include_removed=True))


def meter_card(*, session: Session, user: User, meter_id: int, today: date) -> MeterCard:
    """Everything the meter card shows; NotYourMeter for a foreign or unknown id. `today` is the local date."""
    view = access.get_meter(session=session, user=user, meter_id=meter_id)
    meter = session.get(Meter, meter_id)
    assert meter is not None  # get_meter found it
    return MeterCard(
        view=view,
        phases=meter.phases,
        tariff_zones=meter.tariff_zones,
        profile_minutes=meter.profile_minutes,
        installed_on=meter.installed_on,
        removed_on=meter.removed_on,
        verification=verification(meter.verified_on, meter.verification_interval_years, today),
        replacements=replacements(session=session, meter=meter),
        load=load_state(session=session, meter_id=meter_id, phases=meter.phases),
    )


def verification(verified_on: date | None, interval_years: int | None, today: date) -> Verification:
    """Next due = last verification + interval; due soon within 60 days, overdue after the due date."""
    if verified_on is None or not interval_years:
        return Verification(verified_on, interval_years, None, None, 'unknown')
    due = add_years(verified_on, interval_years)
    left = (due - today).days
    state = 'overdue' if left < 0 else 'due_soon' if left <= DUE_SOON_DAYS else 'ok'
    return Verification(verified_on, interval_years, due, left, state)


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def nearest_verification(*, session: Session, user: User, today: date) -> tuple[MeterView, Verification] | None:
    """The resident's installed meter whose verification falls due first (None when no date is known)."""
    found: list[tuple[MeterView, Verification]] = []
    for view in access.meters_of(session=session, user=user):
        meter = session.get(Meter, view.id)
        if meter is not None:
            check = verification(meter.verified_on, meter.verification_interval_years, today)
            if check.next_due is not None:
                found.append((view, check))
    return min(found, key=lambda pair: pair[1].next_due or today, default=None)


def replacements(*, session: Session, meter: Meter) -> list[Replacement]:
    """The changes this meter took part in: the meters it replaced and the one that replaced it, oldest first."""
    pairs: list[tuple[Meter, Meter]] = []
    older = session.exec(
        select(Meter).where(Meter.replaced_by_id == meter.id, Meter.account_id == meter.account_id)
    ).all()
    pairs += [(old, meter) for old in older]
    if meter.replaced_by_id is not None:
        newer = session.get(Meter, meter.replaced_by_id)
        # the successor is shown only on the same account: another account's meter is another person's data
        if newer is not None and newer.account_id == meter.account_id:
            pairs.append((meter, newer))
    return sorted((_replacement(session, old, new) for old, new in pairs), key=lambda r: r.on or date.min)


def load_state(*, session: Session, meter_id: int, phases: int) -> LoadState:
    """Latest power, per-phase voltage and current, relay state and why it is off, and 24 h of power."""
    latest = {q: _latest(session, meter_id, q) for q in ('P', 'U1', 'U2', 'U3', 'I1', 'I2', 'I3', 'relay')}
    measured = [v.at for q, v in latest.items() if v is not None and q != 'relay']
    relay = latest['relay']
    reason = _relay_reason(session, meter_id) if relay is not None and int(relay.value) != 1 else None
    power = latest['P']
    return LoadState(
        measured_at=_utc(max(measured)) if measured else None,
        power_w=power.value if power else None,
        voltages=[_value(latest[f'U{n}']) for n in range(1, phases + 1)],
        currents=[_value(latest[f'I{n}']) for n in range(1, phases + 1)],
        relay=int(relay.value) if relay is not None else None,
        relay_at=_utc(relay.at) if relay is not None else None,
        relay_reason=reason.note if reason else '',
        relay_reason_at=reason.at if reason else None,
        power_series=_power_series(session, meter_id, power.at) if power else [],
    )


def rename_meter(*, session: Session, user: User, meter_id: int, name: str) -> str:
    """Save the resident's own name for the meter (stripped; empty clears it); returns the name shown now."""
    access.get_meter(session=session, user=user, meter_id=meter_id)  # NotYourMeter for a forged id
    name = ' '.join(name.split())
    if len(name) > NAME_MAX:
        raise DomainError('The name is too long')
    row = session.get(MeterName, (user.id, meter_id))
    if not name:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(MeterName(user_id=user.id or 0, meter_id=meter_id, name=name))
    else:
        row.name = name
        session.add(row)
    session.flush()
    return access.get_meter(session=session, user=user, meter_id=meter_id).name


def _summary(account: Account, views: list[MeterView]) -> AccountSummary:
    own = [v for v in views if v.account_id == account.id]
    own.sort(key=lambda v: (v.removed_on is not None, v.id))
    return AccountSummary(
        id=account.id or 0,
        number=account.number,
        address=account.address,
        holder_name=account.holder_name,
        meters=own,
    )


def _replacement(session: Session, old: Meter, new: Meter) -> Replacement:
    last = _register(session, old.id or 0, newest=True)
    first = _register(session, new.id or 0, newest=False)
    return Replacement(
        on=old.removed_on or new.installed_on,
        old_id=old.id or 0,
        old_serial=old.serial,
        old_model=old.model,
        old_last_wh=last.wh if last else None,
        old_last_at=_utc(last.at) if last else None,
        new_id=new.id or 0,
        new_serial=new.serial,
        new_model=new.model,
        new_first_wh=first.wh if first else None,
        new_first_at=_utc(first.at) if first else None,
    )


def _register(session: Session, meter_id: int, *, newest: bool) -> RegisterReading | None:
    """The total (zone 0) A+ register reading that is the meter's last or first."""
    order = col(RegisterReading.at).desc() if newest else col(RegisterReading.at)
    return session.exec(
        select(RegisterReading)
        .where(RegisterReading.meter_id == meter_id, RegisterReading.energy == 1, RegisterReading.zone == 0)
        .order_by(order)
        .limit(1)
    ).first()


def _latest(session: Session, meter_id: int, quantity: str) -> InstantValue | None:
    return session.exec(
        select(InstantValue)
        .where(InstantValue.meter_id == meter_id, InstantValue.quantity == quantity)
        .order_by(col(InstantValue.at).desc())
        .limit(1)
    ).first()


def _power_series(session: Session, meter_id: int, last_at: int) -> list[tuple[int, float]]:
    """Power over the 24 hours up to the latest measurement (a meter that went quiet still shows its last day)."""
    rows = session.exec(
        select(InstantValue)
        .where(
            InstantValue.meter_id == meter_id,
            InstantValue.quantity == 'P',
            col(InstantValue.at) > last_at - DAY_SECONDS,
            col(InstantValue.at) <= last_at,
        )
        .order_by(col(InstantValue.at))
    ).all()
    return [(row.at, row.value) for row in rows]


def _relay_reason(session: Session, meter_id: int) -> MeterEvent | None:
    journal, code = RELAY_OFF_EVENT
    return session.exec(
        select(MeterEvent)
        .where(MeterEvent.meter_id == meter_id, MeterEvent.journal == journal, MeterEvent.code == code)
        .order_by(col(MeterEvent.at).desc())
        .limit(1)
    ).first()


def _value(row: InstantValue | None) -> float | None:
    return row.value if row is not None else None


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
