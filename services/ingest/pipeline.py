"""Import of whole files (SPEC §6, O2): each file is stored whole in one transaction, or not at all.

The roll-ups of exactly the touched meters, energy types and local days are refreshed in the same
transaction, so a failure anywhere leaves nothing behind; each file gets a row in the import log.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from models import ENERGY_CODES, ESTIMATED, ImportLog, Meter, TariffRate, User
from services.core.messages import Reason, render
from services.core.system import System
from services.identity.roles import require_staff
from services.ingest import maintenance, store
from services.ingest.formats import ImportRejected, Notice, ParsedFile, parse_file
from services.ingest.normalise import MeterRef, Normaliser, Notes
from services.ingest.registry import upsert_registry
from services.metering import rollups, spodes

log = logging.getLogger(__name__)
SOURCES = ('cli', 'inbox', 'api', 'upload')
MAX_LOGGED_WARNINGS = 50


@dataclass(frozen=True)
class FileReport:
    """What became of one file: `rows` records stored, or the rejection naming the line or element."""

    file: str
    status: str  # 'imported' | 'rejected'
    format: str = ''
    rows: int = 0
    notices: tuple[Notice, ...] = ()  # the warnings as codes, for the reader's language
    error: ImportRejected | None = None

    @property
    def ok(self) -> bool:
        return self.status == 'imported'

    @property
    def warnings(self) -> tuple[str, ...]:
        """The warnings in English, as the command line, the API and the log give them."""
        return tuple(str(notice) for notice in self.notices)

    def message(self, lang: str = 'en') -> str:
        """'FILE: imported N rows', or 'FILE: line N: reason' (all Russian for 'ru': 'строка N', the reason)."""
        if self.error is not None:
            return self.error.localized(lang)
        return f'{self.file}: imported {self.rows} rows'


def import_files(
    *,
    system: System,
    files: list[tuple[str, bytes]],
    source: str,
    now: datetime,
    user: User | None = None,
    meter: str | None = None,
) -> list[FileReport]:
    """Import each (name, content) in turn; a rejected file stores nothing and the others go on.

    An upload is an operator action: it needs the staff `user` who uploads (NotAllowed for anyone else, before
    anything is read or logged). The command line, the inbox and the API have no user.
    """
    if source not in SOURCES:
        raise ValueError(f'unknown import source {source!r}')
    if source == 'upload':
        user_id = require_staff(user).id
    elif user is not None:
        raise ValueError(f'an import from {source!r} has no user')
    else:
        user_id = None
    reports = []
    for name, data in files:
        with gc_paused():
            report = _import_one(
                system=system, name=name, data=data, now=now, meter=meter, source=source, user_id=user_id
            )
        reports.append(report)
        if source != 'cli':  # the command line prints its own line per file
            log.info('%s import: %s', source, report.message())
    return reports


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is imported.

    A big file allocates millions of small objects that all stay alive until the file is stored; the
    collector would walk them again and again (a third of the import time) and find nothing to free.
    Reference counting still frees everything. Nested and concurrent imports share one pause.
    """
    global _paused
    with _pause_lock:
        if _paused == 0 and gc.isenabled():
            gc.disable()
            _paused = 1
        elif _paused:
            _paused += 1
    try:
        yield
    finally:
        with _pause_lock:
            if _paused:
                _paused -= 1
                if _paused == 0:
                    gc.enable()


_pause_lock = threading.Lock()
_paused = 0


def _import_one(
    *, system: System, name: str, data: bytes, now: datetime, meter: str | None, source: str, user_id: int | None
) -> FileReport:
    settings = system.settings
    started = datetime.now(now.tzinfo)
    try:
        parsed = parse_file(name, data, tz=settings.tz, meter=meter)
        with system.engine.begin() as conn:
            rows, notices = _store(conn, parsed, system=system, now=now)
            report = FileReport(name, 'imported', parsed.format, rows, tuple(parsed.warnings + notices))
            _log(conn, report, source, user_id, started)
        return report
    except ImportRejected as error:
        report = FileReport(name, 'rejected', error=error)
    except SQLAlchemyError as error:  # e.g. a value too long for its column: the file is refused, the rest go on
        log.warning('import of %s failed in the database: %s', name, error)
        refused = ImportRejected(name, Reason('database_refused', why=_cause(error)))
        report = FileReport(name, 'rejected', error=refused)
    with system.engine.begin() as conn:
        _log(conn, report, source, user_id, started)
    return report


def _store(conn: Connection, parsed: ParsedFile, *, system: System, now: datetime) -> tuple[int, list[Notice]]:
    """Write everything of one parsed file; returns the stored record count and the storage warnings."""
    settings = system.settings
    if parsed.format == 'registry':
        outcome = upsert_registry(conn, parsed, now=now)
        _rebuild(conn, outcome.rebuild, system)
        return len(parsed.registry), []
    if parsed.format == 'tariffs':
        _tariffs(conn, parsed)
        return len(parsed.tariffs), []
    by_serial, by_point = _meters(conn, parsed)
    notes = Notes(parsed.file)
    normaliser = Normaliser(parsed.file, by_serial, by_point, notes)
    count, touched = store.upsert_intervals(conn, parsed.intervals, normaliser, settings.tz)
    count += _registers(conn, parsed, by_serial) + _instants(conn, parsed, by_serial)
    count += _events(conn, parsed, by_serial, now)
    if touched:
        meters = maintenance.lives(conn, {m for m, _ in touched}, default_reading_day=settings.reading_day)
        zones = maintenance.schedule(conn)
        rollups.refresh_many(conn, meters=meters, touched=touched, tz=settings.tz, schedule=zones)
    return count, notes.notices()


def _meters(conn: Connection, parsed: ParsedFile) -> tuple[dict[str, MeterRef], dict[str, MeterRef]]:
    """The registry meters the file names, by serial and by point code."""
    serials: set[str] = {v.meter for v in parsed.intervals if v.meter}
    serials.update(r.meter for r in parsed.registers)
    serials.update(r.meter for r in parsed.instants)
    serials.update(r.meter for r in parsed.events)
    codes = {v.point_code for v in parsed.intervals if v.point_code}
    by_serial: dict[str, MeterRef] = {}
    by_point: dict[str, MeterRef] = {}
    table: Any = Meter.__table__  # type: ignore[attr-defined]
    for column, wanted, into in ((table.c.serial, serials, by_serial), (table.c.point_code, codes, by_point)):
        names = sorted(wanted)
        for first in range(0, len(names), 500):
            query = select(table.c.id, table.c.serial, table.c.profile_minutes, column)
            for meter_id, serial, profile, key in conn.execute(query.where(column.in_(names[first : first + 500]))):
                into[key] = MeterRef(meter_id, serial, profile)
    return by_serial, by_point


def _known(parsed: ParsedFile, by_serial: dict[str, MeterRef], serial: str, line: int) -> int:
    meter = by_serial.get(serial)
    if meter is None:
        raise ImportRejected(parsed.file, Reason('unknown_meter', serial=serial), line=line)
    return meter.id


def _registers(conn: Connection, parsed: ParsedFile, by_serial: dict[str, MeterRef]) -> int:
    rows = sorted(
        (_known(parsed, by_serial, r.meter, r.line), ENERGY_CODES[r.energy], r.zone, int(r.at.timestamp()), r.wh,
         ESTIMATED if r.estimated else 0)
        for r in parsed.registers
        if r.wh is not None  # a missing reading never erases a stored one
    )  # fmt: skip
    store.upsert(conn, 'register_reading', rows)
    return len(rows)


def _instants(conn: Connection, parsed: ParsedFile, by_serial: dict[str, MeterRef]) -> int:
    latest = {
        (_known(parsed, by_serial, v.meter, v.line), v.quantity, int(v.at.timestamp())): v.value
        for v in parsed.instants
    }
    store.upsert(conn, 'instant_value', sorted((m, q, at, value) for (m, q, at), value in latest.items()))
    return len(latest)


def _events(conn: Connection, parsed: ParsedFile, by_serial: dict[str, MeterRef], now: datetime) -> int:
    unique: dict[tuple[int, datetime, int, int], dict[str, Any]] = {}
    for event in parsed.events:
        meter_id = _known(parsed, by_serial, event.meter, event.line)
        unique[(meter_id, event.at, event.journal, event.code)] = {
            'meter_id': meter_id,
            'at': event.at,
            'journal': event.journal,
            'code': event.code,
            'severity': spodes.severity(event.journal, event.code),
            'note': '',
        }
    return store.insert_events(conn, list(unique.values()), now=now)


def _tariffs(conn: Connection, parsed: ParsedFile) -> None:
    table = TariffRate.__table__  # type: ignore[attr-defined]
    for rate in parsed.tariffs:
        key = {
            'tariff_group': rate.tariff_group,
            'tariff_zones': rate.tariff_zones,
            'zone': int(rate.zone[1]),
            'valid_from': rate.valid_from,
        }
        found = conn.execute(select(table.c.id).where(*(table.c[k] == v for k, v in key.items()))).scalar()
        if found is None:
            conn.execute(table.insert().values(rub_per_kwh=rate.rub_per_kwh, **key))
        else:
            conn.execute(table.update().where(table.c.id == found).values(rub_per_kwh=rate.rub_per_kwh))


def _rebuild(conn: Connection, meter_ids: set[int], system: System) -> None:
    if not meter_ids:
        return
    settings = system.settings
    meters = maintenance.lives(conn, meter_ids, default_reading_day=settings.reading_day)
    maintenance.rebuild_meters(conn, meters=meters, tz=settings.tz, zones=maintenance.schedule(conn))


def _log(conn: Connection, report: FileReport, source: str, user_id: int | None, started: datetime) -> None:
    """The log row: English text as SPEC §6 gives it, and the same as codes for the reader's language."""
    kept = report.notices[:MAX_LOGGED_WARNINGS]
    omitted = len(report.notices) - len(kept)
    warnings = [str(notice) for notice in kept]
    if omitted:
        warnings.append(render(Reason('more_warnings', n=omitted)))
    conn.execute(
        ImportLog.__table__.insert().values(  # type: ignore[attr-defined]
            file_name=report.file[:255],
            format=report.format,
            source=source,
            status=report.status,
            message=report.message()[:2000],
            rows=report.rows,
            warnings='\n'.join(warnings),
            message_code=report.error.notice.to_json() if report.error is not None else None,
            warning_codes={'notices': [n.to_json() for n in kept], 'omitted': omitted} if report.notices else None,
            user_id=user_id,
            started_at=started,
            finished_at=datetime.now(started.tzinfo),
        )
    )


def _cause(error: SQLAlchemyError) -> str:
    return str(getattr(error, 'orig', error)).splitlines()[0][:300]


def count_rows(conn: Connection, table: str) -> int:
    return int(conn.execute(text(f'SELECT COUNT(*) FROM {table}')).scalar() or 0)
