"""The readings table (SPEC S8): a day per row, registers per zone at 00:00, the day's usage, gaps marked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from nicegui import ui

from services.core import fmt
from services.core.i18n import _, ngettext
from services.metering import consumption
from services.metering.readings_table import ReadingsTable, TableRow

NOTE_SLOT = (
    '<q-td :props="props"><q-badge v-if="props.value" color="orange-8" :label="props.value" class="k-note" /></q-td>'
)
ASK_SLOT = (  # «Задать вопрос» about a row (B8): the support dialog with the row (a day, an event) attached
    '<q-td :props="props" auto-width>'
    '<q-btn flat dense round size="sm" icon="contact_support" color="primary" :href="props.value" '
    ':aria-label="props.row.ask_label" :title="props.row.ask_label" />'
    '</q-td>'
)


PHONE_HIDDEN = {'classes': 'gt-xs', 'headerClasses': 'gt-xs'}  # a phone shows date, total, usage and marks
GRID_CSS = """
.k-note { white-space: normal; text-align: left; line-height: 1.2; }
@media (max-width: 599px) {
  .k-readings-grid th, .k-readings-grid td { padding-left: 4px; padding-right: 4px; white-space: normal; }
  .k-readings-grid td:first-child { white-space: nowrap; }
}
"""


def readings_grid() -> ui.table:
    """An empty table that `show_table` fills; on a phone the per-zone registers give way (the total stays)."""
    ui.add_css(GRID_CSS)
    table = ui.table(columns=[], rows=[], row_key='day').props('dense flat bordered separator=cell')
    table.classes('w-full k-readings-grid').mark('readings-table')
    table.add_slot('body-cell-note', NOTE_SLOT)
    table.add_slot('body-cell-ask', ASK_SLOT)
    return table


def show_table(grid: ui.table, table: ReadingsTable) -> None:
    grid.columns = columns(table)
    grid.rows = [row_cells(table, row) for row in table.rows]
    grid.props('hide-bottom' if len(table.rows) <= 31 else '')
    grid.pagination = {'rowsPerPage': 0}
    grid.update()


def columns(table: ReadingsTable) -> list[dict[str, Any]]:
    unit = consumption.unit(table.energy)
    cols = [{'name': 'day', 'label': _('Date'), 'field': 'day', 'align': 'left'}]
    cols.append({'name': 'ask', 'label': '', 'field': 'ask', 'align': 'center'})  # first, in sight on a phone
    if table.has_registers:
        cols += [
            {
                'name': f't{z}',
                'label': f'{consumption.zone_name(z, table.meter.tariff_zones)}, {unit}',
                'field': f't{z}',
                'align': 'right',
                **PHONE_HIDDEN,
            }
            for z in table.zones
        ]
        cols.append(
            {'name': 'total', 'label': _('Total, {unit}').format(unit=unit), 'field': 'total', 'align': 'right'}
        )
    cols.append({'name': 'used', 'label': _('Used, {unit}').format(unit=unit), 'field': 'used', 'align': 'right'})
    cols.append({'name': 'note', 'label': '', 'field': 'note', 'align': 'left'})
    return cols


def row_cells(table: ReadingsTable, row: TableRow) -> dict[str, str]:
    cells = {'day': fmt.day(row.day), 'used': _value(row.used), 'note': note(row, table.meter.tariff_zones)}
    cells['ask'] = f'/support?meter={table.meter.id}&energy={table.energy}&day={row.day.isoformat()}'
    cells['ask_label'] = _('Ask a question')
    for zone in table.zones:
        cells[f't{zone}'] = _value(row.registers.get(zone))
    cells['total'] = _value(row.total)
    return cells


def note(row: TableRow, tariff_zones: int = 1) -> str:
    """«нет данных за 6 интервалов», «48 оценочных значений», or '' for a complete day."""
    parts = []
    if row.missing:
        parts.append(
            ngettext('no data for {n} interval', 'no data for {n} intervals', row.missing).format(n=row.missing)
        )
    if row.estimated:
        parts.append(ngettext('{n} estimated value', '{n} estimated values', row.estimated).format(n=row.estimated))
    if row.submitted:
        parts.append(_('submitted by the resident') + ': ' + submitted_text(row.submitted, tariff_zones))
    return ', '.join(parts)


def submitted_text(zones: dict[int, int], tariff_zones: int) -> str:
    """«День 12 345,600 / Ночь 5 432,100»: the registers a resident submitted that day (kWh)."""
    return ' / '.join(f'{consumption.zone_name(z, tariff_zones)} {_value(wh)}' for z, wh in sorted(zones.items()))


def _value(wh: int | None) -> str:
    return fmt.number(Decimal(wh) / 1000, 3, fixed=True) if wh is not None else '—'
