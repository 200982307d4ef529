"""Email alerts (B5): each resident's choices, and the causes already alerted (never twice)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, Numeric
from sqlmodel import Field, SQLModel

from models.base import utcnow


class AlertPreference(SQLModel, table=True):
    """A resident's choice for one kind of alert, for all meters (meter_id 0) or one meter; absent: the default."""

    __tablename__ = 'alert_preference'
    user_id: int = Field(foreign_key='user.id', primary_key=True, ondelete='CASCADE')
    kind: str = Field(primary_key=True, max_length=32)
    meter_id: int = Field(default=0, primary_key=True, sa_column_kwargs={'autoincrement': False})
    enabled: bool = True
    # high usage only: the forecast of a billing period above which to alert, in kWh and/or roubles
    threshold_kwh: int | None = None
    threshold_rub: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 2), nullable=True))
    updated_at: datetime = Field(default_factory=utcnow)


class AlertSent(SQLModel, table=True):
    """One alerted cause (an event episode, a verification step, a period): its key is never alerted again."""

    __tablename__ = 'alert_sent'
    user_id: int = Field(foreign_key='user.id', primary_key=True, ondelete='CASCADE')
    key: str = Field(primary_key=True, max_length=160)
    sent_at: datetime = Field(default_factory=utcnow)
