"""Extra PostgreSQL databases for a test, named after the test database (`<name>_<suffix>`), made empty."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from services.core.db import make_engine
from tests.conftest import PG_URL


@contextmanager
def empty_pg_database(suffix: str) -> Iterator[str]:
    """The URL of a new, empty database beside the test database; dropped afterwards."""
    url = make_url(PG_URL)
    name = f'{url.database}_{suffix}'
    admin = make_engine(PG_URL).execution_options(isolation_level='AUTOCOMMIT')
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.engine.dispose()
