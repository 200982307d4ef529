"""One request at the desk (SPEC O4): the conversation with internal notes, the resident's context beside it
(contacts, accounts, meters, the attached event or reading), replies, take and assign, close with a resolution.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components import support_views
from components.meter_card import fields
from components.support_reply import MessageBox
from models import User
from pages.shell.context import PageContext
from services.core import fmt
from services.core.db import DbSession
from services.core.errors import DomainError, NotFound
from services.core.i18n import _
from services.support import context, desk
from services.support.desk import DeskView
from services.support.requests import RequestRefused


async def request_page(ctx: PageContext, request_id: int) -> None:
    staff = ctx.user
    try:
        view, members = await ctx.db(
            lambda s: (
                desk.desk_view(session=s, actor=staff, request_id=request_id),
                desk.staff_members(session=s, actor=staff),
            )
        )
    except NotFound:
        ctx.mark_not_found()
        with await ctx.frame(_('Not found'), active='/operator/support'):
            ui.label(_('There is no such request.')).mark('not-found')
        return
    found = view.conversation
    with await ctx.frame(_('Request No. {id}').format(id=request_id), active='/operator/support'):
        ui.button(_('Queue'), icon='arrow_back', on_click=lambda: ui.navigate.to('/operator/support')).props(
            'flat no-caps dense'
        ).mark('back')
        with ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-3 gap-4'):
            with ui.column().classes('md:col-span-2 gap-3 min-w-0'):
                with ui.row().classes('w-full items-center gap-2'):
                    support_views.status_chip(found.request.status)
                    ui.label(found.request.subject).classes('text-h6').style('overflow-wrap: anywhere')
                if found.context is not None:
                    support_views.context_block(context.describe(found.context, ctx.tz), context.title(found.context))
                support_views.messages(found.messages, ctx.tz, staff_view=True)
                if found.is_open:
                    MessageBox(
                        lambda text, _files, internal: _act(ctx, request_id, lambda s, u: desk.reply(
                            session=s, actor=u, request_id=request_id, text=text, internal=internal,
                            settings=ctx.settings, now=ctx.now())),
                        label=_('Reply to the resident'), files=False, notes=True,
                    )  # fmt: skip
            with ui.column().classes('gap-3 min-w-0'):
                _resident(view)
                if found.is_open:
                    _assign(ctx, request_id, view, members)
                    _close(ctx, request_id)
                else:
                    _closed(ctx, view)


def _resident(view: DeskView) -> None:
    with ui.card().classes('w-full q-pa-md gap-2').mark('resident'):
        ui.label(_('Resident')).classes('k-card-title')
        fields([(_('Full name'), view.resident), (_('Email'), view.email), (_('Phone'), view.phone or '—')], columns=1)
        row = view.conversation.request
        lines = [(_('Topic'), row.topic or '—'), (_('Account'), row.account_number or '—')]
        if view.conversation.meter:
            lines.append((_('Meter'), view.conversation.meter))
        fields(lines, columns=1)
        ui.label(_('Accounts')).classes('text-weight-medium')
        for number, address in view.accounts:
            ui.label(f'{number} — {address}').classes('text-body2').style('overflow-wrap: anywhere')
        if view.meters:
            ui.label(_('Meters')).classes('text-weight-medium')
            for name, account in view.meters:
                ui.label(f'{name} ({account})').classes('text-body2').style('overflow-wrap: anywhere')


def _assign(ctx: PageContext, request_id: int, view: DeskView, members: list[tuple[int, str]]) -> None:
    with ui.card().classes('w-full q-pa-md gap-2').mark('assign'):
        ui.label(_('Who answers')).classes('k-card-title')
        options: dict[int, str] = {0: _('nobody'), **dict(members)}
        chosen = ui.select(options, value=view.assigned_to_id or 0, label=_('Assigned to'))
        chosen.props('outlined dense').classes('w-full').mark('assignee')
        with ui.row().classes('gap-2'):
            ui.button(_('Take it'), icon='pan_tool', on_click=lambda: _assign_to(ctx, request_id, None)).props(
                'unelevated no-caps'
            ).mark('take')
            ui.button(_('Assign'), on_click=lambda: _assign_to(ctx, request_id, int(chosen.value) or 0)).props(
                'outline no-caps'
            ).mark('assign-button')


async def _assign_to(ctx: PageContext, request_id: int, assignee: int | None) -> None:
    """assignee None: the acting user takes it; 0: nobody."""
    await _act(ctx, request_id, lambda s, u: desk.assign(
        session=s, actor=u, request_id=request_id, assignee_id=u.id if assignee is None else (assignee or None),
        now=ctx.now()))  # fmt: skip


def _close(ctx: PageContext, request_id: int) -> None:
    with ui.card().classes('w-full q-pa-md gap-2').mark('close'):
        ui.label(_('Close the request')).classes('k-card-title')
        text = ui.textarea(_('Resolution')).props('outlined autogrow maxlength=2000').classes('w-full')
        text.mark('resolution')
        error = ui.label('').classes('text-negative text-caption').mark('resolution-error')

        async def close() -> None:
            error.set_text(await _act(ctx, request_id, lambda s, u: desk.close(
                session=s, actor=u, request_id=request_id, resolution=text.value or '', settings=ctx.settings,
                now=ctx.now())))  # fmt: skip

        ui.button(_('Close'), icon='task_alt', on_click=close).props('unelevated no-caps color=positive').mark(
            'close-button'
        )


def _closed(ctx: PageContext, view: DeskView) -> None:
    found = view.conversation
    with ui.card().classes('w-full q-pa-md gap-2').mark('closed'):
        ui.label(_('Closed')).classes('k-card-title')
        fields([(_('When'), fmt.moment(found.closed_at, ctx.tz)), (_('Resolution'), found.resolution),
                (_('Handled by'), found.assigned_to or '—')], columns=1)  # fmt: skip


async def _act(ctx: PageContext, request_id: int, work: Callable[[DbSession, User], None]) -> str:
    """Run a desk action as the current user and reload the page; the error to show, or ''."""
    user = await ctx.fresh_user(staff=True)
    if user is None:
        return ''
    try:
        await ctx.db(lambda s: work(s, user))
    except RequestRefused as error:
        return _(str(error))
    except DomainError:
        return _('Not found')
    ui.navigate.to(f'/operator/support/{request_id}')
    return ''
