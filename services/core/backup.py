"""A consistent copy of the database while the portal keeps running."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine


class BackupError(RuntimeError):
    pass


def backup_database(*, engine: Engine, target: str) -> Path:
    """Copy the database to `target`: SQLite's online backup API, or pg_dump for PostgreSQL; returns the path."""
    path = Path(target)
    if path.is_dir():
        path = path / 'kabinet-backup.db'
    path.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == 'sqlite':
        source_path = engine.url.database
        if not source_path or source_path == ':memory:':
            raise BackupError('An in-memory database cannot be backed up.')
        tmp = path.with_suffix(path.suffix + '.part')
        source = sqlite3.connect(source_path)
        dest = sqlite3.connect(tmp)
        try:
            with dest:
                source.backup(dest)  # page-by-page copy of a consistent snapshot, writers keep going
        finally:
            dest.close()
            source.close()
        tmp.replace(path)
        return path
    pg_dump = shutil.which('pg_dump')
    if pg_dump is None:
        raise BackupError('pg_dump is not installed: install the PostgreSQL client to back up PostgreSQL.')
    url = engine.url.set(drivername='postgresql').render_as_string(hide_password=False)
    result = subprocess.run(  # noqa: S603 — fixed program, arguments from our own settings
        [pg_dump, '--format=custom', f'--file={path}', url],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f'pg_dump failed: {result.stderr.strip()[:500]}')
    return path


class RestoreRefused(BackupError):
    """The target database is not empty, or the backup does not fit it; nothing was changed."""


SQLITE_MAGIC = b'SQLite format 3\x00'
PG_CUSTOM_MAGIC = b'PGDMP'


def restore_database(*, engine: Engine, source: str) -> str:
    """Restore a file written by `backup_database` into the empty database of `engine`; returns its kind.

    A SQLite backup goes into a SQLite database, a pg_dump archive (or a plain SQL dump) into PostgreSQL. A
    database that has any table is refused, so a restore never mixes two histories.
    """
    path = Path(source)
    if not path.is_file():
        raise BackupError(f'No backup file at {path}.')
    with path.open('rb') as file:
        head = file.read(16)
    if not database_is_empty(engine):
        raise RestoreRefused('The database is not empty: restore only into a new, empty database.')
    if engine.dialect.name == 'sqlite':
        if head != SQLITE_MAGIC:
            raise RestoreRefused(f'{path} is not a SQLite backup; this instance uses SQLite.')
        _restore_sqlite(engine, path)
        return 'sqlite'
    if head == SQLITE_MAGIC:
        raise RestoreRefused(f'{path} is a SQLite backup; this instance uses PostgreSQL.')
    _restore_postgres(engine, path, archive=head.startswith(PG_CUSTOM_MAGIC))
    return 'postgresql'


def database_is_empty(engine: Engine) -> bool:
    """True when the database has no table at all (a new SQLite file counts as empty)."""
    if engine.dialect.name == 'sqlite':
        target = engine.url.database or ''
        if not target or target == ':memory:' or not Path(target).exists():
            return True
    return not inspect(engine).get_table_names()


def _restore_sqlite(engine: Engine, path: Path) -> None:
    target = engine.url.database
    if not target or target == ':memory:':
        raise BackupError('An in-memory database cannot be restored into.')
    engine.dispose()
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f'file:{path}?mode=ro', uri=True)
    dest = sqlite3.connect(target)
    try:
        with dest:
            source.backup(dest)
    finally:
        dest.close()
        source.close()


def _restore_postgres(engine: Engine, path: Path, *, archive: bool) -> None:
    program = shutil.which('pg_restore' if archive else 'psql')
    if program is None:
        raise BackupError('The PostgreSQL client (pg_restore, psql) is not installed.')
    url = engine.url.set(drivername='postgresql').render_as_string(hide_password=False)
    if archive:
        command = [program, '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction']
        command += [f'--dbname={url}', str(path)]
    else:
        command = [program, '--quiet', '--set=ON_ERROR_STOP=1', '--single-transaction', f'--file={path}', url]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 — fixed programs
    if result.returncode != 0:
        raise BackupError(f'{Path(program).name} failed: {result.stderr.strip()[:500]}')
