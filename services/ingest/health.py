"""What the operator watches (O7): the import log and the meters that have gone quiet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, text
from sqlalchemy.engine import Engine

from services.ingest.formats import Notice


@dataclass(frozen=True)
class LogEntry:
    at: datetime  # UTC
    file: str
    format: str
    source: str
    status: str
    rows: int
    message: str  # English, as SPEC §6 gives it
    warnings: str
    rejection: Notice | None = None  # the message as codes; None for imported files and rows older than codes

    def message_in(self, lang: str) -> str:
        """The message in `lang` when the row has its codes, else the stored English text as it is."""
        return self.rejection.text(lang) if self.rejection is not None else self.message


@dataclass(frozen=True)
class SilentMeter:
    serial: str
    account_number: str
    address: str
    last_data: datetime | None  # end of its latest interval (UTC), None when it never sent any


def recent_imports(*, engine: Engine, limit: int = 50) -> list[LogEntry]:
    """The latest import log entries, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                'SELECT started_at, file_name, format, source, status, rows, message, warnings, message_code '
                'FROM import_log ORDER BY started_at DESC, id DESC LIMIT :n'
            ).columns(message_code=JSON),
            {'n': limit},
        ).all()
    return [LogEntry(_aware(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], _notice(r[8])) for r in rows]


def silent_meters(*, engine: Engine, days: int, now: datetime, today: date) -> list[SilentMeter]:
    """Installed meters with no interval data in the last `days` days: the longest-known ones first, then never-seen.

    Each meter's latest interval is a primary-key seek per energy type, so this stays fast on years of data.
    """
    latest = ', '.join(
        f'(SELECT MAX(start) FROM interval_energy i WHERE i.meter_id = m.id AND i.energy = {energy})'
        for energy in range(1, 5)
    )
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                f'SELECT m.serial, a.number, a.address, m.profile_minutes, {latest} FROM meter m '
                'JOIN account a ON a.id = m.account_id WHERE m.removed_on IS NULL OR m.removed_on > :today '
                'ORDER BY m.serial'
            ),
            {'today': today},
        ).all()
    since = now.timestamp() - days * 86400
    found = []
    for serial, number, address, profile, *starts in rows:
        known = [int(s) for s in starts if s is not None]
        end = max(known) + profile * 60 if known else None
        if end is None or end < since:
            found.append(SilentMeter(serial, number, address, _instant(end)))
    return sorted(found, key=lambda m: (m.last_data is None, -(m.last_data.timestamp() if m.last_data else 0)))


def _notice(data: Any) -> Notice | None:
    """The stored rejection, or None when the row has none or one this version cannot read."""
    if data is None:
        return None
    try:
        notice = Notice.from_json(data)
        notice.text('en')  # every parameter its template needs is there
    except (ValueError, KeyError, IndexError):
        return None
    return notice


def _instant(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


def _aware(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
