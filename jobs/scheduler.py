"""The scheduler of background jobs; each job is registered with an id, coalescing and one instance at a time."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services.system import System

JOB_DEFAULTS = {'coalesce': True, 'max_instances': 1, 'misfire_grace_time': 60}


def create(system: System) -> AsyncIOScheduler:
    """A scheduler with every job of the instance; start it inside the running event loop."""
    scheduler = AsyncIOScheduler(job_defaults=JOB_DEFAULTS, timezone=system.settings.tz)
    for register in REGISTRY:
        register(scheduler, system)
    return scheduler


REGISTRY: list = []  # functions (scheduler, system) -> None, one per job module
