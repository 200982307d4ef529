"""Finding residents and reading a resident's card (SPEC O6); staff only, checked here.

The search takes whatever an operator types: a phone in any spelling (normalised like logins are), an email,
part of a name, an account number, part of an address or a meter serial. Exact keys use their indexes; the
name and address parts compare stored search forms, so «Ёлкин» finds «елкин».
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, or_, union
from sqlmodel import Session, col, select

from models import Account, AuditLog, Meter, ResidentAccount, Role, User, UserSession
from models.identity import name_search_key
from models.registry import address_search_key
from services.core.errors import NotFound
from services.identity.auth import SESSION_IDLE
from services.identity.contacts import InvalidContact, normalise_email, normalise_phone
from services.identity.roles import require_staff

PER_PAGE = 25
CARD_AUDIT_ROWS = 20


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    email: str
    phone: str  # E.164 or ''
    accounts: list[str]  # account numbers
    blocked: bool
    deleted: bool
    created_at: datetime
    last_login_at: datetime | None


@dataclass(frozen=True)
class UserPage:
    rows: list[UserRow]
    page: int
    more: bool  # another page follows


@dataclass(frozen=True)
class CardMeter:
    id: int
    serial: str
    model: str
    removed: bool


@dataclass(frozen=True)
class CardAccount:
    id: int
    number: str
    address: str
    meters: list[CardMeter]


@dataclass(frozen=True)
class SessionRow:
    created_at: datetime
    last_seen_at: datetime
    ip: str
    user_agent: str


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str  # email or name of who did it, '' when nobody was logged in
    action: str
    target: str
    ip: str
    detail: str


@dataclass(frozen=True)
class UserCard:
    row: UserRow
    sessions: list[SessionRow]
    accounts: list[CardAccount]
    audit: list[AuditRow]


def search(*, session: Session, actor: User, query: str, page: int = 0, per_page: int = PER_PAGE) -> UserPage:
    """Residents matching `query` (everyone when empty), newest first, one page of `per_page`."""
    require_staff(actor)
    page = max(0, page)
    statement = select(User).where(User.role == Role.resident)
    text = ' '.join(query.split())
    if text:
        statement = statement.where(col(User.id).in_(_matching(text)))
    users = session.exec(statement.order_by(col(User.id).desc()).offset(page * per_page).limit(per_page + 1)).all()
    rows = _rows(session, list(users[:per_page]))
    return UserPage(rows=rows, page=page, more=len(users) > per_page)


def user_card(*, session: Session, actor: User, user_id: int, now: datetime) -> UserCard:
    """A resident's card: contacts, live sessions, accounts with meters and the latest audit entries."""
    require_staff(actor)
    user = resident(session, user_id)
    sessions = session.exec(
        select(UserSession)
        .where(UserSession.user_id == user_id, col(UserSession.expires_at) > now)
        .order_by(col(UserSession.last_seen_at).desc())
    ).all()
    live = [
        SessionRow(s.created_at, s.last_seen_at, s.ip, s.user_agent)
        for s in sessions
        if s.last_seen_at + SESSION_IDLE > now
    ]
    return UserCard(
        row=_rows(session, [user])[0],
        sessions=live,
        accounts=_accounts(session, user_id),
        audit=recent_audit(session, user_id),
    )


def resident(session: Session, user_id: int) -> User:
    """The resident with this id; NotFound for staff ids and ids that do not exist."""
    user = session.get(User, user_id)
    if user is None or user.role != Role.resident:
        raise NotFound('Not found')
    return user


def recent_audit(session: Session, user_id: int, limit: int = CARD_AUDIT_ROWS) -> list[AuditRow]:
    """What the user did and what was done to them, newest first."""
    entries = session.exec(
        select(AuditLog)
        .where(or_(col(AuditLog.user_id) == user_id, col(AuditLog.target) == f'user:{user_id}'))
        .order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())
        .limit(limit)
    ).all()
    return audit_rows(session, list(entries))


def audit_rows(session: Session, entries: list[AuditLog]) -> list[AuditRow]:
    ids = {e.user_id for e in entries if e.user_id is not None}
    names = {u.id: u.email for u in session.exec(select(User).where(col(User.id).in_(ids))).all()} if ids else {}
    return [
        AuditRow(e.id or 0, e.at, names.get(e.user_id, '') if e.user_id else '', e.action, e.target, e.ip, e.detail)
        for e in entries
    ]


def _matching(text: str) -> CompoundSelect[Any]:
    """The ids of users that `text` may name: a UNION of lookups, each answered by its own index where it can.

    A phone, an email, the start of an account number or of a meter serial are index range reads; only a text
    with letters also reads the name and address search forms for a part anywhere in them (a scan, but of one
    short column each).
    """
    parts: list[Any] = []
    with contextlib.suppress(InvalidContact):
        parts.append(select(User.id).where(col(User.phone) == normalise_phone(text)))
    if '@' in text:
        with contextlib.suppress(InvalidContact):
            parts.append(select(User.id).where(col(User.email) == normalise_email(text)))
        parts.append(select(User.id).where(*_starts(col(User.email), text.lower())))
        return union(*parts)
    compact = text.replace(' ', '')
    parts.append(_by_account(*_starts(col(Account.number), compact)))
    for serial in {compact, compact.upper()}:
        parts.append(_by_meter(*_starts(col(Meter.serial), serial)))
    if any(c.isalpha() for c in text):
        words = name_search_key(text).split()
        parts.append(select(User.id).where(*(col(User.name_search).contains(w, autoescape=True) for w in words)))
        if len(text) >= 3:
            key = address_search_key(text)
            parts.append(_by_account(col(Account.address_search).contains(key, autoescape=True)))
    return union(*parts)


def _starts(column: Any, prefix: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """`column` starts with `prefix`, as a range an index answers (LIKE 'x%' uses none on SQLite)."""
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return column >= prefix, column < after


def _by_account(*where: ColumnElement[bool]) -> Any:
    return (
        select(ResidentAccount.user_id).join(Account, col(Account.id) == col(ResidentAccount.account_id)).where(*where)
    )


def _by_meter(*where: ColumnElement[bool]) -> Any:
    return (
        select(ResidentAccount.user_id)
        .join(Meter, col(Meter.account_id) == col(ResidentAccount.account_id))
        .where(*where)
    )


def _rows(session: Session, users: list[User]) -> list[UserRow]:
    ids = [u.id for u in users]
    numbers: dict[int, list[str]] = defaultdict(list)
    if ids:
        links = session.exec(
            select(ResidentAccount.user_id, Account.number)
            .join(Account, col(Account.id) == col(ResidentAccount.account_id))
            .where(col(ResidentAccount.user_id).in_(ids))
            .order_by(col(ResidentAccount.added_at))
        ).all()
        for user_id, number in links:
            numbers[user_id].append(number)
    return [
        UserRow(
            id=u.id or 0,
            name=u.full_name,
            email='' if u.deleted_at else u.email,
            phone=u.phone or '',
            accounts=numbers.get(u.id or 0, []),
            blocked=u.blocked,
            deleted=u.deleted_at is not None,
            created_at=u.created_at,
            last_login_at=u.last_login_at,
        )
        for u in users
    ]


def _accounts(session: Session, user_id: int) -> list[CardAccount]:
    accounts = session.exec(
        select(Account)
        .join(ResidentAccount, col(ResidentAccount.account_id) == col(Account.id))
        .where(ResidentAccount.user_id == user_id)
        .order_by(col(ResidentAccount.added_at), col(Account.id))
    ).all()
    result = []
    for account in accounts:
        meters = session.exec(select(Meter).where(Meter.account_id == account.id).order_by(col(Meter.id))).all()
        cards = [CardMeter(m.id or 0, m.serial, m.model, m.removed_on is not None) for m in meters]
        result.append(CardAccount(account.id or 0, account.number, account.address, cards))
    return result
