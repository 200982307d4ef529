"""`app.py export-readings --month YYYY-MM [--format csv|json]`: residents' manual readings for billing (B7)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from services.core.db import session_scope
from services.core.settings import Settings
from services.core.system import build_system
from services.readings import export


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        month = date.fromisoformat(f'{args.month}-01')
    except ValueError:
        print(f'export-readings: --month {args.month!r} is not YYYY-MM', file=sys.stderr)
        return 2
    system = build_system(settings)
    with session_scope(system.engine) as session:
        rows = export.month_rows(session=session, month=month, tz=settings.tz)
    sys.stdout.write(export.to_json(rows) if args.format == 'json' else export.to_csv(rows))
    return 0
