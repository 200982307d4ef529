"""Notices of the utility (B12): planned works, outages, tariff changes, for settlements, streets or houses."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import utcnow


class Notice(SQLModel, table=True):
    """A notice in force from `valid_from` until `valid_until` (UTC) for the addresses its targets begin."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    body: str = Field(default='', max_length=4000)
    # address beginnings as typed, one a line: «пос. Сахарово» or «пос. Сахарово, ул. Садовая»
    targets: str = Field(max_length=4000)
    valid_from: datetime = Field(index=True)
    valid_until: datetime = Field(index=True)
    author_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    published_at: datetime = Field(default_factory=utcnow)
