"""«Add a personal account» wired to services/identity/registration.py, for /settings and the Subscriber section.

Usage: `open_add_account_dialog(on_added=refresh_the_list)` inside an event handler or page builder.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import run, ui

from components.add_account import add_account_dialog, add_account_form
from pages.identity import kit
from pages.shell import deps
from services.identity import registration


def open_add_account_dialog(on_added: Callable[[], None]) -> None:
    """Open the dialog; the account is checked and linked for the user of this page's session."""
    add_account_dialog(suggest=kit.suggest_addresses, submit=_submit, on_added=on_added).open()


def inline_add_account_form(on_added: Callable[[], None]) -> None:
    """The same form placed in the page (the /settings page shows it without a dialog)."""
    add_account_form(suggest=kit.suggest_addresses, submit=_submit, on_added=on_added)


async def _submit(number: str, address: str) -> dict[str, str]:
    user = deps.current_user()  # re-checked at every submit: the page may outlive the session
    if user is None:
        ui.navigate.to('/login')
        return {'form': 'Your session has ended. Log in again.'}
    request = ui.context.client.request

    def work() -> dict[str, str]:
        with deps.db() as session:
            outcome = registration.add_account(
                session=session,
                user=user,
                number=number,
                address=address,
                ip=deps.client_ip(request),
                now=deps.system().now(),
            )
        return outcome.errors

    return await run.io_bound(work) or {}
