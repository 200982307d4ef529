"""Editing the Information section (SPEC O5): `/operator/info`, operators and admins only."""

from __future__ import annotations

from nicegui import ui

from components.markdown_view import markdown_view
from models import InfoKind, InfoPage
from pages.shell.context import PageContext, Section, Site
from services.content import info
from services.core.errors import DomainError
from services.core.i18n import _

INFO_PAGES = Section('/operator/info', 'Information pages', 'edit_note', 95, staff_only=True)
KINDS = {InfoKind.help: 'Help', InfoKind.agreement: 'User agreement', InfoKind.news: 'News'}


def register(site: Site) -> None:
    @site.page('/operator/info', access='staff', section=INFO_PAGES)
    async def operator_info_page(ctx: PageContext) -> None:
        with await ctx.frame(_('Information pages')):
            await _PageList(ctx).build()


class _PageList:
    """The list of pages and the editor dialog; every save re-checks that the user is staff."""

    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx

    async def build(self) -> None:
        ui.button(_('New page'), icon='add', on_click=lambda: self.edit(None)).props('unelevated').mark('new-page')
        self.box = ui.column().classes('w-full')
        await self.show_list()

    async def show_list(self) -> None:
        pages = await self.ctx.db(lambda session: info.all_pages(session=session))
        self.box.clear()
        with self.box:
            self._rows(pages)

    def _rows(self, pages: list[InfoPage]) -> None:
        if not pages:
            ui.label(_('No pages yet. The help and the user agreement are what residents look for first.'))
            return
        with ui.list().props('bordered separator').classes('w-full rounded-borders'):
            for item in pages:
                with ui.item().mark('info-row'):
                    with ui.item_section():
                        ui.item_label(item.title).classes('text-body1')
                        state = '' if item.published else ' · ' + _('hidden')
                        day = item.updated_at.astimezone(self.ctx.tz).strftime('%d.%m.%Y')
                        kind = _(KINDS.get(InfoKind(item.kind), item.kind)) if item.kind in set(InfoKind) else item.kind
                        ui.item_label(f'{kind} · {day}{state}').props('caption')
                    with ui.item_section().props('side'):
                        with ui.row().classes('no-wrap gap-0'):
                            ui.button(icon='edit', on_click=lambda p=item: self.edit(p)).props('flat round').mark(
                                f'edit-{item.slug}'
                            )
                            ui.button(icon='delete', on_click=lambda p=item: self.confirm_delete(p)).props(
                                'flat round color=negative'
                            ).mark(f'delete-{item.slug}')

    def edit(self, item: InfoPage | None) -> None:
        with ui.dialog().props('maximized') as dialog, ui.card().classes('w-full q-pa-md'):
            ui.label(_('New page') if item is None else item.title).classes('text-h6')
            with ui.row().classes('w-full gap-2'):
                kind = ui.select({k.value: _(v) for k, v in KINDS.items()}, label=_('Kind'))
                kind.value = item.kind if item else InfoKind.news.value
                kind.props('outlined').classes('min-w-[180px]').mark('page-kind')
                title = ui.input(_('Title'), value=item.title if item else '').props('outlined').classes('grow')
                title.mark('page-title-input')
                published = ui.checkbox(_('Published'), value=item.published if item else True).mark('page-published')
            with ui.row().classes('w-full gap-4 items-stretch'):
                body = ui.textarea(_('Text (Markdown)'), value=item.body_md if item else '').props('outlined autogrow')
                body.classes('col-12 col-md').mark('page-body')
                with ui.card().props('flat bordered').classes('col-12 col-md q-pa-sm'):
                    ui.label(_('Preview')).classes('text-caption text-grey-7')
                    preview = markdown_view(info.render(body.value or ''), sanitize=info.clean)
            body.on_value_change(lambda e: preview.set_content(info.render(e.value or '')))
            with ui.expansion(_('English version (optional)'), icon='translate', value=bool(item and item.body_md_en)):
                title_en = ui.input(_('Title in English'), value=item.title_en if item else '').props('outlined')
                title_en.classes('w-full').mark('page-title-en')
                body_en = ui.textarea(_('Text in English (Markdown)'), value=item.body_md_en if item else '')
                body_en.props('outlined autogrow').classes('w-full').mark('page-body-en')
                ui.label(_('Without it, English readers see the Russian text, marked as such.')).classes(
                    'text-caption text-grey-7'
                )
            error = ui.label().classes('text-negative').mark('page-error')

            async def save() -> None:
                editor = await self.ctx.fresh_user(staff=True)
                if editor is None:
                    return
                draft = info.PageDraft(
                    kind=kind.value, title=title.value or '', slug=item.slug if item else '', body_md=body.value or '',
                    published=bool(published.value), title_en=title_en.value or '', body_md_en=body_en.value or '',
                )  # fmt: skip
                page_id, now = item.id if item else None, self.ctx.now()
                try:
                    await self.ctx.db(
                        lambda session: info.save(session=session, editor=editor, page_id=page_id, draft=draft, now=now)
                    )
                except DomainError as refused:
                    error.set_text(_(str(refused)))
                    return
                ui.notify(_('Saved.'), type='positive')
                dialog.close()
                await self.show_list()

            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(_('Cancel'), on_click=dialog.close).props('flat no-caps')
                ui.button(_('Save'), on_click=save).props('unelevated no-caps').mark('save-page')
        dialog.open()

    def confirm_delete(self, item: InfoPage) -> None:
        with ui.dialog() as dialog, ui.card():
            ui.label(_('Delete the page «{title}»?').format(title=item.title))

            async def delete() -> None:
                editor = await self.ctx.fresh_user(staff=True)
                if editor is None:
                    return
                page_id, now = item.id or 0, self.ctx.now()
                await self.ctx.db(lambda session: info.delete(session=session, editor=editor, page_id=page_id, now=now))
                dialog.close()
                await self.show_list()

            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(_('Cancel'), on_click=dialog.close).props('flat no-caps')
                ui.button(_('Delete'), on_click=delete).props('unelevated no-caps color=negative').mark(
                    'confirm-delete'
                )
        dialog.open()
