"""Which alerts a resident wants (B5), per kind and per meter, and the signed one-click unsubscribe token."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, select

from models import AlertPreference, User
from services.core.errors import NotFound
from services.residents import access

CRITICAL_EVENTS = 'critical_events'
VERIFICATION = 'verification'
SUPPORT_REPLY = 'support_reply'
NOTICES = 'notices'
HIGH_USAGE = 'high_usage'
MONTHLY_SUMMARY = 'monthly_summary'
KINDS = (CRITICAL_EVENTS, VERIFICATION, HIGH_USAGE, MONTHLY_SUMMARY, SUPPORT_REPLY, NOTICES)
PER_METER = (CRITICAL_EVENTS, VERIFICATION, HIGH_USAGE, MONTHLY_SUMMARY)  # kinds the resident may switch per meter
ALL_METERS = 0


@dataclass(frozen=True)
class Choice:
    kind: str
    meter_id: int  # 0: the kind as a whole
    label: str  # the meter's name for a per-meter choice, else ''
    enabled: bool


def wants(*, session: Session, user_id: int, kind: str, meter_id: int = ALL_METERS) -> bool:
    """True unless the resident switched the kind off, as a whole or for this meter (every kind is on by default)."""
    rows = session.exec(
        select(AlertPreference).where(AlertPreference.user_id == user_id, AlertPreference.kind == kind)
    ).all()
    chosen = {row.meter_id: row.enabled for row in rows}
    return chosen.get(ALL_METERS, True) and (meter_id == ALL_METERS or chosen.get(meter_id, True))


def choices(*, session: Session, user: User) -> list[Choice]:
    """Every switch of the resident's settings: each kind, then each meter of the per-meter kinds."""
    rows = session.exec(select(AlertPreference).where(AlertPreference.user_id == user.id)).all()
    chosen = {(row.kind, row.meter_id): row.enabled for row in rows}
    meters = access.meters_of(session=session, user=user)
    found = []
    for kind in KINDS:
        found.append(Choice(kind, ALL_METERS, '', chosen.get((kind, ALL_METERS), True)))
        if kind in PER_METER and len(meters) > 1:
            found += [Choice(kind, m.id, m.name, chosen.get((kind, m.id), True)) for m in meters]
    return found


def choose(*, session: Session, user: User, kind: str, meter_id: int, enabled: bool, now: datetime) -> None:
    """Switch one alert on or off (NotFound for an unknown kind or another resident's meter)."""
    if kind not in KINDS or (meter_id != ALL_METERS and kind not in PER_METER):
        raise NotFound('Not found')
    if meter_id != ALL_METERS:
        access.get_meter(session=session, user=user, meter_id=meter_id)
    _set(session, user.id or 0, kind, meter_id, enabled, now)


def thresholds(*, session: Session, user_id: int) -> tuple[int | None, Decimal | None]:
    """The resident's high-usage thresholds: a period's forecast in kWh and in roubles (None: not set)."""
    row = session.get(AlertPreference, (user_id, HIGH_USAGE, ALL_METERS))
    return (row.threshold_kwh, row.threshold_rub) if row is not None else (None, None)


def set_thresholds(*, session: Session, user: User, kwh: int | None, rub: Decimal | None, now: datetime) -> None:
    """Store the high-usage thresholds (None clears one); ValueError for a value that is not positive."""
    if (kwh is not None and kwh <= 0) or (rub is not None and rub <= 0):
        raise ValueError('A threshold must be above zero.')
    row = session.get(AlertPreference, (user.id or 0, HIGH_USAGE, ALL_METERS))
    if row is None:
        row = AlertPreference(user_id=user.id or 0, kind=HIGH_USAGE, meter_id=ALL_METERS)
    row.threshold_kwh, row.threshold_rub, row.updated_at = kwh, rub, now
    session.add(row)
    session.commit()


def sign(secret: str, user_id: int, kind: str, meter_id: int = ALL_METERS) -> str:
    """The unsubscribe token of an email: who, which alert, signed with the instance's secret."""
    payload = f'{user_id}.{kind}.{meter_id}'
    return f'{payload}.{_mac(secret, payload)}'


def unsubscribe(*, session: Session, secret: str, token: str, now: datetime) -> tuple[User, str]:
    """Switch off the alert a token names (no login needed); NotFound for a forged or foreign token."""
    payload, _, mac = token.rpartition('.')
    parts = payload.split('.')
    if len(parts) != 3 or not hmac.compare_digest(mac, _mac(secret, payload)) or parts[1] not in KINDS:
        raise NotFound('Not found')
    user = session.get(User, int(parts[0])) if parts[0].isdigit() and parts[2].isdigit() else None
    if user is None or user.deleted_at is not None:
        raise NotFound('Not found')
    _set(session, user.id or 0, parts[1], int(parts[2]), False, now)
    return user, parts[1]


def _set(session: Session, user_id: int, kind: str, meter_id: int, enabled: bool, now: datetime) -> None:
    row = session.get(AlertPreference, (user_id, kind, meter_id))
    if row is None:
        row = AlertPreference(user_id=user_id, kind=kind, meter_id=meter_id)
    row.enabled, row.updated_at = enabled, now
    session.add(row)
    session.commit()


def _mac(secret: str, payload: str) -> str:
    digest = hmac.new(secret.encode(), b'unsubscribe:' + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()
