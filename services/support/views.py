"""What the pages show of a request: rows of a list and the whole conversation, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models import Account, Meter, RequestStatus, SupportMessage, SupportRequest, SupportTopic, User
from services.core import fmt
from services.core.errors import NotFound
from services.core.i18n import _
from services.support import attachments, context
from services.support.attachments import AttachmentView
from services.support.context import Context
from services.support.topics import topic_title


@dataclass(frozen=True)
class RequestRow:
    id: int
    subject: str
    topic: str
    status: str
    created_at: datetime
    updated_at: datetime
    account_number: str
    new_replies: int = 0  # desk replies the resident has not opened yet


@dataclass(frozen=True)
class MessageView:
    id: int
    body: str
    created_at: datetime
    from_staff: bool
    internal: bool
    author: str
    attachments: list[AttachmentView]


@dataclass(frozen=True)
class Conversation:
    request: RequestRow
    meter: str
    context: Context | None
    messages: list[MessageView]
    assigned_to: str
    resolution: str
    closed_at: datetime | None
    user_id: int

    @property
    def is_open(self) -> bool:
        return self.request.status != RequestStatus.closed


def status_text(status: str) -> str:
    texts = {
        RequestStatus.open: _('new'),
        RequestStatus.in_progress: _('in progress'),
        RequestStatus.answered: _('answer received'),
        RequestStatus.closed: _('closed'),
    }
    return texts.get(RequestStatus(status), status) if status in set(RequestStatus) else status


def get_request(session: Session, user: User, request_id: int) -> SupportRequest:
    """The request if it is the user's own or the user is active staff; NotFound otherwise."""
    request = session.get(SupportRequest, request_id)
    if request is None or user.blocked or not (user.is_staff or request.user_id == user.id):
        raise NotFound('Not found')
    return request


def row(session: Session, request: SupportRequest, new_replies: int = 0) -> RequestRow:
    topic = session.get(SupportTopic, request.topic_id) if request.topic_id else None
    account = session.get(Account, request.account_id) if request.account_id else None
    return RequestRow(
        id=request.id or 0,
        subject=request.subject,
        topic=topic_title(topic.title) if topic else '',
        status=request.status,
        created_at=request.created_at,
        updated_at=request.updated_at,
        account_number=account.number if account else '',
        new_replies=new_replies,
    )


def conversation(session: Session, request: SupportRequest, *, with_internal: bool) -> Conversation:
    """The request and its messages, oldest first; the desk's internal notes only when asked."""
    query = select(SupportMessage).where(SupportMessage.request_id == request.id)
    if not with_internal:
        query = query.where(col(SupportMessage.internal).is_(False))
    messages = session.exec(query.order_by(col(SupportMessage.created_at), col(SupportMessage.id))).all()
    files = attachments.of_messages(session, [m.id or 0 for m in messages])
    meter = session.get(Meter, request.meter_id) if request.meter_id else None
    return Conversation(
        request=row(session, request),
        meter=fmt.meter_name(meter.model, meter.serial) if meter else '',
        context=context.from_json(request.context),
        messages=[
            MessageView(
                id=m.id or 0,
                body=m.body,
                created_at=m.created_at,
                from_staff=m.from_staff,
                internal=m.internal,
                author=author_name(session, m),
                attachments=files.get(m.id or 0, []),
            )
            for m in messages
        ],
        assigned_to=name_of(session, request.assigned_to_id),
        resolution=request.resolution,
        closed_at=request.closed_at,
        user_id=request.user_id,
    )


def author_name(session: Session, message: SupportMessage) -> str:
    name = name_of(session, message.author_id)
    if message.from_staff:
        return name or _('Support')
    return name or _('Resident')


def name_of(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return (user.full_name or user.email) if user else ''
