"""Dates and periods in the resident's words: «март 2026», «26 фев – 25 мар 2026», «в феврале», «1 234,5»."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from services.core.i18n import get_language

# Babel writes «февр.»; bills and the manual write «фев».
_SHORT = {
    'ru': ('янв', 'фев', 'мар', 'апр', 'мая', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'),
    'en': ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'),
}
_SHORT_STANDALONE = {
    'ru': ('янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'),
    'en': _SHORT['en'],
}
# «чем в феврале»: the prepositional case that the comparison sentence needs
_IN_MONTH = {
    'ru': (
        'январе',
        'феврале',
        'марте',
        'апреле',
        'мае',
        'июне',
        'июле',
        'августе',
        'сентябре',
        'октябре',
        'ноябре',
        'декабре',
    ),
    'en': (
        'January',
        'February',
        'March',
        'April',
        'May',
        'June',
        'July',
        'August',
        'September',
        'October',
        'November',
        'December',
    ),
}


def _lang() -> str:
    return get_language() if get_language() in _SHORT else 'ru'


def short_month(month: int) -> str:
    """«мар» for a label on its own (the x-axis of a year)."""
    return _SHORT_STANDALONE[_lang()][month - 1]


def month_in(month: int) -> str:
    """«марте», to follow «в»."""
    return _IN_MONTH[_lang()][month - 1]


def day_month(day: date) -> str:
    """«26 фев»."""
    return f'{day.day} {_SHORT[_lang()][day.month - 1]}'


def span(first: date, last: date) -> str:
    """«26 фев – 25 мар 2026» for the local days first..last (the year of each end when they differ)."""
    if first.year == last.year:
        return f'{day_month(first)} – {day_month(last)} {last.year}'
    return f'{day_month(first)} {first.year} – {day_month(last)} {last.year}'


def month_title(year: int, month: int) -> str:
    """«март 2026»."""
    return format_date(date(year, month, 1), 'LLLL y', locale=_lang())


def day_title(day: date) -> str:
    """«15 марта 2026»."""
    return format_date(day, 'd MMMM y', locale=_lang())


def number(value: float | Decimal, decimals: int = 3) -> str:
    """A number the way the resident writes it: «1 234,568» in Russian, trailing zeros kept."""
    pattern = '#,##0' + ('.' + '0' * decimals if decimals else '')
    return format_decimal(value, pattern, locale=_lang())


def kwh(wh: int) -> str:
    """Watt-hours shown as kWh with up to 3 decimals («12,5»)."""
    return format_decimal(Decimal(wh) / 1000, '#,##0.###', locale=_lang())


def money(value: Decimal) -> str:
    """Roubles with kopecks: «1 234,56»."""
    return number(value, 2)
