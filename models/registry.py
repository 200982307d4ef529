"""The utility's registry: personal accounts, their meters, tariffs, and which resident holds which account."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow


def address_search_key(address: str) -> str:
    """The form of an address the registration suggestions search: one space, lower case, «ё» as «е»."""
    return ' '.join(address.split()).lower().replace('ё', 'е')


class Account(SQLModel, table=True):
    """A personal account (лицевой счёт) of the registry."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True, index=True)
    address: str = Field(max_length=500)
    # address_search_key(address): SQLite's lower() knows only ASCII, so the search form is stored.
    address_search: str = Field(default='', max_length=500, index=True)
    holder_name: str = Field(default='', max_length=200)
    reading_day: int | None = None  # None: the utility's default (KABINET_READING_DAY)
    tariff_group: str = Field(default='', max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ResidentAccount(SQLModel, table=True):
    """A resident's claim on an account, made at registration or with «Добавить лицевой счёт»."""

    __tablename__ = 'resident_account'
    __table_args__ = (UniqueConstraint('user_id', 'account_id'),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='user.id', index=True, ondelete='CASCADE')
    account_id: int = Field(foreign_key='account.id', index=True, ondelete='CASCADE')
    added_at: datetime = Field(default_factory=utcnow)


class Meter(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    serial: str = Field(max_length=64, unique=True, index=True)
    account_id: int = Field(foreign_key='account.id', index=True)
    model: str = Field(default='', max_length=100)
    phases: int = 1
    tariff_zones: int = 1
    profile_minutes: int = 30
    point_code: str | None = Field(default=None, max_length=15, unique=True, index=True)
    installed_on: date | None = None  # first day with the meter
    removed_on: date | None = None  # first day without it
    replaced_by_id: int | None = Field(default=None, foreign_key='meter.id')
    verified_on: date | None = None
    verification_interval_years: int | None = None
    reading_mode: str = Field(default='remote', max_length=10)  # 'remote' | 'manual' (residents submit, B7)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class MeterName(SQLModel, table=True):
    """A resident's own name for a meter («Дача», «Квартира»)."""

    __tablename__ = 'meter_name'
    user_id: int = Field(foreign_key='user.id', primary_key=True, ondelete='CASCADE')
    meter_id: int = Field(foreign_key='meter.id', primary_key=True, ondelete='CASCADE')
    name: str = Field(max_length=60)


class TariffZoneSchedule(SQLModel, table=True):
    """When each zone of a 1-, 2- or 3-zone tariff applies, in local minutes of the day; a region may change it."""

    __tablename__ = 'tariff_zone_schedule'
    id: int | None = Field(default=None, primary_key=True)
    tariff_zones: int
    zone: int  # 1..3 = T1..T3
    start_minute: int  # inclusive, 0..1439
    end_minute: int  # exclusive, 1..1440


class TariffRate(SQLModel, table=True):
    """Roubles per kWh of one zone of a tariff, in force from `valid_from` until the next rate (SPEC §6.5)."""

    __tablename__ = 'tariff_rate'
    __table_args__ = (UniqueConstraint('tariff_group', 'tariff_zones', 'zone', 'valid_from'),)
    id: int | None = Field(default=None, primary_key=True)
    tariff_group: str = Field(default='', max_length=64)
    tariff_zones: int
    zone: int
    rub_per_kwh: Decimal = Field(sa_column=Column(Numeric(12, 4), nullable=False))
    valid_from: date
