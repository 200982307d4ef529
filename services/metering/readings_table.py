"""The readings table of /readings (SPEC S8, B3): registers at each local midnight of a month and the usage.

Each row is one local day: the cumulative registers (T1..T3 and total) at its 00:00 and the energy used that
day — the difference to the next midnight's registers, or the day roll-up where a register is absent. Meters
that keep no registers show the day roll-ups only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from models import ENERGY_CODES, User
from models.manual import ManualReading
from services.metering import periods
from services.metering.series import series
from services.residents import access
from services.residents.access import MeterView


@dataclass(frozen=True)
class TableRow:
    day: date
    registers: dict[int, int] = field(default_factory=dict)  # zone (0 = total) -> Wh at local 00:00 of `day`
    used: int | None = None  # Wh during the day; None when nothing is known
    from_registers: bool = False  # `used` is a register difference (else the day's profile sum)
    missing: int = 0  # profile intervals without a value
    estimated: int = 0
    submitted: dict[int, int] = field(default_factory=dict)  # zone -> Wh the resident submitted that day (B7)

    @property
    def total(self) -> int | None:
        """The total register: its own reading, else the sum of the zones."""
        if 0 in self.registers:
            return self.registers[0]
        zones = [wh for zone, wh in self.registers.items() if zone]
        return sum(zones) if zones else None


@dataclass(frozen=True)
class ReadingsTable:
    meter: MeterView
    energy: int
    month: date  # the 1st of the month shown
    rows: list[TableRow]
    zones: list[int]  # the register zones of the meter's tariff
    has_registers: bool
    timezone: str

    @property
    def used(self) -> int:
        return sum(r.used or 0 for r in self.rows)


def month_table(
    *,
    session: Session,
    user: User,
    meter_id: int,
    energy: int,
    month: date,
    tz: ZoneInfo,
    default_reading_day: int,
    now: datetime,
) -> ReadingsTable:
    """The table of the calendar month holding `month`, up to today, for a meter of `user` (else NotYourMeter)."""
    meter = access.get_meter(session=session, user=user, meter_id=meter_id)
    life = access.meter_life(session=session, meter_id=meter.id, default_reading_day=default_reading_day)
    first = month.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    last = min(after - timedelta(days=1), now.astimezone(tz).date())
    conn = session.connection()
    registers = _registers(conn, meter.id, energy, periods.midnight(first, tz), periods.midnight(after, tz))
    has_registers = bool(registers) or _any_register(conn, meter.id, energy)
    days = (
        series(
            conn, meter=life, energy=energy, interval='day', period='calendar', first=first, last=last, tz=tz,
            now=int(now.timestamp()),
        )
        if last >= first
        else []
    )  # fmt: skip
    submitted = _submitted(conn, meter.id, periods.midnight(first, tz), periods.midnight(after, tz), tz)
    rows = []
    for row in days:
        day = periods.local_day(row.start, tz)
        here = registers.get(row.start, {})
        used, exact = _used(here, registers.get(row.end), row.total if row.present else None)
        mine = submitted.get(day, {}) if energy == ENERGY_CODES['A+'] else {}
        rows.append(TableRow(day, here, used, exact, row.missing, row.estimated, mine))
    return ReadingsTable(
        meter=meter,
        energy=energy,
        month=first,
        rows=rows,
        zones=list(range(1, meter.tariff_zones + 1)),
        has_registers=has_registers,
        timezone=str(tz),
    )


def _used(here: dict[int, int], there: dict[int, int] | None, profile: int | None) -> tuple[int | None, bool]:
    start, end = _total(here), _total(there or {})
    if start is not None and end is not None:
        return end - start, True
    return profile, False


def _total(registers: dict[int, int]) -> int | None:
    if 0 in registers:
        return registers[0]
    zones = [wh for zone, wh in registers.items() if zone]
    return sum(zones) if zones else None


def _registers(conn: Connection, meter_id: int, energy: int, lo: int, hi: int) -> dict[int, dict[int, int]]:
    """Register readings at instants lo..hi inclusive: instant -> zone -> Wh."""
    found: dict[int, dict[int, int]] = {}
    for at, zone, wh in conn.execute(
        text(
            'SELECT at, zone, wh FROM register_reading WHERE meter_id = :m AND energy = :e AND at >= :lo AND at <= :hi'
        ),
        {'m': meter_id, 'e': energy, 'lo': lo, 'hi': hi},
    ):
        found.setdefault(int(at), {})[int(zone)] = int(wh)
    return found


def _submitted(conn: Connection, meter_id: int, lo: int, hi: int, tz: ZoneInfo) -> dict[date, dict[int, int]]:
    """The resident's manual readings (A+ registers) by the local day they were submitted on: day -> zone -> Wh."""
    found: dict[date, dict[int, int]] = {}
    start, end = datetime.fromtimestamp(lo, UTC), datetime.fromtimestamp(hi, UTC)
    for at, zone, wh in conn.execute(
        select(col(ManualReading.submitted_at), col(ManualReading.zone), col(ManualReading.wh)).where(
            col(ManualReading.meter_id) == meter_id,
            col(ManualReading.submitted_at) >= start,
            col(ManualReading.submitted_at) < end,
        )
    ):
        found.setdefault(at.astimezone(tz).date(), {})[int(zone)] = int(wh)
    return found


def _any_register(conn: Connection, meter_id: int, energy: int) -> bool:
    row = conn.execute(
        text('SELECT 1 FROM register_reading WHERE meter_id = :m AND energy = :e LIMIT 1'),
        {'m': meter_id, 'e': energy},
    ).first()
    return row is not None
