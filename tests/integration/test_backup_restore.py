"""`app.py backup` while the portal serves and writes, then `app.py restore` into an empty database (SPEC §8)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from services.core.db import make_engine
from services.core.system import System
from services.mail import outbox
from tests.conftest import PG_URL
from tests.integration.databases import empty_pg_database
from tests.integration.ingest_helpers import load, registry, snapshot
from tests.integration.portal_processes import ROOT, portal_env, start_portal

ROWS = [
    f'77{n:02};г. Тверь, ул. Мира, д. {n};Иванова А. А.;M-{n};2;30;2026-01-01;6900000000000{n:02}' for n in range(20)
]
FIXED = ['account', 'meter', 'user', 'tariff_rate', 'import_log']  # tables the writer below does not touch


@pytest.fixture
def target_url(tmp_path: Path) -> Iterator[str]:
    """An empty database to restore into: a new SQLite file, or `<test database>_restore` with no tables."""
    if not PG_URL:
        yield f'sqlite:///{tmp_path / "restored" / "kabinet.db"}'
        return
    with empty_pg_database('restore') as url:
        yield url


def command(args: list[str], database_url: str, folder: Path) -> subprocess.CompletedProcess[str]:
    env = portal_env(database_url, folder)
    return subprocess.run(
        [sys.executable, 'app.py', *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_backup_taken_while_the_portal_writes_restores_to_a_consistent_copy(
    system: System, target_url: str, tmp_path: Path
) -> None:
    load(system, ('registry.csv', registry(*ROWS)))
    portal = start_portal(portal_env(system.settings.database_url, tmp_path), tmp_path, 'portal')
    writer = Writer(system)
    writer.start()
    try:
        writer.wait_for(20)
        backup = command(['backup', str(tmp_path / 'kabinet.backup')], system.settings.database_url, tmp_path)
        writer.wait_for(writer.pairs + 20)  # the portal keeps writing after the copy too
    finally:
        writer.stop()
        portal.stop()
    assert backup.returncode == 0, backup.stderr
    restored = command(['restore', str(tmp_path / 'kabinet.backup')], target_url, tmp_path)
    assert restored.returncode == 0, restored.stderr
    copy = make_engine(target_url)
    try:
        source_rows, copy_rows = snapshot(system), snapshot(System(settings=system.settings, engine=copy))
        assert copy_rows == source_rows  # every meter-data table, row for row
        for table in FIXED:
            assert rows(copy, table) == rows(system.engine, table)
        sent = pairs(copy)
        assert 0 < len(sent) < writer.pairs  # a moment in the middle of the writing ...
        assert all(count == 2 for count in sent.values())  # ... with whole transactions only
    finally:
        copy.dispose()


def test_restore_refuses_a_database_that_is_not_empty_and_leaves_it_alone(system: System, tmp_path: Path) -> None:
    load(system, ('registry.csv', registry(*ROWS[:3])))
    backup = command(['backup', str(tmp_path / 'kabinet.backup')], system.settings.database_url, tmp_path)
    assert backup.returncode == 0, backup.stderr
    refused = command(['restore', str(tmp_path / 'kabinet.backup')], system.settings.database_url, tmp_path)
    assert refused.returncode == 1
    assert 'The database is not empty' in refused.stderr
    assert rows(system.engine, 'account') == [(1,), (2,), (3,)]


def test_restore_of_a_missing_file_says_so(target_url: str, tmp_path: Path) -> None:
    missing = command(['restore', str(tmp_path / 'nothing.backup')], target_url, tmp_path)
    assert missing.returncode == 1
    assert 'No backup file at' in missing.stderr


class Writer(threading.Thread):
    """Queues emails in pairs, one transaction per pair, as fast as the database takes them."""

    def __init__(self, system: System) -> None:
        super().__init__(daemon=True)
        self.system, self.pairs, self.stopping = system, 0, threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        while not self.stopping.is_set():
            with self.system.session() as session:
                for half in (1, 2):
                    outbox.queue_email(
                        session=session, to=f'w{self.pairs}-{half}@example.com', template='recovery',
                        context={'password': 'x', 'login_url': 'http://portal/login'}, utility='У',
                        now=datetime(2026, 4, 1, tzinfo=UTC),
                    )  # fmt: skip
                session.commit()
            with self.progress:
                self.pairs += 1
                self.progress.notify_all()

    def wait_for(self, n: int) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: self.pairs >= n, timeout=60)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)


def rows(engine: Engine, table: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(f'SELECT id FROM "{table}" ORDER BY id'))]


def pairs(engine: Engine) -> dict[str, int]:
    """How many emails of each pair the database holds."""
    with engine.connect() as conn:
        found: dict[str, int] = {}
        for (to,) in conn.execute(text("SELECT to_addr FROM email_outbox WHERE to_addr LIKE 'w%'")):
            key = to.split('-')[0]
            found[key] = found.get(key, 0) + 1
        return found
