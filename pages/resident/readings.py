"""The Readings section (SPEC S7, S8, B1–B4, B10): `/readings`, tabs «График потребления» and «Таблица показаний».

The page is delivered with its frame only and filled right after it connects, so that it goes out at once; the table
and download tabs are built when first opened. Every event handler re-reads the user and the services check that the
meter is theirs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from nicegui import ui
from nicegui.events import ValueChangeEventArguments

from components import static_html
from components.consumption_chart import consumption_chart
from components.consumption_summary import consumption_summary
from components.similar_homes import comparison_cards
from models import User
from pages.resident.manual_readings import manual_block
from pages.resident.readings_controls import ChartControls, PeriodInput, TableControls, first_query
from pages.resident.readings_download import download_panel
from pages.shell.context import PageContext, Section, Site
from services.core.db import DbSession
from services.core.errors import NotFound
from services.core.i18n import _
from services.metering import consumption, export_tables, readings_table, similar_homes
from services.metering.consumption import ChartData, ChartQuery
from services.metering.readings_table import ReadingsTable
from services.metering.similar_homes import Comparison
from services.residents import access
from services.residents.access import MeterView
from services.residents.badges import Counter

log = logging.getLogger(__name__)
READINGS = Section('/readings', 'Readings', 'bar_chart', 20)
T = TypeVar('T')


@dataclass(frozen=True)
class _Opening:
    """What Readings opens with, read in one transaction."""

    meters: list[MeterView]
    energies: dict[int, list[int]]
    first: ChartData | None  # the chart the controls open with (None without meters)
    comparisons: list[Comparison]
    menu: Counter  # the menu's figures


@dataclass
class ChartState:
    data: ChartData | None = None
    history: list[ChartQuery] = field(default_factory=list)  # what «Назад» returns to, innermost last
    asked: int = 0  # requests so far: quick clicks must show the last one asked, not the last one answered


def register(site: Site) -> None:
    @site.page('/readings', section=READINGS)
    async def readings(ctx: PageContext) -> None:
        user = ctx.user

        today = ctx.today()

        def load(session: DbSession) -> _Opening:
            meters = access.meters_of(session=session, user=user, include_removed=True)
            energies = consumption.energies_of_meters(session=session, user=user, meter_ids=[m.id for m in meters])
            first = _chart(session, ctx, user, first_query(meters, energies, today)) if meters else None
            comparisons = similar_homes.comparisons_of(session=session, user=user)
            return _Opening(meters, energies, first, comparisons, ctx.count_badges(session))

        with await ctx.frame(_('Readings'), own_badges=True):
            if not await ctx.connected():  # the frame goes out at once; the tabs follow over the connection
                return
            opening = await ctx.db(load)  # one transaction: the first chart and the menu's figures too
            ctx.show_badges(opening.menu)
            meters, energies, comparisons = opening.meters, opening.energies, opening.comparisons
            if opening.first is None:  # no meter
                ui.label(
                    _('No meter is linked to your accounts yet. Add your account in the Subscriber section.')
                ).mark('no-meters')
                return
            with ui.tabs().classes('w-full').props('align=left no-caps outside-arrows mobile-arrows') as tabs:
                chart_tab = ui.tab('chart', _('Consumption chart')).mark('tab-chart')
                table_tab = ui.tab('table', _('Readings table')).mark('tab-table')
                download_tab = ui.tab('download', _('Download my data')).mark('tab-download')
            with ui.tab_panels(tabs, value=chart_tab).classes('w-full').props('keep-alive') as panels:
                with ui.tab_panel(chart_tab).classes('q-px-none gap-3'):
                    _chart_panel(ctx, meters, energies, today, opening.first)
                    if comparisons:
                        with ui.column().classes('w-full gap-0'):
                            comparison_cards(comparisons)  # B11: the last billing period against similar homes
            later = {
                'table': (table_tab, lambda: _table_panel(ctx, meters, energies)),
                'download': (download_tab, lambda: download_panel(ctx, meters, energies)),
            }
            build_on_first_open(tabs, panels, later)


def build_on_first_open(
    tabs: ui.tabs, panels: ui.tab_panels, later: dict[str, tuple[ui.tab, Callable[[], None]]]
) -> None:
    """Make each tab's panel when the tab is first opened: most visits only look at the chart, and a tab not built
    holds no memory on the server. The event's value is the tab's name."""
    built: set[str] = set()

    def opened(event: ValueChangeEventArguments) -> None:
        name = str(event.value)
        if name in later and name not in built:
            built.add(name)
            tab, build = later[name]
            with panels, ui.tab_panel(tab).classes('q-px-none gap-3'):
                build()

    tabs.on_value_change(opened)


def _chart_panel(
    ctx: PageContext, meters: list[MeterView], energies: dict[int, list[int]], today: date, first: ChartData
) -> None:
    """The chart's controls and place, showing `first` (the chart the controls open with)."""
    state = ChartState()
    controls = ChartControls(meters, energies, today)
    with ui.row().classes('w-full items-center gap-2 no-wrap'):
        back = ui.button(_('Back'), icon='arrow_back').props('flat no-caps').mark('back')
        heading = static_html.element('').classes('nicegui-column gap-0 min-w-0').mark('chart-heading')
    back.set_visibility(False)
    hint = ui.label(_('Click a bar to see it in detail.')).classes('text-caption text-grey-7').mark('drill-hint')
    holder = ui.column().classes('w-full gap-3')

    async def show(query: ChartQuery, *, remember: bool) -> None:
        state.asked += 1  # counted before any wait: quick clicks must show the last one asked
        asked = state.asked
        user = await ctx.fresh_user()
        data = await _call(ctx, lambda session: _chart(session, ctx, user, query), 'chart') if user else None
        if data is not None and asked == state.asked:
            display(data, remember=remember)

    def display(data: ChartData, *, remember: bool) -> None:
        if remember and state.data is not None:
            state.history.append(state.data.query)
        state.data = data
        controls.reflect(data.query)
        heading.set_content(_heading(data))
        back.set_visibility(bool(state.history))
        hint.set_visibility(data.can_drill)
        holder.clear()
        with holder:
            consumption_chart(data, on_bar=drill)
            consumption_summary(data)
            _export_buttons(lambda: export_tables.chart_sheet(data), 'export')

    async def drill(index: int) -> None:
        target = consumption.drill(state.data, index) if state.data else None
        if target is not None:
            await show(target, remember=True)

    async def go_back() -> None:
        if state.history:
            previous = state.history.pop()
            state.data = None  # going back must not push the current chart again
            await show(previous, remember=False)

    async def build() -> None:
        query = controls.query()
        if query is not None:
            state.history.clear()
            await show(query, remember=False)

    back.on_click(go_back)
    controls.on_build(build)
    display(first, remember=False)


def _heading(data: ChartData) -> str:
    """The chart's period («март 2026») and, when it is not a calendar period, its dates."""
    title = static_html.line(data.title, 'text-h6 ellipsis k-chart-title', mark='chart-title')
    dates = static_html.line(data.dates, 'text-caption text-grey-7', mark='chart-dates') if data.dates else ''
    return title + dates


def _table_panel(ctx: PageContext, meters: list[MeterView], energies: dict[int, list[int]]) -> None:
    controls = TableControls(meters, energies, ctx.today())
    holder = ui.column().classes('w-full gap-2')
    state = ChartState()  # only its request counter is used here

    async def show() -> None:
        meter_id, energy, day = controls.meter.value, controls.energy.value, PeriodInput.parse_day(controls.day.value)
        state.asked += 1  # counted before any wait: quick clicks must show the last one asked
        asked = state.asked
        user = await ctx.fresh_user()
        if user is None or day is None:
            return
        table = await _call(ctx, lambda session: _table(session, ctx, user, int(meter_id), int(energy), day), 'table')
        if table is None or asked != state.asked:
            return
        controls.show(table)
        holder.clear()
        with holder:
            await manual_block(ctx, int(meter_id))  # B7: the form for meters read by the resident
            if not table.has_registers:
                ui.label(_('This meter sends no register readings: the usage comes from its load profile.')).classes(
                    'text-caption'
                ).mark('no-registers')
            if not table.rows:
                ui.label(_('No days of this month have passed yet.')).mark('table-empty')
            _export_buttons(lambda: export_tables.table_sheet(table), 'table')

    controls.on_show(show)
    ui.timer(0, show, once=True)


def _export_buttons(sheet: Callable[[], export_tables.Sheet], prefix: str) -> None:
    def download(kind: str) -> None:
        made = sheet()
        if kind == 'csv':
            ui.download.content(export_tables.to_csv(made), f'{made.name}.csv', 'text/csv')
        else:
            ui.download.content(export_tables.to_xlsx(made), f'{made.name}.xlsx', XLSX)

    with ui.row().classes('gap-2 items-center'):
        ui.label(_('Download:')).classes('text-body2')
        ui.button('CSV', icon='download', on_click=lambda: download('csv')).props('outline no-caps').mark(
            f'{prefix}-csv'
        )
        ui.button('XLSX', icon='download', on_click=lambda: download('xlsx')).props('outline no-caps').mark(
            f'{prefix}-xlsx'
        )


XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'


async def _call(ctx: PageContext, work: Callable[[DbSession], T], what: str) -> T | None:
    """Run a service off the event loop with a fresh session; a forged meter id gets «Не найдено»."""
    started = time.perf_counter()
    try:
        result = await ctx.db(work)
    except NotFound:
        ui.notify(_('Not found'), type='negative')
        return None
    log.debug('readings %s answered in %.1f ms of server time', what, (time.perf_counter() - started) * 1000)
    return result


def _chart(session: DbSession, ctx: PageContext, user: User, query: ChartQuery) -> ChartData:
    settings = ctx.settings
    return consumption.chart(
        session=session, user=user, query=query, tz=settings.tz, default_reading_day=settings.reading_day,
        now=ctx.now(),
    )  # fmt: skip


def _table(session: DbSession, ctx: PageContext, user: User, meter_id: int, energy: int, day: date) -> ReadingsTable:
    settings = ctx.settings
    return readings_table.month_table(
        session=session, user=user, meter_id=meter_id, energy=energy, month=day, tz=settings.tz,
        default_reading_day=settings.reading_day, now=ctx.now(),
    )  # fmt: skip
