"""The scheduler of background jobs: every module of `jobs/` with a `register(scheduler, system)` adds its jobs.

Each job is registered with an id, `replace_existing`, coalescing and one instance at a time.
"""

from __future__ import annotations

import importlib
import pkgutil

from apscheduler.schedulers.asyncio import AsyncIOScheduler

import jobs
from services.system import System

JOB_DEFAULTS = {'coalesce': True, 'max_instances': 1, 'misfire_grace_time': 60}


def create(system: System) -> AsyncIOScheduler:
    """A scheduler with every job of the instance; start it inside the running event loop."""
    scheduler = AsyncIOScheduler(job_defaults=JOB_DEFAULTS, timezone=system.settings.tz)
    for info in sorted(pkgutil.iter_modules(jobs.__path__), key=lambda m: m.name):
        module = importlib.import_module(f'jobs.{info.name}')
        register = getattr(module, 'register', None)
        if register is not None and info.name != 'scheduler':
            register(scheduler, system)
    return scheduler
