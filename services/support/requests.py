"""The resident's side of support (SPEC S10, B8): create a request, the lists, the conversation, a new message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import BindParameter, bindparam, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from models import RequestStatus, SupportMessage, SupportRequest, SupportTopic, User
from services.core.db import prepared
from services.core.errors import DomainError, NotFound, Throttled
from services.core.settings import Settings
from services.residents import access
from services.support import attachments, emails, views
from services.support.attachments import Upload
from services.support.context import Context
from services.support.views import Conversation, RequestRow

MIN_TEXT, MAX_TEXT = 10, 4000  # characters of a message
PER_HOUR, PER_DAY = 5, 20  # new requests a resident may open
SUBJECT_LENGTH = 80


class RequestRefused(DomainError):
    """A field of the form is wrong; `field` names it ('topic', 'account', 'meter', 'text', 'files')."""

    def __init__(self, message: str, field: str, name: str = '') -> None:
        super().__init__(message)
        self.field = field
        self.name = name  # the file a message about a file names


@dataclass(frozen=True)
class NewRequest:
    topic_id: int | None
    account_id: int | None
    meter_id: int | None
    text: str
    context: Context | None = None
    uploads: tuple[Upload, ...] = ()


def create_request(*, session: Session, user: User, new: NewRequest, settings: Settings, now: datetime) -> int:
    """Open a request with its first message and files; announces it to the support address. Returns its id."""
    if user.is_staff or user.blocked:
        raise NotFound('Not found')
    text = check_text(new.text)
    topic = session.get(SupportTopic, new.topic_id) if new.topic_id else None
    if topic is None or not topic.active:
        raise RequestRefused('Choose a topic.', 'topic')
    account_id, meter_id = _owned(session, user, new)
    _check_files(list(new.uploads))
    _throttle(session, user, now)
    request = SupportRequest(
        user_id=user.id or 0, account_id=account_id, meter_id=meter_id, topic_id=topic.id,
        subject=subject_of(text), context=new.context.to_json() if new.context else '',
        created_at=now, updated_at=now, seen_at=now,
    )  # fmt: skip
    session.add(request)
    session.flush()
    message = _message(session, request, user, text, now)
    attachments.store(
        session=session, directory=Path(settings.attachments_dir), message=message, uploads=list(new.uploads), now=now
    )
    emails.announce_new(session=session, settings=settings, request=request, resident=user, now=now)
    return request.id or 0


def add_message(
    *,
    session: Session,
    user: User,
    request_id: int,
    text: str,
    uploads: list[Upload],
    settings: Settings,
    now: datetime,
) -> None:
    """The resident writes again in an open request; a reply they answer goes back to the desk."""
    request = views.get_request(session, user, request_id)
    if request.user_id != user.id:
        raise NotFound('Not found')
    if request.status == RequestStatus.closed:
        raise RequestRefused('The request is closed: create a new one.', 'text')
    text = check_text(text)
    _check_files(uploads)
    message = _message(session, request, user, text, now)
    attachments.store(
        session=session, directory=Path(settings.attachments_dir), message=message, uploads=uploads, now=now
    )
    if request.status == RequestStatus.answered:
        request.status = RequestStatus.in_progress if request.assigned_to_id else RequestStatus.open
    request.updated_at = now
    request.seen_at = now
    session.add(request)


def resident_requests(*, session: Session, user: User, archive: bool) -> list[RequestRow]:
    """The resident's open requests (newest activity first), or the closed ones of the archive."""
    closed = col(SupportRequest.status) == RequestStatus.closed
    rows = session.exec(
        select(SupportRequest)
        .where(SupportRequest.user_id == user.id, closed if archive else ~closed)
        .order_by(col(SupportRequest.updated_at).desc(), col(SupportRequest.id).desc())
    ).all()
    unread = _unread(session, user)
    return [views.row(session, r, unread.get(r.id or 0, 0)) for r in rows]


def open_conversation(*, session: Session, user: User, request_id: int, now: datetime) -> Conversation:
    """The resident's conversation without the desk's notes; opening it makes its replies no longer new."""
    request = views.get_request(session, user, request_id)
    if request.user_id != user.id:
        raise NotFound('Not found')
    request.seen_at = now
    session.add(request)
    session.flush()
    return views.conversation(session, request, with_internal=False)


@dataclass(frozen=True)
class Summary:
    open_requests: int
    new_replies: int
    latest: RequestRow | None  # the request with the newest activity


def summary(*, session: Session, user: User) -> Summary:
    """For the main page's tile and the menu badge: open requests and desk replies not yet opened."""
    unread = _unread(session, user)
    # the latest request and the count of open ones in one statement (none: none open)
    found = session.exec(_latest_and_open(), params={'user_id': user.id}).first()
    if found is None:
        return Summary(open_requests=0, new_replies=sum(unread.values()), latest=None)
    latest, count = found
    row = views.row(session, latest, unread.get(latest.id or 0, 0))
    return Summary(open_requests=int(count), new_replies=sum(unread.values()), latest=row)


@prepared
def _latest_and_open() -> Select[SupportRequest, int]:
    user_id: BindParameter[int] = bindparam('user_id')
    still_open = (
        select(func.count())
        .select_from(SupportRequest)
        .where(col(SupportRequest.user_id) == user_id, col(SupportRequest.status) != RequestStatus.closed)
        .scalar_subquery()
    )
    return (
        select(SupportRequest, still_open)
        .where(col(SupportRequest.user_id) == user_id)
        .order_by(col(SupportRequest.updated_at).desc())
        .limit(1)
    )


def badge_counter(*, session: Session, user: User, now: datetime) -> tuple[int, str]:
    """The menu badge of /support: desk replies the resident has not opened."""
    return sum(_unread(session, user).values()), 'red'


def check_text(text: str) -> str:
    text = text.strip()
    if len(text) < MIN_TEXT:
        raise RequestRefused('Describe the question in at least 10 characters.', 'text')
    if len(text) > MAX_TEXT:
        raise RequestRefused('At most 4000 characters.', 'text')
    return text


def subject_of(text: str) -> str:
    line = ' '.join(text.split())
    return line if len(line) <= SUBJECT_LENGTH else line[: SUBJECT_LENGTH - 1].rstrip() + '…'


def _owned(session: Session, user: User, new: NewRequest) -> tuple[int | None, int | None]:
    account_id, meter_id = new.account_id, new.meter_id
    if account_id is not None:
        try:
            access.get_account(session=session, user=user, account_id=account_id)
        except NotFound as error:
            raise RequestRefused('Choose one of your accounts.', 'account') from error
    if meter_id is not None:
        try:
            meter = access.get_meter(session=session, user=user, meter_id=meter_id)
        except NotFound as error:
            raise RequestRefused('Choose one of your meters.', 'meter') from error
        if account_id is not None and meter.account_id != account_id:
            raise RequestRefused('This meter is on another account.', 'meter')
        account_id = meter.account_id
    return account_id, meter_id


def _check_files(uploads: list[Upload]) -> None:
    try:
        attachments.check_uploads(uploads)
    except attachments.AttachmentRefused as error:
        raise RequestRefused(str(error), 'files', error.file_name) from error


def _throttle(session: Session, user: User, now: datetime) -> None:
    for window, limit in ((timedelta(hours=1), PER_HOUR), (timedelta(days=1), PER_DAY)):
        times = session.exec(
            select(SupportRequest.created_at)
            .where(SupportRequest.user_id == user.id, col(SupportRequest.created_at) > now - window)
            .order_by(col(SupportRequest.created_at))
        ).all()
        if len(times) >= limit:
            wait = int((times[0] + window - now).total_seconds()) + 1
            raise Throttled('You have sent many requests: please wait before the next one.', wait)


def _message(session: Session, request: SupportRequest, user: User, text: str, now: datetime) -> SupportMessage:
    message = SupportMessage(request_id=request.id or 0, author_id=user.id, body=text, created_at=now)
    session.add(message)
    session.flush()
    return message


def _unread(session: Session, user: User) -> dict[int, int]:
    """Per request of the resident: desk replies (never notes) written after they last opened it (read once per
    transaction: the main page's tile and the menu badge ask the same)."""
    return access.remembered(session, ('support-unread', user.id), lambda: _read_unread(session, user))


def _read_unread(session: Session, user: User) -> dict[int, int]:
    found = session.exec(_unread_replies(), params={'user_id': user.id}).all()
    return {int(request_id): int(n) for request_id, n in found}


@prepared
def _unread_replies() -> Select[int, int]:
    since = func.coalesce(SupportRequest.seen_at, SupportRequest.created_at)
    return (
        select(SupportMessage.request_id, func.count())
        .join(SupportRequest, col(SupportRequest.id) == col(SupportMessage.request_id))
        .where(
            col(SupportRequest.user_id) == bindparam('user_id'),
            col(SupportMessage.from_staff).is_(True),
            col(SupportMessage.internal).is_(False),
            col(SupportMessage.created_at) > since,
        )
        .group_by(col(SupportMessage.request_id))
    )
