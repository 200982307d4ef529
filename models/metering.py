"""What meters measure. The interval table is the big one: see the note on IntervalEnergy."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from sqlalchemy import BigInteger, Integer, SmallInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow

ESTIMATED = 1  # flag bit of interval and register values

ENERGY_CODES = {'A+': 1, 'A-': 2, 'R+': 3, 'R-': 4}  # OBIS quantity C
ENERGY_NAMES = {code: name for name, code in ENERGY_CODES.items()}


# PostgreSQL stores the small codes in two bytes (migration 0009); SQLite's integers take what they need anyway.
SMALL = Integer().with_variant(SmallInteger(), 'postgresql')


class Grain(IntEnum):
    hour = 1
    day = 2
    month = 3
    billing = 4
    year = 5
    billing_year = 6


class IntervalEnergy(SQLModel, table=True):
    """One profile interval of one energy type of one meter: the raw half-hour (15/60-minute) value.

    Hundreds of millions of rows: a WITHOUT ROWID table clustered on (meter, energy, start), so that a meter's
    day or month is one contiguous range read; integers only (epoch seconds UTC, watt-hours, a flag byte), so a
    row is about 20 bytes; no foreign key and no secondary index, because every read goes through the primary
    key and meters are never deleted. The interval's length is its meter's profile (longer values are spread at
    import), so `end` is not stored. On PostgreSQL the table is partitioned by month of `start` (migration
    0009, `services.ingest.partitions`), with the columns packed without padding.
    """

    __tablename__ = 'interval_energy'
    __table_args__ = {'sqlite_with_rowid': False}
    meter_id: int = Field(primary_key=True, sa_column_kwargs={'autoincrement': False})
    energy: int = Field(primary_key=True, sa_type=SMALL, sa_column_kwargs={'autoincrement': False})  # ENERGY_CODES
    start: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={'autoincrement': False}
    )  # epoch seconds, UTC
    wh: int
    flags: int = Field(default=0, sa_type=SMALL)


class EnergyRollup(SQLModel, table=True):
    """Sums of interval energy per meter, energy type, grain, period start and tariff zone (SPEC §5, O3).

    `present` counts stored intervals, `estimated` those marked estimated; `missing` is derived when read,
    because the expected count depends on the meter's life and on the moment of reading.
    """

    __tablename__ = 'energy_rollup'
    __table_args__ = {'sqlite_with_rowid': False}
    meter_id: int = Field(primary_key=True, sa_column_kwargs={'autoincrement': False})
    energy: int = Field(primary_key=True, sa_type=SMALL, sa_column_kwargs={'autoincrement': False})
    grain: int = Field(primary_key=True, sa_type=SMALL, sa_column_kwargs={'autoincrement': False})  # Grain
    start: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={'autoincrement': False}
    )  # epoch seconds, UTC
    zone: int = Field(primary_key=True, sa_type=SMALL, sa_column_kwargs={'autoincrement': False})  # 1..3
    wh: int = Field(sa_type=BigInteger)
    present: int
    estimated: int = 0


class RegisterReading(SQLModel, table=True):
    """A cumulative register (1.0.C.8.E) at a moment: zone 0 is the total, 1..4 the tariff zones."""

    __tablename__ = 'register_reading'
    __table_args__ = {'sqlite_with_rowid': False}
    meter_id: int = Field(primary_key=True, sa_column_kwargs={'autoincrement': False})
    energy: int = Field(primary_key=True, sa_column_kwargs={'autoincrement': False})
    zone: int = Field(primary_key=True, sa_column_kwargs={'autoincrement': False})
    at: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={'autoincrement': False}
    )  # epoch seconds, UTC
    wh: int = Field(sa_type=BigInteger)
    flags: int = 0


class InstantValue(SQLModel, table=True):
    """An instantaneous value: 'P' (W), 'U1'..'U3' (V), 'I1'..'I3' (A), 'relay' (0 off, 1 on, 2 ready)."""

    __tablename__ = 'instant_value'
    __table_args__ = {'sqlite_with_rowid': False}
    meter_id: int = Field(primary_key=True, sa_column_kwargs={'autoincrement': False})
    quantity: str = Field(primary_key=True, max_length=8)
    at: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={'autoincrement': False}
    )  # epoch seconds, UTC
    value: float


class MeterEvent(SQLModel, table=True):
    """An entry of a meter's SPODES journal (SPEC §7)."""

    __tablename__ = 'meter_event'
    __table_args__ = (UniqueConstraint('meter_id', 'at', 'journal', 'code'),)
    id: int | None = Field(default=None, primary_key=True)
    meter_id: int = Field(foreign_key='meter.id', index=True)
    at: datetime = Field(index=True)
    journal: int
    code: int
    severity: str = Field(max_length=10)  # critical | warning | info
    note: str = Field(default='', max_length=300)
    imported_at: datetime = Field(default_factory=utcnow, index=True)
