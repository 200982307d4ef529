"""The inbox folder and the scheduled jobs (O2, O3)."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text

from jobs import inbox as inbox_job
from jobs import rollups as rollups_job
from services.core.system import System
from services.ingest import maintenance
from services.ingest.inbox import scan_inbox
from tests.integration.ingest_helpers import count, csv, days, half_hours, load, registry

DAY = date(2026, 3, 10)
ROW = '7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;M-1;2;30;2026-01-01;690000000000001'


def drop(folder: Path, name: str, data: bytes, *, age: float = 60) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def test_the_inbox_imports_settled_files_and_files_them_away(system: System) -> None:
    inbox = Path(system.settings.inbox_dir)
    load(system, ('r.csv', registry(ROW)))
    drop(inbox, 'a-good.csv', csv(*half_hours('M-1', DAY, ['0,1'] * 48)))
    drop(inbox, 'b-bad.csv', csv('M-1;1.0.1.29.0.255;yesterday;;1;Wh;'))
    drop(inbox, 'c-fresh.csv', csv(*half_hours('M-1', DAY, ['0,2'])), age=0)  # still being written
    drop(inbox, 'd-upload.csv.part', b'meter;obis')
    drop(inbox, '.hidden.csv', b'meter;obis')
    reports = scan_inbox(system=system, now=system.now())
    assert [(r.file, r.status) for r in reports] == [('a-good.csv', 'imported'), ('b-bad.csv', 'rejected')]
    assert (inbox / 'done' / 'a-good.csv').exists()
    assert (inbox / 'rejected' / 'b-bad.csv').exists()
    error = (inbox / 'rejected' / 'b-bad.csv.error.txt').read_text(encoding='utf-8')
    assert error.startswith("b-bad.csv: line 2: start 'yesterday' is not an ISO 8601 timestamp")
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == ['.hidden.csv', 'c-fresh.csv', 'd-upload.csv.part']
    assert days(system, 'M-1', DAY, DAY)[0].total == 4800  # 48 × 100 Wh; the fresh file is not read yet


def test_a_file_of_the_same_name_later_does_not_overwrite_the_first_one_in_done(system: System) -> None:
    inbox = Path(system.settings.inbox_dir)
    load(system, ('r.csv', registry(ROW)))
    drop(inbox, 'day.csv', csv(*half_hours('M-1', DAY, ['0,1'])))
    scan_inbox(system=system, now=system.now())
    drop(inbox, 'day.csv', csv(*half_hours('M-1', DAY, ['0,3'])))
    inbox_job.run(system)
    assert len(list((inbox / 'done').iterdir())) == 2
    assert count(system, 'import_log') == 3


def test_every_job_registers_with_an_id(system: System) -> None:
    scheduler = BackgroundScheduler()
    inbox_job.register(scheduler, system)
    rollups_job.register(scheduler, system)
    assert {job.id for job in scheduler.get_jobs()} == {'inbox', 'rollups-nightly'}


def test_a_rebuild_of_a_range_restores_roll_ups_that_were_lost(system: System) -> None:
    load(system, ('r.csv', registry(ROW)))
    load(system, ('d.csv', csv(*half_hours('M-1', DAY, ['0,1'] * 48))))
    with system.engine.begin() as conn:
        conn.execute(text('DELETE FROM energy_rollup'))
    assert days(system, 'M-1', DAY, DAY)[0].total == 0
    rebuilt = maintenance.rebuild_range(
        system.engine, first=DAY, last=DAY, tz=system.settings.tz, default_reading_day=25
    )
    assert rebuilt == 1
    assert days(system, 'M-1', DAY, DAY)[0].zones == {1: 3200, 2: 1600}
    assert days(system, 'M-1', DAY, DAY, interval='month')[0].total == 4800
