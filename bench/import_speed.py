"""Import of 500,000 half-hour values from the OBIS CSV, against a plain sqlite3 baseline of the same work.

The baseline parses the same file with str.split and datetime.fromisoformat, inserts the rows with sqlite3's
executemany into a WITHOUT ROWID table, and rolls them up by day with one GROUP BY. Kabinet does more (format
detection, validation, upsert, hour/day/month/billing/year roll-ups per tariff zone), so the goal is a ratio
of at least 0.5 (aim 0.8). With KABINET_TEST_DATABASE_URL set, the same import runs on PostgreSQL too.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from bench.common import PG_URL, cpu_timed, database, obis_csv, registry_csv
from services.ingest import import_files

METERS = 100
HALF_HOURS = 5000  # 100 × 5,000 = 500,000 values, about 104 days per meter


def baseline(data: bytes) -> tuple[float, float]:
    """Plain sqlite3: parse, executemany into a WITHOUT ROWID table, daily GROUP BY roll-up."""
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / 'plain.db')
        db.execute('PRAGMA journal_mode=WAL')
        db.execute('PRAGMA synchronous=NORMAL')
        db.execute('CREATE TABLE meter (id INTEGER PRIMARY KEY, serial TEXT UNIQUE)')
        db.executemany('INSERT INTO meter VALUES (?, ?)', [(n + 1, f'B{n:05d}') for n in range(METERS)])
        db.execute(
            'CREATE TABLE iv (meter_id INT, energy INT, start INT, wh INT, flags INT, '
            'PRIMARY KEY (meter_id, energy, start)) WITHOUT ROWID'
        )
        db.execute(
            'CREATE TABLE daily (meter_id INT, day INT, wh INT, n INT, PRIMARY KEY (meter_id, day)) WITHOUT ROWID'
        )
        db.commit()

        def work() -> None:
            ids = dict(db.execute('SELECT serial, id FROM meter'))
            rows = []
            for line in data.decode().splitlines()[1:]:
                serial, _obis, start, _end, value, _unit, _status = line.split(';')
                moment = int(datetime.fromisoformat(start).timestamp())
                rows.append((ids[serial], 1, moment, int(Decimal(value.replace(',', '.')) * 1000), 0))
            rows.sort()
            db.executemany('INSERT INTO iv VALUES (?, ?, ?, ?, ?)', rows)
            db.execute(
                'INSERT INTO daily SELECT meter_id, (start + 10800) / 86400, SUM(wh), COUNT(*) FROM iv '
                'GROUP BY meter_id, (start + 10800) / 86400'
            )
            db.commit()

        wall, cpu, _ = cpu_timed(work)
        db.close()
        return wall, cpu


def kabinet(data: bytes, kind: str) -> tuple[float, float]:
    with database(kind) as system:
        now = datetime.now(UTC)
        import_files(system=system, files=[('registry.csv', registry_csv(METERS))], source='cli', now=now)
        wall, cpu, reports = cpu_timed(
            lambda: import_files(system=system, files=[('data.csv', data)], source='cli', now=now)
        )
        assert reports[0].ok and reports[0].rows == METERS * HALF_HOURS, reports[0].message()
        return wall, cpu


def main() -> None:
    data = obis_csv(METERS, HALF_HOURS)
    values = METERS * HALF_HOURS
    print(f'import: {values:,} half-hour values of {METERS} meters, {len(data) / 1e6:.1f} MB of OBIS CSV')
    plain = baseline(data)
    ours = kabinet(data, 'sqlite')
    _line('baseline: sqlite3 parse + executemany + daily GROUP BY', plain, values)
    _line('Kabinet import on SQLite', ours, values)
    print(
        f'  ratio baseline/Kabinet: {plain[0] / ours[0]:.2f} wall-clock, {plain[1] / ours[1]:.2f} CPU '
        '(at least 0.5, goal 0.8)'
    )
    if PG_URL:
        pg = kabinet(data, 'postgresql')
        _line('Kabinet import on PostgreSQL (CPU: this process only)', pg, values)
        print(f'  ratio baseline/Kabinet on PostgreSQL: {plain[0] / pg[0]:.2f} wall-clock')


def _line(name: str, seconds: tuple[float, float], values: int) -> None:
    wall, cpu = seconds
    print(f'  {name:55s} {wall:6.2f} s wall ({values / wall:9,.0f} rows/s), {cpu:6.2f} s CPU')


if __name__ == '__main__':
    main()
