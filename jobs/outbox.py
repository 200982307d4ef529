"""Job `outbox`: sends the waiting emails every few seconds (services/mail/outbox.py retries with back-off)."""

from __future__ import annotations

import asyncio
import logging

from apscheduler.schedulers.base import BaseScheduler

from services.core.system import System
from services.mail import outbox

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 5  # a registration password should arrive while the resident is still looking at the page


def register(scheduler: BaseScheduler, system: System) -> None:
    scheduler.add_job(run, 'interval', seconds=INTERVAL_SECONDS, args=[system], id='outbox', replace_existing=True)


def run(system: System) -> None:
    """A thread-pool job with its own event loop, so slow SMTP and SQL never block the pages."""
    report = asyncio.run(outbox.send_due(system.engine, system.settings, system.now()))
    if report.sent or report.failed:
        log.info('outbox: %d sent, %d failed (will retry)', report.sent, report.failed)
