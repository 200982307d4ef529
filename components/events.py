"""Meter events as a list and as a table (SPEC S9): severity colours, meter and account always shown."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from nicegui import ui

from components.readings_grid import ASK_SLOT
from components.tiles import COLOURS
from services.core import fmt
from services.core.i18n import _
from services.residents.diagnostics import Entry

BADGE_COLOURS = {'critical': 'red-9', 'warning': 'orange-9', 'info': 'blue-grey-7'}
EVENT_CSS = """
.k-event { border-left: 5px solid var(--k-sev); }
.k-sev-dot { width: 10px; height: 10px; border-radius: 50%; display: inline-block; background: var(--k-sev); }
"""


def severity_text(severity: str) -> str:
    texts = {'critical': _('critical'), 'warning': _('warning'), 'info': _('information')}
    return texts.get(severity, severity)


def when(entry: Entry, tz: ZoneInfo) -> str:
    """Start time, and the end or «продолжается» for an episode."""
    start = fmt.moment(entry.at, tz)
    if entry.end_at is not None:
        same_day = entry.end_at.astimezone(tz).date() == entry.at.astimezone(tz).date()
        end = entry.end_at.astimezone(tz).strftime('%H:%M') if same_day else fmt.moment(entry.end_at, tz)
        return f'{start} — {end}'
    return f'{start} — {_("still going")}' if entry.ongoing else start


def length(entry: Entry) -> str:
    if entry.duration_seconds is not None:
        return fmt.duration(entry.duration_seconds)
    return _('still going') if entry.ongoing else ''


def event_list(entries: list[Entry], tz: ZoneInfo, *, ask: Callable[[Entry], str] | None = None) -> None:
    """One card per event or episode, its left border in the severity colour; `ask` links «Задать вопрос» (B8)."""
    ui.add_css(EVENT_CSS)
    with ui.column().classes('w-full gap-2').mark('event-list'):
        for entry in entries:
            colour = COLOURS.get(entry.severity, COLOURS['info'])
            with (
                ui.card()
                .classes('k-event w-full q-px-md q-py-sm gap-1')
                .props('flat bordered')
                .style(f'--k-sev: {colour}')
                .mark(f'event-{entry.severity}')
            ):
                with ui.row().classes('w-full items-center gap-2'):
                    ui.label(entry.text).classes('text-weight-medium k-sev-text').style(f'color: {colour}')
                    ui.badge(severity_text(entry.severity)).props(
                        f'color={BADGE_COLOURS.get(entry.severity, "blue-grey-7")}'
                    )
                    if entry.end_text:
                        ui.label('→ ' + entry.end_text).classes('text-body2 text-grey-8')
                with ui.row().classes('w-full gap-x-4 gap-y-0 text-body2 text-grey-7'):
                    ui.label(when(entry, tz))
                    if entry.duration_seconds is not None or entry.ongoing:
                        ui.label(_('Duration: {value}').format(value=length(entry))).classes('text-weight-medium')
                with ui.row().classes('w-full gap-x-4 gap-y-0 text-body2 text-grey-7'):
                    ui.label(entry.meter_name).classes('text-weight-medium')
                    ui.label(_('Account {number}').format(number=entry.account_number))
                    ui.label(entry.journal_name)
                if entry.note:
                    ui.label(entry.note).classes('text-body2')
                if ask is not None:
                    ui.link(_('Ask a question'), ask(entry)).classes('text-body2').mark(f'ask-{entry.event_id}')


PHONE_HIDDEN = {'classes': 'gt-xs', 'headerClasses': 'gt-xs'}  # Quasar: shown from 600 px wide
# on a phone the importance is its coloured dot alone (the list tab spells it out)
WRAP_CSS = """
.k-wrap { white-space: normal !important; overflow-wrap: anywhere; }
@media (max-width: 599px) { .k-event-table th, .k-event-table td { padding-left: 4px; padding-right: 4px; } }
"""


def event_table(entries: list[Entry], tz: ZoneInfo, *, ask: Callable[[Entry], str] | None = None) -> ui.table:
    """The same entries as a sortable table; the severity cell is coloured; `ask`: a «Задать вопрос» button a row."""
    columns: list[dict[str, object]] = [
        {'name': 'severity', 'label': _('Importance'), 'field': 'severity', 'align': 'left', 'sortable': True},
        {'name': 'start', 'label': _('Start'), 'field': 'start', 'align': 'left'},
        {'name': 'event', 'label': _('Event'), 'field': 'event', 'align': 'left', 'classes': 'k-wrap'},
        {'name': 'duration', 'label': _('Duration'), 'field': 'duration', 'align': 'left'},
        # on a phone the list tab names the meter and account; the table keeps what fits in 390 px
        {'name': 'meter', 'label': _('Meter'), 'field': 'meter', 'align': 'left', 'sortable': True, **PHONE_HIDDEN},
        {'name': 'account', 'label': _('Account'), 'field': 'account', 'align': 'left', **PHONE_HIDDEN},
    ]
    if ask is not None:
        columns.append(
            {'name': 'ask', 'label': '', 'field': 'ask', 'align': 'center', **PHONE_HIDDEN}
        )  # the list has it
    rows = [
        {
            'id': n,
            'severity': severity_text(e.severity),
            'colour': COLOURS.get(e.severity, COLOURS['info']),
            'start': fmt.moment(e.at, tz),
            'event': e.text + (f' → {e.end_text}' if e.end_text else '') + (f' ({e.note})' if e.note else ''),
            'duration': length(e),
            'meter': e.meter_name,
            'account': e.account_number,
        }
        | ({'ask': ask(e), 'ask_label': _('Ask a question')} if ask is not None else {})
        for n, e in enumerate(entries)
    ]
    ui.add_css(WRAP_CSS)
    table = (
        ui.table(columns=columns, rows=rows, row_key='id', pagination=25)
        .classes('w-full k-event-table')
        .mark('event-table')
    )
    table.props('flat bordered dense wrap-cells')
    table.add_slot(
        'body-cell-severity',
        '<q-td :props="props" style="white-space: nowrap">'
        '<span class="k-sev-dot" :style="{background: props.row.colour}"></span> '
        '<span class="gt-xs k-sev-text" :style="{color: props.row.colour}">{{ props.value }}</span></q-td>',
    )
    if ask is not None:
        table.add_slot('body-cell-ask', ASK_SLOT)
    return table
