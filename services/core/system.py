"""The running system: settings and the database engine, built once by the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.core.db import make_engine, migrate
from services.core.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class System:
    settings: Settings
    engine: Engine

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def now(self) -> datetime:
        return datetime.now(UTC)


def build_system(settings: Settings) -> System:
    """Connect to the configured database and apply pending migrations."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    return System(settings=settings, engine=engine)
