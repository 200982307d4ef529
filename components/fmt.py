"""Numbers, dates and durations as the resident reads them, in the current language (Russian by default)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from services.core.i18n import _, get_language


def number(value: float, digits: int = 0) -> str:
    """1 234,5 in Russian, 1,234.5 in English; at most `digits` decimals."""
    pattern = '#,##0' + ('.' + '#' * digits if digits else '')
    return format_decimal(value, format=pattern, locale=get_language())


def kwh(wh: int) -> str:
    """Watt-hours shown as kWh with up to 3 decimals (exact watt-hours)."""
    return _('{value} kWh').format(value=number(wh / 1000, 3))


def day(value: date | None) -> str:
    return value.strftime('%d.%m.%Y') if value else '—'


def moment(value: datetime | None, tz: ZoneInfo) -> str:
    """Local date and time of an aware instant: 05.03.2026 14:07."""
    return value.astimezone(tz).strftime('%d.%m.%Y %H:%M') if value else '—'


def duration(seconds: int) -> str:
    """2 d 4 h, 1 h 30 min, 12 min, 42 s: the two largest units that are not zero."""
    if seconds < 60:
        return _('{n} s').format(n=max(seconds, 0))
    minutes = seconds // 60
    d, h, m = minutes // 1440, minutes // 60 % 24, minutes % 60
    parts = [(d, _('{n} d')), (h, _('{n} h')), (m, _('{n} min'))]
    shown = [text.format(n=n) for n, text in parts if n]
    return ' '.join(shown[:2])
