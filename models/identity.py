"""Who uses the portal: residents, operators, admins; their sessions and the secrets they prove things with."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import event
from sqlmodel import Field, SQLModel

from models.base import utcnow


class Role(StrEnum):
    resident = 'resident'
    operator = 'operator'
    admin = 'admin'


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # normalised, lower-case
    phone: str | None = Field(default=None, max_length=20, unique=True, index=True)  # E.164
    full_name: str = Field(default='', max_length=200)
    # The operators' search form of the name (lower case, «ё» as «е»): kept by the listeners below, because
    # SQLite's lower() knows only ASCII.
    name_search: str = Field(default='', max_length=200, index=True)
    role: str = Field(default=Role.resident, max_length=16)
    password_hash: str = Field(max_length=100)
    # A generated password (registration) expires and must be replaced at first login (ASVS 6.4.1).
    password_expires_at: datetime | None = None
    must_change_password: bool = False
    # Recovery keeps the old password working until the new single-use one is used (SPEC S3).
    recovery_hash: str | None = Field(default=None, max_length=100)
    recovery_expires_at: datetime | None = None
    # A recovery password used for its one login: it proves the current password in the form that replaces
    # it, but never logs in again.
    password_spent: bool = False
    pending_email: str | None = Field(default=None, max_length=254)
    blocked: bool = False
    language: str = Field(default='ru', max_length=8)
    theme: str = Field(default='system', max_length=8)  # light | dark | system (the device's)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    # Badges count what arrived after these moments (SPEC S5).
    events_seen_at: datetime | None = None
    support_seen_at: datetime | None = None
    # Deleted at the resident's request: personal data anonymised, the row kept for meter data and the audit.
    deleted_at: datetime | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.operator, Role.admin)


def name_search_key(name: str) -> str:
    """The form of a name the operators' search compares: one space, lower case, «ё» as «е»."""
    return ' '.join(name.split()).lower().replace('ё', 'е')


@event.listens_for(User, 'before_insert')
@event.listens_for(User, 'before_update')
def _keep_name_search(_mapper: object, _connection: object, user: User) -> None:
    user.name_search = name_search_key(user.full_name)[:200]


class UserSession(SQLModel, table=True):
    """A server-side login session; the browser holds only the token, the database only its hash."""

    __tablename__ = 'user_session'
    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key='user.id', index=True, ondelete='CASCADE')
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    ip: str = Field(default='', max_length=64)
    user_agent: str = Field(default='', max_length=300)


class LoginThrottle(SQLModel, table=True):
    """Failure counters per account and per client within a sliding hour (ASVS 6.3.1)."""

    __tablename__ = 'login_throttle'
    key: str = Field(primary_key=True, max_length=300)  # 'user:42', 'ip:1.2.3.4', 'user-ip:42:1.2.3.4'
    failures: int = 0
    window_start: datetime = Field(default_factory=utcnow)
    blocked_until: datetime | None = None


class CaptchaChallenge(SQLModel, table=True):
    """A captcha challenge: single use, short-lived; the answer only as a keyed hash (HMAC-SHA256, hex)."""

    __tablename__ = 'captcha_challenge'
    id: str = Field(primary_key=True, max_length=64)
    answer_hash: str = Field(max_length=64)
    expires_at: datetime
    used: bool = False


class EmailToken(SQLModel, table=True):
    """A link sent by email (confirm a new address); the database keeps only the token's hash."""

    __tablename__ = 'email_token'
    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key='user.id', index=True, ondelete='CASCADE')
    purpose: str = Field(max_length=32)
    new_value: str = Field(default='', max_length=254)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
