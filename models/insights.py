"""Comparison with similar homes (B11), computed by a job from the billing-period roll-ups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from models.base import utcnow


class HomeComparison(SQLModel, table=True):
    """An account's last closed billing period against its group of similar homes (only groups of ≥ 20 homes)."""

    __tablename__ = 'home_comparison'
    account_id: int = Field(foreign_key='account.id', primary_key=True, ondelete='CASCADE')
    period: str = Field(max_length=7)  # the billing period's label, YYYY-MM
    wh: int = Field(sa_type=BigInteger)  # the account's A+ energy of the period
    homes: int  # comparable homes, this one included
    median_wh: int = Field(sa_type=BigInteger)
    efficient_wh: int = Field(sa_type=BigInteger)  # the upper bound of the most economical quarter
    computed_at: datetime = Field(default_factory=utcnow)
