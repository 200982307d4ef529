"""The nightly roll-up pass: the last three local days of every meter, for late data and clock changes (O3).

The same set-based code as `app.py rebuild`, a batch of meters per transaction.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.base import BaseScheduler

from services.core.system import System
from services.ingest.maintenance import rebuild_recent

log = logging.getLogger(__name__)
DAYS = 3


def register(scheduler: BaseScheduler, system: System) -> None:
    # 03:30 local: after midnight exports have arrived, and clear of the 02:00-03:00 clock changes.
    scheduler.add_job(
        run, 'cron', hour=3, minute=30, id='rollups-nightly', args=[system], replace_existing=True,
        misfire_grace_time=3600,
    )  # fmt: skip


def run(system: System) -> None:
    settings = system.settings
    today = system.now().astimezone(settings.tz).date()
    meters = rebuild_recent(
        system.engine, days=DAYS, today=today, tz=settings.tz, default_reading_day=settings.reading_day
    )
    log.info('roll-ups: the last %d days of %d meter(s) rebuilt', DAYS, meters)
