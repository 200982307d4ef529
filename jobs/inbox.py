"""The inbox job: every KABINET_INBOX_INTERVAL seconds (30), import the settled files of KABINET_INBOX_DIR (O2).

A file is settled when no writer is at it any more (services.ingest.inbox); a file that fails, for any reason,
is moved to rejected/ and the scan goes on, so one bad file never blocks the inbox.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.base import BaseScheduler

from jobs import alerts
from services.core.system import System
from services.ingest.inbox import scan_inbox

log = logging.getLogger(__name__)


def register(scheduler: BaseScheduler, system: System) -> None:
    # A plain `def` job runs in the thread pool, so an import never blocks the pages.
    seconds = system.settings.inbox_interval
    scheduler.add_job(run, 'interval', seconds=seconds, id='inbox', args=[system], replace_existing=True)


def run(system: System) -> None:
    reports = scan_inbox(system=system, now=system.now())
    if reports:
        rejected = sum(not r.ok for r in reports)
        log.info('inbox: %d file(s) imported, %d rejected', len(reports) - rejected, rejected)
        if rejected < len(reports):
            alerts.run(system)  # B5: new events may need an alert now, not at the next daily run
