"""The registry for operators (SPEC O6, O7): `/operator/accounts` — accounts and meters, data health, users."""

from __future__ import annotations

from nicegui import ui

from pages.operator import kit
from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.i18n import _
from services.operator import registry
from services.operator.registry import RegistryAccount, RegistryMeter

ACCOUNTS = Section('/operator/accounts', 'Registry', 'menu_book', 82, staff_only=True)
HEALTH_COLOURS = {'ok': 'positive', 'silent': 'orange-9', 'never': 'grey-7', 'removed': 'grey-5'}


def register(site: Site) -> None:
    @site.page('/operator/accounts', access='staff', section=ACCOUNTS)
    async def accounts_page(ctx: PageContext, q: str = '', registered: str = '', page: int = 0) -> None:
        actor, now = ctx.user, ctx.now()
        found = await ctx.db(
            lambda session: registry.accounts(
                session=session, actor=actor, query=q, registered=registered, now=now, page=page
            )
        )
        with await ctx.frame(_('Registry')):
            _filters(q, registered)
            if not found.rows:
                ui.label(_('No accounts match.')).classes('text-grey-7').mark('no-accounts')
            for account in found.rows:
                _account(account, ctx)
            kit.pager('/operator/accounts', {'q': q, 'registered': registered}, found.page, found.more)


def _filters(query: str, registered: str) -> None:
    def go() -> None:
        ui.navigate.to(kit.url('/operator/accounts', {'q': box.value or '', 'registered': str(which.value or '')}))

    with ui.row().classes('w-full items-center gap-2'):
        box = (
            ui.input(_('Account, address or meter serial'), value=query)
            .props('outlined dense clearable')
            .classes('grow')
            .style('min-width: 14rem')
            .on('keydown.enter', go)
            .mark('registry-search')
        )
        which = (
            ui.select(
                {'': _('All accounts'), 'yes': _('With a resident'), 'no': _('Without a resident')}, value=registered
            )
            .props('outlined dense')
            .style('min-width: 12rem')
            .mark('registered')
        )
        ui.button(_('Find'), icon='search', on_click=go).props('unelevated no-caps').mark('registry-find')


def _account(account: RegistryAccount, ctx: PageContext) -> None:
    with ui.card().classes('w-full q-py-sm').props('flat bordered').mark(f'account-{account.number}'):
        with ui.row().classes('w-full items-baseline justify-between gap-x-4 gap-y-0'):
            ui.label(_('Account {number}').format(number=account.number)).classes('text-weight-medium')
            ui.label(account.holder_name).classes('text-body2 text-grey-8')
        ui.label(account.address).classes('text-body2').style('overflow-wrap: anywhere')
        for meter in account.meters:
            _meter(meter, ctx)
        if not account.meters:
            ui.label(_('no meters')).classes('text-body2 text-grey-7')
        with ui.row().classes('items-center gap-2'):
            if not account.users:
                ui.label(_('No resident has registered this account.')).classes('text-body2 text-grey-7')
            for user in account.users:
                ui.link(user.name or user.email, f'/operator/users/{user.id}').classes('text-body2').mark(
                    f'account-user-{user.id}'
                )


def _meter(meter: RegistryMeter, ctx: PageContext) -> None:
    names = {
        'ok': _('data arrive'),
        'silent': _('silent'),
        'never': _('no data yet'),
        'removed': _('removed'),
    }
    last = fmt.moment(meter.last_data, ctx.tz) if meter.last_data else '—'
    with ui.row().classes('w-full items-center gap-x-2 gap-y-0'):
        ui.icon('electric_meter', size='xs').classes('text-grey-7')
        ui.label(fmt.meter_name(meter.model, meter.serial)).classes('text-body2')
        ui.badge(names[meter.health], color=HEALTH_COLOURS[meter.health]).mark(f'health-{meter.serial}')
        ui.label(_('last data {when}').format(when=last)).classes('text-caption text-grey-7')
