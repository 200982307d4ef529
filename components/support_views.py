"""Blocks of the support pages (SPEC S10, O4): status chips, request rows, the conversation, the attached context."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nicegui import ui

from components.meter_card import fields
from services.core import fmt
from services.core.i18n import _, ngettext
from services.support.attachments import AttachmentView
from services.support.views import MessageView, RequestRow, status_text

STATUS_COLOURS = {'open': 'blue-8', 'in_progress': 'orange-9', 'answered': 'positive', 'closed': 'grey-7'}
SUPPORT_CSS = """
.k-msg { max-width: min(42rem, 100%); border-radius: 10px; }
.k-msg-own { align-self: flex-end; background: rgba(11,92,173,.08); }
.k-msg-staff { align-self: flex-start; background: rgba(46,125,50,.08); }
.k-msg-note { align-self: stretch; background: rgba(239,108,0,.10); border: 1px dashed #ef6c00; }
.k-msg-body { white-space: pre-wrap; overflow-wrap: anywhere; }
.k-req { cursor: pointer; }
.k-req:hover { box-shadow: 0 2px 10px rgba(0,0,0,.15); }
"""


def status_chip(status: str) -> ui.badge:
    return ui.badge(status_text(status)).props(f'color={STATUS_COLOURS.get(status, "grey-7")}').mark(f'status-{status}')


def request_list(rows: list[RequestRow], tz: ZoneInfo, *, empty: str, target: str = '/support/{id}') -> None:
    """One clickable card per request: subject, topic, status, dates, the count of new replies."""
    ui.add_css(SUPPORT_CSS)
    if not rows:
        ui.label(empty).classes('text-grey-7').mark('requests-empty')
        return
    with ui.column().classes('w-full gap-2').mark('requests'):
        for row in rows:
            link = target.format(id=row.id)
            card = ui.card().classes('k-req w-full q-px-md q-py-sm gap-1').props('flat bordered')
            card.on('click', lambda link=link: ui.navigate.to(link)).mark(f'request-{row.id}')
            with card:
                with ui.row().classes('w-full items-center gap-2'):
                    ui.label(_('No. {id}').format(id=row.id)).classes('text-grey-7 text-body2')
                    status_chip(row.status)
                    if row.new_replies:
                        text = ngettext('{n} new reply', '{n} new replies', row.new_replies).format(n=row.new_replies)
                        ui.badge(text).props('color=red').mark('new-replies')
                ui.label(row.subject).classes('text-weight-medium').style('overflow-wrap: anywhere')
                with ui.row().classes('w-full gap-x-4 gap-y-0 text-body2 text-grey-7'):
                    if row.topic:
                        ui.label(row.topic)
                    if row.account_number:
                        ui.label(_('Account {number}').format(number=row.account_number))
                    ui.label(_('Sent {when}').format(when=fmt.moment(row.created_at, tz)))
                    if row.updated_at != row.created_at:
                        ui.label(_('Updated {when}').format(when=fmt.moment(row.updated_at, tz)))


def messages(items: list[MessageView], tz: ZoneInfo, *, staff_view: bool) -> None:
    """The conversation, oldest first: the resident's messages on one side, the desk's on the other."""
    ui.add_css(SUPPORT_CSS)
    with ui.column().classes('w-full gap-3').mark('conversation'):
        for item in items:
            side = 'k-msg-note' if item.internal else 'k-msg-staff' if item.from_staff else 'k-msg-own'
            with ui.column().classes(f'k-msg {side} q-pa-sm gap-1').mark(f'message-{item.id}'):
                with ui.row().classes('items-center gap-2 text-body2'):
                    ui.icon('support_agent' if item.from_staff else 'person', size='18px').classes('text-grey-7')
                    ui.label(item.author).classes('text-weight-medium')
                    if item.from_staff and not item.internal and not staff_view:
                        ui.label(_('support')).classes('text-grey-7')
                    if item.internal:
                        ui.badge(_('internal note')).props('color=orange-9').mark('internal-note')
                    ui.label(fmt.moment(item.created_at, tz)).classes('text-grey-7')
                ui.label(item.body).classes('k-msg-body text-body1')
                if item.attachments:
                    attachment_links(item.attachments)


def attachment_links(items: list[AttachmentView]) -> None:
    with ui.row().classes('gap-2'):
        for item in items:
            icon = 'image' if item.is_image else 'picture_as_pdf'
            size = _('{n} KB').format(n=fmt.number(max(item.size // 1024, 1)))
            ui.link(f'{item.file_name} ({size})', f'/support/attachments/{item.id}', new_tab=True).classes(
                'text-body2'
            ).mark(f'attachment-{item.id}')
            ui.icon(icon, size='18px').classes('text-grey-7')


def context_block(lines: list[tuple[str, str]], title: str) -> None:
    """What the request was opened from (B8), as the resident attached it."""
    with ui.card().classes('w-full q-pa-sm gap-1').props('flat bordered').mark('support-context'):
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon('attach_file', size='20px').classes('text-primary')
            ui.label(title).classes('text-weight-medium').style('overflow-wrap: anywhere')
        fields(lines, columns=1)
