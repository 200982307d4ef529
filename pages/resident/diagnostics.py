"""The Diagnostics section (SPEC S9): /diagnostics[?month=YYYY-MM&types=2,13], meter events of a month as a list
and a table.

The month and the chosen event types live in the URL: paging and «Показать» open the new address, so the back
button and a shared link show the same view. Opening the page marks every event as seen, which clears the menu
badge (SPEC S5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from babel.dates import format_date
from nicegui import ui

from components import events as event_views
from pages.shell.context import PageContext, Section, Site
from services.core.db import DbSession
from services.core.i18n import _, get_language, ngettext
from services.residents import badges, diagnostics
from services.residents.diagnostics import Month

DIAGNOSTICS = Section('/diagnostics', 'Diagnostics', 'troubleshoot', 30)


@dataclass
class _View:
    month: Month
    journals: dict[int, bool] = field(default_factory=dict)  # journal -> ticked
    applied: set[int] | None = None  # the filter in force («Показать» applies the ticks)


def register(site: Site) -> None:
    @site.page('/diagnostics', section=DIAGNOSTICS)
    async def diagnostics_page(ctx: PageContext, month: str = '', types: str = '') -> None:
        user, now = ctx.user, ctx.now()

        def load(session: DbSession) -> list[tuple[int, str]]:
            badges.mark_events_seen(session=session, user=user, now=now)
            return diagnostics.journals_of(session=session, user=user)

        journals = await ctx.db(load)
        view = _View(month=_parse_month(month) or diagnostics.month_of(now, ctx.tz))
        chosen = _parse_types(types, {j for j, _name in journals})
        view.journals = {j: chosen is None or j in chosen for j, _name in journals}
        view.applied = chosen
        with await ctx.frame(_('Diagnostics')):
            _pager(view)
            if journals:
                _filters(view, journals)
            results = _Results(ctx, view)
            results.place()  # the events below the month and the filters
            await results.show(recheck=False)  # the page's user was resolved for this request


class _Results:
    """The month's events as a list and a table; every refresh re-checks the user."""

    def __init__(self, ctx: PageContext, view: _View) -> None:
        self.ctx, self.view = ctx, view

    def place(self) -> None:
        self.box = ui.column().classes('w-full gap-2')

    async def show(self, *, recheck: bool = True) -> None:
        user = await self.ctx.fresh_user() if recheck else self.ctx.user
        if user is None:
            return
        view, tz = self.view, self.ctx.tz
        entries = await self.ctx.db(
            lambda session: diagnostics.events(
                session=session, user=user, month=view.month, tz=tz, journals=view.applied
            )
        )
        chosen = view.applied
        others = 0
        if not entries and chosen is not None:
            others = await self.ctx.db(
                lambda session: diagnostics.others_count(
                    session=session, user=user, month=view.month, tz=tz, journals=chosen
                )
            )
        self.box.clear()
        with self.box:
            if not entries and chosen is not None:
                _none_chosen(others)
            else:
                _entries(entries, tz, ask=self.ctx.has_route('/support'))


def _pager(view: _View) -> None:
    def shift(months: int) -> None:
        ui.navigate.to(address(view.month.shifted(months), view.applied))

    with ui.row().classes('items-center gap-2 no-wrap'):
        ui.button(icon='chevron_left', on_click=lambda: shift(-1)).props('flat round aria-label="‹"').mark('prev')
        title = ui.label(_month_title(view.month)).classes('text-h6 text-center').style('min-width: 10rem')
        title.mark('period')
        ui.button(icon='chevron_right', on_click=lambda: shift(1)).props('flat round aria-label="›"').mark('next')


def _filters(view: _View, journals: list[tuple[int, str]]) -> None:
    def show() -> None:
        ticked = {j for j, on in view.journals.items() if on}
        ui.navigate.to(address(view.month, None if len(ticked) == len(view.journals) else ticked))

    with (
        ui.expansion(_('Event types'), icon='filter_list', value=view.applied is not None)
        .classes('w-full')
        .props('dense')
    ):
        with ui.row().classes('w-full gap-x-4 gap-y-0'):
            for journal, name in journals:
                ui.checkbox(
                    name,
                    value=view.journals[journal],
                    on_change=lambda e, j=journal: view.journals.__setitem__(j, bool(e.value)),
                ).mark(f'journal-{journal}')
        ui.button(_('Show'), icon='search', on_click=show).props('unelevated no-caps').mark('show')


def _entries(entries: list[diagnostics.Entry], tz: ZoneInfo, *, ask: bool) -> None:
    if not entries:
        ui.label(_('No meter events in this month.')).classes('text-grey-7').mark('no-events')
        return
    with ui.tabs().classes('w-full').props('align=left dense no-caps') as tabs:
        as_list = ui.tab(_('List'), icon='view_agenda').mark('tab-list')
        ui.tab(_('Table'), icon='table_rows').mark('tab-table')
    with ui.tab_panels(tabs, value=as_list).classes('w-full').props('animated=false'):
        with ui.tab_panel(as_list).classes('q-px-none'):
            event_views.event_list(entries, tz, ask=_ask_link if ask else None)
        with ui.tab_panel(_('Table')).classes('q-px-none'):
            event_views.event_table(entries, tz, ask=_ask_link if ask else None)


def _none_chosen(others: int) -> None:
    text = _('None of the chosen event types happened in this month.')
    if others:
        text += ' ' + ngettext(
            '{n} event of other types did: tick them under «Event types».',
            '{n} events of other types did: tick them under «Event types».',
            others,
        ).format(n=others)
    ui.label(text).classes('text-grey-7').mark('no-events')


def address(month: Month, types: set[int] | None) -> str:
    """The page's own address for a month and a filter (none: every type)."""
    query = f'month={month.label}'
    if types is not None:
        query += '&types=' + (','.join(str(j) for j in sorted(types)) or 'none')
    return f'/diagnostics?{query}'


def _parse_types(value: str, known: set[int]) -> set[int] | None:
    """The chosen journals of `?types=2,13` (only known ones); None for every type; `none` for none."""
    if not value:
        return None
    if value == 'none':
        return set()
    chosen = {int(part) for part in value.split(',') if part.strip().isdigit() and int(part) in known}
    return None if chosen == known else chosen


def _ask_link(entry: diagnostics.Entry) -> str:
    return f'/support?event={entry.event_id}'  # the support dialog, with the event attached (B8)


def _month_title(month: Month) -> str:
    text = format_date(date(month.year, month.month, 1), 'LLLL yyyy', locale=get_language())
    return text[:1].upper() + text[1:]


def _parse_month(value: str) -> Month | None:
    try:
        year, month = (int(part) for part in value.split('-'))
    except ValueError:
        return None
    return Month(year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None
