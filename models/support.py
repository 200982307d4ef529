"""Residents' requests to the utility, the conversation on each, its attachments, and the desk's topics."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import utcnow


class RequestStatus(StrEnum):
    open = 'open'  # новое: nobody at the desk has taken it
    in_progress = 'in_progress'  # в работе: taken, or the resident wrote after a reply
    answered = 'answered'  # ответ получен: the desk replied, the resident may answer
    closed = 'closed'  # закрыто: handled, in the resident's archive


class SupportTopic(SQLModel, table=True):
    """A topic residents choose from; the desk edits the list. Seeded titles are English message ids."""

    __tablename__ = 'support_topic'
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=100)
    position: int = 0
    active: bool = True


class SupportRequest(SQLModel, table=True):
    __tablename__ = 'support_request'
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='user.id', index=True)
    account_id: int | None = Field(default=None, foreign_key='account.id')
    meter_id: int | None = Field(default=None, foreign_key='meter.id')
    topic_id: int | None = Field(default=None, foreign_key='support_topic.id')
    subject: str = Field(max_length=200)
    status: str = Field(default=RequestStatus.open, max_length=16, index=True)
    context: str = Field(default='', max_length=2000)  # JSON: what the request was opened from (an event, a day)
    assigned_to_id: int | None = Field(default=None, foreign_key='user.id')
    resolution: str = Field(default='', max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    seen_at: datetime | None = None  # the resident last opened the conversation: later replies are new


class SupportMessage(SQLModel, table=True):
    __tablename__ = 'support_message'
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key='support_request.id', index=True, ondelete='CASCADE')
    author_id: int | None = Field(default=None, foreign_key='user.id')
    from_staff: bool = False
    internal: bool = False  # a note of the desk: never shown to the resident
    body: str = Field(max_length=5000)
    created_at: datetime = Field(default_factory=utcnow)


class SupportAttachment(SQLModel, table=True):
    """A file sent with a message; the bytes live under KABINET_ATTACHMENTS_DIR by a random name."""

    __tablename__ = 'support_attachment'
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key='support_request.id', index=True, ondelete='CASCADE')
    message_id: int | None = Field(default=None, foreign_key='support_message.id', ondelete='CASCADE')
    file_name: str = Field(max_length=120)  # shown only; never part of a path
    content_type: str = Field(max_length=40)  # from the content: image/jpeg | image/png | application/pdf
    size: int
    stored_name: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
