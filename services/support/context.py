"""What a request was opened from (B8): a meter, one of its events, or a day of the readings table.

The context is resolved from ids the resident's browser sends, checked for ownership, and kept as a snapshot
(JSON in `support_request.context`), so the desk sees what the resident saw even after data changes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import MeterEvent, User
from services.core import fmt
from services.core.errors import NotFound
from services.core.i18n import _
from services.metering import consumption, readings_table
from services.residents import access, diagnostics


@dataclass(frozen=True)
class Context:
    kind: str  # 'meter' | 'event' | 'reading'
    meter_id: int
    account_id: int
    meter: str  # «Нева МТ 114 88002» as the resident saw it
    event_id: int | None = None
    at: str = ''  # ISO instant of the event (UTC)
    journal: int = 0
    code: int = 0
    severity: str = ''
    note: str = ''
    day: str = ''  # ISO local day of a readings row
    energy: int = 0
    used_wh: int | None = None
    registers: dict[str, int] = field(default_factory=dict)  # 'T1'.. and 'total' -> Wh at 00:00

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(',', ':'))


def from_json(text: str) -> Context | None:
    """The stored snapshot, or None for a request opened without one (or an unreadable one)."""
    if not text:
        return None
    try:
        return Context(**json.loads(text))
    except (ValueError, TypeError):
        return None


def resolve(
    *,
    session: Session,
    user: User,
    meter_id: int | None = None,
    event_id: int | None = None,
    day: date | None = None,
    energy: int | None = None,
    tz: ZoneInfo,
    now: datetime,
    default_reading_day: int,
) -> Context | None:
    """The context of an event, a day of a meter or a meter of the resident's; NotFound for anyone else's."""
    if event_id is not None:
        event = session.get(MeterEvent, event_id)
        if event is None:
            raise NotFound('Not found')
        view = access.get_meter(session=session, user=user, meter_id=event.meter_id)
        return Context(
            kind='event', meter_id=view.id, account_id=view.account_id, meter=view.name, event_id=event.id,
            at=event.at.isoformat(), journal=event.journal, code=event.code, severity=event.severity, note=event.note,
        )  # fmt: skip
    if meter_id is None:
        return None
    view = access.get_meter(session=session, user=user, meter_id=meter_id)
    if day is None:
        return Context(kind='meter', meter_id=view.id, account_id=view.account_id, meter=view.name)
    energy = energy or consumption.ACTIVE_IMPORT
    table = readings_table.month_table(
        session=session, user=user, meter_id=view.id, energy=energy, month=day.replace(day=1), tz=tz,
        default_reading_day=default_reading_day, now=now,
    )  # fmt: skip
    row = next((r for r in table.rows if r.day == day), None)
    registers = {(f'T{z}' if z else 'total'): wh for z, wh in (row.registers.items() if row else ())}
    return Context(
        kind='reading', meter_id=view.id, account_id=view.account_id, meter=view.name, day=day.isoformat(),
        energy=energy, used_wh=row.used if row else None, registers=registers,
    )  # fmt: skip


def describe(context: Context, tz: ZoneInfo) -> list[tuple[str, str]]:
    """Label–value lines of the context in the current language and local time."""
    lines = [(_('Meter'), context.meter)]
    if context.kind == 'event':
        at = datetime.fromisoformat(context.at) if context.at else None
        lines.append((_('Event'), diagnostics.event_text(context.journal, context.code)))
        lines.append((_('Event time'), fmt.moment(at, tz)))
        if context.note:
            lines.append((_('Note'), context.note))
    elif context.kind == 'reading':
        lines.append((_('Day'), fmt.day(date.fromisoformat(context.day))))
        lines.append((_('Energy type'), consumption.energy_name(context.energy)))
        for name, wh in sorted(context.registers.items()):
            label = _('Total register') if name == 'total' else _('Register {zone}').format(zone=name)
            lines.append((label, _energy(wh, context.energy)))
        used = _energy(context.used_wh, context.energy) if context.used_wh is not None else _('no data')
        lines.append((_('Used that day'), used))
    return lines


def title(context: Context) -> str:
    """A short line for the dialog: what the question is about."""
    if context.kind == 'event':
        return _('About the event «{event}»').format(event=diagnostics.event_text(context.journal, context.code))
    if context.kind == 'reading':
        return _('About the readings of {day}').format(day=fmt.day(date.fromisoformat(context.day)))
    return _('About the meter {meter}').format(meter=context.meter)


def _energy(wh: int, energy: int) -> str:
    return f'{fmt.number(Decimal(wh) / 1000, 3, fixed=True)} {consumption.unit(energy)}'
