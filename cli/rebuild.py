"""`app.py rebuild --from D --to D [--meter SERIAL]`: recompute the roll-ups of any range, with a progress bar.

The nightly job runs the same code (`services.ingest.maintenance.rebuild_range`) over the last three days.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from typing import TextIO

from sqlalchemy import text

from services.core.settings import Settings
from services.core.system import build_system
from services.ingest import maintenance

WIDTH = 30


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        first, last = date.fromisoformat(args.date_from), date.fromisoformat(args.date_to)
    except ValueError as error:
        print(f'rebuild: {error} (dates are YYYY-MM-DD)', file=sys.stderr)
        return 2
    if last < first:
        print(f'rebuild: --to {last} is before --from {first}', file=sys.stderr)
        return 2
    system = build_system(settings)
    meter_ids = None
    if args.meter:
        with system.engine.connect() as conn:
            meter_id = conn.execute(text('SELECT id FROM meter WHERE serial = :s'), {'s': args.meter}).scalar()
        if meter_id is None:
            print(f'rebuild: unknown meter {args.meter} (not in the registry)', file=sys.stderr)
            return 2
        meter_ids = [int(meter_id)]
    bar = Bar(sys.stderr)
    started = time.perf_counter()
    done = maintenance.rebuild_range(
        system.engine,
        first=first,
        last=last,
        tz=settings.tz,
        default_reading_day=settings.reading_day,
        meter_ids=meter_ids,
        progress=bar.show,
    )
    bar.close()
    days = (last - first).days + 1
    print(f'Roll-ups of {days} day(s) of {done} meter(s) rebuilt in {time.perf_counter() - started:.1f} s')
    return 0


class Bar:
    """`[#####.....]  500/2000 meters, 12 s left` on one line of a terminal; a line per step otherwise."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.started = time.perf_counter()
        self.shown = False

    def show(self, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        left = elapsed / done * (total - done) if done else 0.0
        filled = WIDTH * done // total if total else WIDTH
        line = f'[{"#" * filled}{"." * (WIDTH - filled)}] {done}/{total} meters, {left:.0f} s left'
        self.out.write(('\r' + line) if self.tty else line + '\n')
        self.out.flush()
        self.shown = True

    def close(self) -> None:
        if self.tty and self.shown:
            self.out.write('\n')
            self.out.flush()
