"""Registry CSV (SPEC 6.1): one row per meter, with its account, profile and life dates."""

from __future__ import annotations

import re
from datetime import date

from services.core.messages import Reason
from services.ingest.formats.records import ImportRejected, Notice, ParsedFile, RegistryRow
from services.ingest.formats.text import BadValue, CsvRow, clip, parse_date, parse_int, read_csv

REQUIRED = ('account_number', 'address', 'meter_serial')
KNOWN = (
    *REQUIRED,
    'holder_name',
    'meter_model',
    'phases',
    'tariff_zones',
    'profile_minutes',
    'installed_on',
    'verified_on',
    'verification_interval_years',
    'point_code',
    'reading_day',
    'removed_on',
    'replaced_by',
    'tariff_group',
    'reading_mode',
)
READING_MODES = ('remote', 'manual')
_POINT_CODE = re.compile(r'\d{15}')


def parse_registry(file: str, data: bytes) -> ParsedFile:
    """The meter rows of a registry CSV; a duplicated meter serial or any bad value rejects the file."""
    table = read_csv(file, data, required=REQUIRED)
    parsed = ParsedFile(file=file, format='registry', columns=table.columns)
    unknown = [name for name in table.columns if name and name not in KNOWN]
    if unknown:
        parsed.warnings.append(Notice(file, Reason('unknown_columns', names=', '.join(unknown)), line=1))
    first_line_of: dict[str, int] = {}
    for row in table.rows:
        try:
            record = _row(row)
        except BadValue as error:
            raise ImportRejected(file, error.reason, line=row.line) from None
        if record.meter_serial in first_line_of:
            reason = Reason('meter_listed_twice', serial=record.meter_serial, line=first_line_of[record.meter_serial])
            raise ImportRejected(file, reason, line=row.line)
        first_line_of[record.meter_serial] = row.line
        parsed.registry.append(record)
    return parsed


def _row(row: CsvRow) -> RegistryRow:
    installed_on = _optional_date(row, 'installed_on')
    removed_on = _optional_date(row, 'removed_on')
    if installed_on and removed_on and removed_on < installed_on:
        raise BadValue(Reason('removed_before_installed', removed=str(removed_on), installed=str(installed_on)))
    serial = _required(row, 'meter_serial')
    replaced_by = row.get('replaced_by') or None
    if replaced_by == serial:
        raise BadValue(Reason('replaced_by_itself', serial=serial))
    return RegistryRow(
        line=row.line,
        account_number=_required(row, 'account_number'),
        address=_required(row, 'address'),
        holder_name=row.get('holder_name') or None,
        meter_serial=serial,
        meter_model=row.get('meter_model') or None,
        phases=_choice(row, 'phases', (1, 3), default=1),
        tariff_zones=_choice(row, 'tariff_zones', (1, 2, 3), default=1),
        profile_minutes=_choice(row, 'profile_minutes', (15, 30, 60), default=30),
        installed_on=installed_on,
        verified_on=_optional_date(row, 'verified_on'),
        verification_interval_years=_verification_interval(row),
        point_code=_point_code(row),
        reading_day=_reading_day(row),
        removed_on=removed_on,
        replaced_by=replaced_by,
        tariff_group=row.get('tariff_group'),
        reading_mode=_reading_mode(row),
    )


def _required(row: CsvRow, column: str) -> str:
    value = row.get(column)
    if not value:
        raise BadValue(Reason('empty', column=column))
    return value


def _choice(row: CsvRow, column: str, allowed: tuple[int, ...], *, default: int) -> int:
    text = row.get(column)
    if not text:
        return default
    value = parse_int(text, column)
    if value not in allowed:
        raise BadValue(Reason('not_one_of', column=column, allowed=', '.join(map(str, allowed)), value=value))
    return value


def _optional_date(row: CsvRow, column: str) -> date | None:
    text = row.get(column)
    return parse_date(text, column) if text else None


def _verification_interval(row: CsvRow) -> int | None:
    text = row.get('verification_interval_years')
    if not text:
        return None
    years = parse_int(text, 'verification_interval_years')
    if not 1 <= years <= 50:
        raise BadValue(Reason('out_of_range', column='verification_interval_years', low=1, high=50, value=years))
    return years


def _point_code(row: CsvRow) -> str | None:
    code = row.get('point_code')
    if code and not _POINT_CODE.fullmatch(code):
        raise BadValue(Reason('point_code_digits', code=clip(code)))
    return code or None


def _reading_day(row: CsvRow) -> int | None:
    text = row.get('reading_day')
    if not text:
        return None
    day = parse_int(text, 'reading_day')
    if not 1 <= day <= 31:
        raise BadValue(Reason('out_of_range', column='reading_day', low=1, high=31, value=day))
    return day


def _reading_mode(row: CsvRow) -> str:
    text = (row.get('reading_mode') or '').strip().lower()
    if not text:
        return 'remote'
    if text not in READING_MODES:
        raise BadValue(Reason('not_one_of', column='reading_mode', allowed=', '.join(READING_MODES), value=clip(text)))
    return text
