"""Everything the portal holds about a resident as one ZIP (SPEC B4, from Settings).

`profile.json` (name, email, phone, language, dates), `accounts.json`, `meters.json`, one Green Button XML per
meter and energy type in `readings/` (the meter's whole life with this resident's accounts), and `support.json`
(the resident's requests with their messages; notes of the desk are not the resident's and stay out). Only the
resident's own objects are read: accounts through their links, meters through those accounts.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session, col, select

from models import SupportMessage, SupportRequest, User
from services.core.errors import NotFound
from services.residents import access, my_data


def archive(*, session: Session, user: User, tz: ZoneInfo, now: datetime) -> bytes:
    """The ZIP of the resident `user` (read fresh from the database)."""
    row = session.get(User, user.id)
    if row is None:
        raise NotFound('Not found')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr('profile.json', _json(_profile(row)))
        accounts = access.accounts_of(session=session, user=row)
        zf.writestr('accounts.json', _json([_account(a) for a in accounts]))
        meters = access.meters_of(session=session, user=row, include_removed=True)
        zf.writestr('meters.json', _json([_meter(m) for m in meters]))
        today = now.astimezone(tz).date()
        for meter in meters:
            for energy in _energies(session, meter.id):
                first = meter.installed_on or _first_day(session, meter.id, energy, tz) or today
                last = min(meter.removed_on or today, today)
                if last < first:
                    continue
                data = my_data.extract(
                    session=session, user=row, meter_id=meter.id, energy=energy, first=first, last=last, tz=tz,
                    now=now, limit=False,
                )  # fmt: skip
                zf.writestr(f'readings/{data.name}.xml', my_data.to_espi(data, now=now))
        zf.writestr('support.json', _json(_support(session, row)))
    return buffer.getvalue()


def _profile(user: User) -> dict[str, Any]:
    return {
        'full_name': user.full_name, 'email': user.email, 'phone': user.phone, 'language': user.language,
        'registered_at': user.created_at, 'last_login_at': user.last_login_at,
    }  # fmt: skip


def _account(account: Any) -> dict[str, Any]:
    return {'number': account.number, 'address': account.address, 'holder_name': account.holder_name}


def _meter(meter: access.MeterView) -> dict[str, Any]:
    return {
        'serial': meter.serial, 'model': meter.model, 'name': meter.name, 'account': meter.account_number,
        'phases': meter.phases, 'tariff_zones': meter.tariff_zones, 'profile_minutes': meter.profile_minutes,
        'installed_on': meter.installed_on, 'removed_on': meter.removed_on,
    }  # fmt: skip


def _support(session: Session, user: User) -> list[dict[str, Any]]:
    requests = session.exec(
        select(SupportRequest).where(SupportRequest.user_id == user.id).order_by(col(SupportRequest.id))
    ).all()
    out = []
    for request in requests:
        messages = session.exec(
            select(SupportMessage)
            .where(SupportMessage.request_id == request.id, col(SupportMessage.internal).is_(False))
            .order_by(col(SupportMessage.id))
        ).all()
        out.append({
            'subject': request.subject, 'status': request.status, 'created_at': request.created_at,
            'closed_at': request.closed_at, 'resolution': request.resolution,
            'messages': [
                {'from': 'support' if m.from_staff else 'me', 'at': m.created_at, 'text': m.body} for m in messages
            ],
        })  # fmt: skip
    return out


def _energies(session: Session, meter_id: int) -> list[int]:
    found = session.connection().execute(
        text('SELECT DISTINCT energy FROM interval_energy WHERE meter_id = :m'), {'m': meter_id}
    )
    return sorted(int(energy) for (energy,) in found if int(energy) in my_data.READING_OF_ENERGY)


def _first_day(session: Session, meter_id: int, energy: int, tz: ZoneInfo) -> date | None:
    start = (
        session.connection()
        .execute(
            text('SELECT MIN(start) FROM interval_energy WHERE meter_id = :m AND energy = :e'),
            {'m': meter_id, 'e': energy},
        )
        .scalar()
    )
    return datetime.fromtimestamp(int(start), tz).date() if start is not None else None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_plain)


def _plain(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f'not JSON: {type(value).__name__}')
