"""Numbers on the main menu: what is new for the resident since they last opened each section (SPEC S5).

Each section with news registers a counter: `register('/support', fn)` where fn(session=, user=, now=) returns
(how many new things, colour of the most important one). Diagnostics counts meter events by the moment the
portal learned of them (`MeterEvent.imported_at`), so a late import of old events still raises the badge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from models import Meter, MeterEvent, ResidentAccount, User
from services.core.db import prepared
from services.residents import access

Counter = dict[str, tuple[int, str]]
CounterFn = Callable[..., tuple[int, str]]
SEVERITY_BADGE = {'critical': 'red', 'warning': 'orange', 'info': 'blue'}

_counters: dict[str, CounterFn] = {}


def register(path: str, counter: CounterFn) -> None:
    """Let the section at `path` show a badge: counter(session=, user=, now=) -> (count, colour)."""
    _counters[path] = counter


def menu_badges(*, session: Session, user: User, now: datetime) -> Counter:
    """The badge of each menu path: (how many new things, the colour of the most important one)."""
    found: Counter = {}
    for path, counter in _counters.items():
        count, colour = counter(session=session, user=user, now=now)
        if count:
            found[path] = (count, colour)
    return found


@dataclass(frozen=True)
class LatestEvent:
    meter_id: int
    at: datetime
    journal: int
    code: int


@dataclass(frozen=True)
class NewEvents:
    count: int
    severity: str  # the most severe of them: critical | warning | info ('' when none)
    latest: LatestEvent | None  # the newest of them by event time


def new_events(*, session: Session, user: User) -> NewEvents:
    """Events of the resident's meters imported after they last opened Diagnostics (or since registering)."""
    by_severity = _new_by_severity(session, user)
    count, severity = sum(by_severity.values()), _worst(by_severity)
    row = session.exec(_newest(), params=_new_of(user)).first() if count else None
    return NewEvents(count, severity, LatestEvent(*row) if row is not None else None)


def mark_events_seen(*, session: Session, user: User, now: datetime) -> None:
    """The resident opened Diagnostics: what arrived until `now` is no longer new."""
    stored = session.get(User, user.id)
    if stored is not None:
        stored.events_seen_at = now
        session.add(stored)
        session.flush()
    user.events_seen_at = now


def _diagnostics_counter(*, session: Session, user: User, now: datetime) -> tuple[int, str]:
    by_severity = _new_by_severity(session, user)
    return sum(by_severity.values()), SEVERITY_BADGE.get(_worst(by_severity), 'red')


def _worst(by_severity: dict[str, int]) -> str:
    return next((s for s in ('critical', 'warning', 'info') if by_severity.get(s)), '')


def _new_by_severity(session: Session, user: User) -> dict[str, int]:
    """How many new events of each severity, in one statement (the meters are joined, not listed); asked once per
    transaction, since the main page's tile and the menu's badge both show it."""

    def read() -> dict[str, int]:
        rows = session.exec(_by_severity(), params=_new_of(user)).all()
        return {severity: int(n) for severity, n in rows}

    return access.remembered(session, ('new-events', user.id, _since(user)), read)


@prepared
def _by_severity() -> Select[str, int]:
    return select(MeterEvent.severity, func.count()).where(*_new()).group_by(col(MeterEvent.severity))


@prepared
def _newest() -> Select[int, datetime, int, int]:
    return (
        select(MeterEvent.meter_id, MeterEvent.at, MeterEvent.journal, MeterEvent.code)
        .where(*_new())
        .order_by(col(MeterEvent.at).desc())
        .limit(1)
    )


def _new() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Conditions on meter_event: of the resident's meters (removed ones too, chosen inside the same statement) and
    imported since they last looked (`_new_of` gives their values)."""
    mine = (
        select(Meter.id)
        .join(ResidentAccount, col(ResidentAccount.account_id) == col(Meter.account_id))
        .where(col(ResidentAccount.user_id) == bindparam('user_id'))
    )
    return col(MeterEvent.meter_id).in_(mine), col(MeterEvent.imported_at) > bindparam('since')


def _new_of(user: User) -> dict[str, object]:
    return {'user_id': user.id, 'since': _since(user)}


def _since(user: User) -> datetime:
    """Events imported after this are new: the resident's last visit to Diagnostics, else their registration."""
    return user.events_seen_at or user.created_at


register('/diagnostics', _diagnostics_counter)
