"""Import of whole files (SPEC §6, O2): each file is stored whole in one transaction, or not at all.

The roll-ups of exactly the touched meters, energy types and local days are refreshed in the same
transaction, so a failure anywhere leaves nothing behind; each file gets a row in the import log.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from models import ENERGY_CODES, ESTIMATED, ImportLog, Meter, TariffRate, User
from services.core.messages import Reason, render
from services.core.metrics import METRICS
from services.core.system import System
from services.identity.roles import require_staff
from services.ingest import maintenance, store
from services.ingest.formats import (
    ImportRejected,
    Limits,
    Notice,
    ParsedFile,
    check,
    keep_later_registers,
    parse_file,
)
from services.ingest.formats.detect import opening_format
from services.ingest.formats.greenbutton import stream_greenbutton
from services.ingest.formats.obis_csv import stream_obis_csv
from services.ingest.formats.text import Content, NotStreamable, OnDisk, clip, whole
from services.ingest.formats.xml80020 import stream_xml80020
from services.ingest.gc_pause import gc_paused
from services.ingest.normalise import MeterRef, Normaliser, Notes
from services.ingest.registry import upsert_registry
from services.ingest.stream import StreamStore
from services.metering import rollups, spodes

log = logging.getLogger(__name__)
SOURCES = ('cli', 'inbox', 'api', 'upload')
MAX_LOGGED_WARNINGS = 50
# A rejected file larger than this keeps the rejection its streaming import met, instead of being parsed again
# whole to name the first error the whole-file parse names: that parse holds about 1 KiB per value (10 GiB for
# ten million). Above every upload limit, so uploads and API calls always get the whole-file path's answer.
REJECT_WITHOUT_REPARSE_BYTES = 64 * 1024 * 1024


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
    files: Sequence[tuple[str, bytes | os.PathLike[str]]],
    source: str,
    now: datetime,
    user: User | None = None,
    meter: str | None = None,
    unchanged: Callable[[str], bool] | None = None,
) -> list[FileReport]:
    """Import each (name, content) in turn; a rejected file stores nothing and the others go on.

    The content is the file's bytes or its path: a file on disk is read a block at a time by the parsers that
    stream (OBIS CSV, XML 80020), so its size does not add to the import's memory; the other formats, and a
    file the streaming path leaves to the whole-file one, are read whole.

    Any failure of one file — a bad value, an implausible one (services.ingest.formats.limits), the database's
    refusal, or an unexpected exception (logged with its traceback and a reference) — is that file's rejection.
    An upload is an operator action: it needs the staff `user` who uploads (NotAllowed for anyone else, before
    anything is read or logged). The command line, the inbox and the API have no user. `unchanged(name)` is
    asked just before a file's transaction commits: False rolls it back and raises FileChanged (the inbox's
    guard against a writer that is not done).
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
    for name, given in files:
        data = given if isinstance(given, bytes | OnDisk) else OnDisk(given)
        with gc_paused():
            report = _import_one(
                system=system, name=name, data=data, now=now, meter=meter, source=source, user_id=user_id,
                unchanged=unchanged,
            )  # fmt: skip
        reports.append(report)
        METRICS.add('kabinet_imports_total', source=source, outcome='imported' if report.ok else 'rejected')
        if source != 'cli':  # the command line prints its own line per file
            log.info('%s import: %s', source, report.message())
    return reports


def _import_one(
    *,
    system: System,
    name: str,
    data: Content,
    now: datetime,
    meter: str | None,
    source: str,
    user_id: int | None,
    unchanged: Callable[[str], bool] | None,
) -> FileReport:
    """Any failure of this file becomes its rejection; only FileChanged (nothing stored, nothing logged) escapes."""
    settings = system.settings
    started = datetime.now(now.tzinfo)
    limits = Limits.around(now, earliest=settings.import_earliest, ahead_days=settings.import_ahead_days)
    try:
        streamed = _streaming(
            system=system, name=name, data=data, now=now, meter=meter, source=source, user_id=user_id,
            unchanged=unchanged, limits=limits, started=started,
        )  # fmt: skip
        if streamed is not None:
            return streamed
        parsed = parse_file(name, whole(data), tz=settings.tz, meter=meter, limits=limits)
        with system.engine.begin() as conn:
            rows, notices = _store(conn, parsed, system=system, now=now)
            report = FileReport(name, 'imported', parsed.format, rows, tuple(parsed.warnings + notices))
            _log(conn, report, source, user_id, started)
            _still_the_same(name, unchanged)  # raising here rolls the whole file back
        return report
    except FileChanged:
        raise
    except ImportRejected as error:
        report = FileReport(name, 'rejected', error=error)
    except SQLAlchemyError as error:  # e.g. a value too long for its column: the file is refused, the rest go on
        log.warning('import of %s failed in the database: %s', name, error)
        refused = ImportRejected(name, Reason('database_refused', why=_cause(error)))
        report = FileReport(name, 'rejected', error=refused)
    except Exception:  # anything unforeseen in a parser or in storing: this file's rejection, never the others'
        ref = secrets.token_hex(4)
        log.exception('import of %s failed unexpectedly [ref %s]', name, ref)
        report = FileReport(name, 'rejected', error=ImportRejected(name, Reason('internal_error', ref=ref)))
    _still_the_same(name, unchanged)  # a half-written file is not rejected either: it is read again later
    try:
        with system.engine.begin() as conn:
            _log(conn, report, source, user_id, started)
    except SQLAlchemyError:
        log.exception('the import log row of %s could not be written', name)
    return report


def _streaming(
    *,
    system: System,
    name: str,
    data: Content,
    now: datetime,
    meter: str | None,
    source: str,
    user_id: int | None,
    unchanged: Callable[[str], bool] | None,
    limits: Limits,
    started: datetime,
) -> FileReport | None:
    """An interval file (OBIS CSV, XML 80020, Green Button) imported a chunk at a time (services.ingest.stream);
    None when the whole-file path must.

    A rejection, a refusal of the database or a file the streaming path cannot reproduce exactly
    (NotStreamable) rolls its transaction back, and the materialising path imports the file again from the
    start: it stores the file or names the very error it always named. Anything else is the file's failure.
    A rejected file over REJECT_WITHOUT_REPARSE_BYTES is not parsed again: its rejection is the stream's.
    """
    try:
        format_name = opening_format(data, name)
        if format_name not in ('obis_csv', 'xml80020', 'greenbutton'):
            return None
    except ImportRejected:
        return None
    try:
        with system.engine.begin() as conn:
            rows, notices = _store_stream(
                conn, name, data, format_name, system=system, meter=meter, limits=limits, now=now
            )
            report = FileReport(name, 'imported', format_name, rows, tuple(notices))
            _log(conn, report, source, user_id, started)
            _still_the_same(name, unchanged)  # raising here rolls the whole file back
        return report
    except (ImportRejected, NotStreamable) as error:
        met = error if isinstance(error, ImportRejected) else error.rejection
        if met is not None and _size(data) > REJECT_WITHOUT_REPARSE_BYTES:
            raise met from None  # a real error at the line it names, maybe not the first in file order
        log.debug('%s: imported again without streaming (%s)', name, type(error).__name__)
        return None
    except SQLAlchemyError as error:  # the materialising path: the exact outcome
        log.debug('%s: imported again without streaming (%s)', name, type(error).__name__)
        return None


def _size(data: Content) -> int:
    return os.stat(data.path).st_size if isinstance(data, OnDisk) else len(data)


def _store_stream(
    conn: Connection,
    name: str,
    data: Content,
    format_name: str,
    *,
    system: System,
    meter: str | None,
    limits: Limits,
    now: datetime,
    chunk: int = store.CHUNK,
    block: int = 8192,
) -> tuple[int, list[Notice]]:
    """`_store` of an OBIS CSV, XML 80020 or Green Button read a block at a time: the same rows, count, warnings
    and roll-ups.

    `chunk` rows are stored at a time, the parser gives `block` values at a time (small in tests).
    """
    settings = system.settings
    parsed = ParsedFile(file=name, format=format_name)  # registers, instants, events and the parser's warnings
    notes = Notes(name)
    if format_name == 'obis_csv':
        blocks = stream_obis_csv(name, data, meter=meter, into=parsed, size=block)
        key = 'serial'
    elif format_name == 'greenbutton':
        blocks = stream_greenbutton(name, data, meter=meter, into=parsed, size=block)
        key = 'serial'
    else:  # 80020 names its meters by point code
        blocks = stream_xml80020(name, data, tz=settings.tz, into=parsed)
        key = 'point_code'
    lookup = partial(_by, conn, key)
    sink = StreamStore(
        conn, name, lookup=lookup, notes=notes, tz=settings.tz, limits=limits, chunk=chunk, by_point=key == 'point_code'
    )
    sink.feed(blocks)
    count, touched = sink.finish()
    check(parsed, limits)  # what the stream did not check: registers, instant values, events
    warnings = [*parsed.warnings, *sink.again]
    parsed.warnings = []
    keep_later_registers(parsed)
    warnings += parsed.warnings
    by_serial, _ = _meters(conn, parsed)
    count += _registers(conn, parsed, by_serial) + _instants(conn, parsed, by_serial)
    count += _events(conn, parsed, by_serial, now)
    if touched:
        meters = maintenance.lives(conn, {m for m, _ in touched}, default_reading_day=settings.reading_day)
        zones = maintenance.schedule(conn)
        rollups.refresh_many(conn, meters=meters, touched=touched, tz=settings.tz, schedule=zones)
    return count, warnings + notes.notices()


class FileChanged(Exception):
    """The file changed while it was imported (a writer still at work): nothing of it is stored or logged."""

    def __init__(self, file: str) -> None:
        super().__init__(f'{file}: changed while it was imported; left for the next pass')
        self.file = file


def _still_the_same(name: str, unchanged: Callable[[str], bool] | None) -> None:
    if unchanged is not None and not unchanged(name):
        raise FileChanged(name)


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
    return _by(conn, 'serial', serials), _by(conn, 'point_code', codes)


def _by(conn: Connection, column_name: str, wanted: set[str]) -> dict[str, MeterRef]:
    """The registry meters whose `column_name` (serial or point code) is one of `wanted`, by that value."""
    table: Any = Meter.__table__  # type: ignore[attr-defined]
    column = table.c[column_name]
    found: dict[str, MeterRef] = {}
    names = sorted(wanted)
    for first in range(0, len(names), 500):
        query = select(table.c.id, table.c.serial, table.c.profile_minutes, column)
        for meter_id, serial, profile, key in conn.execute(query.where(column.in_(names[first : first + 500]))):
            found[key] = MeterRef(meter_id, serial, profile)
    return found


def _known(parsed: ParsedFile, by_serial: dict[str, MeterRef], serial: str, line: int) -> int:
    meter = by_serial.get(serial)
    if meter is None:
        raise ImportRejected(parsed.file, Reason('unknown_meter', serial=clip(serial)), line=line)
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
