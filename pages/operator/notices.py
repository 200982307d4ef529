"""Notices for addresses (B12): `/operator/notices` — publish one for settlements, streets or houses; the list."""

from __future__ import annotations

from datetime import date

from nicegui import ui

from components.form_style import form_style
from models import Notice
from pages.shell.context import PageContext, Section, Site
from services.content import notices
from services.content.notices import Draft, NoticeRefused, Published
from services.core import fmt
from services.core.errors import NotAllowed
from services.core.i18n import _, ngettext

NOTICES = Section('/operator/notices', 'Notices', 'campaign', 93, staff_only=True)


def register(site: Site) -> None:
    @site.page('/operator/notices', access='staff', section=NOTICES)
    async def notices_page(ctx: PageContext) -> None:
        actor = ctx.user
        found = await ctx.db(lambda session: notices.all_notices(session=session, actor=actor))
        with await ctx.frame(_('Notices')):
            _form(ctx)
            ui.label(_('Published notices')).classes('text-h6')
            if not found:
                ui.label(_('No notices yet.')).classes('text-grey-7').mark('no-notices')
            for notice in found:
                _row(ctx, notice)


def _form(ctx: PageContext) -> None:
    with ui.card().classes(f'w-full max-w-2xl {form_style()}').mark('notice-form'):
        ui.label(_('New notice')).classes('k-card-title')
        title = ui.input(_('Title')).props('outlined maxlength=200').classes('w-full').mark('notice-title')
        body = ui.textarea(_('Text')).props('outlined autogrow maxlength=4000').classes('w-full').mark('notice-body')
        targets = (
            ui.textarea(_('Addresses, one a line')).props('outlined autogrow').classes('w-full').mark('notice-targets')
        )
        ui.label(_('A settlement («пос. Сахарово»), a street («пос. Сахарово, ул. Садовая») or a house.')).classes(
            'text-caption text-grey-7'
        )
        with ui.row().classes('w-full gap-2'):
            first = ui.input(_('From (dd.mm.yyyy)')).props('outlined dense').mark('notice-from')
            last = ui.input(_('To (dd.mm.yyyy)')).props('outlined dense').mark('notice-to')
        fields = {'title': title, 'targets': targets, 'dates': last}

        async def publish() -> None:
            user = await ctx.fresh_user(staff=True)
            if user is None:
                return
            for element in fields.values():
                element.error = None
            draft = Draft(title.value or '', body.value or '', targets.value or '', _day(first.value), _day(last.value))
            settings, now = ctx.settings, ctx.now()
            try:
                done: Published = await ctx.db(
                    lambda session: notices.publish(
                        session=session, actor=user, draft=draft, settings=settings, now=now
                    )
                )
            except NoticeRefused as refused:
                fields[refused.field].error = _(str(refused))
                return
            except NotAllowed:
                ui.notify(_('Not found'), type='negative')
                return
            ui.notify(_published(done), type='positive')
            ui.navigate.reload()

        ui.button(_('Publish'), icon='campaign', on_click=publish).props('unelevated no-caps').mark('notice-publish')


def _row(ctx: PageContext, notice: Notice) -> None:
    first, last = notices.days_of(notice, ctx.tz)
    with ui.card().classes('w-full max-w-2xl').mark('notice-row'):
        ui.label(notice.title).classes('text-weight-medium')
        ui.label(_('Valid from {first} to {last}.').format(first=fmt.day(first), last=fmt.day(last))).classes(
            'text-caption'
        )
        ui.label(notice.targets.replace('\n', '; ')).classes('text-caption text-grey-7')


def _published(done: Published) -> str:
    reach = ngettext('Published for {n} account', 'Published for {n} accounts', done.accounts).format(n=done.accounts)
    return reach + '; ' + ngettext('{n} email queued', '{n} emails queued', done.emails).format(n=done.emails)


def _day(text: str | None) -> date | None:
    parts = (text or '').strip().split('.')
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0])) if len(parts) == 3 else None
    except ValueError:
        return None
