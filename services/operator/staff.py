"""Operators and admins (SPEC O9): admins invite, change the role and deactivate; the last admin stays.

An invitation creates the staff user with a password nobody knows and emails a link (72 hours, single use)
where the invitee sets their own. `app.py create-admin` remains the way to make the first admin.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from models import EmailToken, Role, User
from services.core.errors import DomainError, NotFound
from services.identity import audit
from services.identity.contacts import InvalidContact, normalise_email
from services.identity.passwords import check_new_password, hash_password
from services.identity.roles import require_admin
from services.mail import outbox
from services.operator.actions import check_reason, end_all_sessions

INVITE_LIFETIME = timedelta(hours=72)
INVITE_PURPOSE = 'staff_invite'
STAFF_ACTIONS = frozenset(
    {
        'staff_created',
        'staff_invited',
        'staff_invite_accepted',
        'staff_role_changed',
        'staff_deactivated',
        'staff_reactivated',
    }
)  # what only admins read in the audit log


class LastAdmin(DomainError):
    """The action would leave the portal without an active admin."""


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    email: str
    role: str
    active: bool
    invited: bool  # has not set a password yet
    last_login_at: datetime | None


def list_staff(*, session: Session, actor: User) -> list[StaffRow]:
    """Every operator and admin, admins first, then by email."""
    require_admin(actor)
    users = session.exec(
        select(User).where(col(User.role).in_([Role.admin, Role.operator])).order_by(col(User.role), col(User.email))
    ).all()
    pending = set(
        session.exec(
            select(EmailToken.user_id).where(EmailToken.purpose == INVITE_PURPOSE, col(EmailToken.used_at).is_(None))
        ).all()
    )
    return [
        StaffRow(
            u.id or 0,
            u.full_name,
            u.email,
            u.role,
            not u.blocked,
            u.id in pending and not u.last_login_at,
            u.last_login_at,
        )
        for u in users
    ]


def invite(
    *,
    session: Session,
    actor: User,
    email: str,
    name: str,
    role: str,
    ip: str,
    now: datetime,
    utility: str,
    base_url: str,
) -> User:
    """A new operator or admin who sets their own password through the emailed link."""
    require_admin(actor)
    if role not in (Role.operator, Role.admin):
        raise DomainError('Choose a role.')
    try:
        address = normalise_email(email)
    except InvalidContact as error:
        raise DomainError(str(error)) from error
    if session.exec(select(User).where(User.email == address)).first() is not None:
        raise DomainError('A user with this email already exists.')
    user = User(
        email=address,
        full_name=' '.join(name.split())[:200],
        role=role,
        password_hash=hash_password(secrets.token_urlsafe(24)),
        created_at=now,
    )
    session.add(user)
    session.flush()
    token = secrets.token_urlsafe(32)
    session.add(
        EmailToken(
            token_hash=_hash(token),
            user_id=user.id or 0,
            purpose=INVITE_PURPOSE,
            created_at=now,
            expires_at=now + INVITE_LIFETIME,
        )
    )
    context = {'role': _role_ru(role), 'invite_url': f'{base_url}/staff/invite?token={token}'}
    outbox.queue_email(session=session, to=address, template='staff_invite', context=context, utility=utility, now=now)
    _audit(session, actor, 'staff_invited', user, ip, now, f'{role} {address}')
    return user


def accept_invite(*, session: Session, token: str, password: str, ip: str, now: datetime) -> str:
    """Set the invitee's password; returns their email (the login). DomainError for a bad link or password."""
    row = session.get(EmailToken, _hash(token)) if token else None
    if row is None or row.purpose != INVITE_PURPOSE or row.used_at is not None or row.expires_at <= now:
        raise DomainError('This link is no longer valid. Ask an administrator for a new invitation.')
    user = session.get(User, row.user_id)
    if user is None or user.blocked or not user.is_staff:
        raise DomainError('This link is no longer valid. Ask an administrator for a new invitation.')
    check_new_password(password, email=user.email)  # PasswordRejected is a ValueError with a message id
    user.password_hash = hash_password(password)
    row.used_at = now
    session.add_all([user, row])
    audit.record(
        session=session, action='staff_invite_accepted', now=now, user_id=user.id, ip=ip, target=f'user:{user.id}'
    )
    return user.email


def invite_valid(*, session: Session, token: str, now: datetime) -> bool:
    row = session.get(EmailToken, _hash(token)) if token else None
    return row is not None and row.purpose == INVITE_PURPOSE and row.used_at is None and row.expires_at > now


def change_role(
    *, session: Session, actor: User, staff_id: int, role: str, reason: str, ip: str, now: datetime
) -> None:
    """Make an operator an admin or an admin an operator; LastAdmin when it would demote the last active one."""
    require_admin(actor)
    reason = check_reason(reason)
    user = _staff(session, staff_id)
    if role not in (Role.operator, Role.admin):
        raise DomainError('Choose a role.')
    if user.role == role:
        return
    if user.role == Role.admin and _active_admins(session) <= 1 and not user.blocked:
        raise LastAdmin('The last administrator cannot be demoted or deactivated.')
    old, user.role = user.role, role
    session.add(user)
    _audit(session, actor, 'staff_role_changed', user, ip, now, f'{old} → {role}: {reason}')


def set_active(
    *, session: Session, actor: User, staff_id: int, active: bool, reason: str, ip: str, now: datetime
) -> None:
    """Deactivate (sessions end, no login) or reactivate an operator or admin; the last active admin stays."""
    require_admin(actor)
    reason = check_reason(reason)
    user = _staff(session, staff_id)
    if user.blocked == (not active):
        return
    if not active and user.role == Role.admin and _active_admins(session) <= 1:
        raise LastAdmin('The last administrator cannot be demoted or deactivated.')
    user.blocked = not active
    session.add(user)
    if not active:
        end_all_sessions(session, staff_id)
    _audit(session, actor, 'staff_reactivated' if active else 'staff_deactivated', user, ip, now, reason)


def _active_admins(session: Session) -> int:
    return int(
        session.exec(
            select(func.count()).select_from(User).where(User.role == Role.admin, col(User.blocked).is_(False))
        ).one()
    )


def _staff(session: Session, staff_id: int) -> User:
    user = session.get(User, staff_id)
    if user is None or not user.is_staff:
        raise NotFound('Not found')
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _role_ru(role: str) -> str:
    return 'администратора' if role == Role.admin else 'оператора'


def _audit(session: Session, actor: User, action: str, user: User, ip: str, now: datetime, detail: str) -> None:
    audit.record(
        session=session, action=action, now=now, user_id=actor.id, ip=ip, detail=detail, target=f'user:{user.id}'
    )
