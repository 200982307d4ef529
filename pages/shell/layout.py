"""The frame of a page for the logged-in user: menu entries of the built sections with their badges."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from components.frame import FrameUser, MenuEntry, frame
from models import User
from pages.shell import deps
from services.core.i18n import _
from services.residents import badges


@contextmanager
def page(title: str, user: User | None, *, active: str = '') -> Iterator[ui.column]:
    """The frame with the menu of `user`'s sections; anonymous pages get the header only."""
    settings = deps.system().settings
    menu: list[MenuEntry] = []
    frame_user = None
    if user is not None:
        with deps.db() as session:
            counts = badges.menu_badges(session=session, user=user, now=deps.system().now())
        menu = [
            MenuEntry(
                path=s.path,
                label=_(s.label),
                icon=s.icon,
                badge=counts.get(s.path, (0, ''))[0],
                badge_color=counts.get(s.path, (0, 'red'))[1] or 'red',
            )
            for s in deps.sections(user)
        ]
        frame_user = FrameUser(name=user.full_name or user.email)
    # A generated or recovery password must be replaced before anything else is usable (ASVS 6.4.1).
    forced = user is not None and active != '/settings' and (user.must_change_password or user.password_expires_at)
    with frame(title=title, utility_name=settings.utility_name, menu=menu, user=frame_user, active=active) as content:
        if forced:
            ui.navigate.to('/settings?force=password')
            with ui.column().classes('hidden') as hidden:  # the page is built but never shown
                yield hidden
        else:
            yield content
