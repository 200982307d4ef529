"""A two-zone meter with known numbers for the Readings tests (integration, UI).

Every half hour from 2026-02-01 to 2026-04-30 (Moscow) holds 100 Wh: a day is 48 × 100 = 4,800 Wh, of which
the night zone T2 (23:00–07:00, 16 half hours) has 1,600 and the day zone T1 (32 half hours) 3,200. Three
half hours of 10 March from 12:00 are missing (T1 that day: 3,200 − 300 = 2,900), one of 20 March at 03:00 is
estimated. Registers are stored at each local midnight of March and 1 April, except 15 March.
Rates of group «город», two zones: T1 5.00 ₽ until 14 March, 6.00 ₽ from 15 March 2026; T2 3.00 ₽.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import TariffRate
from services.metering import periods, rollups
from services.metering.periods import ZoneClock
from tests.factories import make_account, make_meter, make_user

TZ = ZoneInfo('Europe/Moscow')
FIRST, LAST = date(2026, 2, 1), date(2026, 4, 30)
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
GAP = [datetime(2026, 3, 10, 12, 0, tzinfo=TZ) + timedelta(minutes=30 * n) for n in range(3)]
ESTIMATED_AT = datetime(2026, 3, 20, 3, 0, tzinfo=TZ)
NO_REGISTERS_ON = date(2026, 3, 15)


@dataclass(frozen=True)
class Seeded:
    user_id: int
    email: str
    meter_id: int
    other_meter_id: int  # a meter of somebody else


def seed(engine: Engine, *, registers: bool = True) -> Seeded:
    with Session(engine) as session:
        account = make_account(session, reading_day=25, tariff_group='город')
        meter = make_meter(session, account, tariff_zones=2, installed_on=FIRST, model='Милур 107')
        user = make_user(session, accounts=(account,))
        stranger = make_account(session)
        other = make_meter(session, stranger)
        for zone, rate, valid_from in (
            (1, '5.00', date(2025, 1, 1)),
            (1, '6.00', date(2026, 3, 15)),
            (2, '3.00', date(2025, 1, 1)),
        ):
            session.add(
                TariffRate(
                    tariff_group='город', tariff_zones=2, zone=zone, rub_per_kwh=Decimal(rate), valid_from=valid_from
                )
            )
        session.commit()
        seeded = Seeded(user.id or 0, user.email, meter.id or 0, other.id or 0)
    life = rollups.MeterLife(seeded.meter_id, 2, 30, 25, FIRST, None)
    with engine.begin() as conn:
        rows = _intervals()
        conn.execute(
            text('INSERT INTO interval_energy (meter_id, energy, start, wh, flags) VALUES (:m, 1, :s, :wh, :f)'),
            [{'m': seeded.meter_id, 's': s, 'wh': wh, 'f': f} for s, wh, f in rows],
        )
        if registers:
            conn.execute(
                text(
                    'INSERT INTO register_reading (meter_id, energy, zone, at, wh, flags) '
                    'VALUES (:m, 1, :z, :at, :wh, 0)'
                ),
                [{'m': seeded.meter_id, **r} for r in _registers(rows)],
            )
        rollups.rebuild(conn, meter=life, energy=1, first=FIRST, last=LAST, tz=TZ)
    return seeded


def _intervals() -> list[tuple[int, int, int]]:
    gap = {int(g.timestamp()) for g in GAP}
    estimated = int(ESTIMATED_AT.timestamp())
    start, end = periods.midnight(FIRST, TZ), periods.midnight(LAST + timedelta(days=1), TZ)
    return [(s, 100, 1 if s == estimated else 0) for s in range(start, end, 1800) if s not in gap]


def _registers(rows: list[tuple[int, int, int]]) -> list[dict[str, int]]:
    clock = ZoneClock(TZ, 2)
    zones = {1: 1_000_000, 2: 500_000}
    out: list[dict[str, int]] = []
    i = 0
    for day in periods.days(FIRST, date(2026, 4, 1)):
        at = periods.midnight(day, TZ)
        while i < len(rows) and rows[i][0] < at:
            zones[clock.zone(rows[i][0])] += rows[i][1]
            i += 1
        if day.month == 2 or day == NO_REGISTERS_ON:
            continue
        out.append({'z': 0, 'at': at, 'wh': sum(zones.values())})
        out += [{'z': z, 'at': at, 'wh': wh} for z, wh in zones.items()]
    return out
