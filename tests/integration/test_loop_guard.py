"""The test-mode guard: a statement on the portal's event loop fails; the same statement in a worker runs."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from services.core.db import LoopGuard, make_engine


async def test_a_statement_on_the_armed_loop_fails_and_one_in_a_worker_thread_runs(database_url: str) -> None:
    engine = make_engine(database_url)
    guard = LoopGuard(engine)
    guard.arm()  # called from inside the running loop, as at the portal's start-up

    def query() -> int:
        with engine.connect() as connection:
            return int(connection.execute(text('SELECT 1')).scalar_one())

    assert await asyncio.to_thread(query) == 1
    with pytest.raises(RuntimeError, match='database work on the event loop'):
        query()
    engine.dispose()


def test_an_unarmed_guard_lets_everything_run(database_url: str) -> None:
    engine = make_engine(database_url)
    LoopGuard(engine)
    with engine.connect() as connection:
        assert connection.execute(text('SELECT 2')).scalar_one() == 2
    engine.dispose()
