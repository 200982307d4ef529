"""A big registry file leaves PostgreSQL's statistics fresh, so the next import looks its meters up by index.

Without them the planner goes on seeing the tables as they were before the file (empty, on a new database) until
autovacuum next looks, and a re-import of the same registry reads the whole meter table for every lookup.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from services.core.system import System
from services.ingest.registry import ANALYZE_AFTER_ADDING
from tests.integration.ingest_helpers import load, registry


def rows(n: int, first: int = 0) -> list[str]:
    return [f'{800000 + i};Тверь, ул. Мира, д. {i + 1};;S{i:06d};2;30;2020-01-01;' for i in range(first, first + n)]


def planner_rows(system: System, table: str) -> float:
    with system.engine.connect() as conn:
        return float(conn.execute(text(f"SELECT reltuples FROM pg_class WHERE relname = '{table}'")).scalar_one())


def test_a_registry_that_adds_many_meters_leaves_fresh_statistics_and_a_small_one_does_not_analyze(
    system: System,
) -> None:
    if system.engine.dialect.name != 'postgresql':
        pytest.skip('PostgreSQL only: SQLite plans without table statistics')
    assert load(system, ('small.csv', registry(*rows(10))))[0].ok
    assert planner_rows(system, 'meter') <= 0  # never analyzed: the planner sees an empty table
    assert load(system, ('big.csv', registry(*rows(ANALYZE_AFTER_ADDING, first=10))))[0].ok
    assert planner_rows(system, 'meter') == ANALYZE_AFTER_ADDING + 10
    assert planner_rows(system, 'account') == ANALYZE_AFTER_ADDING + 10
