"""The Subscriber section (SPEC S6, S13): /subscriber, /subscriber/accounts/{id}, /subscriber/meters/{id}.

A foreign or unknown id shows «Не найдено» in the frame and nothing else; the rename handler re-checks the
session and the meter's owner before it writes.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import APIRouter, ui

from components import fmt, meter_card
from models import User
from pages.identity import account_dialog
from pages.shell import deps
from pages.shell.deps import Section
from pages.shell.layout import page
from services.core.errors import DomainError, NotFound
from services.core.i18n import _, ngettext
from services.residents import subscriber
from services.residents.access import MeterView
from services.residents.subscriber import AccountSummary, MeterCard

router = APIRouter()
SECTIONS = [Section('/subscriber', 'Subscriber', 'person', 10)]


@router.page('/subscriber')
def accounts_page(request: Request) -> RedirectResponse | None:
    user = deps.user_from_request(request)
    if user is None:
        return RedirectResponse('/login', status_code=303)
    with deps.db() as session:
        accounts = subscriber.account_list(session=session, user=user)
    with page(_('Subscriber'), user, active='/subscriber'):
        if not accounts:
            ui.label(_('No personal accounts are linked to your profile yet.')).mark('no-accounts')
        with ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4'):
            for account in accounts:
                _account_card(account, with_open=True)
        _add_account_button()
    return None


@router.page('/subscriber/accounts/{account_id}')
def account_page(request: Request, account_id: int) -> RedirectResponse | None:
    user = deps.user_from_request(request)
    if user is None:
        return RedirectResponse('/login', status_code=303)
    try:
        with deps.db() as session:
            account = subscriber.account_card(session=session, user=user, account_id=account_id)
    except NotFound:
        _not_found(user)
        return None
    with page(_('Personal account {number}').format(number=account.number), user, active='/subscriber'):
        _back('/subscriber', _('All accounts'))
        _account_card(account, with_open=False)
        ui.label(_('Meters')).classes('text-h6')
        if not account.meters:
            ui.label(_('No meters are registered on this account.')).classes('text-grey-7')
        for meter in account.meters:
            _meter_row(meter)
    return None


@router.page('/subscriber/meters/{meter_id}')
def meter_page(request: Request, meter_id: int) -> RedirectResponse | None:
    user = deps.user_from_request(request)
    if user is None:
        return RedirectResponse('/login', status_code=303)
    system = deps.system()
    tz = system.settings.tz
    try:
        with deps.db() as session:
            card = subscriber.meter_card(
                session=session, user=user, meter_id=meter_id, today=system.now().astimezone(tz).date()
            )
    except NotFound:
        _not_found(user)
        return None
    with page(card.view.name, user, active='/subscriber'):
        _back(
            f'/subscriber/accounts/{card.view.account_id}',
            _('Account {number}').format(number=card.view.account_number),
        )
        _meter_blocks(card, tz)
    return None


def _meter_blocks(card: MeterCard, tz: ZoneInfo) -> None:
    with ui.card().classes('w-full'):
        with ui.row().classes('w-full items-center justify-between'):
            ui.label(_('Meter')).classes('k-card-title')
            ui.button(_('Rename'), icon='edit', on_click=lambda: _rename_dialog(card.view)).props('flat no-caps').mark(
                'rename'
            )
        meter_card.details(card)
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
                (_('Address'), account.address),
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
                details = [f'{meter.model} № {meter.serial}'.strip()] if meter.custom_name else []
                if meter.removed_on:
                    details.append(_('removed on {date}').format(date=fmt.day(meter.removed_on)))
                if details:
                    ui.label(' · '.join(details)).classes('text-body2 text-grey-7')
            ui.button(_('Open'), on_click=lambda: ui.navigate.to(f'/subscriber/meters/{meter.id}')).props(
                'flat no-caps no-wrap icon-right=chevron_right'
            ).classes('shrink-0').mark(f'open-meter-{meter.serial}')


def _rename_dialog(view: MeterView) -> None:
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

        def apply() -> None:
            user = deps.current_user()
            if user is None:
                ui.navigate.to('/login')
                return
            try:
                with deps.db() as session:
                    subscriber.rename_meter(session=session, user=user, meter_id=view.id, name=name.value or '')
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


def _add_account_button() -> None:
    """«Добавить лицевой счёт» (SPEC S6): the registration dialog; the list reloads once the account is linked."""
    ui.button(
        _('Add a personal account'),
        icon='add',
        on_click=lambda: account_dialog.open_add_account_dialog(on_added=ui.navigate.reload),
    ).props('outline no-caps').mark('add-account')


def _back(target: str, text: str) -> None:
    ui.button(text, icon='arrow_back', on_click=lambda: ui.navigate.to(target)).props('flat no-caps dense').mark('back')


def _not_found(user: User) -> None:
    ui.context.client.status_code = 404  # the frame is rendered, and the status tells robots and scripts
    with page(_('Not found'), user, active='/subscriber'):
        ui.label(_('There is no such page, or it belongs to someone else.')).classes('text-body1').mark('not-found')
        _back('/subscriber', _('Back to my accounts'))
