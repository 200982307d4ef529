"""Registry upsert (SPEC §6.1, O1): accounts by number, meters by serial; a re-import updates, never duplicates.

Only the columns the file has are written, so a short registry (account, address, serial) does not wipe the
models, dates and point codes a fuller one set. The meters whose roll-ups depend on a changed value (tariff
zones, life dates, the account's reading day) are returned so that the caller rebuilds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import Connection

from models import Account, Meter
from models.registry import address_search_key
from services.core.messages import Reason
from services.ingest.formats import ImportRejected, ParsedFile, RegistryRow

ACCOUNTS = Account.__table__  # type: ignore[attr-defined]
METERS = Meter.__table__  # type: ignore[attr-defined]
_ACCOUNT_COLUMNS = {'address': 'address', 'holder_name': 'holder_name', 'reading_day': 'reading_day',
                    'tariff_group': 'tariff_group'}  # fmt: skip
_METER_COLUMNS = {'meter_model': 'model', 'phases': 'phases', 'tariff_zones': 'tariff_zones',
                  'profile_minutes': 'profile_minutes', 'point_code': 'point_code', 'installed_on': 'installed_on',
                  'removed_on': 'removed_on', 'verified_on': 'verified_on',
                  'verification_interval_years': 'verification_interval_years',
                  'reading_mode': 'reading_mode'}  # fmt: skip
_ROLLUP_INPUTS = ('tariff_zones', 'installed_on', 'removed_on')
ANALYZE_AFTER_ADDING = 1000  # accounts and meters added by one file that make PostgreSQL's statistics stale


@dataclass
class RegistryOutcome:
    accounts_added: int = 0
    meters_added: int = 0
    rebuild: set[int] = field(default_factory=set)  # meter ids whose roll-ups must be recomputed


def upsert_registry(conn: Connection, parsed: ParsedFile, *, now: datetime) -> RegistryOutcome:
    """Write the registry rows in the caller's transaction; ImportRejected names the offending line."""
    columns = set(parsed.columns)
    outcome = RegistryOutcome()
    account_ids = _accounts(conn, parsed.registry, columns, now, outcome)
    _check_point_codes(conn, parsed, columns)
    meter_ids = _meters(conn, parsed.registry, columns, account_ids, now, outcome)
    if 'replaced_by' in columns:
        _replacements(conn, parsed, meter_ids)
    if conn.dialect.name == 'postgresql' and outcome.accounts_added + outcome.meters_added >= ANALYZE_AFTER_ADDING:
        # The planner would go on seeing the tables as they were (empty, on a new database) until autovacuum next
        # looks, and read a whole table for every lookup of the next import: quadratic in the registry's size.
        conn.execute(text('ANALYZE account'))
        conn.execute(text('ANALYZE meter'))
    return outcome


def _accounts(
    conn: Connection, rows: list[RegistryRow], columns: set[str], now: datetime, outcome: RegistryOutcome
) -> dict[str, int]:
    wanted: dict[str, dict[str, Any]] = {}
    for row in rows:  # an account's fields repeat on each of its meter rows; the last row wins
        values: dict[str, Any] = {'address': row.address, 'address_search': address_search_key(row.address)}
        for name, column in _ACCOUNT_COLUMNS.items():
            if name in columns and name != 'address':
                values[column] = getattr(row, name) or ('' if name in ('holder_name', 'tariff_group') else None)
        wanted[row.account_number] = values
    existing = _existing(conn, ACCOUNTS, ACCOUNTS.c.number, wanted, ['id', 'number', *_ACCOUNT_COLUMNS.values()])
    ids: dict[str, int] = {}
    for number, values in wanted.items():
        old = existing.get(number)
        if old is None:
            result = conn.execute(insert(ACCOUNTS).values(number=number, created_at=now, updated_at=now, **values))
            ids[number] = _new_id(result)
            outcome.accounts_added += 1
            continue
        ids[number] = old['id']
        if _changed(old, values):
            conn.execute(update(ACCOUNTS).where(ACCOUNTS.c.id == old['id']).values(updated_at=now, **values))
        if 'reading_day' in values and values['reading_day'] != old['reading_day']:
            account_meters = conn.execute(select(METERS.c.id).where(METERS.c.account_id == old['id'])).scalars()
            outcome.rebuild.update(account_meters)
    return ids


def _meters(
    conn: Connection,
    rows: list[RegistryRow],
    columns: set[str],
    account_ids: dict[str, int],
    now: datetime,
    outcome: RegistryOutcome,
) -> dict[str, int]:
    existing = _existing(
        conn,
        METERS,
        METERS.c.serial,
        {r.meter_serial for r in rows},
        ['id', 'serial', 'account_id', *_METER_COLUMNS.values()],
    )
    moving = [old['id'] for r in rows if (old := existing.get(r.meter_serial)) and 'point_code' in columns
              and old['point_code'] and old['point_code'] != r.point_code]  # fmt: skip
    if moving:  # free the codes first, so that two meters may swap codes in one file
        conn.execute(update(METERS).where(METERS.c.id.in_(moving)).values(point_code=None))
    ids: dict[str, int] = {}
    for row in rows:
        values: dict[str, Any] = {'account_id': account_ids[row.account_number]}
        for name, column in _METER_COLUMNS.items():
            if name in columns:
                values[column] = getattr(row, name) if name != 'meter_model' else (row.meter_model or '')
        old = existing.get(row.meter_serial)
        if old is None:
            result = conn.execute(
                insert(METERS).values(serial=row.meter_serial, created_at=now, updated_at=now, **values)
            )
            ids[row.meter_serial] = _new_id(result)
            outcome.meters_added += 1
            continue
        ids[row.meter_serial] = old['id']
        if _changed(old, values) or old['id'] in moving:
            conn.execute(update(METERS).where(METERS.c.id == old['id']).values(updated_at=now, **values))
        if any(column in values and values[column] != old[column] for column in _ROLLUP_INPUTS):
            outcome.rebuild.add(old['id'])
    return ids


def _check_point_codes(conn: Connection, parsed: ParsedFile, columns: set[str]) -> None:
    """A point code names one meter: two rows, or a row and another registry meter, may not share one."""
    if 'point_code' not in columns:
        return
    file_serials = {row.meter_serial for row in parsed.registry}
    first_line: dict[str, tuple[int, str]] = {}
    for row in parsed.registry:
        if not row.point_code:
            continue
        if row.point_code in first_line:
            line, serial = first_line[row.point_code]
            reason = Reason('point_code_twice', code=row.point_code, serial=serial, line=line)
            raise ImportRejected(parsed.file, reason, line=row.line)
        first_line[row.point_code] = (row.line, row.meter_serial)
    owners = _existing(conn, METERS, METERS.c.point_code, first_line, ['serial', 'point_code'])
    for code, owner in owners.items():
        line, serial = first_line[code]
        if owner['serial'] != serial and owner['serial'] not in file_serials:
            reason = Reason('point_code_taken', code=code, serial=owner['serial'])
            raise ImportRejected(parsed.file, reason, line=line)


def _replacements(conn: Connection, parsed: ParsedFile, meter_ids: dict[str, int]) -> None:
    wanted = {row.replaced_by for row in parsed.registry if row.replaced_by} - set(meter_ids)
    known = {
        **meter_ids,
        **{k: v['id'] for k, v in _existing(conn, METERS, METERS.c.serial, wanted, ['id', 'serial']).items()},
    }
    for row in parsed.registry:
        target = known.get(row.replaced_by) if row.replaced_by else None
        if row.replaced_by and target is None:
            reason = Reason('replaced_by_unknown', serial=row.replaced_by)
            raise ImportRejected(parsed.file, reason, line=row.line)
        conn.execute(update(METERS).where(METERS.c.id == meter_ids[row.meter_serial]).values(replaced_by_id=target))


def _existing(
    conn: Connection, table: Any, key: Any, values: Iterable[str], names: list[str]
) -> dict[str, dict[str, Any]]:
    """Rows of `table` whose `key` is one of `values`, by key, read in chunks (SQLite limits parameters)."""
    wanted = sorted(values)
    found: dict[str, dict[str, Any]] = {}
    for first in range(0, len(wanted), 500):
        chunk = wanted[first : first + 500]
        for row in conn.execute(select(*(table.c[n] for n in names)).where(key.in_(chunk))).mappings():
            found[row[key.name]] = dict(row)
    return found


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _changed(old: dict[str, Any], values: dict[str, Any]) -> bool:
    return any(old.get(column, value) != value for column, value in values.items())
