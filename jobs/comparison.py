"""The similar-homes job (B11): nightly at 04:15, after the roll-ups (03:30), recompute the comparison table."""

from __future__ import annotations

import logging

from apscheduler.schedulers.base import BaseScheduler

from services.core.db import session_scope
from services.core.system import System
from services.metering.similar_homes import compute

log = logging.getLogger(__name__)


def register(scheduler: BaseScheduler, system: System) -> None:
    scheduler.add_job(run, 'cron', hour=4, minute=15, id='comparison', args=[system], replace_existing=True)


def run(system: System) -> None:
    settings = system.settings
    with session_scope(system.engine) as session:
        compared = compute(session=session, tz=settings.tz, default_reading_day=settings.reading_day, now=system.now())
    log.info('comparison: %d account(s) compared with similar homes', compared)
