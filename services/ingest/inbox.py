"""The inbox folder (O2, SPEC §6): files dropped there are imported and moved to done/ or rejected/.

A file still being written is left for the next pass: hidden and partial names (`.part`, `.tmp`, ...) are
skipped, and so is a file modified within the last few seconds or whose size changes while it is read.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path

from services.core.system import System
from services.ingest.pipeline import FileReport, import_files

log = logging.getLogger(__name__)
PARTIAL_SUFFIXES = ('.part', '.partial', '.tmp', '.temp', '.crdownload', '.filepart', '.uploading')
SETTLE_SECONDS = 5


def scan_inbox(*, system: System, now: datetime, settle_seconds: float = SETTLE_SECONDS) -> list[FileReport]:
    """Import every settled file of the inbox, oldest name first; returns one report per file imported or not."""
    folder = Path(system.settings.inbox_dir)
    if not folder.is_dir():
        return []
    reports = []
    for path in sorted(folder.iterdir()):
        # Quiet time against the file system's own clock (mtimes are real time; the system clock may be chosen)
        if not _candidate(path, time.time(), settle_seconds):
            continue
        before = path.stat()
        data = path.read_bytes()
        after = path.stat()
        if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(data) != after.st_size:
            continue  # still growing: next pass
        (report,) = import_files(system=system, files=[(path.name, data)], source='inbox', now=now)
        _file_away(folder, path, report, now)
        reports.append(report)
    return reports


def _candidate(path: Path, now: float, settle_seconds: float) -> bool:
    name = path.name.lower()
    if name.startswith('.') or name.endswith(PARTIAL_SUFFIXES) or not path.is_file():
        return False
    return now - path.stat().st_mtime >= settle_seconds


def _file_away(folder: Path, path: Path, report: FileReport, now: datetime) -> None:
    target_dir = folder / ('done' if report.ok else 'rejected')
    target_dir.mkdir(exist_ok=True)
    target = _free_name(target_dir, path.name, now)
    path.replace(target)
    if not report.ok:
        lines = [report.message(), *report.warnings]
        (target_dir / f'{target.name}.error.txt').write_text('\n'.join(lines) + '\n', encoding='utf-8')
    log.info('inbox: %s -> %s', path.name, target.relative_to(folder))


def _free_name(folder: Path, name: str, now: datetime) -> Path:
    """`name`, or `stem.YYYYMMDD-HHMMSS[-n].ext` when a file of that name was filed before."""
    target = folder / name
    stem, dot, suffix = name.rpartition('.') if '.' in name.lstrip('.') else (name, '', '')
    n = 0
    while target.exists():
        n += 1
        stamp = now.strftime('%Y%m%d-%H%M%S') + (f'-{n}' if n > 1 else '')
        target = folder / f'{stem}.{stamp}{dot}{suffix}'
    return target
