"""PostgreSQL keeps intervals in monthly partitions made ahead; SQLite keeps its one table."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from services.core.system import System
from services.ingest import partitions
from tests.integration.ingest_helpers import csv, half_hours, load, registry

ROW = '7701;Тверь, ул. Мира, д. 1;А;P-1;2;30;2020-01-01;'


def test_sqlite_has_no_partitions_and_the_job_leaves_it_alone(system: System) -> None:
    if system.engine.dialect.name != 'sqlite':
        pytest.skip('SQLite only')
    with system.engine.begin() as conn:
        assert partitions.ensure(conn, today=date(2026, 12, 7)) == []


def test_months_ahead_are_made_and_strays_of_the_default_partition_move_into_their_month(system: System) -> None:
    if system.engine.dialect.name != 'postgresql':
        pytest.skip('PostgreSQL only')
    load(system, ('r.csv', registry(ROW)))
    old_day = date(2021, 6, 15)  # far before any partition the migration made: lands in the default one
    assert load(system, ('d.csv', csv(*half_hours('P-1', old_day, ['0,5'] * 48))))[0].ok
    with system.engine.begin() as conn:
        partitions.ensure(conn, today=date(2031, 1, 20))
        made = partitions.partitions(conn)
    assert 'interval_partitions.interval_energy_2031_04' in made  # January and three months ahead
    assert 'interval_partitions.interval_energy_2021_06' in made  # the UTC month of the stray values
    with system.engine.connect() as conn:
        in_default = conn.execute(text(f'SELECT COUNT(*) FROM {partitions.DEFAULT}')).scalar_one()
        in_june = conn.execute(text('SELECT COUNT(*) FROM interval_partitions.interval_energy_2021_06')).scalar_one()
        total = conn.execute(text('SELECT SUM(wh) FROM interval_energy')).scalar_one()
    assert (in_default, in_june, total) == (0, 48, 48 * 500)  # 0,5 kWh = 500 Wh in each of 48 half hours
    with system.engine.begin() as conn:
        assert partitions.ensure(conn, today=date(2031, 1, 20)) == []  # made once
