"""The scheduler of background jobs, one line per job module.

Each job is registered with an id, `replace_existing`, coalescing and one instance at a time. Every portal
process runs a scheduler, but a job runs only in the process that leads (services/core/leader.py): on
PostgreSQL one process of all those on the database, on SQLite the only one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import BaseScheduler

from jobs import alerts, comparison, inbox, outbox, partitions, rollups
from services.core.leader import Leadership
from services.core.metrics import METRICS
from services.core.system import System

log = logging.getLogger(__name__)
JOB_DEFAULTS = {'coalesce': True, 'max_instances': 1, 'misfire_grace_time': 60}
ELECTION_SECONDS = 5  # how soon a standby notices that the leader is gone


def create(system: System, leadership: Leadership | None = None) -> AsyncIOScheduler:
    """A scheduler with every job of the instance; start it inside the running event loop."""
    scheduler = AsyncIOScheduler(job_defaults=JOB_DEFAULTS, timezone=system.settings.tz)
    register_all(scheduler, system, leadership or Leadership(system.engine))
    return scheduler


def register_all(scheduler: BaseScheduler, system: System, leadership: Leadership) -> None:
    inbox.register(scheduler, system)  # every 30 s: import the settled files of the inbox
    outbox.register(scheduler, system)  # every few seconds: send the emails due
    rollups.register(scheduler, system)  # nightly: rebuild recent roll-ups
    comparison.register(scheduler, system)  # nightly at 04:15: the comparison with similar homes (B11)
    alerts.register(scheduler, system)  # daily at 08:00 (and after each inbox import): email alerts (B5)
    partitions.register(scheduler, system)  # daily: PostgreSQL interval partitions made ahead
    for job in scheduler.get_jobs():
        job.modify(func=AsLeader(leadership, job.id, job.func))
    scheduler.add_job(
        elect, 'interval', seconds=ELECTION_SECONDS, args=[leadership], id='leader', replace_existing=True,
        next_run_time=datetime.now(UTC),  # the scheduler's own (real) time: KABINET_NOW may be months away
    )  # fmt: skip


def elect(leadership: Leadership) -> None:
    """Keep or take the leadership (a thread-pool job: the database is never asked on the event loop)."""
    METRICS.set('kabinet_jobs_leader', 1 if leadership.check() else 0)


class AsLeader:
    """A job that runs only while this process leads; counts and times each run for /metrics."""

    def __init__(self, leadership: Leadership, name: str, func: Callable[..., Any]) -> None:
        self.leadership, self.name, self.func = leadership, name, func

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        if not self.leadership.check():
            return
        started = time.monotonic()
        outcome = 'ok'
        try:
            self.func(*args, **kwargs)
        except Exception:
            outcome = 'failed'
            raise
        finally:
            METRICS.add('kabinet_job_runs_total', job=self.name, outcome=outcome)
            METRICS.add('kabinet_job_duration_seconds_sum', time.monotonic() - started, job=self.name)
            METRICS.add('kabinet_job_duration_seconds_count', job=self.name)
