"""Tariff rates CSV (SPEC 6.5): RUB per kWh per tariff group, number of zones and zone, from a date on."""

from __future__ import annotations

from services.core.messages import Reason
from services.ingest.formats.records import ImportRejected, ParsedFile, TariffRateRow
from services.ingest.formats.text import BadValue, CsvRow, clip, parse_date, parse_decimal, parse_int, read_csv
from services.metering.tariffs import RateRefused, check_rate, zone_number

REQUIRED = ('tariff_group', 'tariff_zones', 'zone', 'rub_per_kwh', 'valid_from')


def parse_tariffs(file: str, data: bytes) -> ParsedFile:
    """The rate rows; the same group, zones, zone and date twice rejects the file (which rate would hold?)."""
    table = read_csv(file, data, required=REQUIRED)
    parsed = ParsedFile(file=file, format='tariffs')
    first_line_of: dict[tuple[str, int, str, object], int] = {}
    for row in table.rows:
        try:
            rate = _row(row)
        except BadValue as error:
            raise ImportRejected(file, error.reason, line=row.line) from None
        key = (rate.tariff_group, rate.tariff_zones, rate.zone, rate.valid_from)
        if key in first_line_of:
            raise ImportRejected(file, Reason('rate_given_twice', line=first_line_of[key]), line=row.line)
        first_line_of[key] = row.line
        parsed.tariffs.append(rate)
    return parsed


def _row(row: CsvRow) -> TariffRateRow:
    zones = parse_int(row.get('tariff_zones'), 'tariff_zones')
    rate = parse_decimal(row.get('rub_per_kwh'), 'rub_per_kwh')
    try:  # the rules of services.metering.tariffs, as for the operator's form and put_rate
        check_rate(
            tariff_group=row.get('tariff_group'), tariff_zones=zones, zone=clip(row.get('zone')), rub_per_kwh=rate
        )
    except RateRefused as refused:
        raise BadValue(next(iter(refused.problems.values()))) from None
    if not row.get('valid_from'):
        raise BadValue(Reason('empty', column='valid_from'))
    return TariffRateRow(
        line=row.line,
        tariff_group=row.get('tariff_group'),
        tariff_zones=zones,
        zone=f'T{zone_number(row.get("zone"))}',
        rub_per_kwh=rate,
        valid_from=parse_date(row.get('valid_from'), 'valid_from'),
    )
