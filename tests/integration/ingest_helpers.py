"""Small builders of import files and readers of what an import stored, shared by the pipeline tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text

from services.core.system import System
from services.ingest import FileReport, import_files, maintenance
from services.metering.series import SeriesRow, series

NOW = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)
MSK = ZoneInfo('Europe/Moscow')
HEADER = 'meter;obis;start;end;value;unit;status'
REGISTRY_HEADER = 'account_number;address;holder_name;meter_serial;tariff_zones;profile_minutes;installed_on;point_code'


def registry(*rows: str, header: str = REGISTRY_HEADER) -> bytes:
    return ('\n'.join([header, *rows]) + '\n').encode()


def half_hours(meter: str, day: date, values: list[str], *, tz: ZoneInfo = MSK, status: str = '') -> list[str]:
    """OBIS CSV lines of consecutive half hours from local 00:00 of `day`, one per value (kWh)."""
    start = datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
    lines = []
    for n, value in enumerate(values):
        a = (start + timedelta(minutes=30 * n)).astimezone(tz).isoformat()
        b = (start + timedelta(minutes=30 * n + 30)).astimezone(tz).isoformat()
        lines.append(f'{meter};1.0.1.29.0.255;{a};{b};{value};kWh;{status}')
    return lines


def csv(*lines: str) -> bytes:
    return ('\n'.join([HEADER, *lines]) + '\n').encode()


def load(system: System, *files: tuple[str, bytes], meter: str | None = None) -> list[FileReport]:
    return import_files(system=system, files=list(files), source='cli', now=NOW, meter=meter)


def days(
    system: System, serial: str, first: date, last: date, *, interval: str = 'day', period: str = 'calendar'
) -> list[SeriesRow]:
    with system.engine.connect() as conn:
        meter_id = conn.execute(text('SELECT id FROM meter WHERE serial = :s'), {'s': serial}).scalar_one()
        life = maintenance.lives(conn, [meter_id], default_reading_day=system.settings.reading_day)[meter_id]
        return series(
            conn, meter=life, energy=1, interval=interval, period=period, first=first, last=last,
            tz=system.settings.tz, now=int(NOW.timestamp()),
        )  # fmt: skip


def snapshot(system: System) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an import writes, in key order."""
    tables = {
        'account': 'number, address, holder_name, reading_day, tariff_group',
        'meter': 'serial, account_id, model, tariff_zones, profile_minutes, point_code, installed_on, removed_on',
        'interval_energy': 'meter_id, energy, start, wh, flags',
        'energy_rollup': 'meter_id, energy, grain, start, zone, wh, present, estimated',
        'register_reading': 'meter_id, energy, zone, at, wh, flags',
        'instant_value': 'meter_id, quantity, at, value',
        'meter_event': 'meter_id, at, journal, code, severity',
        'tariff_rate': 'tariff_group, tariff_zones, zone, rub_per_kwh, valid_from',
    }
    with system.engine.connect() as conn:
        return {
            table: [tuple(r) for r in conn.execute(text(f'SELECT {cols} FROM {table} ORDER BY {cols}'))]
            for table, cols in tables.items()
        }


def count(system: System, table: str) -> int:
    with system.engine.connect() as conn:
        return int(conn.execute(text(f'SELECT COUNT(*) FROM {table}')).scalar_one())
