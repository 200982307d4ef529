"""The new version starts on a database of the first release (migration 0002, with data) and keeps it all."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, insert, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import User
from services.core.db import MIGRATIONS_DIR, make_engine
from services.core.settings import Settings
from services.core.system import build_system
from services.identity.auth import login
from services.residents.access import meters_of
from tests.conftest import PG_URL
from tests.integration.databases import empty_pg_database

FIXTURE = Path(__file__).resolve().parents[1] / 'fixtures' / 'upgrade' / 'kabinet-0002.db'
NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
KEPT = {  # table: the columns of the first release that the upgrade must leave as they were
    'account': 'id, number, address, holder_name, reading_day, tariff_group',
    'meter': 'id, serial, account_id, tariff_zones, profile_minutes, installed_on',
    'user': 'id, email, phone, password_hash, role',
    'resident_account': 'user_id, account_id',
    'interval_energy': 'meter_id, energy, start, wh, flags',
    'energy_rollup': 'meter_id, energy, grain, start, zone, wh',
    'register_reading': 'meter_id, energy, zone, at, wh',
    'meter_event': 'id, meter_id, journal, code',
    'tariff_rate': 'tariff_group, tariff_zones, zone, rub_per_kwh, valid_from',
    'support_message': 'id, request_id, body',
    'import_log': 'id, file_name, status, message',
}


@pytest.fixture
def old_database(tmp_path: Path) -> Iterator[str]:
    """A database exactly as the first release left it: the saved SQLite file, or its rows in PostgreSQL at 0002."""
    if not PG_URL:
        shutil.copy(FIXTURE, tmp_path / 'kabinet.db')
        yield f'sqlite:///{tmp_path / "kabinet.db"}'
        return
    with empty_pg_database('upgrade') as url:
        engine = make_engine(url)
        config = Config()
        config.set_main_option('script_location', str(MIGRATIONS_DIR))
        with engine.begin() as connection:
            config.attributes['connection'] = connection
            command.upgrade(config, '0002')
        copy_rows(create_engine(f'sqlite:///{FIXTURE}'), engine)
        engine.dispose()
        yield url


def test_the_new_version_starts_on_a_first_release_database_and_keeps_every_row(old_database: str) -> None:
    before = rows(make_engine(old_database))
    assert len(before['interval_energy']) == 6740  # the fixture's last week of half hours (make_kabinet_0002.py)
    system = build_system(Settings(_env_file=None, database_url=old_database, mode='test'))  # what a start does
    try:
        assert rows(system.engine) == before
        with system.engine.connect() as conn:
            version = conn.execute(text('SELECT version_num FROM alembic_version')).scalar_one()
            assert version == head_revision()
            assert conn.execute(text('SELECT COUNT(*) FROM captcha_challenge')).scalar_one() == 0  # 0004: re-asked
            old_log = conn.execute(text("SELECT message_code FROM import_log WHERE file_name = 'old.csv'")).one()
            assert old_log[0] is None  # 0003: an old rejection keeps only its English text
        result = login(
            engine=system.engine, login_name='demo@example.com', password='demo-pass-0002', ip='127.0.0.1',
            user_agent='upgrade test', now=NOW,
        )  # fmt: skip
        assert result.user.password_spent is False  # 0004's new column, false for every old user
        with Session(system.engine) as session:
            user = session.get(User, result.user.id)
            assert user is not None
            serials = sorted(m.serial for m in meters_of(session=session, user=user, include_removed=True))
            assert serials == ['23450981', '38004417', '41907733', '56001274']
    finally:
        system.engine.dispose()


def head_revision() -> str:
    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS_DIR))
    return str(ScriptDirectory.from_config(config).get_current_head())


def rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            table: [tuple(r) for r in conn.execute(text(f'SELECT {cols} FROM "{table}" ORDER BY {cols}'))]
            for table, cols in KEPT.items()
        }


def copy_rows(source: Engine, target: Engine) -> None:
    """Every row of the SQLite fixture into the PostgreSQL tables at 0002, converted by the target's types."""
    old, new = MetaData(), MetaData()
    old.reflect(source)
    new.reflect(target)
    with source.connect() as read, target.begin() as write:
        write.execute(text('SET LOCAL session_replication_role = replica'))  # meters point at their successors
        for table in new.sorted_tables:
            if table.name in ('alembic_version', 'tariff_zone_schedule'):
                continue
            batch = [dict(r._mapping) for r in read.execute(select(old.tables[table.name]))]
            if batch:
                write.execute(insert(table), batch)
        for table in new.sorted_tables:  # the sequences continue after the copied ids
            if 'id' in table.c and table.c.id.autoincrement is not False:
                write.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                   f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table.name}"), false)'))  # fmt: skip
    source.dispose()
