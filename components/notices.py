"""Notices of the utility (B12) as the resident sees them: a card each, with its days."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nicegui import ui

from models import Notice
from services.content.notices import days_of
from services.core import fmt
from services.core.i18n import _


def notice_cards(notices: list[Notice], tz: ZoneInfo) -> None:
    for notice in notices:
        first, last = days_of(notice, tz)
        with ui.card().classes('w-full bg-amber-1').mark('notice'):
            with ui.row().classes('items-center gap-2 no-wrap'):
                ui.icon('campaign', color='amber-9', size='sm')
                ui.label(notice.title).classes('k-card-title')
            if notice.body:
                ui.label(notice.body).classes('text-body2').style('white-space: pre-line')
            ui.label(_('Valid from {first} to {last}.').format(first=fmt.day(first), last=fmt.day(last))).classes(
                'text-caption text-grey-8'
            )
