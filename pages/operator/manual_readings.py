"""Residents' manual readings (B7) for the operator: `/operator/readings?month=YYYY-MM`, a list and its CSV."""

from __future__ import annotations

from datetime import date

from nicegui import ui

from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.i18n import _
from services.readings import export
from services.readings.window import previous_month

MANUAL_READINGS = Section('/operator/readings', 'Submitted readings', 'edit_note', 83, staff_only=True)


def register(site: Site) -> None:
    @site.page('/operator/readings', access='staff', section=MANUAL_READINGS)
    async def readings_page(ctx: PageContext, month: str = '') -> None:
        actor, tz = ctx.user, ctx.tz
        chosen = _month(month) or ctx.today().replace(day=1)
        rows = await ctx.db(lambda session: export.staff_month_rows(session=session, actor=actor, month=chosen, tz=tz))
        with await ctx.frame(_('Submitted readings')):
            _month_picker(ctx, chosen)
            if not rows:
                ui.label(_('No readings were submitted for this month.')).classes('text-grey-7').mark('no-readings')
                return
            _table(rows)
            ui.button(
                'CSV',
                icon='download',
                on_click=lambda: ui.download.content(export.to_csv(rows), f'readings-{chosen:%Y-%m}.csv', 'text/csv'),
            ).props('outline no-caps').mark('readings-csv')


def _month_picker(ctx: PageContext, chosen: date) -> None:
    months = [ctx.today().replace(day=1)]
    for _n in range(23):
        months.append(previous_month(months[-1]))
    if chosen not in months:
        months.append(chosen)
    options = {f'{m:%Y-%m}': fmt.month_title(m.year, m.month) for m in months}
    ui.select(
        options,
        value=f'{chosen:%Y-%m}',
        label=_('Month'),
        on_change=lambda e: ui.navigate.to(f'/operator/readings?month={e.value}'),
    ).props('outlined dense').classes('w-56').mark('readings-month')


def _table(rows: list[export.ExportRow]) -> None:
    columns = [
        {'name': 'account_number', 'label': _('Account'), 'field': 'account_number', 'align': 'left'},
        {'name': 'address', 'label': _('Address'), 'field': 'address', 'align': 'left'},
        {'name': 'meter_serial', 'label': _('Meter'), 'field': 'meter_serial', 'align': 'left'},
        {'name': 'zone', 'label': _('Zone'), 'field': 'zone', 'align': 'left'},
        {'name': 'reading_kwh', 'label': _('Reading, kWh'), 'field': 'reading_kwh', 'align': 'right'},
        {'name': 'submitted_at', 'label': _('Submitted'), 'field': 'submitted_at', 'align': 'left'},
        {'name': 'submitted_by', 'label': _('By'), 'field': 'submitted_by', 'align': 'left'},
    ]
    cells = [{**row.__dict__, 'submitted_at': row.submitted_at[:16].replace('T', ' ')} for row in rows]
    for n, cell in enumerate(cells):
        cell['key'] = n
    ui.table(columns=columns, rows=cells, row_key='key', pagination=50).props('dense flat bordered').classes(
        'w-full'
    ).mark('readings-list')


def _month(text: str) -> date | None:
    try:
        return date.fromisoformat(f'{text}-01') if text else None
    except ValueError:
        return None
