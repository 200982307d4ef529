"""«Add a personal account» (SPEC S6, manual 1): number + address, checked against the registry by a service.

The form takes callables, never a database session; pages/identity/account_dialog.py wires it to the services.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from components.address_field import AddressField, Suggest
from components.form_style import dialog_actions, form_style
from services.core.i18n import _

# (account number, address) -> errors by field ('account', 'address', 'form'); empty when the account was added.
Submit = Callable[[str, str], Awaitable[dict[str, str]]]


def add_account_form(
    *, suggest: Suggest, submit: Submit, on_added: Callable[[], None], cancel: Callable[[], None] | None = None
) -> None:
    """The two fields, the form error and «Add»; calls `on_added` after a successful submit."""
    number = ui.input(_('Personal account') + ' *').props('outlined inputmode=numeric').classes('w-full')
    number.mark('add-account-number')
    address = AddressField(suggest, label=_('Address') + ' *')
    address.input.mark('add-account-address')
    error = ui.label().classes('text-negative text-body2').mark('add-account-error')
    error.set_visibility(False)

    async def go() -> None:
        number.error = address.input.error = None
        error.set_visibility(False)
        errors = await submit(number.value or '', address.value)
        number.error = _(errors['account']) if 'account' in errors else None
        address.input.error = _(errors['address']) if 'address' in errors else None
        if 'form' in errors:
            error.set_text(_(errors['form']))
            error.set_visibility(True)
        if not errors:
            number.value = address.input.value = ''
            ui.notify(_('The personal account is added.'), type='positive')
            on_added()

    with dialog_actions(cancel):
        ui.button(_('Add'), on_click=go).props('unelevated no-caps').mark('add-account-submit')


def add_account_dialog(*, suggest: Suggest, submit: Submit, on_added: Callable[[], None]) -> ui.dialog:
    """The form in a dialog that closes itself once the account is added; call `.open()` on it."""
    with ui.dialog() as dialog, ui.card().classes(f'w-full {form_style()}').style('max-width: 480px'):
        ui.label(_('Add a personal account')).classes('text-h6')
        ui.label(_('Enter the number and the address as they are on your bill.')).classes('text-body2 text-grey-7')

        def added() -> None:
            dialog.close()
            on_added()

        def cancel() -> None:
            dialog.close()

        add_account_form(suggest=suggest, submit=submit, on_added=added, cancel=cancel)
    return dialog
