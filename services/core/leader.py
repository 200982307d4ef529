"""Which portal process runs the background jobs: one at a time on a database (O10).

On PostgreSQL every portal process competes for one session-level advisory lock on a connection it keeps open;
the process holding it is the leader and runs the jobs, the others stand by and try again every few seconds.
When the leader dies its connection closes, PostgreSQL releases the lock and a standby takes over. A SQLite
database is served by one process only, which always leads.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)
JOBS_LOCK_KEY = 0x4B414249  # 'KABI': the advisory lock of the jobs leader


class Leadership:
    """The jobs leader of this process; `check()` answers whether this process may run a job now."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.always = engine.dialect.name != 'postgresql'
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    @property
    def leading(self) -> bool:
        return self.always or self._connection is not None

    def check(self) -> bool:
        """True when this process leads: holds the lock on a live connection, or takes it now if free."""
        if self.always:
            return True
        with self._lock:
            if self._connection is not None and not self._alive(self._connection):
                log.warning('jobs: the connection holding the leadership was lost; this process stands by')
                self._drop()
            if self._connection is None:
                self._try_take()
            return self._connection is not None

    def release(self) -> None:
        """Give the leadership up (at shutdown), so a standby takes over without waiting."""
        with self._lock:
            if self._connection is not None:
                try:
                    self._connection.execute(text('SELECT pg_advisory_unlock(:k)'), {'k': JOBS_LOCK_KEY})
                except Exception:  # the connection is going away anyway; closing it releases the lock
                    log.debug('jobs: unlock failed', exc_info=True)
                self._drop()

    def _try_take(self) -> None:
        try:
            connection = self.engine.connect().execution_options(isolation_level='AUTOCOMMIT')
        except Exception:
            log.warning('jobs: the database is unreachable; this process stands by', exc_info=True)
            return
        try:
            taken = connection.execute(text('SELECT pg_try_advisory_lock(:k)'), {'k': JOBS_LOCK_KEY}).scalar_one()
        except Exception:
            log.warning('jobs: the leadership could not be asked for', exc_info=True)
            connection.close()
            return
        if taken:
            self._connection = connection
            log.info('jobs: this process leads and runs the background jobs')
        else:
            connection.close()

    @staticmethod
    def _alive(connection: Connection) -> bool:
        try:
            connection.execute(text('SELECT 1'))
            return True
        except Exception:
            return False

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.invalidate()  # back in the pool, the connection would keep holding the lock
                connection.close()
            except Exception:
                log.debug('jobs: closing the leader connection failed', exc_info=True)
