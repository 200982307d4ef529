"""The audit log viewer (SPEC O8): filters, pages and a CSV export; operators do not see staff management."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from models import AuditLog, Role, User
from services.core.i18n import _
from services.identity.roles import require_staff
from services.metering.export_tables import Sheet, to_csv
from services.operator.staff import STAFF_ACTIONS
from services.operator.users import AuditRow, audit_rows

PER_PAGE = 50
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class AuditFilter:
    who: str = ''  # part of the acting user's email or name
    action: str = ''
    target: str = ''  # 'user:42', or an email whose user was acted on
    since: date | None = None  # local dates, both inclusive
    until: date | None = None
    ip: str = ''  # the start of the client address


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    page: int
    more: bool


def entries(
    *, session: Session, actor: User, where: AuditFilter, tz: ZoneInfo, page: int = 0, per_page: int = PER_PAGE
) -> AuditPage:
    """One page of the log, newest first, as the actor may read it."""
    page = max(0, page)
    found = session.exec(_query(session, actor, where, tz).offset(page * per_page).limit(per_page + 1)).all()
    return AuditPage(rows=audit_rows(session, list(found[:per_page])), page=page, more=len(found) > per_page)


def actions(*, session: Session, actor: User) -> list[str]:
    """The actions that occur in the log (for the filter), those the actor may read."""
    require_staff(actor)
    names = session.exec(select(AuditLog.action).distinct().order_by(col(AuditLog.action))).all()
    return [a for a in names if actor.role == Role.admin or a not in STAFF_ACTIONS]


def export_csv(*, session: Session, actor: User, where: AuditFilter, tz: ZoneInfo) -> bytes:
    """Every matching entry (at most 100,000) as CSV; text that a spreadsheet would run as a formula stays text."""
    found = session.exec(_query(session, actor, where, tz).limit(EXPORT_LIMIT)).all()
    rows = audit_rows(session, list(found))
    sheet = Sheet(
        name='audit',
        header=[(_('Audit log'), ''), (_('Time zone'), str(tz))],
        columns=[_('Time'), _('Who'), _('Action'), _('Object'), _('Address'), _('Details')],
        rows=[
            [r.at.astimezone(tz).isoformat(timespec='seconds'), r.actor, r.action, r.target, r.ip, r.detail]
            for r in rows
        ],
        marked=[False] * len(rows),
    )
    return to_csv(sheet)


def _query(session: Session, actor: User, where: AuditFilter, tz: ZoneInfo):  # type: ignore[no-untyped-def]
    require_staff(actor)
    statement = select(AuditLog)
    for condition in _conditions(session, actor, where, tz):
        statement = statement.where(condition)
    return statement.order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())


def _conditions(session: Session, actor: User, where: AuditFilter, tz: ZoneInfo) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if actor.role != Role.admin:
        found.append(col(AuditLog.action).not_in(sorted(STAFF_ACTIONS)))
    if where.who.strip():
        text = where.who.strip().lower()
        who = select(User.id).where(
            or_(col(User.email).contains(text, autoescape=True), col(User.name_search).contains(text, autoescape=True))
        )
        found.append(col(AuditLog.user_id).in_(who))
    if where.action:
        found.append(col(AuditLog.action) == where.action)
    if where.target.strip():
        found.append(col(AuditLog.target) == _target(session, where.target.strip()))
    if where.since:
        found.append(col(AuditLog.at) >= _start(where.since, tz))
    if where.until:
        found.append(col(AuditLog.at) < _start(where.until + timedelta(days=1), tz))
    if where.ip.strip():
        found.append(col(AuditLog.ip).startswith(where.ip.strip(), autoescape=True))
    return found


def _target(session: Session, text: str) -> str:
    """'user:42' as typed, or the user an email names (any other text matches nothing but itself)."""
    if '@' in text:
        user = session.exec(select(User).where(User.email == text.lower())).first()
        if user is not None:
            return f'user:{user.id}'
    return text


def _start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz)
