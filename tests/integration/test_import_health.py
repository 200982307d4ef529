"""The import log and the data-health list of the operator's page (O7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from services.core.system import System
from services.ingest import health
from tests.integration.ingest_helpers import NOW, csv, half_hours, load, registry

ROWS = (
    '7701;ул. Мира, 1;А;FRESH;1;30;2026-01-01;690000000000001',
    '7702;ул. Мира, 2;Б;STALE;1;30;2026-01-01;690000000000002',
    '7703;ул. Мира, 3;В;NEVER;1;30;2026-01-01;690000000000003',
)


def test_meters_quiet_for_n_days_are_listed_with_their_last_data_newest_first(system: System) -> None:
    load(system, ('r.csv', registry(*ROWS)))
    today = NOW.date()  # 15 April 2026
    load(system, ('a.csv', csv(*half_hours('FRESH', today - timedelta(days=1), ['0,1'] * 2))))
    load(system, ('b.csv', csv(*half_hours('STALE', date(2026, 4, 1), ['0,1'] * 2))))
    quiet = health.silent_meters(engine=system.engine, days=3, now=NOW, today=today)
    # STALE's last half hour 00:30–01:00 Moscow on 1 April ends at 31 March 22:00 UTC
    assert [(m.serial, m.last_data) for m in quiet] == [
        ('STALE', datetime(2026, 3, 31, 22, 0, tzinfo=UTC)),
        ('NEVER', None),
    ]
    assert [m.serial for m in health.silent_meters(engine=system.engine, days=30, now=NOW, today=today)] == ['NEVER']


def test_the_import_log_lists_the_newest_files_first_with_their_outcome(system: System) -> None:
    load(system, ('r.csv', registry(*ROWS)))
    load(system, ('bad.csv', b'nothing useful'))
    entries = health.recent_imports(engine=system.engine, limit=50)
    assert [(e.file, e.status, e.source) for e in entries] == [
        ('bad.csv', 'rejected', 'cli'),
        ('r.csv', 'imported', 'cli'),
    ]
    assert entries[0].message.startswith('bad.csv: line 1: unrecognised content')
    assert entries[1].rows == 3
