"""The measured subprocesses of `bench.scale`: one import each, so that its peak memory is its own.

`python -m bench.scale_worker kabinet URL FILE` imports FILE with `app.py import`'s code into URL (from disk, a
block at a time);
`python -m bench.scale_worker plain URL FILE` is the baseline: the file parsed with str.split and
datetime.fromisoformat, then sqlite3 executemany (SQLite) or COPY (PostgreSQL) into one plain table.

Each prints the rows it stored and the CPU seconds of the work itself, after the modules are imported: the whole
process's figures count Kabinet's start (about a second of importing the application), which a plain script does
not pay.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

PLAIN = 'bench_plain_import'
STARTED = 0.0  # process CPU seconds when the work began


def kabinet(url: str, path: str) -> int:
    from services.core.db import make_engine
    from services.core.settings import Settings
    from services.core.system import System
    from services.ingest import import_files

    global STARTED  # the work starts once the application is imported
    STARTED = time.process_time()
    settings = Settings(_env_file=None, database_url=url, mode='test', timezone='Europe/Moscow')
    system = System(settings=settings, engine=make_engine(url))
    (report,) = import_files(system=system, files=[(Path(path).name, Path(path))], source='cli', now=datetime.now(UTC))
    assert report.ok, report.message()
    return report.rows


def plain(url: str, path: str) -> int:
    """Parse like a first script would, then one bulk write into one table with a primary key."""
    global STARTED
    STARTED = time.process_time()
    data = Path(path).read_bytes()
    if url.startswith('sqlite'):
        db = sqlite3.connect(url.removeprefix('sqlite:///'))
        ids = dict(db.execute('SELECT serial, id FROM meter'))
        rows = _rows(data, ids)
        db.execute(f'DROP TABLE IF EXISTS {PLAIN}')
        db.execute(
            f'CREATE TABLE {PLAIN} (meter_id INT, energy INT, start INT, wh INT, flags INT, '
            'PRIMARY KEY (meter_id, energy, start)) WITHOUT ROWID'
        )
        db.executemany(f'INSERT INTO {PLAIN} VALUES (?, ?, ?, ?, ?)', rows)
        db.commit()
        return len(rows)
    import psycopg

    with psycopg.connect(url) as pg, pg.cursor() as cursor:
        cursor.execute('SELECT serial, id FROM meter')
        rows = _rows(data, dict(cursor.fetchall()))
        cursor.execute(f'DROP TABLE IF EXISTS {PLAIN}')
        cursor.execute(
            f'CREATE TABLE {PLAIN} (meter_id INT, energy INT, start BIGINT, wh INT, flags INT, '
            'PRIMARY KEY (meter_id, energy, start))'
        )
        with cursor.copy(f'COPY {PLAIN} FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)


def _rows(data: bytes, ids: dict[str, int]) -> list[tuple[int, int, int, int, int]]:
    rows = []
    for line in data.decode().splitlines()[1:]:
        serial, _obis, start, _end, value, _unit, _status = line.split(';')
        moment = int(datetime.fromisoformat(start).timestamp())
        rows.append((ids[serial], 1, moment, int(Decimal(value.replace(',', '.')) * 1000), 0))
    rows.sort()
    return rows


if __name__ == '__main__':
    command, target, file = sys.argv[1:4]
    rows = (kabinet if command == 'kabinet' else plain)(target, file)
    print(rows, f'{time.process_time() - STARTED:.3f}')
