"""The inbox folder (O2, SPEC §6): files dropped there are imported and moved to done/ or rejected/.

A writer that is not done must never get half a file imported. So a file is left for the next pass when:
- its name is one a writer uses while writing (hidden names, `.part`, `.tmp`, ...: write, then rename);
- it was modified within the quiet time (KABINET_INBOX_QUIET_SECONDS, default 5);
- some process still has it open for writing (Linux: a read lease cannot be taken then; where leases are not
  available — another owner without CAP_LEASE, a network file system — the quiet time alone decides);
- its size, modification time or inode differ between before it was read and just before its import commits
  (or before its rejection is logged): the import is then rolled back (nothing stored, nothing logged) and the
  file stays where it is. The import reads the file from disk a block at a time (services.ingest.pipeline),
  so this one check covers a writer at work while it is read.
One file never stops the others: any failure of a file is that file's rejection, and an error in filing one
away is logged and the scan goes on.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import signal
import time
from datetime import datetime
from pathlib import Path

from services.core.system import System
from services.ingest.pipeline import FileChanged, FileReport, import_files

log = logging.getLogger(__name__)
PARTIAL_SUFFIXES = ('.part', '.partial', '.tmp', '.temp', '.crdownload', '.filepart', '.uploading')


def scan_inbox(*, system: System, now: datetime, quiet_seconds: float | None = None) -> list[FileReport]:
    """Import every settled file of the inbox, oldest name first; returns one report per file imported or not.

    `quiet_seconds` overrides the setting (KABINET_INBOX_QUIET_SECONDS).
    """
    folder = Path(system.settings.inbox_dir)
    if not folder.is_dir():
        return []
    quiet = system.settings.inbox_quiet_seconds if quiet_seconds is None else quiet_seconds
    reports = []
    for path in sorted(folder.iterdir()):
        try:
            report = _take(system, folder, path, now=now, quiet=quiet)
        except Exception:  # a file that cannot even be read or moved must not stop the next ones
            log.exception('inbox: %s could not be handled; it stays for the next pass', path.name)
            continue
        if report is not None:
            reports.append(report)
    return reports


def _take(system: System, folder: Path, path: Path, *, now: datetime, quiet: float) -> FileReport | None:
    """Import and file away one inbox file, or None when it is not ready (it stays for the next pass)."""
    # Quiet time against the file system's own clock (mtimes are real time; the system clock may be chosen)
    if not _candidate(path, time.time(), quiet) or open_for_writing(path):
        return None
    before = path.stat()

    def unchanged(_name: str) -> bool:
        try:
            current = path.stat()
        except FileNotFoundError:
            return False
        return _signature(current) == _signature(before) and not open_for_writing(path)

    try:
        (report,) = import_files(system=system, files=[(path.name, path)], source='inbox', now=now, unchanged=unchanged)
    except FileChanged:
        log.info('inbox: %s changed while it was imported; left for the next pass', path.name)
        return None
    _file_away(folder, path, report, now)
    return report


def _signature(stat: os.stat_result) -> tuple[int, int, int, int]:
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_dev


def _candidate(path: Path, now: float, quiet: float) -> bool:
    name = path.name.lower()
    if name.startswith('.') or name.endswith(PARTIAL_SUFFIXES) or not path.is_file():
        return False
    return now - path.stat().st_mtime >= quiet


def open_for_writing(path: Path) -> bool:
    """True when some process has the file open for writing; False when not, or when that cannot be told.

    Linux refuses a read lease (EAGAIN) on a file that is open for writing anywhere. The lease is given back
    at once, so a writer opening the file meanwhile waits microseconds. Such a writer breaks the lease, and the
    kernel tells the lease holder by a signal — SIGIO by default, which would end the process — so the signal
    is set to SIGURG first, which is ignored unless a handler is installed.
    """
    setlease, setsig = getattr(fcntl, 'F_SETLEASE', None), getattr(fcntl, 'F_SETSIG', None)
    if setlease is None or setsig is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.fcntl(fd, setsig, signal.SIGURG)
        fcntl.fcntl(fd, setlease, fcntl.F_RDLCK)
    except OSError as error:
        return error.errno in (errno.EAGAIN, errno.EBUSY)  # EACCES, EINVAL...: not ours to lease, cannot tell
    else:
        fcntl.fcntl(fd, setlease, fcntl.F_UNLCK)
        return False
    finally:
        os.close(fd)


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
