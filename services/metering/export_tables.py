"""CSV and XLSX files of what /readings shows (SPEC B4, B3): a header naming the meter, energy type, unit,
period and time zone, then the rows with their missing and estimated intervals marked.

CSV is written for Excel: `;` between fields, UTF-8 with a BOM, and a decimal comma in Russian. Text that a
spreadsheet would run as a formula (a meter named `=HYPERLINK(…)`) stays text: a leading apostrophe in CSV, a
string cell with the quote prefix in XLSX; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from services.core import fmt
from services.core.i18n import _, get_language
from services.metering import consumption, pricing
from services.metering.consumption import ChartData
from services.metering.readings_table import ReadingsTable

Cell = str | int | float | Decimal | None
MARKED = PatternFill('solid', fgColor='FFF3CD')  # the amber of a warning, for rows with gaps or estimates
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')  # what Excel, LibreOffice and Google Sheets may evaluate


@dataclass(frozen=True)
class Sheet:
    name: str  # file name without extension
    header: list[tuple[str, str]]
    columns: list[str]
    rows: list[list[Cell]]
    marked: list[bool]  # rows with missing or estimated data
    marks: list[str] = field(default_factory=list)  # each row's words: «неполные данные», «оценка», both or ''


def chart_sheet(data: ChartData) -> Sheet:
    """The bars of a chart: one row per hour, day or month, energy per zone in kWh (kvarh)."""
    meter = data.meter
    names = [consumption.zone_name(z, meter.tariff_zones) for z in data.zones]
    columns = [_('Interval'), _('Start'), *names, _('Total'), _('Missing intervals'), _('Estimated intervals')]
    rows: list[list[Cell]] = []
    for row in data.rows:
        energy = [_kwh(row.zones.get(z, 0)) for z in data.zones]
        rows.append([row.label, _local(row.start, data.timezone), *energy, _kwh(row.total), row.missing, row.estimated])
    header = _header(meter.name, meter.serial, data.query.energy, f'{data.title} ({_days(data)})', data.timezone)
    if data.cost:
        header.append((_('Cost, RUB'), fmt.money(pricing.rub(sum(data.cost.values(), Decimal(0))))))
    first, last = data.first.isoformat(), data.last.isoformat()
    return Sheet(
        name=f'consumption_{meter.serial}_{first}_{last}',
        header=header,
        columns=columns,
        rows=rows,
        marked=[r.missing > 0 or r.estimated > 0 for r in data.rows],
        marks=[mark(r.missing, r.estimated) for r in data.rows],
    )


def table_sheet(table: ReadingsTable) -> Sheet:
    """The readings table: registers at 00:00 of each day per zone and total, and the day's usage."""
    meter = table.meter
    zone_columns = [consumption.zone_name(z, meter.tariff_zones) for z in table.zones] if table.has_registers else []
    columns = [_('Date'), *zone_columns, *([_('Total')] if table.has_registers else []), _('Used in the day')]
    columns += [_('Source'), _('Missing intervals'), _('Estimated intervals')]
    rows: list[list[Cell]] = []
    for row in table.rows:
        registers: list[Cell] = [_kwh(row.registers[z]) if z in row.registers else None for z in table.zones]
        total: list[Cell] = [_kwh(row.total) if row.total is not None else None]
        source = _('registers') if row.from_registers else _('load profile')
        cells: list[Cell] = [row.day.isoformat(), *(registers + total if table.has_registers else [])]
        cells += [_kwh(row.used) if row.used is not None else None, source, row.missing, row.estimated]
        rows.append(cells)
    title = fmt.month_title(table.month.year, table.month.month)
    header = _header(meter.name, meter.serial, table.energy, title, table.timezone)
    header.append((_('Registers'), _('at local 00:00 of each day') if table.has_registers else _('none')))
    return Sheet(
        name=f'readings_{meter.serial}_{table.month:%Y-%m}',
        header=header,
        columns=columns,
        rows=rows,
        marked=[r.missing > 0 or r.estimated > 0 or bool(r.submitted) for r in table.rows],
        marks=[
            ', '.join(filter(None, [mark(r.missing, r.estimated), _submitted(r.submitted, meter.tariff_zones)]))
            for r in table.rows
        ],
    )


def _submitted(zones: dict[int, int], tariff_zones: int) -> str:
    """«передано абонентом: День 12345.600» for a day the resident submitted registers on, else ''."""
    if not zones:
        return ''
    values = ' / '.join(f'{consumption.zone_name(z, tariff_zones)} {wh / 1000:.3f}' for z, wh in sorted(zones.items()))
    return f'{_("submitted by the resident")}: {values}'


def mark(missing: int, estimated: int) -> str:
    """«неполные данные» for a row with missing intervals, «оценка» for one with estimated values, or both."""
    words = ([_('incomplete')] if missing else []) + ([_('estimated')] if estimated else [])
    return ', '.join(words)


def to_csv(sheet: Sheet) -> bytes:
    """`;`-separated UTF-8 with a BOM, so that Excel opens it with the right letters and columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=';', lineterminator='\r\n')
    for key, value in sheet.header:
        writer.writerow([_text(key), _text(value)])
    writer.writerow([])
    writer.writerow([_text(c) for c in [*sheet.columns, _('Mark')]])
    for cells, words in zip(sheet.rows, _marks(sheet), strict=True):
        writer.writerow([*(_csv_cell(c) for c in cells), words])
    return ('\ufeff' + buffer.getvalue()).encode('utf-8')


def to_xlsx(sheet: Sheet) -> bytes:
    """One worksheet: the header block, bold column names, numbers as numbers, marked rows in amber."""
    book = Workbook()
    ws = book.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = _('Data')
    for key, value in sheet.header:
        _append(ws, [key, value])
    ws.append([])
    _append(ws, [*sheet.columns, _('Mark')])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for cells, marked, words in zip(sheet.rows, sheet.marked, _marks(sheet), strict=True):
        _append(ws, [*(float(c) if isinstance(c, Decimal) else c for c in cells), words])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = '0.000'
            if marked:
                cell.fill = MARKED
    ws.column_dimensions['A'].width = 22
    ws.column_dimensions['B'].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _marks(sheet: Sheet) -> list[str]:
    return sheet.marks or [_('incomplete') if marked else '' for marked in sheet.marked]


def _header(name: str, serial: str, energy: int, period: str, timezone: str) -> list[tuple[str, str]]:
    return [
        (_('Meter'), f'{name} ({serial})' if serial not in name else name),
        (_('Energy type'), consumption.energy_name(energy)),
        (_('Unit'), consumption.unit(energy)),
        (_('Period'), period),
        (_('Time zone'), timezone),
    ]


def _days(data: ChartData) -> str:
    return f'{data.first:%d.%m.%Y} – {data.last:%d.%m.%Y}'


def _kwh(wh: int) -> Decimal:
    return Decimal(wh) / 1000


def _local(instant: int, timezone: str) -> str:
    return datetime.fromtimestamp(instant, ZoneInfo(timezone)).isoformat(timespec='minutes')


def _append(ws: Worksheet, values: list[Cell]) -> None:
    """A row where text is always a string cell (openpyxl would store `=…` as a formula), numbers numbers."""
    ws.append(values)
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = 's'
            cell.quotePrefix = value.startswith(FORMULA_STARTS)  # stays text when someone edits the cell


def _text(value: str) -> str:
    """Text for a CSV cell: one that a spreadsheet would read as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ''
    if isinstance(value, Decimal):
        text = f'{value:.3f}'
        return text.replace('.', ',') if get_language() == 'ru' else text
    if isinstance(value, str):
        return _text(value)
    return str(value)
