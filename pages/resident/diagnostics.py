"""The Diagnostics section (SPEC S9): /diagnostics[?month=YYYY-MM], meter events of a month as a list and a table.

Opening the page marks every event as seen, which clears the menu badge (SPEC S5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from babel.dates import format_date
from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import APIRouter, ui

from components import events as event_views
from pages.shell import deps
from pages.shell.deps import Section
from pages.shell.layout import page
from services.core.i18n import _, get_language
from services.residents import badges, diagnostics
from services.residents.diagnostics import Month

router = APIRouter()
SECTIONS = [Section('/diagnostics', 'Diagnostics', 'troubleshoot', 30)]


@dataclass
class _View:
    month: Month
    journals: dict[int, bool] = field(default_factory=dict)  # journal -> ticked
    applied: set[int] | None = None  # the filter in force («Показать» applies the ticks)


@router.page('/diagnostics')
def diagnostics_page(request: Request, month: str = '') -> RedirectResponse | None:
    user = deps.user_from_request(request)
    if user is None:
        return RedirectResponse('/login', status_code=303)
    system = deps.system()
    tz = system.settings.tz
    with deps.db() as session:
        badges.mark_events_seen(session=session, user=user, now=system.now())
        journals = diagnostics.journals_of(session=session, user=user)
    view = _View(month=_parse_month(month) or diagnostics.month_of(system.now(), tz))
    view.journals = {j: True for j, _name in journals}
    with page(_('Diagnostics'), user, active='/diagnostics'):
        _pager(view, tz)
        if journals:
            _filters(view, journals, tz)
        _results(view, tz)
    return None


def _pager(view: _View, tz: ZoneInfo) -> None:
    def shift(months: int) -> None:
        view.month = view.month.shifted(months)
        title.set_text(_month_title(view.month))
        _results.refresh()

    with ui.row().classes('items-center gap-2 no-wrap'):
        ui.button(icon='chevron_left', on_click=lambda: shift(-1)).props('flat round aria-label="‹"').mark('prev')
        title = ui.label(_month_title(view.month)).classes('text-h6 text-center').style('min-width: 10rem')
        title.mark('period')
        ui.button(icon='chevron_right', on_click=lambda: shift(1)).props('flat round aria-label="›"').mark('next')


def _filters(view: _View, journals: list[tuple[int, str]], tz: ZoneInfo) -> None:
    def show() -> None:
        ticked = {j for j, on in view.journals.items() if on}
        view.applied = None if len(ticked) == len(view.journals) else ticked
        _results.refresh()

    with ui.expansion(_('Event types'), icon='filter_list', value=False).classes('w-full').props('dense'):
        with ui.row().classes('w-full gap-x-4 gap-y-0'):
            for journal, name in journals:
                ui.checkbox(
                    name, value=True, on_change=lambda e, j=journal: view.journals.__setitem__(j, bool(e.value))
                ).mark(f'journal-{journal}')
        ui.button(_('Show'), icon='search', on_click=show).props('unelevated no-caps').mark('show')


@ui.refreshable
def _results(view: _View, tz: ZoneInfo) -> None:
    user = deps.current_user()
    if user is None:
        ui.navigate.to('/login')
        return
    with deps.db() as session:
        entries = diagnostics.events(session=session, user=user, month=view.month, tz=tz, journals=view.applied)
    if not entries:
        ui.label(_('No meter events in this month.')).classes('text-grey-7').mark('no-events')
        return
    with ui.tabs().classes('w-full').props('align=left dense no-caps') as tabs:
        as_list = ui.tab(_('List'), icon='view_agenda').mark('tab-list')
        ui.tab(_('Table'), icon='table_rows').mark('tab-table')
    with ui.tab_panels(tabs, value=as_list).classes('w-full').props('animated=false'):
        with ui.tab_panel(as_list).classes('q-px-none'):
            event_views.event_list(entries, tz)
        with ui.tab_panel(_('Table')).classes('q-px-none'):
            event_views.event_table(entries, tz)


def _month_title(month: Month) -> str:
    text = format_date(date(month.year, month.month, 1), 'LLLL yyyy', locale=get_language())
    return text[:1].upper() + text[1:]


def _parse_month(value: str) -> Month | None:
    try:
        year, month = (int(part) for part in value.split('-'))
    except ValueError:
        return None
    return Month(year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None
