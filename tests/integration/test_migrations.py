"""The Alembic migrations build exactly the schema the models describe (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from services.core.db import make_engine


def test_the_migrated_database_has_every_table_column_index_and_constraint_of_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={'compare_type': True})
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == [], 'write a migration for these model changes (alembic revision --autogenerate)'
