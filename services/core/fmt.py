"""Numbers, money, dates and periods as the reader writes them, in the current language (Russian by default).

Russian: «1 234,5», «26 фев – 25 мар 2026», «в феврале»; English: «1,234.5», «26 Feb – 25 Mar 2026». Energy is
exact: watt-hours become kWh by Decimal division, never by floats. The one module for pages, components, exports
and emails, so that the same figure reads the same everywhere.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date

from services.core.i18n import _, get_language

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
    'ru': ('январе', 'феврале', 'марте', 'апреле', 'мае', 'июне', 'июле', 'августе', 'сентябре', 'октябре',
           'ноябре', 'декабре'),
    'en': ('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
           'November', 'December'),
}  # fmt: skip


def _lang() -> str:
    language = get_language()
    return language if language in _SHORT else 'ru'


def number(value: int | float | Decimal, decimals: int = 0, *, fixed: bool = False) -> str:
    """«1 234,5» in Russian, «1,234.5» in English: at most `decimals` decimals, or exactly that many when fixed.

    Written as CLDR's pattern «#,##0.###» formats (Babel's answer, tests/unit/test_fmt.py), without Babel's
    per-call work: a chart's tooltips format hundreds of figures for every tab that opens it."""
    exact = Decimal(value) if isinstance(value, int) else value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(exact, f',.{decimals}f')  # rounds half to even, as Babel does
    if not fixed and decimals:
        text = text.rstrip('0').rstrip('.')
    group, point, minus = _symbols(_lang())
    return text.translate({ord(','): group, ord('.'): point, ord('-'): minus})


@lru_cache(maxsize=8)
def _symbols(language: str) -> tuple[str, str, str]:
    """The group separator, the decimal point and the minus sign of the language's Latin digits (CLDR)."""
    symbols = _locale(language).number_symbols['latn']
    return symbols['group'], symbols['decimal'], symbols['minusSign']


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


NBSP = '\u00a0'  # between a number and its unit, so that a line never breaks between them


def kwh(wh: int) -> str:
    """Watt-hours as kWh with up to 3 decimals, i.e. exact watt-hours: «12,5»."""
    return number(Decimal(wh) / 1000, 3)


def kwh_text(wh: int) -> str:
    """The same with its unit, never split by a line break: «12,5 кВт·ч»."""
    return with_unit(kwh(wh), _('kWh'))


def with_unit(value: str, unit: str) -> str:
    """A formatted number and its unit, never split by a line break: «12,5 кВт·ч»."""
    return f'{value}{NBSP}{unit}'


_ABBREVIATION = re.compile(r'(?<![\w-])([^\W\d_]{1,4}(?:-[^\W\d_]{1,3})?\.) (?=\S)')  # «ул.», «кв.», «пр-т.», «С.»


def address(text: str) -> str:
    """«г. Тверь, ул. Советская, д. 12, кв. 45» as it reads: an abbreviation never ends a line without what it
    names («кв.» and «45» are joined by a no-break space). For display only: search and comparisons keep spaces."""
    return _ABBREVIATION.sub('\\1' + NBSP, text)


def meter_name(model: str, serial: str) -> str:
    """«Милур 107 № 41907733» («Milur 107 No. 41907733»): the serial never parts from its sign at a line break."""
    return f'{model} {_("No.")}{NBSP}{serial}'.strip()


def money(value: Decimal) -> str:
    """Roubles with kopecks: «1 234,56»."""
    return number(value, 2, fixed=True)


def roubles(value: Decimal) -> str:
    """Roubles with kopecks and the sign, never split by a line break: «1 234,56 ₽»."""
    return with_unit(money(value), '₽')


# A date as each language writes it: «05.03.2026» in Russian, «05/03/2026» in British English.
_DAY = {'ru': '%d.%m.%Y', 'en': '%d/%m/%Y'}


def day(value: date | None) -> str:
    """05.03.2026 (05/03/2026 in English), or a dash."""
    return value.strftime(_DAY[_lang()]) if value else '—'


def moment(value: datetime | None, tz: ZoneInfo) -> str:
    """Local date and time of an aware instant: 05.03.2026 14:07 (05/03/2026 14:07 in English)."""
    return value.astimezone(tz).strftime(f'{_DAY[_lang()]} %H:%M') if value else '—'


def duration(seconds: int) -> str:
    """2 d 4 h, 1 h 30 min, 12 min, 42 s: the two largest units that are not zero."""
    if seconds < 60:
        return _('{n} s').format(n=max(seconds, 0))
    minutes = seconds // 60
    d, h, m = minutes // 1440, minutes // 60 % 24, minutes % 60
    parts = [(d, _('{n} d')), (h, _('{n} h')), (m, _('{n} min'))]
    shown = [text.format(n=n) for n, text in parts if n]
    return ' '.join(shown[:2])


def short_month(month: int) -> str:
    """«мар» for a label on its own (the x-axis of a year)."""
    return _SHORT_STANDALONE[_lang()][month - 1]


def month_in(month: int) -> str:
    """«марте», to follow «в»."""
    return _IN_MONTH[_lang()][month - 1]


def day_month(value: date) -> str:
    """«26 фев»."""
    return f'{value.day} {_SHORT[_lang()][value.month - 1]}'


def span(first: date, last: date) -> str:
    """«26 фев – 25 мар 2026» for the local days first..last (the year of each end when they differ)."""
    if first.year == last.year:
        return f'{day_month(first)} – {day_month(last)} {last.year}'
    return f'{day_month(first)} {first.year} – {day_month(last)} {last.year}'


def month_title(year: int, month: int) -> str:
    """«март 2026»."""
    return format_date(date(year, month, 1), 'LLLL y', locale=_lang())


def day_title(value: date) -> str:
    """«15 марта 2026»."""
    return format_date(value, 'd MMMM y', locale=_lang())
