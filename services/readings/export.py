"""The manual readings of a month for the operator and the billing system (`app.py export-readings`, B7).

Columns, in this order: account_number, address, meter_serial, month (YYYY-MM), zone (T1..T3), reading_kwh
(the register in kWh, a dot and up to three decimals), submitted_at (local time, ISO 8601 with offset),
submitted_by (the resident's email, empty if the account was deleted). CSV is `;`-separated UTF-8 with a header.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models import Account, ManualReading, Meter, User
from services.identity.roles import require_staff

COLUMNS = ('account_number', 'address', 'meter_serial', 'month', 'zone', 'reading_kwh', 'submitted_at', 'submitted_by')


@dataclass(frozen=True)
class ExportRow:
    account_number: str
    address: str
    meter_serial: str
    month: str
    zone: str
    reading_kwh: str
    submitted_at: str
    submitted_by: str


def month_rows(*, session: Session, month: date, tz: ZoneInfo) -> list[ExportRow]:
    """Every manual reading of the month holding `month`, by account, meter and zone (no access check: CLI)."""
    first = month.replace(day=1)
    rows = session.exec(
        select(ManualReading, Meter, Account, User)
        .join(Meter, col(Meter.id) == col(ManualReading.meter_id))
        .join(Account, col(Account.id) == col(Meter.account_id))
        .outerjoin(User, col(User.id) == col(ManualReading.user_id))
        .where(ManualReading.month == first)
        .order_by(col(Account.number), col(Meter.serial), col(ManualReading.zone))
    ).all()
    return [
        ExportRow(
            account_number=account.number,
            address=account.address,
            meter_serial=meter.serial,
            month=f'{first:%Y-%m}',
            zone=f'T{reading.zone}',
            reading_kwh=_kwh(reading.wh),
            submitted_at=reading.submitted_at.astimezone(tz).isoformat(timespec='seconds'),
            submitted_by=(user.email or '') if user is not None else '',
        )
        for reading, meter, account, user in rows
    ]


def staff_month_rows(*, session: Session, actor: User | None, month: date, tz: ZoneInfo) -> list[ExportRow]:
    """The same for the operator's console; NotAllowed for anyone but staff."""
    require_staff(actor)
    return month_rows(session=session, month=month, tz=tz)


def to_csv(rows: list[ExportRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';', lineterminator='\n')
    writer.writerow(COLUMNS)
    writer.writerows([getattr(row, name) for name in COLUMNS] for row in rows)
    return out.getvalue()


def to_json(rows: list[ExportRow]) -> str:
    return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=1) + '\n'


def _kwh(wh: int) -> str:
    return str((Decimal(wh) / 1000).normalize()) if wh % 1000 else str(wh // 1000)
