"""What an operator may do to a resident (SPEC O6): each action checks the role, needs a reason and is audited.

Every audit row names the operator (user_id), the resident (target 'user:<id>'), the reason and the client
address, in the same transaction as the action.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import partial
from pathlib import Path

from sqlalchemy import delete
from sqlmodel import Session, col, select

from models import (
    Account,
    AlertPreference,
    AlertSent,
    EmailOutbox,
    EmailToken,
    Meter,
    MeterName,
    ResidentAccount,
    SupportAttachment,
    SupportMessage,
    SupportRequest,
    User,
    UserSession,
)
from services.core.db import when_done
from services.core.errors import DomainError, NotFound
from services.identity import audit
from services.identity.passwords import generate_password, hash_password
from services.identity.recovery import issue_recovery_password
from services.identity.roles import require_staff
from services.operator.users import resident

REASON_MAX = 300
DELETED_DOMAIN = 'deleted.invalid'  # RFC 2606: never a real mailbox


class ReasonMissing(DomainError):
    """Every operator action needs a reason; str(e) is a message id."""


def block(*, session: Session, actor: User, user_id: int, reason: str, ip: str, now: datetime) -> None:
    """Block the resident: every session ends at once and the next login is refused (told only after the password)."""
    user = _subject(session, actor, user_id, reason)
    user.blocked = True
    session.add(user)
    ended = end_all_sessions(session, user_id)
    _audit(session, actor, 'user_blocked', user, ip, now, f'{reason} (sessions ended: {ended})')


def unblock(*, session: Session, actor: User, user_id: int, reason: str, ip: str, now: datetime) -> None:
    user = _subject(session, actor, user_id, reason)
    if user.deleted_at is not None:
        raise NotFound('Not found')
    user.blocked = False
    session.add(user)
    _audit(session, actor, 'user_unblocked', user, ip, now, reason)


def end_sessions(*, session: Session, actor: User, user_id: int, reason: str, ip: str, now: datetime) -> int:
    """End every session of the resident; returns how many there were."""
    user = _subject(session, actor, user_id, reason)
    ended = end_all_sessions(session, user_id)
    _audit(session, actor, 'user_sessions_ended', user, ip, now, f'{reason} (sessions ended: {ended})')
    return ended


def send_password_reset(
    *, session: Session, actor: User, user_id: int, reason: str, ip: str, now: datetime, utility: str, base_url: str
) -> None:
    """Email the resident a single-use password, the same letter as «Forgot password?» sends."""
    user = _subject(session, actor, user_id, reason)
    if user.blocked or user.deleted_at is not None:
        raise DomainError('A blocked or deleted user cannot get a password reset.')
    password = generate_password()
    issue_recovery_password(
        session=session, user=user, password=password, password_hash=hash_password(password), now=now,
        utility=utility, base_url=base_url,
    )  # fmt: skip
    _audit(session, actor, 'user_password_reset_sent', user, ip, now, reason)


def unlink_account(
    *, session: Session, actor: User, user_id: int, account_id: int, reason: str, ip: str, now: datetime
) -> str:
    """Take a personal account away from the resident; returns its number. Meter data stays with the account."""
    user = _subject(session, actor, user_id, reason)
    link = session.exec(
        select(ResidentAccount).where(ResidentAccount.user_id == user_id, ResidentAccount.account_id == account_id)
    ).first()
    if link is None:
        raise NotFound('Not found')
    account = session.get(Account, account_id)
    number = account.number if account else str(account_id)
    session.delete(link)
    meters = select(Meter.id).where(Meter.account_id == account_id)
    session.execute(delete(MeterName).where(col(MeterName.user_id) == user_id, col(MeterName.meter_id).in_(meters)))
    _audit(session, actor, 'user_account_unlinked', user, ip, now, f'{reason} (account {number})')
    return number


def delete_resident(
    *, session: Session, actor: User, user_id: int, reason: str, ip: str, now: datetime, attachments_dir: Path
) -> None:
    """Delete the resident at their request: personal data anonymised, accounts unlinked, sessions ended.

    What they wrote goes too: their support requests with every message and attached file (the files once the
    deletion is saved), their alert choices, and letters to them not yet sent. The row stays (as «deleted») so
    that the audit trail keeps its references; meter data belongs to the registry's accounts and meters and is
    not touched.
    """
    user = _subject(session, actor, user_id, reason)
    if user.deleted_at is not None:
        raise NotFound('Not found')
    end_all_sessions(session, user_id)
    for model in (ResidentAccount, MeterName, EmailToken, AlertPreference, AlertSent):
        session.execute(delete(model).where(col(model.user_id) == user_id))
    _forget_support(session, user_id, attachments_dir)
    unsent = (col(EmailOutbox.to_addr) == user.email) & col(EmailOutbox.sent_at).is_(None)
    session.execute(delete(EmailOutbox).where(unsent))
    user.email = f'deleted-{user_id}@{DELETED_DOMAIN}'
    user.phone = None
    user.full_name = ''
    user.pending_email = None
    user.password_hash = hash_password(secrets.token_urlsafe(24))  # nobody knows it: no login is possible
    user.recovery_hash = None
    user.recovery_expires_at = None
    user.blocked = True
    user.deleted_at = now
    session.add(user)
    _audit(session, actor, 'user_deleted', user, ip, now, reason)


def _forget_support(session: Session, user_id: int, attachments_dir: Path) -> None:
    """The resident's requests, their messages and attachments; the stored files go once this is saved."""
    requests = select(SupportRequest.id).where(SupportRequest.user_id == user_id)
    files = session.exec(
        select(SupportAttachment.stored_name).where(col(SupportAttachment.request_id).in_(requests))
    ).all()
    for name in files:
        when_done(session, committed=partial((attachments_dir / name).unlink, missing_ok=True))
    for model in (SupportAttachment, SupportMessage):
        session.execute(delete(model).where(col(model.request_id).in_(requests)))
    session.execute(delete(SupportRequest).where(col(SupportRequest.user_id) == user_id))


def end_all_sessions(session: Session, user_id: int) -> int:
    rows = session.exec(select(UserSession).where(UserSession.user_id == user_id)).all()
    for row in rows:
        session.delete(row)
    return len(rows)


def check_reason(reason: str) -> str:
    text = ' '.join(reason.split())
    if not text:
        raise ReasonMissing('Give the reason for this action.')
    if len(text) > REASON_MAX:
        raise ReasonMissing('The reason is too long: at most 300 characters.')
    return text


def _subject(session: Session, actor: User, user_id: int, reason: str) -> User:
    require_staff(actor)
    check_reason(reason)
    return resident(session, user_id)


def _audit(session: Session, actor: User, action: str, user: User, ip: str, now: datetime, detail: str) -> None:
    audit.record(
        session=session, action=action, now=now, user_id=actor.id, ip=ip, detail=' '.join(detail.split()),
        target=f'user:{user.id}',
    )  # fmt: skip
