"""The Information section (SPEC S11, manual 4.6): `/info` and `/info/{help|agreement|news}`, public."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nicegui import ui

from components.markdown_view import markdown_view
from models import InfoKind, InfoPage
from pages.resident.notices import notices_block
from pages.shell.context import PageContext, Section, Site
from services.content import info
from services.core.i18n import _

INFORMATION = Section('/info', 'Information', 'info', 50)
TABS = {InfoKind.help: 'Help', InfoKind.agreement: 'User agreement', InfoKind.news: 'News'}


def register(site: Site) -> None:
    @site.page('/info', access='public', section=INFORMATION)
    async def info_page(ctx: PageContext) -> None:
        await _show(ctx, InfoKind.help)

    @site.page('/info/{kind}', access='public')
    async def info_kind_page(ctx: PageContext, kind: str) -> None:
        await _show(ctx, InfoKind(kind) if kind in set(InfoKind) else InfoKind.help)


async def _show(ctx: PageContext, kind: InfoKind) -> None:
    """Public: the agreement must be readable from the registration form, before any login."""
    pages = await ctx.db(lambda session: {k: info.published(session=session, kind=k) for k in TABS})
    with await ctx.frame(_('Information'), active='/info'):
        await notices_block(ctx)  # B12: the utility's notices for the resident's addresses
        with ui.tabs().props('align=left no-caps outside-arrows mobile-arrows dense').classes('w-full') as tabs:
            tab = {k: ui.tab(k.value, _(label)).mark(f'tab-{k.value}') for k, label in TABS.items()}
        with ui.tab_panels(tabs, value=tab[kind]).classes('w-full bg-transparent').props('animated=false'):
            for k in TABS:
                with ui.tab_panel(tab[k]).classes('q-px-none'):
                    _panel(k, pages[k], ctx.tz, ctx.language)


def _panel(kind: InfoKind, pages: list[InfoPage], tz: ZoneInfo, language: str) -> None:
    if not pages:
        empty = {
            InfoKind.help: _('The help is being written. Until then, ask us in the Support section.'),
            InfoKind.agreement: _('The user agreement is not published yet.'),
            InfoKind.news: _('No news yet.'),
        }[kind]
        ui.label(empty).classes('text-body1 text-grey-7').mark('info-empty')
        return
    for item in pages:
        shown = info.in_language(item, language)
        reading = 'ru' if shown.untranslated or language != 'en' else 'en'  # for screen readers' pronunciation
        with ui.card().classes('w-full q-pa-md').props(f'lang={reading}').mark(f'info-{item.slug}'):
            if shown.untranslated:
                ui.label(_('Not translated yet: shown in Russian.')).classes('text-caption text-grey-7').mark(
                    'info-in-russian'
                )
            if kind == InfoKind.news:
                ui.label(shown.title).classes('k-card-title')
                ui.label(item.published_at.astimezone(tz).strftime('%d.%m.%Y')).classes('text-caption text-grey-7')
            markdown_view(info.render(shown.body_md), sanitize=info.clean)
