"""The logout button: a real form that POSTs to /logout with its anti-forgery token (a GET never logs out)."""

from __future__ import annotations

from nicegui import ui

from services.core.i18n import _


def logout_form(token: str, *, prominent: bool = False) -> None:
    """A «Log out» button inside a POST form; `token` is the session's logout token (hex), `prominent` for pages."""
    with ui.element('form').props('method=post action=/logout').classes('w-full q-ma-none'):
        ui.element('input').props(f'type=hidden name=csrf value={token}').mark('logout-csrf')
        button = ui.button(_('Log out'), icon='logout').props('type=submit no-caps').mark('menu-logout')
        if prominent:
            button.props('unelevated size=lg').classes('w-full')
        else:
            button.props('flat align=left').classes('w-full text-body1')
