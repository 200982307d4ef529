"""What the parsers return: plain frozen records, one per row or value, located notices, the one domain exception."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services.core.messages import Reason, render

ENERGY = ('A+', 'A-', 'R+', 'R-')  # OBIS C = 1..4, 80020 channel 01..04, in this order


@dataclass(frozen=True, slots=True)
class Notice:
    """A reason in a file: 'FILE: line N: reason', 'FILE: element PATH: reason' or 'FILE: reason' (SPEC §6)."""

    file: str
    reason: Reason
    line: int | None = None
    element: str | None = None
    more: int = 0  # how many more places gave the same warning (folded)

    def __str__(self) -> str:
        return self.text('en')

    def text(self, lang: str = 'en') -> str:
        """The whole message in `lang`; English is the text of the command line, the API and the log."""
        if self.line is not None:
            located = Reason('at_line', file=self.file, line=self.line, reason=self.reason)
        elif self.element is not None:
            located = Reason('at_element', file=self.file, element=self.element, reason=self.reason)
        else:
            located = Reason('in_file', file=self.file, reason=self.reason)
        return render(Reason('more_like_it', notice=located, n=self.more) if self.more else located, lang)

    def to_json(self) -> dict[str, Any]:
        return {
            'file': self.file, 'line': self.line, 'element': self.element, 'more': self.more,
            'reason': self.reason.to_json(),
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Any) -> Notice:
        """The Notice of `to_json` data; ValueError for anything else (a row written by another version, say)."""
        if not isinstance(data, dict):
            raise ValueError(f'not a stored notice: {data!r}')
        line, element, more = data.get('line'), data.get('element'), data.get('more', 0)
        if not (isinstance(data.get('file'), str) and isinstance(more, int)
                and isinstance(line, int | None) and isinstance(element, str | None)):  # fmt: skip
            raise ValueError(f'not a stored notice: {data!r}')
        return cls(data['file'], Reason.from_json(data.get('reason')), line, element, more)


class ImportRejected(Exception):
    """A file that cannot be imported: str(e) is 'FILE: line N: reason' or 'FILE: element PATH: reason'."""

    def __init__(self, file: str, reason: Reason, *, line: int | None = None, element: str | None = None) -> None:
        self.notice = Notice(file, reason, line, element)
        super().__init__(self.notice.text('en'))

    @property
    def file(self) -> str:
        return self.notice.file

    @property
    def reason(self) -> Reason:
        return self.notice.reason

    @property
    def line(self) -> int | None:
        return self.notice.line

    @property
    def element(self) -> str | None:
        return self.notice.element

    def localized(self, lang: str) -> str:
        """The whole message in `lang` ('ru' or 'en')."""
        return self.notice.text(lang)


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
    reading_mode: str = 'remote'  # SPEC §6.1: 'remote' or 'manual' (B7)


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
    warnings: list[Notice] = field(default_factory=list)
    columns: tuple[str, ...] = ()  # CSV header names: a registry re-import updates only the columns it has
