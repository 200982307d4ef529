"""Login attempt limits (ASVS 6.3.1): per client, per account and client, per account, and per owner's browser.

Every attempt is counted as a failure before its password is checked and forgiven when the password proves
right, so attempts at the same instant cannot slip past a limit together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from models import LoginThrottle, User
from services.identity import throttle
from services.identity.contacts import normalise_login

FREE_FAILURES_PER_CLIENT = 5  # per account and client (or per owner's browser), before delays start
MAX_DELAY_SECONDS = 15 * 60
ACCOUNT_FAILURES_PER_HOUR = 100  # past it only browsers the owner used before may try
CLIENT_FAILURES_PER_HOUR = 50  # one client guessing across many accounts


@dataclass(frozen=True, slots=True)
class Device:
    """A browser where `user_id` logged in before, known by the nonce of its signed device cookie."""

    user_id: int
    nonce: str


@dataclass(frozen=True, slots=True)
class Counter:
    key: str
    limit: int  # failures an hour after which every attempt is refused until the hour is over (0: none)
    delays: bool  # growing delays after FREE_FAILURES_PER_CLIENT failures


def counters(user: User | None, login_name: str, ip: str, device: Device | None) -> list[Counter]:
    """The counters this attempt is checked against, sorted by key (locks are always taken in one order).

    An unknown login is counted exactly like an account, so that throttling tells nobody which accounts exist.
    """
    if user is not None and device is not None and device.user_id == user.id:
        return [Counter(f'device:{user.id}:{device.nonce}', 0, True)]
    if user is not None:
        account = str(user.id)
    else:
        kind, value = normalise_login(login_name)
        account = '?' + hashlib.sha256(f'{kind}:{value or login_name.strip()}'.encode()).hexdigest()[:16]
    counters = [
        Counter(f'client:{ip}', CLIENT_FAILURES_PER_HOUR, False),
        Counter(f'user-client:{account}:{ip}', 0, True),
        Counter(f'user:{account}', ACCOUNT_FAILURES_PER_HOUR, False),
    ]
    return sorted(counters, key=lambda c: c.key)


def reserve(session: Session, counters: list[Counter], now: datetime) -> int:
    """Seconds to wait before the next attempt, or 0 after counting this attempt as a failure in advance."""
    rows = [(c, throttle.locked(session=session, key=c.key, now=now)) for c in counters]
    wait = max(_wait_seconds(c, row, now) for c, row in rows)
    if wait:
        return wait
    for counter, row in rows:
        row.failures += 1
        if counter.delays and row.failures > FREE_FAILURES_PER_CLIENT:
            # 2, 4, 8 ... seconds, at most 15 minutes: slow for a guesser, a pause for a person
            delay = min(2 ** min(row.failures - FREE_FAILURES_PER_CLIENT, 20), MAX_DELAY_SECONDS)
            row.blocked_until = now + timedelta(seconds=delay)
        session.add(row)
    return 0


def _wait_seconds(counter: Counter, row: LoginThrottle, now: datetime) -> int:
    if counter.limit and row.failures >= counter.limit:
        return int((row.window_start + throttle.WINDOW - now).total_seconds()) + 1
    if row.blocked_until and row.blocked_until > now:
        return int((row.blocked_until - now).total_seconds()) + 1
    return 0


def forgive(session: Session, counters: list[Counter], now: datetime) -> None:
    """The password was right: this browser's counters start afresh, the shared ones take back this attempt."""
    for counter in counters:
        if counter.delays:
            throttle.forget(session=session, key=counter.key)
            continue
        row = throttle.locked(session=session, key=counter.key, now=now)
        row.failures = max(row.failures - 1, 0)
        session.add(row)
