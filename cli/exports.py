"""`app.py export` (SPEC §8): a consumption series of one meter as JSON or CSV, in kWh (kvarh) to the Wh."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

from models import ENERGY_CODES
from services.core.settings import Settings
from services.core.system import build_system
from services.ingest import maintenance
from services.metering import periods
from services.metering.series import SeriesRow, series


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        first, last = date.fromisoformat(args.date_from), date.fromisoformat(args.date_to)
    except ValueError as error:
        print(f'export: {error} (dates are YYYY-MM-DD)', file=sys.stderr)
        return 2
    if last < first:
        print(f'export: --to {last} is before --from {first}', file=sys.stderr)
        return 2
    system = build_system(settings)
    tz = settings.tz
    with system.engine.connect() as conn:
        meter_id = conn.execute(text('SELECT id FROM meter WHERE serial = :s'), {'s': args.meter}).scalar()
        if meter_id is None:
            print(f'export: unknown meter {args.meter} (not in the registry)', file=sys.stderr)
            return 2
        meter = maintenance.lives(conn, [meter_id], default_reading_day=settings.reading_day)[meter_id]
        rows = series(
            conn,
            meter=meter,
            energy=ENERGY_CODES[args.energy],
            interval=args.interval,
            period=args.period,
            first=first,
            last=last,
            tz=tz,
            now=int(system.now().timestamp()),
        )
    document = export_document(
        serial=args.meter, energy=args.energy, interval=args.interval, period=args.period, tz=tz, rows=rows
    )
    sys.stdout.write(to_json(document) if args.format == 'json' else to_csv(document))
    return 0


def export_document(
    *, serial: str, energy: str, interval: str, period: str, tz: ZoneInfo, rows: list[SeriesRow]
) -> dict[str, Any]:
    """The JSON document of SPEC §8: local bounds with offsets, kWh (kvarh) with three decimals."""
    return {
        'meter': serial,
        'energy': energy,
        'unit': 'kWh' if energy.startswith('A') else 'kvarh',
        'interval': interval,
        'period': period,
        'timezone': tz.key,
        'rows': [
            {
                'label': row.label,
                'start': periods.iso_local(row.start, tz),
                'end': periods.iso_local(row.end, tz),
                'total': kwh(row.total),
                'zones': {f'T{zone}': kwh(wh) for zone, wh in sorted(row.zones.items())},
                'complete': row.complete,
                'missing': row.missing,
                'estimated': row.estimated,
            }
            for row in rows
        ],
    }


def kwh(wh: int) -> float:
    """Exact watt-hours as kWh: the division of an integer by 1000 prints with at most three decimals."""
    return round(wh / 1000, 3)


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False) + '\n'


def to_csv(document: dict[str, Any]) -> str:
    """label;start;end;total;T1[;T2[;T3]];complete;missing;estimated — a header row, then one row per bar."""
    zones = sorted({zone for row in document['rows'] for zone in row['zones']}) or ['T1']
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';', lineterminator='\n')
    writer.writerow(['label', 'start', 'end', 'total', *zones, 'complete', 'missing', 'estimated'])
    for row in document['rows']:
        writer.writerow(
            [
                row['label'],
                row['start'],
                row['end'],
                row['total'],
                *(row['zones'].get(zone, 0.0) for zone in zones),
                'true' if row['complete'] else 'false',
                row['missing'],
                row['estimated'],
            ]
        )
    return out.getvalue()
