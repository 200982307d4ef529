"""Hourly counters of attempts per key (a client, an account, a browser) that refuse more than a limit an hour.

Counting is safe under concurrent attempts: `locked` makes sure the key's row exists and holds its lock (a row
lock on PostgreSQL, the write lock on SQLite) until the caller's transaction ends, so two attempts at the same
instant are counted as two and never fail on a duplicate key.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, delete, select

from models import LoginThrottle

WINDOW = timedelta(hours=1)


def exceeded(*, session: Session, key: str, limit: int, now: datetime) -> bool:
    """True when `key` has used up its `limit` attempts of the current hour."""
    row = session.get(LoginThrottle, key)
    return row is not None and row.window_start + WINDOW > now and row.failures >= limit


def count(*, session: Session, key: str, now: datetime) -> int:
    """Count one more attempt for `key`; returns the attempts of the current hour."""
    row = locked(session=session, key=key, now=now)
    row.failures += 1
    session.add(row)
    session.flush()
    return row.failures


def locked(*, session: Session, key: str, now: datetime) -> LoginThrottle:
    """The counter row of `key`, created if missing and started afresh when its hour is over, locked for writing."""
    table = LoginThrottle.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == 'postgresql' else sqlite_insert
    values = {'key': key, 'failures': 0, 'window_start': now, 'blocked_until': None}
    session.execute(insert(table).values(**values).on_conflict_do_nothing(index_elements=['key']))
    query = select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
    row = session.exec(query.execution_options(populate_existing=True)).one()
    if row.window_start + WINDOW <= now:
        row.failures, row.window_start, row.blocked_until = 0, now, None
    return row


def forget(*, session: Session, key: str) -> None:
    """Drop the counter of `key` (after a success that proves the attempts were the owner's)."""
    session.exec(delete(LoginThrottle).where(col(LoginThrottle.key) == key))


def sweep(*, session: Session, now: datetime) -> None:
    """Delete counters whose hour is over: they no longer refuse anything (bounds the table during a flood).

    Rows another transaction holds are skipped, so a sweep never waits and can never be part of a deadlock;
    run it in a transaction of its own.
    """
    stale = select(LoginThrottle.key).where(col(LoginThrottle.window_start) <= now - WINDOW)
    session.exec(delete(LoginThrottle).where(col(LoginThrottle.key).in_(stale.with_for_update(skip_locked=True))))
