"""A consistent copy of the database while the portal keeps running."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

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
