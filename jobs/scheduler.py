"""The scheduler of background jobs, one line per job module.

Each job is registered with an id, `replace_existing`, coalescing and one instance at a time.
"""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from jobs import alerts, comparison, inbox, outbox, rollups
from services.core.system import System

JOB_DEFAULTS = {'coalesce': True, 'max_instances': 1, 'misfire_grace_time': 60}


def create(system: System) -> AsyncIOScheduler:
    """A scheduler with every job of the instance; start it inside the running event loop."""
    scheduler = AsyncIOScheduler(job_defaults=JOB_DEFAULTS, timezone=system.settings.tz)
    inbox.register(scheduler, system)  # every 30 s: import the settled files of the inbox
    outbox.register(scheduler, system)  # every few seconds: send the emails due
    rollups.register(scheduler, system)  # nightly: rebuild recent roll-ups
    comparison.register(scheduler, system)  # nightly at 04:15: the comparison with similar homes (B11)
    alerts.register(scheduler, system)  # daily at 08:00 (and after each inbox import): email alerts (B5)
    return scheduler
