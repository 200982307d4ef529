"""Daily: PostgreSQL partitions of the interval table for this month and three ahead (nothing on SQLite)."""

from __future__ import annotations

import logging

from apscheduler.schedulers.base import BaseScheduler

from services.core.system import System
from services.ingest import partitions

log = logging.getLogger(__name__)


def register(scheduler: BaseScheduler, system: System) -> None:
    # 03:10 local, daily: months ahead are ready long before their first value, and strays are moved soon.
    scheduler.add_job(
        run, 'cron', hour=3, minute=10, id='interval-partitions', args=[system], replace_existing=True,
        misfire_grace_time=3600,
    )  # fmt: skip


def run(system: System) -> None:
    with system.engine.begin() as conn:
        created = partitions.ensure(conn, today=system.now().date())
    if created:
        log.info('interval partitions created: %s', ', '.join(created))
