"""«Add a personal account» wired to services/identity/registration.py, for /settings and the Subscriber section.

Usage: `open_add_account_dialog(ctx, on_added=refresh_the_list)` inside an event handler or page builder.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from components.add_account import add_account_dialog, add_account_form
from pages.identity import kit
from pages.shell.context import PageContext
from services.identity import registration


def open_add_account_dialog(ctx: PageContext, on_added: Callable[[], None]) -> None:
    """Open the dialog; the account is checked and linked for the user of this page's session."""
    add_account_dialog(suggest=kit.address_source(ctx), submit=_submitter(ctx), on_added=on_added).open()


def inline_add_account_form(ctx: PageContext, on_added: Callable[[], None]) -> None:
    """The same form placed in the page (the /settings page shows it without a dialog)."""
    add_account_form(suggest=kit.address_source(ctx), submit=_submitter(ctx), on_added=on_added)


def _submitter(ctx: PageContext) -> Callable[[str, str], Awaitable[dict[str, str]]]:
    async def submit(number: str, address: str) -> dict[str, str]:
        user = await ctx.fresh_user()  # re-checked at every submit: the page may outlive the session
        if user is None:
            return {'form': 'Your session has ended. Log in again.'}
        ip, now = ctx.client_ip, ctx.now()
        outcome = await ctx.db(
            lambda session: registration.add_account(
                session=session, user=user, number=number, address=address, ip=ip, now=now
            )
        )
        return outcome.errors

    return submit
