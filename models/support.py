"""Residents' requests to the utility and the conversation on each."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import utcnow


class RequestStatus(StrEnum):
    open = 'open'
    answered = 'answered'
    closed = 'closed'


class SupportRequest(SQLModel, table=True):
    __tablename__ = 'support_request'
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='user.id', index=True)
    account_id: int | None = Field(default=None, foreign_key='account.id')
    meter_id: int | None = Field(default=None, foreign_key='meter.id')
    subject: str = Field(max_length=200)
    status: str = Field(default=RequestStatus.open, max_length=16, index=True)
    context: str = Field(default='', max_length=2000)  # what the request was opened from (an event, a reading)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None


class SupportMessage(SQLModel, table=True):
    __tablename__ = 'support_message'
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key='support_request.id', index=True, ondelete='CASCADE')
    author_id: int | None = Field(default=None, foreign_key='user.id')
    from_staff: bool = False
    body: str = Field(max_length=5000)
    created_at: datetime = Field(default_factory=utcnow)
