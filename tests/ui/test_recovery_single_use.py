"""The emailed recovery password through the pages (SPEC S3): one login, then it is a wrong password; the old
password works until the recovery one is used, and not after."""

from __future__ import annotations

import asyncio

import httpx
from nicegui import ElementFilter, core
from nicegui.testing import User

from services.core.settings import Settings
from tests.factories import PASSWORD, make_user
from tests.ui.identity_seed import cheap_bcrypt, letters, password_in, with_db  # noqa: F401

WRONG = 'Неверный логин или пароль.'


def another_browser() -> User:
    return User(httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://test'))


async def recover(user: User, settings: Settings) -> str:
    """Ask /recover for a new password and read it from the letter."""
    await user.open('/recover')
    user.find(marker='email').type('olga@example.com')
    user.find(marker='apply').click()
    await user.should_see(marker='recovery-sent', retries=50)
    return password_in(letters(settings)[-1])


async def attempt(user: User, password: str) -> str:
    """Log in on /login; the address the browser lands on, or the refusal shown next to the form."""
    if user.client is not None:
        user.client.delete()  # the page it leaves: a late update to it would make its navigation the next login's
    await user.open('/login')
    user.find(marker='login').type('olga@example.com')
    user.find(marker='password').type(password)
    user.find(marker='login-button').click()
    with user.client as client:
        error = next(iter(ElementFilter(marker='login-error')))
        for _ in range(1500):  # up to 30 s: a bcrypt check and the throttle's own transaction on a busy machine
            if user.client is not client:  # navigated away: logged in
                return user.back_history[-1]
            if error.visible:
                return str(error.text)
            await asyncio.sleep(0.02)
        button = next(iter(ElementFilter(marker='login-button')))
        raise AssertionError(f'the login page gave no answer: {user.back_history} {button.props}')


async def arrived(user: User, path: str) -> None:
    """Wait until `user`'s navigation to `path` is done.

    The simulated browsers share `ui.navigate`: it is the one of the User whose attribute was read last, and both
    a navigation running in the background and every update sent to a User's page read its attributes.
    """
    for _ in range(1500):
        if user.back_history and user.back_history[-1] == path:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f'never arrived at {path}: {user.back_history}')


async def test_the_recovery_password_logs_in_once_and_then_is_a_wrong_password(user: User, app_env: Settings) -> None:
    with_db(app_env, lambda s: make_user(s, email='olga@example.com', full_name='Смирнова Ольга'))
    emailed = await recover(user, app_env)
    assert (await attempt(user, emailed)).startswith('/auth/complete')
    await user.should_see(marker='forced-password', retries=50)  # made to choose a password of their own
    second = another_browser()
    assert await attempt(second, emailed) == WRONG  # spent by the first login
    assert await attempt(second, PASSWORD) == WRONG  # the old password ended when the recovery one was used
    second.client.delete()  # its tab is closed: see arrived
    user.find(marker='new-password').type('Лампочка-2026')
    user.find(marker='repeat-password').type('Лампочка-2026')
    user.find(marker='save-password').click()
    await user.should_not_see(marker='forced-password', retries=150)  # on to the main page (two bcrypt checks)
    await arrived(user, '/')
    user.client.delete()  # closed too: an update to its page would make its navigation the next login's
    assert (await attempt(another_browser(), 'Лампочка-2026')).startswith('/auth/complete')


async def test_the_old_password_keeps_working_while_the_recovery_one_is_unused(user: User, app_env: Settings) -> None:
    with_db(app_env, lambda s: make_user(s, email='olga@example.com', full_name='Смирнова Ольга'))
    await recover(user, app_env)  # a stranger may ask: nobody is locked out
    assert (await attempt(another_browser(), PASSWORD)).startswith('/auth/complete')
