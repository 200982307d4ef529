"""What the parsers return: plain frozen records, one per row or value, and the one domain exception."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from services.ingest.formats.reasons import russian

ENERGY = ('A+', 'A-', 'R+', 'R-')  # OBIS C = 1..4, 80020 channel 01..04, in this order

_WHERE_WORDS = {'en': ('line', 'element'), 'ru': ('строка', 'элемент')}


class ImportRejected(Exception):
    """A file that cannot be imported: str(e) is 'FILE: line N: reason' or 'FILE: element PATH: reason'."""

    def __init__(self, file: str, reason: str, *, line: int | None = None, element: str | None = None) -> None:
        self.file = file
        self.reason = reason
        self.line = line
        self.element = element
        super().__init__(self.localized('en'))

    def localized(self, lang: str) -> str:
        """The message with its location word in `lang` ('ru' or 'en'); reasons stay in English."""
        line_word, element_word = _WHERE_WORDS.get(lang, _WHERE_WORDS['en'])
        if self.line is not None:
            return f'{self.file}: {line_word} {self.line}: {self.reason}'
        if self.element is not None:
            return f'{self.file}: {element_word} {self.element}: {self.reason}'
        return f'{self.file}: {self.reason}'


def localize_stored(message: str, lang: str) -> str:
    """A stored 'FILE: line N: reason' message or warning in `lang` (the log keeps English): all Russian for 'ru'."""
    if lang == 'ru':
        return russian(message)
    line_word, element_word = _WHERE_WORDS.get(lang, _WHERE_WORDS['en'])
    message = re.sub(r': line (\d+): ', lambda m: f': {line_word} {m[1]}: ', message, count=1)
    return re.sub(r': element (\S+): ', lambda m: f': {element_word} {m[1]}: ', message, count=1)


@dataclass(frozen=True, slots=True)
class RegistryRow:
    """One meter row of the registry CSV (SPEC 6.1)."""

    line: int
    account_number: str
    address: str
    holder_name: str | None
    meter_serial: str
    meter_model: str | None
    phases: int
    tariff_zones: int
    profile_minutes: int
    installed_on: date | None
    verified_on: date | None
    verification_interval_years: int | None
    point_code: str | None
    reading_day: int | None
    removed_on: date | None
    replaced_by: str | None
    tariff_group: str = ''


@dataclass(slots=True)  # not frozen: a frozen dataclass sets each field through object.__setattr__, and a
class IntervalValue:  # year of half hours is millions of these; treat it as read-only all the same
    """Energy of one interval [start, end) in integer Wh (varh); times are aware UTC."""

    line: int  # CSV line number, 0 for XML (see `where`)
    where: str  # 'line 17' or an element path
    meter: str | None  # exactly one of meter / point_code is set
    point_code: str | None
    energy: str  # one of ENERGY
    start: datetime
    end: datetime
    wh: int | None  # None when missing
    estimated: bool
    missing: bool


@dataclass(frozen=True, slots=True)
class RegisterValue:
    """Cumulative register 1.0.C.8.E read at `at` (UTC): zone 0 = total, 1..4 = T1..T4."""

    line: int
    meter: str
    energy: str
    zone: int
    at: datetime
    wh: int | None
    estimated: bool
    missing: bool


@dataclass(frozen=True, slots=True)
class InstantValue:
    """An instantaneous quantity: 'P' (W), 'U1'..'U3' (V), 'I1'..'I3' (A) or 'relay' (0/1/2)."""

    line: int
    meter: str
    quantity: str
    at: datetime
    value: float


@dataclass(frozen=True, slots=True)
class EventValue:
    """A meter event: `code` in SPODES journal `journal` (see services.spodes)."""

    line: int
    meter: str
    at: datetime
    journal: int
    code: int


@dataclass(frozen=True, slots=True)
class TariffRateRow:
    """One rate of the tariff CSV (SPEC 6.5): RUB per kWh from local 00:00 of `valid_from`."""

    line: int
    tariff_group: str
    tariff_zones: int
    zone: str  # 'T1' | 'T2' | 'T3'
    rub_per_kwh: Decimal
    valid_from: date


@dataclass
class ParsedFile:
    """Everything one file holds, in file order, plus normalisation notes for the import report."""

    file: str
    format: str  # 'registry' | 'obis_csv' | 'xml80020' | 'greenbutton' | 'tariffs'
    registry: list[RegistryRow] = field(default_factory=list)
    intervals: list[IntervalValue] = field(default_factory=list)
    registers: list[RegisterValue] = field(default_factory=list)
    instants: list[InstantValue] = field(default_factory=list)
    events: list[EventValue] = field(default_factory=list)
    tariffs: list[TariffRateRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: tuple[str, ...] = ()  # CSV header names: a registry re-import updates only the columns it has
