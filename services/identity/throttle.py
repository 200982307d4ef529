"""Hourly counters of attempts per key (a client, a user) that refuse more than a limit within the hour."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from models import LoginThrottle

WINDOW = timedelta(hours=1)


def exceeded(*, session: Session, key: str, limit: int, now: datetime) -> bool:
    """True when `key` has used up its `limit` attempts of the current hour."""
    row = session.get(LoginThrottle, key)
    return row is not None and row.window_start + WINDOW > now and row.failures >= limit


def count(*, session: Session, key: str, now: datetime) -> int:
    """Count one more attempt for `key`; returns the attempts of the current hour."""
    row = session.get(LoginThrottle, key)
    if row is None or row.window_start + WINDOW <= now:
        row = row or LoginThrottle(key=key)
        row.failures, row.window_start, row.blocked_until = 0, now, None
    row.failures += 1
    session.add(row)
    return row.failures
