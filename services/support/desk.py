"""The utility's side of support (SPEC O4): the queue, a request with the resident's context, replies, internal
notes, taking and assigning, closing with a resolution. Every function checks the acting user is active staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from models import Account, RequestStatus, ResidentAccount, Role, SupportMessage, SupportRequest, User
from services.core.errors import NotFound
from services.core.settings import Settings
from services.identity import audit
from services.identity.roles import require_staff
from services.residents import access
from services.support import emails, views
from services.support.requests import RequestRefused, check_text
from services.support.views import Conversation, RequestRow

WAITING = (RequestStatus.open, RequestStatus.in_progress)  # the desk owes an answer


@dataclass(frozen=True)
class Filters:
    status: str = 'active'  # 'active' (not closed), 'all', or one RequestStatus
    topic_id: int | None = None
    older_than_hours: int | None = None
    mine: bool = False
    search: str = ''


@dataclass(frozen=True)
class QueueRow:
    request: RequestRow
    resident: str
    assigned_to: str
    waiting_since: datetime | None  # the resident's last message while the desk owes an answer


@dataclass(frozen=True)
class DeskView:
    conversation: Conversation
    resident: str
    email: str
    phone: str
    accounts: list[tuple[str, str]]  # (number, address)
    meters: list[tuple[str, str]]  # (name, account number)
    assigned_to_id: int | None


def queue(*, session: Session, actor: User | None, filters: Filters, now: datetime) -> list[QueueRow]:
    """Requests matching the filters, oldest first; search looks in account numbers, names, emails and texts."""
    staff = require_staff(actor)
    query = select(SupportRequest).join(User, col(User.id) == col(SupportRequest.user_id))
    if filters.status == 'active':
        query = query.where(col(SupportRequest.status) != RequestStatus.closed)
    elif filters.status != 'all':
        query = query.where(SupportRequest.status == filters.status)
    if filters.topic_id is not None:
        query = query.where(SupportRequest.topic_id == filters.topic_id)
    if filters.older_than_hours:
        query = query.where(col(SupportRequest.created_at) <= now - timedelta(hours=filters.older_than_hours))
    if filters.mine:
        query = query.where(SupportRequest.assigned_to_id == staff.id)
    if filters.search.strip():
        query = query.where(_matches(filters.search.strip()))
    found = session.exec(query.order_by(col(SupportRequest.created_at), col(SupportRequest.id)).limit(500)).all()
    return [_queue_row(session, r) for r in found]


def desk_view(*, session: Session, actor: User | None, request_id: int) -> DeskView:
    """The request with every message and note, and who the resident is: accounts, meters, contacts."""
    staff = require_staff(actor)
    request = views.get_request(session, staff, request_id)
    resident = session.get(User, request.user_id)
    if resident is None:
        raise NotFound('Not found')
    accounts = access.accounts_of(session=session, user=resident)
    meters = access.meters_of(session=session, user=resident)
    return DeskView(
        conversation=views.conversation(session, request, with_internal=True),
        resident=resident.full_name or resident.email, email=resident.email, phone=resident.phone or '',
        accounts=[(a.number, a.address) for a in accounts], meters=[(m.name, m.account_number) for m in meters],
        assigned_to_id=request.assigned_to_id,
    )  # fmt: skip


def reply(
    *,
    session: Session,
    actor: User | None,
    request_id: int,
    text: str,
    internal: bool,
    settings: Settings,
    now: datetime,
) -> None:
    """A reply the resident reads (and gets by email), or an internal note only the desk sees."""
    staff = require_staff(actor)
    request = _open_request(session, staff, request_id)
    text = check_text(text)
    session.add(
        SupportMessage(
            request_id=request.id or 0,
            author_id=staff.id,
            from_staff=True,
            internal=internal,
            body=text,
            created_at=now,
        )
    )
    if not internal:
        request.status = RequestStatus.answered
        request.assigned_to_id = request.assigned_to_id or staff.id
        request.updated_at = now
        resident = session.get(User, request.user_id)
        if resident is not None:
            emails.notify_reply(
                session=session, settings=settings, request=request, resident=resident, body=text, now=now
            )
    session.add(request)
    audit.record(session=session, action='support_note' if internal else 'support_reply', now=now, user_id=staff.id,
                 detail=str(request.id))  # fmt: skip


def assign(*, session: Session, actor: User | None, request_id: int, assignee_id: int | None, now: datetime) -> None:
    """Give the request to a member of staff (to oneself: «Взять в работу»), or to no one."""
    staff = require_staff(actor)
    request = _open_request(session, staff, request_id)
    if assignee_id is not None:
        assignee = session.get(User, assignee_id)
        if assignee is None or not assignee.is_staff or assignee.blocked:
            raise NotFound('Not found')
    request.assigned_to_id = assignee_id
    if request.status == RequestStatus.open and assignee_id is not None:
        request.status = RequestStatus.in_progress
    request.updated_at = now
    session.add(request)
    audit.record(session=session, action='support_assign', now=now, user_id=staff.id,
                 detail=f'{request.id} -> {assignee_id}')  # fmt: skip


def close(
    *, session: Session, actor: User | None, request_id: int, resolution: str, settings: Settings, now: datetime
) -> None:
    """Close with a resolution the resident reads in the conversation and in an email."""
    staff = require_staff(actor)
    request = _open_request(session, staff, request_id)
    resolution = resolution.strip()
    if not resolution:
        raise RequestRefused('Write the resolution.', 'resolution')
    if len(resolution) > 2000:
        raise RequestRefused('At most 2000 characters.', 'resolution')
    request.status, request.resolution, request.closed_at, request.updated_at = (
        RequestStatus.closed,
        resolution,
        now,
        now,
    )
    request.assigned_to_id = request.assigned_to_id or staff.id
    session.add(request)
    resident = session.get(User, request.user_id)
    if resident is not None:
        emails.notify_closed(session=session, settings=settings, request=request, resident=resident, now=now)
    audit.record(session=session, action='support_close', now=now, user_id=staff.id, detail=str(request.id))


def staff_members(*, session: Session, actor: User | None) -> list[tuple[int, str]]:
    """Active operators and admins, for «Назначить»."""
    require_staff(actor)
    users = session.exec(
        select(User)
        .where(col(User.role).in_([Role.operator, Role.admin]), col(User.blocked).is_(False))
        .order_by(col(User.full_name), col(User.id))
    ).all()
    return [(u.id or 0, u.full_name or u.email) for u in users]


def badge_counter(*, session: Session, user: User, now: datetime) -> tuple[int, str]:
    """The desk's menu badge: new requests nobody has taken yet (staff only)."""
    if not user.is_staff or user.blocked:
        return 0, ''
    count = session.exec(
        select(func.count()).select_from(SupportRequest).where(SupportRequest.status == RequestStatus.open)
    ).one()
    return int(count), 'red'


def _open_request(session: Session, staff: User, request_id: int) -> SupportRequest:
    request = views.get_request(session, staff, request_id)
    if request.status == RequestStatus.closed:
        raise RequestRefused('The request is closed.', 'text')
    return request


def _matches(text: str) -> ColumnElement[bool]:
    """Account number, name, email, subject or a message; the usual spellings of the letters' case, since SQLite
    folds the case of Latin letters only (иванов finds Иванов)."""
    variants = {text, text.lower(), text.upper(), text.capitalize(), text.title()}
    likes = [f'%{v}%' for v in variants]
    in_accounts = (
        select(ResidentAccount.user_id)
        .join(Account, col(Account.id) == col(ResidentAccount.account_id))
        .where(col(Account.number).contains(text.strip()))
    )
    in_messages = select(SupportMessage.request_id).where(or_(*(col(SupportMessage.body).like(v) for v in likes)))
    return or_(
        col(SupportRequest.user_id).in_(in_accounts),
        col(SupportRequest.id).in_(in_messages),
        *(col(User.full_name).like(v) for v in likes),
        *(col(User.email).like(v) for v in likes),
        *(col(SupportRequest.subject).like(v) for v in likes),
    )


def _queue_row(session: Session, request: SupportRequest) -> QueueRow:
    waiting = None
    if request.status in WAITING:
        waiting = session.exec(
            select(func.max(SupportMessage.created_at)).where(
                SupportMessage.request_id == request.id, col(SupportMessage.from_staff).is_(False)
            )
        ).one()
    return QueueRow(
        request=views.row(session, request),
        resident=views.name_of(session, request.user_id),
        assigned_to=views.name_of(session, request.assigned_to_id),
        waiting_since=waiting or (request.created_at if request.status in WAITING else None),
    )
