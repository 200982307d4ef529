"""The operator's home page figures (SPEC O9): what needs attention today, each figure opens its page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from models import AuditLog, ImportLog, RequestStatus, Role, SupportRequest, User
from services.identity.roles import require_staff
from services.ingest import health

SILENT_DAYS = 3
BURST_FAILURES = 10  # failed logins from one address within a day that make a burst
FAILED_ACTIONS = ('login_failed', 'login_throttled')


@dataclass(frozen=True)
class Figures:
    imported_today: int
    rejected_today: int
    silent_meters: int
    silent_days: int
    registrations_week: int
    burst_addresses: int  # client addresses with BURST_FAILURES or more failed logins in the last 24 hours
    failed_logins_day: int
    open_requests: int | None  # None when there is no support section
    oldest_open: datetime | None


def figures(*, session: Session, actor: User, now: datetime, today: date, tz: ZoneInfo, with_support: bool) -> Figures:
    """The home page's figures at `now`; 'today' is the utility's local day, 'week' the last 7 days."""
    require_staff(actor)
    midnight = datetime.combine(today, time(), tz)
    imported = _count(session, ImportLog, col(ImportLog.started_at) >= midnight, col(ImportLog.status) == 'imported')
    rejected = _count(session, ImportLog, col(ImportLog.started_at) >= midnight, col(ImportLog.status) == 'rejected')
    registered = _count(session, User, col(User.role) == Role.resident, col(User.created_at) >= now - timedelta(days=7))
    day_ago = now - timedelta(days=1)
    per_ip = session.exec(
        select(AuditLog.ip, func.count())
        .where(col(AuditLog.action).in_(FAILED_ACTIONS), col(AuditLog.at) >= day_ago)
        .group_by(col(AuditLog.ip))
    ).all()
    silent = health.silent_meters(engine=session.get_bind(), days=SILENT_DAYS, now=now, today=today)  # type: ignore[arg-type]
    open_requests, oldest = (None, None)
    if with_support:
        waiting = col(SupportRequest.status).in_([RequestStatus.open, RequestStatus.in_progress])  # the desk's turn
        open_requests = _count(session, SupportRequest, waiting)
        first = session.exec(
            select(SupportRequest.created_at).where(waiting).order_by(col(SupportRequest.created_at))
        ).first()
        oldest = first
    return Figures(
        imported_today=imported,
        rejected_today=rejected,
        silent_meters=len(silent),
        silent_days=SILENT_DAYS,
        registrations_week=registered,
        burst_addresses=sum(1 for _ip, n in per_ip if n >= BURST_FAILURES),
        failed_logins_day=sum(n for _ip, n in per_ip),
        open_requests=open_requests,
        oldest_open=oldest,
    )


def _count(session: Session, model: type, *conditions: object) -> int:
    statement = select(func.count()).select_from(model)
    for condition in conditions:
        statement = statement.where(condition)  # type: ignore[arg-type]
    return int(session.exec(statement).one())
