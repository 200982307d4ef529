"""The running system: settings and the database engine, built once by the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.core.clock import Clock, ShiftedClock, WallClock
from services.core.db import make_engine, migrate
from services.core.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class System:
    settings: Settings
    engine: Engine
    clock: Clock = field(default_factory=WallClock)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def now(self) -> datetime:
        """The system clock's instant (aware, UTC): the wall clock, or the one KABINET_NOW chose."""
        return self.clock.now()


def build_system(settings: Settings) -> System:
    """Connect to the configured database and apply pending migrations."""
    clock = clock_of(settings)
    engine = make_engine(settings.database_url)
    migrate(engine)
    return System(settings=settings, engine=engine, clock=clock)


def clock_of(settings: Settings) -> Clock:
    """The wall clock, or one that starts at KABINET_NOW (test and demo mode only)."""
    start = settings.start_instant()
    if start is None:
        return WallClock()
    log.warning('the clock starts at %s (KABINET_NOW), not at the real time', start.isoformat())
    return ShiftedClock(start)
