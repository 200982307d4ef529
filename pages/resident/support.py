"""The Support section (SPEC S10, B8): /support with «Текущие» and «Архив сообщений», the «Создать обращение»
dialog (also opened from an event, a readings row or a meter card: ?event=, ?meter=&day=&energy=), and the
conversation /support/{id}. Attachments are served by /support/attachments/{id} to the resident and staff only.
"""

from __future__ import annotations

import mimetypes
from datetime import date
from pathlib import Path

from fastapi import Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from nicegui import ui

from components import support_views
from components.support_form import CreateDialog, Draft, FormOptions
from pages.resident.support_conversation import conversation_page
from pages.shell.context import PageContext, Section, Site, off_loop
from services.core.db import DbSession, session_scope
from services.core.errors import NotFound, Throttled
from services.core.i18n import _
from services.residents import access, badges
from services.support import attachments, context, requests, topics
from services.support.context import Context
from services.support.requests import NewRequest, RequestRefused
from services.support.views import RequestRow

SUPPORT = Section('/support', 'Support', 'support_agent', 40)


def register(site: Site) -> None:
    badges.register('/support', requests.badge_counter)

    @site.page('/support', section=SUPPORT)
    async def support_page(
        ctx: PageContext, tab: str = '', event: int | None = None, meter: int | None = None, day: str = '',
        energy: int | None = None,
    ) -> None:  # fmt: skip
        asked = event is not None or meter is not None
        options, found, current, archive, lost = await ctx.db(lambda s: _load(s, ctx, event, meter, _day(day), energy))
        with await ctx.frame(_('Support')):
            if ctx.user.is_staff:
                ui.link(_('Requests of residents are answered on the support desk.'), '/operator/support')
            dialog = CreateDialog(options, lambda draft: _send(ctx, draft, found))
            with ui.row().classes('w-full items-center justify-between gap-2'):
                ui.label(_('Write to us: we answer here and by email.')).classes('text-body2')
                ui.button(_('Create request'), icon='add', on_click=dialog.open).props('unelevated no-caps').mark(
                    'create-request'
                )
            _tabs(ctx, tab, current, archive)
            if lost:
                ui.notify(_('Not found'), type='negative')
            elif asked:
                dialog.open()

    @site.page('/support/{request_id}')
    async def request_page(ctx: PageContext, request_id: int) -> None:
        await conversation_page(ctx, request_id)

    @site.app.get('/support/attachments/{attachment_id}')  # GET: the file, to its resident and to staff only
    async def attachment(request: Request, attachment_id: int) -> Response:
        return await _attachment(site, request, attachment_id)

    site.add_route('/support/attachments/{attachment_id}')


def _load(
    session: DbSession, ctx: PageContext, event: int | None, meter: int | None, day: date | None, energy: int | None
) -> tuple[FormOptions, Context | None, list[RequestRow], list[RequestRow], bool]:
    user, settings = ctx.user, ctx.settings
    found: Context | None = None
    lost = False
    try:
        found = context.resolve(
            session=session, user=user, meter_id=meter, event_id=event, day=day, energy=energy, tz=settings.tz,
            now=ctx.now(), default_reading_day=settings.reading_day,
        )  # fmt: skip
    except NotFound:
        lost = True
    accounts = access.accounts_of(session=session, user=user)
    meters = access.meters_of(session=session, user=user, include_removed=True)
    options = FormOptions(
        topics={t.id: t.title for t in topics.list_topics(session=session)},
        accounts={a.id or 0: f'{a.number}, {a.address}' for a in accounts},
        meters=[(m.id, m.name, m.account_id) for m in meters],
        context_title=context.title(found) if found else '',
        context_lines=context.describe(found, settings.tz) if found else [],
        meter_id=found.meter_id if found else None,
    )
    current = requests.resident_requests(session=session, user=user, archive=False)
    archive = requests.resident_requests(session=session, user=user, archive=True)
    return options, found, current, archive, lost


def _tabs(ctx: PageContext, tab: str, current: list[RequestRow], archive: list[RequestRow]) -> None:
    with ui.tabs().classes('w-full').props('align=left no-caps') as tabs:
        now_tab = ui.tab('current', _('Current requests')).mark('tab-current')
        old_tab = ui.tab('archive', _('Message archive')).mark('tab-archive')
    with ui.tab_panels(tabs, value=old_tab if tab == 'archive' else now_tab).classes('w-full').props('animated=false'):
        with ui.tab_panel(now_tab).classes('q-px-none'):
            support_views.request_list(current, ctx.tz, empty=_('No open requests. Ask us anything: «Create request».'))
        with ui.tab_panel(old_tab).classes('q-px-none'):
            support_views.request_list(archive, ctx.tz, empty=_('Closed requests will be kept here.'))


async def _send(ctx: PageContext, draft: Draft, found: Context | None) -> dict[str, str]:
    user = await ctx.fresh_user()
    if user is None:
        return {}
    new = NewRequest(
        topic_id=draft.topic_id, account_id=draft.account_id, meter_id=draft.meter_id, text=draft.text,
        context=found, uploads=tuple(draft.uploads),
    )  # fmt: skip
    settings, now = ctx.settings, ctx.now()
    try:
        request_id = await ctx.db(
            lambda s: requests.create_request(session=s, user=user, new=new, settings=settings, now=now)
        )
    except RequestRefused as error:
        return {error.field: _(str(error)).format(name=error.name)}
    except Throttled as error:
        return {'text': _(str(error))}
    except NotFound:
        return {'text': _('Not found')}
    ui.notify(_('Request No. {id} is sent. We will answer here and by email.').format(id=request_id), type='positive')
    ui.navigate.to(f'/support/{request_id}')
    return {}


async def _attachment(site: Site, request: Request, attachment_id: int) -> Response:
    user = await site.user_of(request)
    directory = Path(site.system.settings.attachments_dir)
    if user is None:
        return PlainTextResponse(_('Not found'), status_code=404)
    engine = site.system.engine

    def work() -> tuple[Path, attachments.AttachmentView]:
        with session_scope(engine) as session:
            return attachments.open_attachment(
                session=session, user=user, attachment_id=attachment_id, directory=directory
            )

    try:
        path, view = await off_loop(work)
    except NotFound:
        return PlainTextResponse(_('Not found'), status_code=404)
    disposition = 'inline' if view.is_image else 'attachment'
    return FileResponse(
        path, media_type=view.content_type or mimetypes.types_map.get(path.suffix, 'application/octet-stream'),
        filename=view.file_name, content_disposition_type=disposition, headers={'Cache-Control': 'private, no-store'},
    )  # fmt: skip


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
