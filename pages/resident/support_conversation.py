"""One request of the resident as a conversation (SPEC S10): /support/{id}, with status, who answered, messages
and files, and a box for a new message while the request is open. Another resident's id is «Не найдено».
"""

from __future__ import annotations

from nicegui import ui

from components import support_views
from components.meter_card import fields
from components.support_reply import MessageBox
from pages.shell.context import PageContext
from services.core import fmt
from services.core.errors import NotFound
from services.core.i18n import _
from services.support import context, requests
from services.support.attachments import Upload
from services.support.requests import RequestRefused
from services.support.views import Conversation


async def conversation_page(ctx: PageContext, request_id: int) -> None:
    user, now = ctx.user, ctx.now()
    try:
        found = await ctx.db(lambda s: requests.open_conversation(session=s, user=user, request_id=request_id, now=now))
    except NotFound:
        ctx.mark_not_found()
        with await ctx.frame(_('Not found'), active='/support'):
            ui.label(_('There is no such request, or it belongs to someone else.')).mark('not-found')
            _back()
        return
    with await ctx.frame(_('Request No. {id}').format(id=request_id), active='/support'):
        _back()
        _header(ctx, found)
        support_views.messages(found.messages, ctx.tz, staff_view=False)
        if found.is_open:
            MessageBox(lambda text, files, _internal: _add(ctx, request_id, text, files), label=_('Your message'),
                       files=True)  # fmt: skip
        else:
            ui.label(_('The request is closed. If the question remains, create a new request.')).classes(
                'text-body2 text-grey-7'
            ).mark('closed-note')


def _header(ctx: PageContext, found: Conversation) -> None:
    row = found.request
    with ui.card().classes('w-full q-pa-md gap-2').mark('request-header'):
        with ui.row().classes('w-full items-center gap-2'):
            support_views.status_chip(row.status)
            ui.label(row.subject).classes('text-weight-medium').style('overflow-wrap: anywhere')
        lines = [(_('Topic'), row.topic or '—'), (_('Sent'), fmt.moment(row.created_at, ctx.tz))]
        if row.account_number:
            lines.append((_('Personal account'), row.account_number))
        if found.meter:
            lines.append((_('Meter'), found.meter))
        if found.assigned_to:
            lines.append((_('Answered by') if found.is_open else _('Handled by'), found.assigned_to))
        if found.closed_at is not None:
            lines.append((_('Closed'), fmt.moment(found.closed_at, ctx.tz)))
        if found.resolution:
            lines.append((_('Resolution'), found.resolution))
        fields(lines)
    if found.context is not None:
        support_views.context_block(context.describe(found.context, ctx.tz), context.title(found.context))


async def _add(ctx: PageContext, request_id: int, text: str, files: list[Upload]) -> str:
    user = await ctx.fresh_user()
    if user is None:
        return ''
    settings, now = ctx.settings, ctx.now()
    try:
        await ctx.db(
            lambda s: requests.add_message(
                session=s, user=user, request_id=request_id, text=text, uploads=files, settings=settings, now=now
            )
        )
    except RequestRefused as error:
        return _(str(error)).format(name=error.name)
    except NotFound:
        return _('Not found')
    ui.navigate.to(f'/support/{request_id}')
    return ''


def _back() -> None:
    ui.button(_('All requests'), icon='arrow_back', on_click=lambda: ui.navigate.to('/support')).props(
        'flat no-caps dense'
    ).mark('back')
