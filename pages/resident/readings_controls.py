"""The controls of /readings: meter, interval, period picker, energy type, period type, build; and the table's."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from nicegui import ui

from components.readings_grid import readings_grid, show_table
from services.core import fmt
from services.core.i18n import _
from services.metering import consumption
from services.metering.consumption import ChartQuery
from services.metering.readings_table import ReadingsTable
from services.residents.access import MeterView

Handler = Callable[[], Awaitable[None]]
MASKS = {'day': 'DD.MM.YYYY', 'month': 'MM.YYYY', 'year': 'YYYY'}
VIEWS_OF_PICKER = {'day': 'Calendar', 'month': 'Months', 'year': 'Years'}


def meter_options(meters: list[MeterView]) -> dict[int, str]:
    return {m.id: m.name + (' — ' + _('removed') if m.removed_on else '') for m in meters}


def default_meter(meters: list[MeterView]) -> int:
    """The resident's first meter still in service (a replaced one keeps its history but is not the default)."""
    return next((m.id for m in meters if m.removed_on is None), meters[0].id)


def first_query(meters: list[MeterView], energies: dict[int, list[int]], today: date) -> ChartQuery:
    """The chart Readings opens with, as its controls first show it: this month of the default meter's first
    energy type, calendar period."""
    meter = default_meter(meters)
    return ChartQuery(meter_id=meter, anchor=today.replace(day=1), energy=energies[meter][0], view='month',
                      period='calendar')  # fmt: skip


def energy_options(energies: list[int]) -> dict[int, str]:
    return {e: consumption.energy_name(e) for e in energies}


class PeriodInput:
    """A text field with a calendar: a day (31.03.2026), a month (03.2026) or a year (2026)."""

    def __init__(self, label: str, marker: str, anchor: date, view: str = 'month') -> None:
        self.view = view
        self.focus: date = anchor
        self.picker: ui.date | None = None  # the calendar is made when it is first opened
        self.menu: ui.menu | None = None
        with ui.input(label).props('outlined dense').classes('k-ctl-period').mark(marker) as self.input:
            with self.input.add_slot('append'):
                ui.icon('event').classes('cursor-pointer').on('click', self._open).mark(f'{marker}-calendar')
        self.set(anchor, view)

    def set(self, anchor: date, view: str) -> None:
        if not _within(self.focus, anchor, view):
            self.focus = anchor  # the most precise day known: switching Year → Month → Day comes back to it
        self.view, self.anchor = view, anchor
        if self.picker is not None:
            self.picker.props(self._picker_props())
        self.input.value = anchor.strftime({'day': '%d.%m.%Y', 'month': '%m.%Y', 'year': '%Y'}[view])

    def _open(self) -> None:
        if self.menu is None:
            with self.input, ui.menu().props('no-parent-event') as menu:
                self.picker = ui.date().props(f'minimal emit-immediately {self._picker_props()}').bind_value(self.input)
                self.picker.on_value_change(lambda _e: menu.close() if self.view == 'day' else None)
            self.menu = menu
        self.menu.open()

    def _picker_props(self) -> str:
        return f'mask={MASKS[self.view]} default-view={VIEWS_OF_PICKER[self.view]}'

    def value(self) -> date | None:
        return self.parse(str(self.input.value or ''), self.view)

    def switch(self, view: str) -> None:
        """Show the same period at another scale: the month of the shown day, the year of the shown month, and back
        down to the month or day seen last within it (else its first)."""
        shown = self.value() or self.anchor
        if not _within(self.focus, shown, self.view):
            self.focus = shown
        self.set(_start(self.focus, view), view)

    @staticmethod
    def parse(text: str, view: str) -> date | None:
        """The first day the text names: «31.03.2026» / «2026-03-31», «03.2026» / «2026-03», «2026»."""
        text = text.strip()
        patterns = {
            'day': [(r'(\d{1,2})\.(\d{1,2})\.(\d{4})', (3, 2, 1)), (r'(\d{4})-(\d{1,2})-(\d{1,2})', (1, 2, 3))],
            'month': [(r'(\d{1,2})\.(\d{4})', (2, 1, 0)), (r'(\d{4})-(\d{1,2})', (1, 2, 0))],
            'year': [(r'(\d{4})', (1, 0, 0))],
        }
        for pattern, (y, m, d) in patterns[view]:
            if match := re.fullmatch(pattern, text):
                try:
                    return date(int(match[y]), int(match[m]) if m else 1, int(match[d]) if d else 1)
                except ValueError:
                    return None
        return None

    @staticmethod
    def parse_day(text: Any) -> date | None:
        return PeriodInput.parse(str(text or ''), 'day')


class ChartControls:
    """Meter, interval (День / Месяц / Год), period, energy type, period type and «Построить» (manual 4.3.1)."""

    def __init__(self, meters: list[MeterView], energies: dict[int, list[int]], today: date) -> None:
        self.energies = energies
        opening = first_query(meters, energies, today)
        with ui.element('div').classes('w-full k-controls'):
            self.meter = (
                ui.select(meter_options(meters), value=opening.meter_id, label=_('Meter'))
                .props('outlined dense options-dense')
                .classes('k-ctl-meter')
                .mark('meter')
            )
            self.view = ui.toggle({'day': _('Day'), 'month': _('Month'), 'year': _('Year')}, value=opening.view)
            self.view.props('no-caps unelevated toggle-color=primary').mark('interval')
            self.period = PeriodInput(_('Period'), 'period', today, opening.view)
            energies_of_first = energies[opening.meter_id]
            self.energy = ui.select(energy_options(energies_of_first), value=opening.energy, label=_('Energy type'))
            self.energy.props('outlined dense options-dense').classes('k-ctl-energy').mark('energy')
            self.kind = ui.toggle({'calendar': _('Calendar'), 'billing': _('Billing')}, value=opening.period)
            self.kind.props('no-caps unelevated toggle-color=primary').mark('period-type')
            self.button = ui.button(_('Build'), icon='insert_chart').props('unelevated no-caps').mark('build')
        self.error = ui.label().classes('text-negative text-caption').mark('period-error')
        self.error.set_visibility(False)
        self.meter.on_value_change(lambda e: self._meter_changed(e.value))
        self.view.on_value_change(lambda e: self._view_changed(e.value))

    def on_build(self, handler: Handler) -> None:
        self.button.on_click(handler)

    def query(self) -> ChartQuery | None:
        """The chart the controls describe, or None (with a message) when the period is not a date."""
        anchor = self.period.value()
        self.error.set_visibility(anchor is None)
        if anchor is None:
            self.error.text = _('Enter the period as {example}').format(example=_example(self.period.view))
            return None
        return ChartQuery(
            meter_id=int(self.meter.value),
            anchor=anchor,
            energy=int(self.energy.value),
            view=str(self.view.value),
            period=str(self.kind.value),
        )

    def reflect(self, query: ChartQuery) -> None:
        """Show the chart's own choices (after a drill-down or going back)."""
        self.meter.value = query.meter_id
        self.view.value = query.view
        self.kind.value = query.period
        self.energy.value = query.energy
        self.period.set(query.anchor, query.view)

    def _meter_changed(self, meter_id: int) -> None:
        options = energy_options(self.energies.get(int(meter_id), [consumption.ACTIVE_IMPORT]))
        self.energy.set_options(
            options, value=self.energy.value if self.energy.value in options else next(iter(options))
        )

    def _view_changed(self, view: str) -> None:
        if view != self.period.view:
            self.period.switch(view)


class TableControls:
    """Meter, energy type, date and «Показать»; ‹ › page by month (manual 4.3.2)."""

    def __init__(self, meters: list[MeterView], energies: dict[int, list[int]], today: date) -> None:
        first = default_meter(meters)
        self.energies = energies
        with ui.element('div').classes('w-full k-controls'):
            self.meter = ui.select(meter_options(meters), value=first, label=_('Meter'))
            self.meter.props('outlined dense options-dense').classes('k-ctl-meter').mark('table-meter')
            self.energy = ui.select(energy_options(energies[first]), value=energies[first][0], label=_('Energy type'))
            self.energy.props('outlined dense options-dense').classes('k-ctl-energy').mark('table-energy')
            self.date = PeriodInput(_('Date'), 'table-date', today, 'day')
            self.day = self.date.input
            self.button = ui.button(_('Show'), icon='table_view').props('unelevated no-caps').mark('table-show')
        with ui.row().classes('items-center gap-1'):
            self.prev = (
                ui.button(icon='chevron_left').props('flat round aria-label="previous month"').mark('table-prev')
            )
            self.month = ui.label().classes('text-subtitle1 text-weight-medium k-table-month').mark('table-month')
            self.next = ui.button(icon='chevron_right').props('flat round aria-label="next month"').mark('table-next')
        self.grid = readings_grid()
        self.meter.on_value_change(
            lambda e: self.energy.set_options(
                energy_options(self.energies.get(int(e.value), [consumption.ACTIVE_IMPORT])),
                value=consumption.ACTIVE_IMPORT,
            )
        )

    def on_show(self, handler: Handler) -> None:
        async def page(months: int) -> None:
            day = PeriodInput.parse_day(self.day.value)
            if day is not None:
                self.date.set(_shift(day, months), 'day')
            await handler()

        self.button.on_click(handler)
        self.prev.on_click(lambda: page(-1))
        self.next.on_click(lambda: page(1))

    def show(self, table: ReadingsTable) -> None:
        self.month.text = fmt.month_title(table.month.year, table.month.month)
        show_table(self.grid, table)


def _within(day: date, anchor: date, view: str) -> bool:
    """Whether `day` lies in the day, month or year that starts at `anchor`."""
    if view == 'day':
        return day == anchor
    return day.year == anchor.year and (view == 'year' or day.month == anchor.month)


def _start(day: date, view: str) -> date:
    return {'day': day, 'month': day.replace(day=1), 'year': date(day.year, 1, 1)}[view]


def _shift(day: date, months: int) -> date:
    """The 1st of the month `months` away from `day`'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _example(view: str) -> str:
    return {'day': '31.03.2026', 'month': '03.2026', 'year': '2026'}[view]


CONTROLS_CSS = """
.k-controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.k-ctl-meter { min-width: 240px; flex: 2 1 240px; }
.k-ctl-energy { min-width: 180px; flex: 1 1 180px; }
.k-ctl-period { width: 150px; flex: 0 0 150px; }
@media (max-width: 599px) {
  .k-ctl-meter, .k-ctl-energy { flex: 1 1 100%; min-width: 0; }
  .k-ctl-period { flex: 1 1 120px; }
}
"""
