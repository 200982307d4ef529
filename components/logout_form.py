"""The logout button: a real form that POSTs to /logout with its anti-forgery token (a GET never logs out)."""

from __future__ import annotations

from nicegui import ui

from services.core.i18n import _

# A <button> that looks like the other items of the user menu (browsers give buttons their own frame and font).
ITEM_STYLE = 'border: 0; background: transparent; color: inherit; font: inherit; width: 100%; text-align: left'


def logout_form(token: str, *, prominent: bool = False) -> None:
    """«Log out» inside a POST form; `token` is the session's logout token (hex); `prominent` for a page of its own."""
    with ui.element('form').props('method=post action=/logout').classes('w-full q-ma-none'):
        ui.element('input').props(f'type=hidden name=csrf value={token}').mark('logout-csrf')
        if prominent:
            ui.button(_('Log out'), icon='logout').props('type=submit unelevated no-caps size=lg').classes(
                'w-full'
            ).mark('menu-logout')
        else:
            with ui.item().props('clickable tag=button type=submit').style(ITEM_STYLE).mark('menu-logout'):
                with ui.item_section():
                    ui.label(_('Log out'))
