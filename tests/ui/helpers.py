"""Helpers of UI tests: log in through /login like a person does."""

from __future__ import annotations

from nicegui.testing import User

from tests.factories import PASSWORD


async def login(user: User, email: str, password: str = PASSWORD) -> None:
    """Type the login and the password on /login, press «Войти» and wait for the main page."""
    await user.open('/login')
    user.find(marker='login').type(email)
    user.find(marker='password').type(password)
    user.find(marker='login-button').click()
    # A login is a bcrypt check, throttle bookkeeping and a redirect: give a busy two-core machine 15 s
    await user.should_see(marker='page-title', retries=150)
    await user.should_not_see('Вход в личный кабинет', retries=150)


def logout_csrf(user: User) -> str:
    """The token of the user menu's «Выйти» form; the menu's items are built when it is first opened."""
    if not any('logout-csrf' in e._markers for e in user.client.elements.values()):
        user.find(marker='user-menu').click()
    return str(user.find(marker='logout-csrf').elements.pop().props['value'])


async def open_readings_page(user: User) -> None:
    """Open /readings and wait for its tabs: the page goes out with its frame and fills once connected."""
    await user.open('/readings')
    await user.should_see(marker='tab-chart', retries=100)
