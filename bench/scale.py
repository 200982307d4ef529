"""Meter data at the scale of a utility: N meters × one year, on SQLite and (with KABINET_TEST_DATABASE_URL)
PostgreSQL, each figure beside a plain baseline measured in the same run.

- import: a file of about 500,000 values and the nightly file (one day of every meter), each in its own
  process for its peak memory; baseline: the same file parsed with str.split, then executemany (SQLite) or
  COPY (PostgreSQL) into one table;
- rebuild: every roll-up of every meter for the year (`app.py rebuild`'s code); baseline: one plain
  `INSERT … SELECT … GROUP BY` of days and zones;
- charts: p95 of the series of random meters (a year by billing periods, a month by days, a day by hours);
  baseline: the year's days grouped from the raw rows with integer arithmetic;
- size: bytes per interval row, roll-ups included; baseline: a plain table of the same rows.

`python -m bench.scale` (2,000 meters), `--meters 100` for a quick run, `--imports-only` for the import lines
alone (`--import-rows 2000000` for a bigger file).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bench.common import PG_URL, START, registry_csv
from bench.scale_report import PLAIN_BYTES_PER_ROW, Figures, import_report, report
from services.core.db import make_engine, migrate
from services.core.settings import Settings
from services.core.system import System
from services.ingest import import_files, maintenance, partitions

ROOT = Path(__file__).resolve().parents[1]
FIRST = date(2025, 1, 1)  # START is its local midnight in Moscow
KEEP = {'alembic_version', 'tariff_zone_schedule'}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog='python -m bench.scale')
    parser.add_argument('--meters', type=int, default=2000)
    parser.add_argument('--days', type=int, default=365)
    parser.add_argument('--import-rows', type=int, default=500_000)
    parser.add_argument('--queries', type=int, default=200, help='random meters for the chart p95')
    parser.add_argument('--only', choices=['sqlite', 'postgresql'], help='one engine only')
    parser.add_argument('--imports-only', action='store_true', help='the import figures alone (no year of data)')
    args = parser.parse_args(argv)
    for kind in [args.only] if args.only else ['sqlite'] + (['postgresql'] if PG_URL else []):
        figures = Figures(kind=kind, meters=args.meters, days=args.days)
        with scale_database(kind) as (system, folder):
            measure_imports(system, folder, args, figures)
            if args.imports_only:
                import_report(figures)
                continue
            measure_year(system, args, figures)
        report(figures)


@contextmanager
def scale_database(kind: str) -> Iterator[tuple[System, Path]]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = f'sqlite:///{folder / "scale.db"}' if kind == 'sqlite' else PG_URL
        engine = make_engine(url)
        migrate(engine)
        settings = Settings(_env_file=None, database_url=url, mode='test', timezone='Europe/Moscow')
        system = System(settings=settings, engine=engine)
        try:
            empty(system)
            yield system, folder
        finally:
            engine.dispose()


def empty(system: System) -> None:
    with system.engine.begin() as conn:
        if conn.dialect.name == 'sqlite':
            return
        names = [r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
        quoted = ', '.join(f'"{name}"' for name in names if name not in KEEP)
        conn.execute(text(f'TRUNCATE {quoted} RESTART IDENTITY CASCADE'))
        for name in names:
            if name.startswith('bench_'):
                conn.execute(text(f'DROP TABLE {name}'))


def write_obis_csv(path: Path, meters: int, half_hours: int, first: datetime) -> None:
    """A+ of every meter for `half_hours` consecutive half hours from `first`, meter by meter, written as made."""
    stamps = [(first + timedelta(minutes=30 * i)).isoformat() for i in range(half_hours + 1)]
    with path.open('w', encoding='utf-8', newline='\n') as out:
        out.write('meter;obis;start;end;value;unit;status\n')
        for n in range(meters):
            out.writelines(
                f'B{n:05d};1.0.1.29.0.255;{stamps[i]};{stamps[i + 1]};0,{100 + (i * 7 + n) % 400:03d};kWh;\n'
                for i in range(half_hours)
            )


def xml80020(meters: int, day: date) -> bytes:
    """An XML 80020 document of `day` with 48 half hours of A+ for every meter (point code 69 + 13 digits)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<message class="80020" version="2" number="1"><datetime><day>{day:%Y%m%d}</day></datetime>',
        '<sender><inn>7700000000</inn><name>ЭСО</name></sender><area><inn>7700000000</inn><name>Тверь</name>',
    ]
    for n in range(meters):
        out.append(f'<measuringpoint code="69{n:013d}" name="Кв. {n + 1}"><measuringchannel code="01" desc="A+">')
        for i in range(48):
            start, end = i * 30, i * 30 + 30
            value = f'0.{100 + (i * 7 + n) % 400:03d}'
            hhmm = f'{start // 60:02d}{start % 60:02d}', f'{end // 60 % 24:02d}{end % 60:02d}'
            out.append(f'<period start="{hhmm[0]}" end="{hhmm[1]}"><value status="0">{value}</value></period>')
        out.append('</measuringchannel></measuringpoint>')
    out.append('</area></message>')
    return '\n'.join(out).encode()


def green_button(meters: int, day: date) -> bytes:
    """A Green Button feed of `day` (Moscow) with 48 half hours of A+ for every meter: a UsagePoint titled with its
    serial, its MeterReading and one IntervalBlock each, and one ReadingType (Wh, forward) for all."""
    espi, start = 'http://naesb.org/espi', int((START + (day - FIRST)).timestamp())
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f'<entry><link rel="self" href="/ReadingType/1"/><content><ReadingType xmlns="{espi}"><uom>72</uom>'
        '<flowDirection>1</flowDirection><powerOfTenMultiplier>0</powerOfTenMultiplier>'
        '<intervalLength>1800</intervalLength></ReadingType></content></entry>',
    ]
    for n in range(meters):
        up = f'/UsagePoint/{n + 1}'
        out += [
            f'<entry><link rel="self" href="{up}"/><link rel="related" href="{up}/MeterReading"/>'
            f'<title>B{n:05d}</title><content><UsagePoint xmlns="{espi}"/></content></entry>',
            f'<entry><link rel="self" href="{up}/MeterReading/1"/><link rel="up" href="{up}/MeterReading"/>'
            f'<link rel="related" href="{up}/MeterReading/1/IntervalBlock"/><link rel="related" href="/ReadingType/1"/>'
            f'<content><MeterReading xmlns="{espi}"/></content></entry>',
            f'<entry><link rel="self" href="{up}/MeterReading/1/IntervalBlock/1"/>'
            f'<link rel="up" href="{up}/MeterReading/1/IntervalBlock"/><content><IntervalBlock xmlns="{espi}">',
        ]
        out += [
            f'<IntervalReading><timePeriod><duration>1800</duration><start>{start + i * 1800}</start></timePeriod>'
            f'<value>{100 + (i * 7 + n) % 400}</value></IntervalReading>'
            for i in range(48)
        ]
        out.append('</IntervalBlock></content></entry>')
    out.append('</feed>')
    return '\n'.join(out).encode()


def point_codes(meters: int) -> bytes:
    """A registry re-import that gives every meter of `registry_csv` its 80020 point code."""
    lines = ['account_number;address;meter_serial;point_code']
    for n in range(meters):
        lines.append(f'{700000 + n};г. Тверь, ул. Мира, д. {n + 1};B{n:05d};69{n:013d}')
    return ('\n'.join(lines) + '\n').encode()


def measure_imports(system: System, folder: Path, args: argparse.Namespace, figures: Figures) -> None:
    now = datetime.now(UTC)
    import_files(system=system, files=[('registry.csv', registry_csv(args.meters))], source='cli', now=now)
    import_files(system=system, files=[('points.csv', point_codes(args.meters))], source='cli', now=now)
    half_hours = max(1, args.import_rows // args.meters)
    # From the first of January 2025, or earlier when the files would reach the future (imports refuse it):
    # 10,000,000 values of 200 meters are almost three years of half hours.
    first_day = min(FIRST, date.today() - timedelta(days=half_hours // 48 + 5))
    first = START - (FIRST - first_day)
    bulk, day = folder / 'bulk.csv', folder / 'day.csv'
    write_obis_csv(bulk, args.meters, half_hours, first)
    write_obis_csv(day, args.meters, 48, first + timedelta(minutes=30 * half_hours))
    url = system.settings.database_url
    figures.import_rows = args.meters * half_hours
    if figures.import_rows * PLAIN_BYTES_PER_ROW < available_memory() // 2:
        figures.plain_import = worker('plain', url, bulk)
    else:  # the plain script holds every line and row: estimated from its bytes per row, not run
        figures.plain_skipped = True
    figures.bulk_import = worker('kabinet', url, bulk)
    figures.day_rows = args.meters * 48
    figures.day_import = worker('kabinet', url, day)
    xml = folder / 'day.xml'
    xml.write_bytes(xml80020(args.meters, first_day + timedelta(days=half_hours // 48 + 3)))  # after the CSV files
    figures.xml_import = worker('kabinet', url, xml)
    feed = folder / 'day.green.xml'
    feed.write_bytes(green_button(args.meters, first_day + timedelta(days=half_hours // 48 + 4)))
    figures.feed_import = worker('kabinet', url, feed)
    with system.engine.begin() as conn:
        conn.execute(text('DROP TABLE IF EXISTS bench_plain_import'))
        conn.execute(text('DELETE FROM energy_rollup'))
        conn.execute(text('DELETE FROM interval_energy'))


def available_memory() -> int:
    """Bytes of memory the system can give without swapping (MemAvailable), 0 when it cannot be told."""
    try:
        for line in Path('/proc/meminfo').read_text().splitlines():
            if line.startswith('MemAvailable:'):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def worker(command: str, url: str, path: Path) -> tuple[float, float, int, float]:
    """Wall seconds, CPU seconds and peak resident KiB of one import in its own process, and the CPU seconds of the
    import itself (the process's start and module imports left out)."""
    result = subprocess.run(
        ['/usr/bin/time', '-f', '%e %U %S %M', sys.executable, '-m', 'bench.scale_worker', command, url, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-2000:])
    wall, user, system, peak = result.stderr.strip().splitlines()[-1].split()
    work = float(result.stdout.strip().splitlines()[-1].split()[1])
    return float(wall), float(user) + float(system), int(peak), work


def measure_year(system: System, args: argparse.Namespace, figures: Figures) -> None:
    from bench.scale_year import charts, generate, plain_rollup, sizes

    with system.engine.begin() as conn:  # the daily job has made the months ahead on a live system
        partitions.ensure(conn, today=FIRST - timedelta(days=31), ahead=args.days // 28 + 2)
    figures.rows, figures.generate_seconds = generate(system, args.meters, args.days)
    _vacuum(system)
    last = FIRST + timedelta(days=args.days - 1)
    started = time.perf_counter()
    maintenance.rebuild_range(system.engine, first=FIRST, last=last, tz=system.settings.tz, default_reading_day=25)
    figures.rebuild = time.perf_counter() - started
    figures.plain_rebuild = plain_rollup(system)
    _vacuum(system)
    figures.charts = charts(system, args.meters, args.queries, last)
    figures.sizes = sizes(system, figures.rows)


def _vacuum(system: System) -> None:
    """PostgreSQL: what autovacuum does after a bulk load (statistics and the visibility map)."""
    if system.engine.dialect.name != 'postgresql':
        return
    with system.engine.connect().execution_options(isolation_level='AUTOCOMMIT') as conn:
        for table in ('interval_energy', 'energy_rollup'):
            conn.execute(text(f'VACUUM (ANALYZE) {table}'))


if __name__ == '__main__':
    main()
