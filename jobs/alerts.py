"""The alerts job (B5): daily at 08:00 local time, and after each inbox import that stored something."""

from __future__ import annotations

import logging

from apscheduler.schedulers.base import BaseScheduler

from services.alerts.evaluate import run_alerts
from services.core.db import session_scope
from services.core.system import System

log = logging.getLogger(__name__)


def register(scheduler: BaseScheduler, system: System) -> None:
    scheduler.add_job(run, 'cron', hour=8, minute=0, id='alerts', args=[system], replace_existing=True)


def run(system: System) -> None:
    with session_scope(system.engine) as session:
        counts = run_alerts(session=session, settings=system.settings, now=system.now())
    if counts.emails:
        log.info('alerts: %d email(s) queued for %d cause(s)', counts.emails, counts.causes)
