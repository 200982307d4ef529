"""Shared fixtures: a real database per test (a SQLite file, or PostgreSQL via KABINET_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from services.core.clock import ManualClock
from services.core.db import make_engine, migrate
from services.core.settings import Settings
from services.core.system import System
from tests.clock import TEST_NOW

PG_URL = os.environ.get('KABINET_TEST_DATABASE_URL', '')
KEEP_TABLES = {'alembic_version', 'tariff_zone_schedule'}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API runs its own event loop while its browser is open."""
    items.sort(key=lambda item: '/tests/e2e/' in str(item.path).replace(os.sep, '/'))


@pytest.fixture(scope='session')
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A migrated SQLite file copied for each test (migrating once keeps the suite fast)."""
    if PG_URL:
        engine = make_engine(PG_URL)
        migrate(engine)
        engine.dispose()
        return None
    path = tmp_path_factory.mktemp('template') / 'template.db'
    engine = make_engine(f'sqlite:///{path}')
    migrate(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql('PRAGMA wal_checkpoint(TRUNCATE)')
    engine.dispose()
    return path


@pytest.fixture
def database_url(template_db: Path | None, tmp_path: Path) -> str:
    """The URL of an empty, migrated database for this test."""
    return fresh_database(template_db, tmp_path)


def fresh_database(template_db: Path | None, folder: Path) -> str:
    """An empty, migrated database: a copy of the template file, or the PostgreSQL test database emptied."""
    if template_db is None:
        engine = make_engine(PG_URL)
        _truncate(engine)
        engine.dispose()
        return PG_URL
    path = folder / 'kabinet.db'
    shutil.copy(template_db, path)
    return f'sqlite:///{path}'


def _truncate(engine: Engine) -> None:
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
        names = ', '.join(f'"{t}"' for t in tables if t not in KEEP_TABLES)
        if names:
            conn.execute(text(f'TRUNCATE {names} RESTART IDENTITY CASCADE'))


@pytest.fixture
def instant() -> datetime:
    """The instant a test runs at; a test chooses another with `@pytest.mark.parametrize('instant', [...])`."""
    return TEST_NOW


@pytest.fixture
def timezone() -> str:
    """The utility's zone; parametrize it like `instant` (Europe/Berlin has daylight saving)."""
    return 'Europe/Moscow'


@pytest.fixture
def settings(database_url: str, tmp_path: Path, instant: datetime, timezone: str) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        mode='test',
        now=instant.isoformat(),
        storage_secret='test-secret-0123456789',
        timezone=timezone,
        reading_day=25,
        captcha='off',
        inbox_dir=str(tmp_path / 'inbox'),
        api_token='test-api-token',
        utility_name='АО «Тестэнерго»',
    )


@pytest.fixture
def system(settings: Settings) -> Iterator[System]:
    engine = make_engine(settings.database_url)
    yield System(settings=settings, engine=engine, clock=ManualClock(settings.start_instant() or TEST_NOW))
    engine.dispose()
