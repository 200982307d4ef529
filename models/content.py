"""The Information section: help, the user agreement and news, written by operators in Markdown."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import utcnow


class InfoKind(StrEnum):
    help = 'help'
    agreement = 'agreement'
    news = 'news'


class InfoPage(SQLModel, table=True):
    __tablename__ = 'info_page'
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)
    slug: str = Field(max_length=100, unique=True)
    title: str = Field(max_length=200)
    body_md: str = Field(default='')
    # The English version the operator may write; empty: English readers see the Russian, marked as such.
    title_en: str = Field(default='', max_length=200)
    body_md_en: str = Field(default='')
    published: bool = True
    published_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key='user.id')
