"""The colour theme: light, dark or the device's, chosen in the header and kept in the user's settings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from models import User as UserRow
from services.core.settings import Settings
from tests.factories import make_account, make_user
from tests.ui.helpers import login
from tests.ui.identity_seed import cheap_bcrypt, with_db  # noqa: F401


def dark_value(user: User) -> bool | None:
    with user.client:
        return next(iter(user.find(ui.dark_mode).elements)).value


async def wait_for(check: Callable[[], bool]) -> None:
    for _ in range(100):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError('the theme did not change')


def stored_theme(settings: Settings) -> str:
    return with_db(settings, lambda s: s.exec(select(UserRow).where(UserRow.email == 'olga@example.com')).one().theme)


async def test_a_new_user_follows_the_device_and_a_chosen_dark_theme_is_kept_for_the_next_page(
    user: User, app_env: Settings
) -> None:
    with_db(app_env, lambda s: make_user(s, accounts=(make_account(s),), email='olga@example.com'))
    await login(user, 'olga@example.com')
    assert dark_value(user) is None  # the device's preference
    user.find(marker='theme-menu').click()
    user.find(marker='theme-dark').click()
    await wait_for(lambda: dark_value(user) is True)
    await wait_for(lambda: stored_theme(app_env) == 'dark')
    await user.open('/settings')
    assert dark_value(user) is True
    user.find(marker='theme-menu').click()
    user.find(marker='theme-light').click()
    await wait_for(lambda: dark_value(user) is False)
    await wait_for(lambda: stored_theme(app_env) == 'light')
