"""The Subscriber section (SPEC S6, S13): /subscriber, /subscriber/accounts/{id}, /subscriber/meters/{id}.

A foreign or unknown id shows «Не найдено» in the frame and nothing else; the rename handler re-checks the
session and the meter's owner before it writes.
"""

from __future__ import annotations

from nicegui import ui

from components import meter_card
from pages.identity import account_dialog
from pages.resident.manual_readings import manual_block
from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.errors import DomainError, NotFound
from services.core.i18n import _, ngettext
from services.residents import subscriber
from services.residents.access import MeterView
from services.residents.subscriber import AccountSummary, MeterCard

SUBSCRIBER = Section('/subscriber', 'Subscriber', 'person', 10)


def register(site: Site) -> None:
    @site.page('/subscriber', section=SUBSCRIBER)
    async def accounts_page(ctx: PageContext) -> None:
        user = ctx.user
        accounts = await ctx.db(lambda session: subscriber.account_list(session=session, user=user))
        with await ctx.frame(_('Subscriber')):
            if not accounts:
                ui.label(_('No personal accounts are linked to your profile yet.')).mark('no-accounts')
            with ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4'):
                for account in accounts:
                    _account_card(account, with_open=True)
            _add_account_button(ctx)

    @site.page('/subscriber/accounts/{account_id}')
    async def account_page(ctx: PageContext, account_id: int) -> None:
        user = ctx.user
        try:
            account = await ctx.db(
                lambda session: subscriber.account_card(session=session, user=user, account_id=account_id)
            )
        except NotFound:
            await _not_found(ctx)
            return
        with await ctx.frame(_('Personal account {number}').format(number=account.number), active='/subscriber'):
            _back('/subscriber', _('All accounts'))
            _account_card(account, with_open=False)
            ui.label(_('Meters')).classes('text-h6')
            if not account.meters:
                ui.label(_('No meters are registered on this account.')).classes('text-grey-7')
            for meter in account.meters:
                _meter_row(meter)

    @site.page('/subscriber/meters/{meter_id}')
    async def meter_page(ctx: PageContext, meter_id: int) -> None:
        user, today = ctx.user, ctx.today()
        try:
            card = await ctx.db(
                lambda session: subscriber.meter_card(session=session, user=user, meter_id=meter_id, today=today)
            )
        except NotFound:
            await _not_found(ctx)
            return
        with await ctx.frame(card.view.name, active='/subscriber'):
            _back(
                f'/subscriber/accounts/{card.view.account_id}',
                _('Account {number}').format(number=card.view.account_number),
            )
            _meter_blocks(ctx, card)
            await manual_block(ctx, meter_id)  # B7: the form for meters read by the resident


def _meter_blocks(ctx: PageContext, card: MeterCard) -> None:
    tz = ctx.tz
    with ui.card().classes('w-full'):
        with ui.row().classes('w-full items-center justify-between'):
            ui.label(_('Meter')).classes('k-card-title')
            ui.button(_('Rename'), icon='edit', on_click=lambda: _rename_dialog(ctx, card.view)).props(
                'flat no-caps'
            ).mark('rename')
        meter_card.details(card)
        if ctx.has_route('/support'):  # the support dialog with the meter attached (B8)
            ui.link(_('Ask a question about this meter'), f'/support?meter={card.view.id}').mark('ask-meter')
    with ui.card().classes('w-full').mark('verification'):
        ui.label(_('Verification')).classes('k-card-title')
        meter_card.verification(card.verification)
    with ui.card().classes('w-full').mark('load'):
        ui.label(_('Load state')).classes('k-card-title')
        meter_card.load_state(card.load, tz)
    with ui.card().classes('w-full').mark('replacements'):
        ui.label(_('Replacement history')).classes('k-card-title')
        meter_card.replacements(card.replacements, tz)


def _account_card(account: AccountSummary, *, with_open: bool) -> None:
    with ui.card().classes('w-full').mark(f'account-{account.number}'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(_('Account {number}').format(number=account.number)).classes('k-card-title')
            if with_open:
                ui.button(
                    _('Open'),
                    on_click=lambda: ui.navigate.to(f'/subscriber/accounts/{account.id}'),
                ).props('flat no-caps no-wrap icon-right=chevron_right').classes('shrink-0').mark(
                    f'open-account-{account.number}'
                )
        meter_card.fields(
            [
                (_('Address'), fmt.address(account.address)),
                (_('Holder'), account.holder_name or '—'),
                (_('Meters'), '\n'.join(m.name for m in account.active_meters) or '—'),
            ],
            columns=1,
        )
        if with_open:
            count = len(account.active_meters)
            ui.label(ngettext('{n} meter installed', '{n} meters installed', count).format(n=count)).classes(
                'text-grey-7 text-body2'
            )


def _meter_row(meter: MeterView) -> None:
    with ui.card().classes('w-full q-py-sm').props('flat bordered').mark(f'meter-{meter.serial}'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            with ui.column().classes('gap-0 min-w-0'):
                ui.label(meter.name).classes('text-weight-medium ellipsis')
                details = [fmt.meter_name(meter.model, meter.serial)] if meter.custom_name else []
                if meter.removed_on:
                    details.append(_('removed on {date}').format(date=fmt.day(meter.removed_on)))
                if details:
                    ui.label(' · '.join(details)).classes('text-body2 text-grey-7')
            ui.button(_('Open'), on_click=lambda: ui.navigate.to(f'/subscriber/meters/{meter.id}')).props(
                'flat no-caps no-wrap icon-right=chevron_right'
            ).classes('shrink-0').mark(f'open-meter-{meter.serial}')


def _rename_dialog(ctx: PageContext, view: MeterView) -> None:
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-sm'):
        ui.label(_('Rename the meter')).classes('k-card-title')
        name = (
            ui.input(_('Name'), value=view.custom_name, placeholder=view.model)
            .props(f'outlined counter maxlength={subscriber.NAME_MAX}')
            .classes('w-full')
            .mark('meter-name')
        )
        ui.label(_('Leave it empty to go back to the model and serial number.')).classes('text-grey-7 text-body2')
        error = ui.label().classes('text-negative text-body2')

        async def apply() -> None:
            user = await ctx.fresh_user()
            if user is None:
                return
            new_name = name.value or ''
            try:
                await ctx.db(
                    lambda session: subscriber.rename_meter(session=session, user=user, meter_id=view.id, name=new_name)
                )
            except NotFound:
                ui.notify(_('Not found'), type='negative')
                return
            except DomainError as refused:
                error.set_text(_(str(refused)))
                return
            dialog.close()
            ui.navigate.reload()

        with ui.row().classes('w-full justify-end'):
            ui.button(_('Cancel'), on_click=dialog.close).props('flat no-caps')
            ui.button(_('Apply'), on_click=apply).props('unelevated no-caps').mark('apply-name')
    dialog.open()


def _add_account_button(ctx: PageContext) -> None:
    """«Добавить лицевой счёт» (SPEC S6): the registration dialog; the list reloads once the account is linked."""
    ui.button(
        _('Add a personal account'),
        icon='add',
        on_click=lambda: account_dialog.open_add_account_dialog(ctx, on_added=ui.navigate.reload),
    ).props('outline no-caps').mark('add-account')


def _back(target: str, text: str) -> None:
    ui.button(text, icon='arrow_back', on_click=lambda: ui.navigate.to(target)).props('flat no-caps dense').mark('back')


async def _not_found(ctx: PageContext) -> None:
    ctx.mark_not_found()  # the frame is rendered, and the status tells robots and scripts
    with await ctx.frame(_('Not found'), active='/subscriber'):
        ui.label(_('There is no such page, or it belongs to someone else.')).classes('text-body1').mark('not-found')
        _back('/subscriber', _('Back to my accounts'))
