"""Notices of the utility (B12) as the resident sees them: a card each, with its days."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from components import static_html
from models import Notice
from services.content.notices import days_of
from services.core import fmt
from services.core.i18n import _


def notice_cards(notices: list[Notice], tz: ZoneInfo) -> None:
    """A card per notice, each one element (the operator's title and text escaped)."""
    for notice in notices:
        first, last = days_of(notice, tz)
        heading = static_html.icon('campaign', size='24px', colour='amber-9') + static_html.line(
            notice.title, 'k-card-title'
        )
        content = static_html.row(heading, 'items-center gap-2 no-wrap')
        if notice.body:
            content += static_html.line(notice.body, 'text-body2', style='white-space: pre-line')
        valid = _('Valid from {first} to {last}.').format(first=fmt.day(first), last=fmt.day(last))
        content += static_html.line(valid, 'text-caption text-grey-8')
        static_html.element(content).classes('q-card nicegui-card k-card w-full bg-amber-1').mark('notice')
