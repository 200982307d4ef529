"""What the instance keeps about its own work: imports, security-relevant actions, outgoing email."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import JSON, Field, SQLModel

from models.base import utcnow


class ImportLog(SQLModel, table=True):
    __tablename__ = 'import_log'
    id: int | None = Field(default=None, primary_key=True)
    file_name: str = Field(max_length=255)
    format: str = Field(default='', max_length=20)
    source: str = Field(max_length=16)  # cli | inbox | api | upload | demo
    status: str = Field(max_length=16, index=True)  # imported | rejected
    message: str = Field(default='', max_length=2000)
    rows: int = 0
    warnings: str = Field(default='')  # one per line
    # The same as codes with parameters (services.core.messages), rendered in the reader's language; rows
    # written before the codes existed have none and are shown as their English text.
    message_code: dict[str, Any] | None = Field(default=None, sa_type=JSON)  # a rejection's Notice
    warning_codes: dict[str, Any] | None = Field(default=None, sa_type=JSON)  # {'notices': [...], 'omitted': n}
    user_id: int | None = Field(default=None, foreign_key='user.id')
    started_at: datetime = Field(default_factory=utcnow, index=True)
    finished_at: datetime | None = None


class AuditLog(SQLModel, table=True):
    __tablename__ = 'audit_log'
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key='user.id', index=True)
    action: str = Field(max_length=40, index=True)  # login, login_failed, logout, password_changed, ...
    ip: str = Field(default='', max_length=64)
    detail: str = Field(default='', max_length=500)
    # The object acted on ('user:42', 'account:7'): operator actions name it so the log can be filtered by it.
    target: str = Field(default='', max_length=64, index=True)


class EmailOutbox(SQLModel, table=True):
    """An email written in the same transaction as its cause; a job sends it, retrying with back-off."""

    __tablename__ = 'email_outbox'
    id: int | None = Field(default=None, primary_key=True)
    to_addr: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body_text: str
    body_html: str = ''
    created_at: datetime = Field(default_factory=utcnow)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    sent_at: datetime | None = Field(default=None, index=True)
    last_error: str = Field(default='', max_length=500)
