"""The database: engine with SQLite pragmas, Alembic migrations applied by every command, sessions."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import SessionTransaction
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

import models  # noqa: F401  (registers every table on SQLModel.metadata)

T = TypeVar('T')
log = logging.getLogger(__name__)
DbSession: TypeAlias = Session  # for pages and components that pass a session along without importing sqlmodel
MIGRATIONS_LOCK_KEY = 0x4B41424D  # 'KABM': held while one process migrates
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / 'migrations'


def make_engine(url: str) -> Engine:
    """An engine for a SQLite file (WAL, foreign keys, busy timeout) or a PostgreSQL URL."""
    url = normalise_url(url)
    if url.startswith('sqlite'):
        path = url.split('///', 1)[-1]
        if path and path != ':memory:':
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {'connect_args': {'check_same_thread': False, 'timeout': 30}}
        if path in ('', ':memory:'):
            kwargs['poolclass'] = StaticPool
        engine = create_engine(url, **kwargs)
        event.listen(engine, 'connect', _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def normalise_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and use the psycopg 3 driver for them."""
    for prefix in ('postgresql://', 'postgres://'):
        if url.startswith(prefix):
            return 'postgresql+psycopg://' + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA busy_timeout=5000')
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent; every command calls it)."""
    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS_DIR))
    sqlite = engine.dialect.name == 'sqlite'
    with engine.connect() as connection:
        if sqlite:
            # SQLite's batch migrations copy a table and drop the old one; with foreign keys on, dropping a
            # table that others point at fails, or deletes the rows that cascade from it. Off only here, and
            # checked before the commit (the pragma has no effect inside a transaction: set it first).
            connection.exec_driver_sql('PRAGMA foreign_keys=OFF')
            connection.commit()
        try:
            with connection.begin():
                if not sqlite:  # portal processes starting together migrate one after another
                    connection.execute(text('SELECT pg_advisory_xact_lock(:k)'), {'k': MIGRATIONS_LOCK_KEY})
                config.attributes['connection'] = connection
                command.upgrade(config, 'head')
                if sqlite and connection.exec_driver_sql('PRAGMA foreign_key_check').first() is not None:
                    raise RuntimeError('the migrations left rows that point at nothing; nothing was changed')
        finally:
            if sqlite:
                connection.exec_driver_sql('PRAGMA foreign_keys=ON')
                connection.commit()


def prepared(build: Callable[[], T]) -> Callable[[], T]:
    """A statement built once, on first use, with its values left as `bindparam('name')` and given when it runs
    (`session.exec(STATEMENT(), params={'name': value})`).

    For the reads of every page view: SQLAlchemy takes longer to build a statement and work out its key in the
    compiled cache than SQLite takes to run it (the session lookup: 116 µs to build, 358 µs built and run each
    time, 140 µs run prebuilt). A statement object is only read once built, so threads may share it.
    """
    return lru_cache(maxsize=None)(build)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back on an exception."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def when_done(
    session: Session, *, committed: Callable[[], None] | None = None, abandoned: Callable[[], None] | None = None
) -> None:
    """Run `committed()` once the session's transaction commits, or `abandoned()` when it ends any other way.

    For work outside the database that must follow the transaction: remove files written for rows that were
    never saved, or files of rows that were deleted (only once the deletion is saved).
    """
    pending: list[tuple[Callable[[], None] | None, Callable[[], None] | None]] | None = session.info.get('when_done')
    if pending is None:
        pending = session.info['when_done'] = []
        saved: list[bool] = []

        def on_commit(done: Session) -> None:
            if not done.in_nested_transaction():  # releasing a savepoint saves nothing yet
                saved.append(True)

        def on_end(_: Session, transaction: SessionTransaction) -> None:
            if transaction.parent is not None:
                return
            calls = [c if saved else a for c, a in pending]
            pending.clear()
            saved.clear()
            for call in calls:
                if call is not None:
                    call()

        event.listen(session, 'after_commit', on_commit)
        event.listen(session, 'after_transaction_end', on_end)
    pending.append((committed, abandoned))


class LoopGuard:
    """Test mode: any statement run on the thread of the portal's event loop fails, with the reason logged.

    Pages and the middleware must run database work in a worker thread; a statement on the loop would freeze
    every connected browser while it runs. `arm()` is called from inside the running loop at start-up.
    """

    MESSAGE = 'database work on the event loop'

    def __init__(self, engine: Engine) -> None:
        self.loop_thread: int | None = None
        event.listen(engine, 'before_cursor_execute', self._check)

    def arm(self) -> None:
        self.loop_thread = threading.get_ident()

    def _check(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.loop_thread is not None and threading.get_ident() == self.loop_thread:
            log.error('%s: %s', self.MESSAGE, statement.split('\n', 1)[0][:200])
            raise RuntimeError(f'{self.MESSAGE}: run it off the loop (ctx.db, off_loop)')


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text('SELECT 1'))
        return True
    except Exception:  # any driver error means "not reachable" to the health check
        log.exception('database ping failed')
        return False


def schema_is_current(engine: Engine) -> bool:
    """True when the database answers and its schema is at the newest migration this version knows."""
    try:
        with engine.connect() as connection:
            version = connection.execute(text('SELECT version_num FROM alembic_version')).scalar()
    except Exception:  # unreachable, or never migrated: not ready either way
        log.warning('readiness: the schema version could not be read', exc_info=True)
        return False
    return version == _head_revision()


@lru_cache(maxsize=1)
def _head_revision() -> str:
    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS_DIR))
    return str(ScriptDirectory.from_config(config).get_current_head())
