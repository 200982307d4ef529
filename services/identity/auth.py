"""Logging in and out: credentials, throttling that slows attackers without locking owners out, sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from models import User, UserSession
from services.core.db import prepared, session_scope
from services.identity import audit, login_limits, throttle
from services.identity.contacts import normalise_login
from services.identity.login_limits import Device
from services.identity.passwords import verify_password

SESSION_LIFETIME = timedelta(days=14)
SESSION_IDLE = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class LoginResult:
    user: User
    token: str  # the raw session token: goes only into the session cookie
    must_change_password: bool


class LoginRefused(Exception):
    """Wrong login or password, or throttled; the message never says which account exists."""

    def __init__(
        self, message: str, retry_after_seconds: int = 0, *, expired: bool = False, blocked: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
        # Told only to whoever typed the right (but expired) generated password, so it reveals nothing new.
        self.expired = expired
        # Likewise told only after the right password: a stranger cannot learn that an account is blocked.
        self.blocked = blocked


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(
    *,
    engine: Engine,
    login_name: str,
    password: str,
    ip: str,
    user_agent: str,
    now: datetime,
    device: Device | None = None,
    replaces_token: str | None = None,
) -> LoginResult:
    """Check the credentials and open a new session, or raise LoginRefused (same text for every failure cause).

    The service runs its own transactions, so every failure and every refusal is counted and audited even
    though it ends in an exception: this attempt is counted as a failure before the password is checked (two
    attempts at once are two failures) and forgiven when the password proves right. `device` is the browser's
    signed device cookie: the browser where its user logged in before has a counter of its own, so floods from
    elsewhere (even from the same address) cannot lock the owner out. `replaces_token` is the session the
    browser had before; it ends when the new one opens.
    """
    with Session(engine) as session:
        user = _find_user(session, login_name)
    counters = login_limits.counters(user, login_name, ip, device)
    with session_scope(engine) as session:
        throttle.sweep(session=session, now=now)
    with session_scope(engine) as session:
        wait = login_limits.reserve(session, counters, now)
        if wait:
            _audit(session, user, 'login_throttled', ip, now, login_name if user is None else '')
    if wait:
        raise LoginRefused('Too many attempts. Try again later.', wait)
    verdict = _check_password(user, password, now)  # bcrypt, outside any transaction
    if user is not None and user.blocked and verdict != 'wrong':
        with session_scope(engine) as session:
            _audit(session, user, 'login_blocked', ip, now, '')
        raise LoginRefused('This account is blocked. Contact the utility.', blocked=True)
    if user is not None and not user.blocked and verdict == 'expired':
        with session_scope(engine) as session:
            login_limits.forgive(session, counters, now)
            _audit(session, user, 'login_expired_password', ip, now, '')
        raise LoginRefused('The temporary password has expired.', expired=True)
    result = None
    with session_scope(engine) as session:
        if user is not None and not user.blocked and verdict in ('ok', 'recovery'):
            result = _open(session, user, verdict == 'recovery', ip, user_agent, now, replaces_token)
        if result is None:
            _audit(session, user, 'login_failed', ip, now, login_name if user is None else '')
        else:
            login_limits.forgive(session, counters, now)
    if result is None:
        raise LoginRefused('Wrong login or password.')
    return result


def _open(
    session: Session, found: User, via_recovery: bool, ip: str, user_agent: str, now: datetime, replaces: str | None
) -> LoginResult | None:
    """The successful half of a login: spend a recovery password, rotate the session, audit.

    None when the password changed since it was checked (two logins with one recovery password at once: the
    second finds it spent). The update is a compare-and-set, atomic on SQLite and PostgreSQL alike.
    """
    changes: dict[str, object] = {'recovery_hash': None, 'recovery_expires_at': None, 'last_login_at': now}
    if via_recovery:
        # Spent by this login (SPEC S3): it replaces the old password and proves the current password once
        # more in the form that replaces it, but never logs in again.
        changes |= {
            'password_hash': found.recovery_hash,
            'password_expires_at': found.recovery_expires_at,
            'must_change_password': True,
            'password_spent': True,
        }
    same = (
        col(User.recovery_hash) == found.recovery_hash
        if via_recovery
        else col(User.password_hash) == found.password_hash
    )
    done = session.execute(update(User).where(col(User.id) == found.id, same).values(**changes))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return None
    user = session.get(User, found.id, populate_existing=True)
    if user is None:
        return None
    if replaces:
        logout(session=session, token=replaces, ip=ip, now=now)
    token = open_session(session=session, user=user, ip=ip, user_agent=user_agent, now=now)
    _audit(session, user, 'login', ip, now, 'recovery password' if via_recovery else '')
    must_change = user.must_change_password or bool(user.password_expires_at)
    return LoginResult(user=user, token=token, must_change_password=must_change)


def open_session(*, session: Session, user: User, ip: str, user_agent: str, now: datetime) -> str:
    """A new random session token for `user` (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id or 0,
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIFETIME,
            ip=ip[:64],
            user_agent=user_agent[:300],
        )
    )
    return token


def resolve_session(*, session: Session, token: str | None, now: datetime, touch: bool = True) -> User | None:
    """The user of a live session token, or None (expired, idle too long, ended, or user blocked).

    `touch=False` only looks: the session's idle clock is not reset (`live_tokens` does the same for many).
    """
    if not token:
        return None
    # the session and its user in one statement: every page and handler asks this
    found = session.exec(_session_and_user(), params={'hash': token_hash(token)}).first()
    if found is None:
        return None
    row, user = found
    if row.expires_at <= now or row.last_seen_at + SESSION_IDLE <= now:
        session.delete(row)
        return None
    if user.blocked:
        return None
    if touch and now - row.last_seen_at > timedelta(minutes=5):  # keep writes rare on busy pages
        row.last_seen_at = now
        session.add(row)
    return user


@prepared
def _session_and_user() -> Select[UserSession, User]:
    return (
        select(UserSession, User)
        .join(User, col(User.id) == col(UserSession.user_id))
        .where(col(UserSession.token_hash) == bindparam('hash'))
    )


def live_tokens(*, session: Session, tokens: Iterable[str], now: datetime, chunk: int = 500) -> set[str]:
    """Which of `tokens` are live sessions now, as `resolve_session` judges them, without touching any.

    The open pages' periodic check: one statement per `chunk` tokens, whatever the number of tabs."""
    by_hash = {token_hash(t): t for t in tokens if t}
    hashes = list(by_hash)
    live: set[str] = set()
    for at in range(0, len(hashes), chunk):
        rows = session.exec(
            select(UserSession.token_hash, UserSession.expires_at, UserSession.last_seen_at, User.blocked)
            .join(User, col(User.id) == col(UserSession.user_id))
            .where(col(UserSession.token_hash).in_(hashes[at : at + chunk]))
        ).all()
        live.update(
            by_hash[found]
            for found, expires_at, last_seen_at, blocked in rows
            if not blocked and expires_at > now and last_seen_at + SESSION_IDLE > now
        )
    return live


def logout(*, session: Session, token: str | None, ip: str, now: datetime) -> None:
    """End the session of `token` on the server (ASVS 7.4.1)."""
    if not token:
        return
    row = session.get(UserSession, token_hash(token))
    if row is None:
        return
    user = session.get(User, row.user_id)
    session.delete(row)
    _audit(session, user, 'logout', ip, now, '')


def end_other_sessions(*, session: Session, user_id: int, keep_token: str | None) -> int:
    """End every session of the user but the current one (after a password change); returns how many."""
    keep = token_hash(keep_token) if keep_token else ''
    rows = session.exec(select(UserSession).where(UserSession.user_id == user_id)).all()
    ended = 0
    for row in rows:
        if row.token_hash != keep:
            session.delete(row)
            ended += 1
    return ended


def device_signature(secret: str, user_id: int) -> str:
    """The value of the device cookie that marks a browser where `user_id` logged in (a fresh nonce each time)."""
    nonce = secrets.token_hex(8)
    return f'{user_id}:{nonce}:{_mac(secret, f"{user_id}:{nonce}")}'


def trusted_device(secret: str, cookie: str | None) -> Device | None:
    """The browser a device cookie vouches for, or None when absent or forged."""
    try:
        user_id, nonce, mac = (cookie or '').split(':')
        if hmac.compare_digest(mac, _mac(secret, f'{user_id}:{nonce}')):
            return Device(user_id=int(user_id), nonce=nonce)
    except ValueError:
        pass
    return None


def logout_token(secret: str, session_token: str | None) -> str:
    """The anti-forgery token of the logout form: bound to the browser's session, useless without its cookie."""
    return _mac(secret, f'logout:{token_hash(session_token)}') if session_token else ''


def logout_token_valid(secret: str, session_token: str | None, given: str) -> bool:
    expected = logout_token(secret, session_token)
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


def _mac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def _find_user(session: Session, login_name: str) -> User | None:
    kind, value = normalise_login(login_name)
    if kind == 'email':
        return session.exec(select(User).where(User.email == value)).first()
    if kind == 'phone':
        return session.exec(select(User).where(User.phone == value)).first()
    return None


def _check_password(user: User | None, password: str, now: datetime) -> str:
    """'ok', 'recovery' (the recovery password matched), 'expired' (an expired generated one did) or 'wrong'.

    An unknown login spends one bcrypt check like a wrong password does, so timing tells nothing. A spent
    recovery password is wrong: it only proves the current password in the form that replaces it.
    """
    if user is None:
        verify_password(password, None)
        return 'wrong'
    expired = user.password_expires_at is not None and user.password_expires_at <= now
    matches = verify_password(password, user.password_hash) and not user.password_spent
    if matches and not expired:
        return 'ok'
    recovery_live = user.recovery_expires_at is not None and user.recovery_expires_at > now
    if user.recovery_hash and recovery_live and verify_password(password, user.recovery_hash):
        return 'recovery'
    return 'expired' if matches else 'wrong'


def _audit(session: Session, user: User | None, action: str, ip: str, now: datetime, detail: str) -> None:
    audit.record(session=session, action=action, user_id=user.id if user else None, ip=ip, now=now, detail=detail)
