"""Register readings residents submit themselves for meters that are not read remotely (B7)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow


class ManualReading(SQLModel, table=True):
    """One tariff zone's register of one meter for one month's window; re-submitted inside the window, replaced."""

    __tablename__ = 'manual_reading'
    __table_args__ = (UniqueConstraint('meter_id', 'month', 'zone'),)
    id: int | None = Field(default=None, primary_key=True)
    meter_id: int = Field(foreign_key='meter.id', index=True)
    month: date = Field(index=True)  # the 1st of the month whose window took it
    zone: int  # 1..3 = T1..T3
    wh: int = Field(sa_type=BigInteger)
    user_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    submitted_at: datetime = Field(default_factory=utcnow)
