"""The audit log (SPEC O8): `/operator/audit` — filters in the address (bookmarkable), pages, CSV export."""

from __future__ import annotations

from datetime import date

from nicegui import ui

from pages.operator import kit
from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.db import DbSession
from services.core.i18n import _
from services.operator import auditlog
from services.operator.auditlog import AuditFilter
from services.operator.users import AuditRow

AUDIT = Section('/operator/audit', 'Audit log', 'policy', 96, staff_only=True)


def register(site: Site) -> None:
    @site.page('/operator/audit', access='staff', section=AUDIT)
    async def audit_page(
        ctx: PageContext,
        who: str = '',
        action: str = '',
        target: str = '',
        since: str = '',
        until: str = '',
        ip: str = '',
        page: int = 0,
    ) -> None:
        actor, tz = ctx.user, ctx.tz
        params = {'who': who, 'action': action, 'target': target, 'since': since, 'until': until, 'ip': ip}
        where = AuditFilter(who=who, action=action, target=target, since=_day(since), until=_day(until), ip=ip)

        def load(session: DbSession) -> tuple[list[str], auditlog.AuditPage]:
            return (
                auditlog.actions(session=session, actor=actor),
                auditlog.entries(session=session, actor=actor, where=where, tz=tz, page=page),
            )

        known, found = await ctx.db(load)
        with await ctx.frame(_('Audit log')):
            _filters(ctx, params, known, where)
            if not found.rows:
                ui.label(_('No entries match.')).classes('text-grey-7').mark('no-entries')
            with ui.column().classes('w-full gap-1').mark('audit-entries'):
                for row in found.rows:
                    _entry(row, ctx)
            kit.pager('/operator/audit', params, found.page, found.more)


def _filters(ctx: PageContext, params: dict[str, str], known: list[str], where: AuditFilter) -> None:
    with ui.card().classes('w-full'):
        with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 md:grid-cols-3 gap-2'):
            who = (
                ui.input(_('Who (email or name)'), value=params['who']).props('outlined dense clearable').mark('f-who')
            )
            options = {'': _('All actions')} | {a: kit.action_label(a) for a in known}
            if params['action'] and params['action'] not in options:
                options[params['action']] = params['action']
            action = ui.select(options, value=params['action']).props('outlined dense').mark('f-action')
            target = (
                ui.input(_('Object (user:42 or an email)'), value=params['target'])
                .props('outlined dense clearable')
                .mark('f-target')
            )
            since = (
                ui.input(_('From (dd.mm.yyyy)'), value=_shown(params['since']))
                .props('outlined dense clearable')
                .mark('f-since')
            )
            until = (
                ui.input(_('To (dd.mm.yyyy)'), value=_shown(params['until']))
                .props('outlined dense clearable')
                .mark('f-until')
            )
            ip = ui.input(_('Address'), value=params['ip']).props('outlined dense clearable').mark('f-ip')

        def apply() -> None:
            values = {
                'who': who.value or '', 'action': str(action.value or ''), 'target': target.value or '',
                'since': _iso(since.value or ''), 'until': _iso(until.value or ''), 'ip': ip.value or '',
            }  # fmt: skip
            ui.navigate.to(kit.url('/operator/audit', values))

        async def export() -> None:
            actor = await ctx.fresh_user(staff=True)
            if actor is None:
                return
            tz = ctx.tz
            data = await ctx.db(lambda session: auditlog.export_csv(session=session, actor=actor, where=where, tz=tz))
            ui.download.content(data, 'audit.csv', 'text/csv')

        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(_('Reset'), on_click=lambda: ui.navigate.to('/operator/audit')).props('flat no-caps')
            ui.button('CSV', icon='download', on_click=export).props('outline no-caps').mark('audit-csv')
            ui.button(_('Show'), icon='filter_alt', on_click=apply).props('unelevated no-caps').mark('audit-apply')


def _entry(row: AuditRow, ctx: PageContext) -> None:
    with ui.card().classes('w-full q-px-md q-py-xs').props('flat bordered').mark(f'audit-{row.action}'):
        with ui.row().classes('w-full items-baseline gap-x-3 gap-y-0'):
            ui.label(fmt.moment(row.at, ctx.tz)).classes('text-body2 text-grey-8')
            ui.label(kit.action_label(row.action)).classes('text-body2 text-weight-medium')
            if row.actor:
                ui.link(row.actor, kit.url('/operator/audit', {'who': row.actor})).classes('text-body2')
            if row.target:
                ui.link(row.target, _target_link(row.target)).classes('text-body2')
            if row.ip:
                ui.label(row.ip).classes('text-caption text-grey-7')
        if row.detail:
            ui.label(row.detail).classes('text-caption text-grey-8').style('overflow-wrap: anywhere')


def _target_link(target: str) -> str:
    kind, _sep, ident = target.partition(':')
    return (
        f'/operator/users/{ident}'
        if kind == 'user' and ident.isdigit()
        else kit.url('/operator/audit', {'target': target})
    )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _iso(text: str) -> str:
    """dd.mm.yyyy (or yyyy-mm-dd) as typed → yyyy-mm-dd for the address; anything else is dropped."""
    text = text.strip()
    parts = text.split('.')
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        text = f'{parts[2]}-{parts[1].zfill(2)}-{parts[0].zfill(2)}'
    return text if _day(text) else ''


def _shown(iso: str) -> str:
    day = _day(iso)
    return day.strftime('%d.%m.%Y') if day else ''
