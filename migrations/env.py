"""Alembic environment: runs on the connection handed over by services.db.migrate, or on KABINET_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table)

target_metadata = SQLModel.metadata


def run() -> None:
    connection = context.config.attributes.get('connection')
    if connection is None:
        from services.core.db import make_engine
        from services.core.settings import Settings

        engine = make_engine(Settings().database_url)
        with engine.begin() as connection:
            _run_on(connection)
        return
    _run_on(connection)


def _run_on(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == 'sqlite',  # type: ignore[attr-defined]
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
