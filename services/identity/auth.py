"""Logging in and out: credentials, throttling that slows attackers without locking owners out, sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from models import AuditLog, LoginThrottle, User, UserSession
from services.identity.contacts import normalise_login
from services.identity.passwords import verify_password

SESSION_LIFETIME = timedelta(days=14)
SESSION_IDLE = timedelta(days=3)
THROTTLE_WINDOW = timedelta(hours=1)
FREE_FAILURES_PER_CLIENT = 5  # per account and client, before delays start
MAX_DELAY_SECONDS = 15 * 60
ACCOUNT_FAILURES_PER_HOUR = 100  # ASVS 6.3.1; past it only browsers the owner used before may try
CLIENT_FAILURES_PER_HOUR = 50  # one client guessing across many accounts


@dataclass(frozen=True, slots=True)
class LoginResult:
    user: User
    token: str  # the raw session token: goes only into the session cookie
    must_change_password: bool


class LoginRefused(Exception):
    """Wrong login or password, or throttled; the message never says which account exists."""

    def __init__(self, message: str, retry_after_seconds: int = 0, *, expired: bool = False) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
        # Told only to whoever typed the right (but expired) generated password, so it reveals nothing new.
        self.expired = expired


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(
    *,
    session: Session,
    login_name: str,
    password: str,
    ip: str,
    user_agent: str,
    now: datetime,
    trusted_user_id: int | None = None,
) -> LoginResult:
    """Check the credentials and open a new session, or raise LoginRefused (same text for every failure cause).

    `trusted_user_id` is the user whose login succeeded before in this browser (the device cookie): such a
    browser is never shut out by the per-account limit, so floods from elsewhere cannot lock the owner out.
    """
    user = _find_user(session, login_name)
    keys = _throttle_keys(user, ip, trusted=user is not None and user.id == trusted_user_id)
    wait = max(_wait_seconds(session, key, now, limit) for key, limit in keys)
    if wait:
        _audit(session, user, 'login_throttled', ip, now, login_name)
        raise LoginRefused('Too many attempts. Try again later.', wait)
    verdict = _check_password(user, password, now)
    if verdict == 'expired' and user is not None and not user.blocked:
        _audit(session, user, 'login_expired_password', ip, now, '')
        raise LoginRefused('The temporary password has expired.', expired=True)
    via_recovery = verdict == 'recovery'
    if verdict not in {'ok', 'recovery'} or user is None or user.blocked:
        for key, _limit in keys:
            _count_failure(session, key, now)
        _audit(session, user, 'login_failed', ip, now, login_name if user is None else '')
        raise LoginRefused('Wrong login or password.')
    for key, _limit in keys:
        if not key.startswith('client:'):
            row = session.get(LoginThrottle, key)
            if row is not None:
                session.delete(row)
    if via_recovery:
        # The single-use password becomes the password until the user sets their own, and stays temporary.
        user.password_hash = user.recovery_hash or user.password_hash
        user.password_expires_at = user.recovery_expires_at
        user.must_change_password = True
    user.recovery_hash = None
    user.recovery_expires_at = None
    user.last_login_at = now
    session.add(user)
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


def resolve_session(*, session: Session, token: str | None, now: datetime) -> User | None:
    """The user of a live session token, or None (expired, idle too long, ended, or user blocked)."""
    if not token:
        return None
    row = session.get(UserSession, token_hash(token))
    if row is None:
        return None
    if row.expires_at <= now or row.last_seen_at + SESSION_IDLE <= now:
        session.delete(row)
        return None
    user = session.get(User, row.user_id)
    if user is None or user.blocked:
        return None
    if now - row.last_seen_at > timedelta(minutes=5):  # keep writes rare on busy pages
        row.last_seen_at = now
        session.add(row)
    return user


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
    """The value of the device cookie that marks a browser where `user_id` logged in."""
    nonce = secrets.token_hex(8)
    mac = hmac.new(secret.encode(), f'{user_id}:{nonce}'.encode(), hashlib.sha256).hexdigest()
    return f'{user_id}:{nonce}:{mac}'


def trusted_user(secret: str, cookie: str | None) -> int | None:
    """The user id a device cookie vouches for, or None when absent or forged."""
    try:
        user_id, nonce, mac = (cookie or '').split(':')
        expected = hmac.new(secret.encode(), f'{user_id}:{nonce}'.encode(), hashlib.sha256).hexdigest()
        return int(user_id) if hmac.compare_digest(mac, expected) else None
    except ValueError:
        return None


def _find_user(session: Session, login_name: str) -> User | None:
    kind, value = normalise_login(login_name)
    if kind == 'email':
        return session.exec(select(User).where(User.email == value)).first()
    if kind == 'phone':
        return session.exec(select(User).where(User.phone == value)).first()
    return None


def _check_password(user: User | None, password: str, now: datetime) -> str:
    """'ok', 'recovery' (the recovery password matched), 'expired' (an expired generated one did) or 'wrong'.

    An unknown login spends one bcrypt check like a wrong password does, so timing tells nothing.
    """
    if user is None:
        verify_password(password, None)
        return 'wrong'
    expired = user.password_expires_at is not None and user.password_expires_at <= now
    matches = verify_password(password, user.password_hash)
    if matches and not expired:
        return 'ok'
    recovery_live = user.recovery_expires_at is not None and user.recovery_expires_at > now
    if user.recovery_hash and recovery_live and verify_password(password, user.recovery_hash):
        return 'recovery'
    return 'expired' if matches else 'wrong'


def _throttle_keys(user: User | None, ip: str, *, trusted: bool) -> list[tuple[str, int]]:
    """Counters that apply to this attempt, with their per-hour limits (0: delays only)."""
    keys = [(f'client:{ip}', CLIENT_FAILURES_PER_HOUR)]
    if user is not None:
        keys.append((f'user-client:{user.id}:{ip}', 0))
        if not trusted:
            keys.append((f'user:{user.id}', ACCOUNT_FAILURES_PER_HOUR))
    return keys


def _wait_seconds(session: Session, key: str, now: datetime, limit: int) -> int:
    row = session.get(LoginThrottle, key)
    if row is None or row.window_start + THROTTLE_WINDOW <= now:
        return 0
    if limit and row.failures >= limit:
        return int((row.window_start + THROTTLE_WINDOW - now).total_seconds()) + 1
    if row.blocked_until and row.blocked_until > now:
        return int((row.blocked_until - now).total_seconds()) + 1
    return 0


def _count_failure(session: Session, key: str, now: datetime) -> None:
    row = session.get(LoginThrottle, key)
    if row is None or row.window_start + THROTTLE_WINDOW <= now:
        row = row or LoginThrottle(key=key)
        row.failures, row.window_start, row.blocked_until = 0, now, None
    row.failures += 1
    if key.startswith('user-client:') and row.failures > FREE_FAILURES_PER_CLIENT:
        # 2, 4, 8 ... seconds, at most 15 minutes: slow for a guesser, a pause for a person
        delay = min(2 ** (row.failures - FREE_FAILURES_PER_CLIENT), MAX_DELAY_SECONDS)
        row.blocked_until = now + timedelta(seconds=delay)
    session.add(row)


def _audit(session: Session, user: User | None, action: str, ip: str, now: datetime, detail: str) -> None:
    session.add(AuditLog(at=now, user_id=user.id if user else None, action=action, ip=ip[:64], detail=detail[:500]))
