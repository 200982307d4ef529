"""Logout only by the menu's POST form with its token (never by a link), and a login ticket that works only in
the browser that typed the password (login CSRF)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from nicegui import Client, core, ui
from nicegui.testing import User
from sqlmodel import Session, select

from models import User as UserModel
from services.core.settings import Settings
from tests.factories import PASSWORD, make_user
from tests.ui.helpers import login, logout_csrf
from tests.ui.identity_seed import cheap_bcrypt, with_db  # noqa: F401


def seed(settings: Settings) -> None:
    with_db(settings, lambda s: make_user(s, email='olga@example.com', full_name='Смирнова Ольга'))


def logout_token(user: User) -> str:
    return logout_csrf(user)


async def still_logged_in(user: User) -> None:
    await user.open('/')
    await user.should_see('Смирнова Ольга')
    await user.should_not_see('Вход в личный кабинет')


async def test_opening_the_logout_address_only_asks_and_logs_nobody_out(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'olga@example.com')
    await user.open('/logout')  # what a link, an <img> or a foreign page's redirect would do
    await user.should_see('Выйти из личного кабинета на этом устройстве?')
    await still_logged_in(user)


async def test_the_menus_logout_form_ends_the_session(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'olga@example.com')
    user.find(marker='user-menu').click()  # its items are built when it is first opened
    await user.should_see(marker='menu-logout')
    response = await user.http_client.post(
        '/logout', data={'csrf': logout_token(user)}, headers={'origin': 'http://test'}
    )
    assert response.status_code == 303
    assert 'kabinet_session=""' in response.headers['set-cookie']
    await user.open('/')
    await user.should_see('Вход в личный кабинет')


async def test_a_logout_post_from_another_site_or_without_the_token_is_refused(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'olga@example.com')
    token = logout_token(user)
    forged: list[dict[str, Any]] = [
        {'data': {'csrf': token}, 'headers': {'origin': 'https://evil.example'}},
        {'data': {'csrf': token}, 'headers': {'referer': 'https://evil.example/page'}},
        {'data': {'csrf': token}, 'headers': {'origin': 'null'}},
        {'data': {}, 'headers': {'origin': 'http://test'}},
        {'data': {'csrf': 'f' * 64}, 'headers': {'origin': 'http://test'}},
    ]
    for request in forged:
        response = await user.http_client.post('/logout', **request)
        assert (response.status_code, response.headers['location']) == (303, '/logout')  # only asked again
        assert 'set-cookie' not in response.headers
    await still_logged_in(user)


class Recorder:
    """Stands in for the simulated browser's navigation: keeps the address instead of opening it."""

    def __init__(self) -> None:
        self.targets: list[str] = []

    def to(self, target: str, new_tab: bool = False) -> None:
        self.targets.append(target)


async def test_a_login_ticket_opened_in_another_browser_logs_nobody_in(user: User, app_env: Settings) -> None:
    with_db(app_env, lambda s: make_user(s, email='mallory@example.com', full_name='Злоумышленник'))
    attacker = User(httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://test'))
    recorder = Recorder()
    attacker.navigate = recorder  # type: ignore[assignment]
    await attacker.open('/login')
    attacker.find(marker='login').type('mallory@example.com')
    attacker.find(marker='password').type(PASSWORD)
    attacker.find(marker='login-button').click()
    for _ in range(750):  # up to 15 s on a busy machine
        if attacker.navigate.targets:  # type: ignore[attr-defined]
            break
        await asyncio.sleep(0.02)
    ticket_url = recorder.targets[0]
    assert ticket_url.startswith('/auth/complete?ticket=')
    await user.open(ticket_url)  # the victim's browser, lured to the attacker's ticket
    await user.should_see('Вход в личный кабинет')
    await user.open('/')
    await user.should_see('Вход в личный кабинет')
    await user.should_not_see('Злоумышленник')


async def test_an_open_page_whose_user_is_blocked_goes_to_the_login_with_no_timer_of_its_own(
    user: User, app_env: Settings
) -> None:
    """One app-wide check looks up every open page's session; a tab holds no timer for it."""
    seed(app_env)
    await login(user, 'olga@example.com')
    await user.open('/settings')
    await user.should_see(marker='page-title')
    assert not [e for e in user.client.elements.values() if isinstance(e, ui.timer)]
    for gone in [c for c in Client.instances.values() if c is not user.client]:
        gone.delete()  # the main page's tab, left when the browser went on (the simulated one keeps it)

    def block(session: Session) -> None:
        found = session.exec(select(UserModel).where(UserModel.email == 'olga@example.com')).one()
        found.blocked = True
        session.add(found)

    with_db(app_env, block)
    await user.should_see('Вход в личный кабинет', retries=300)  # the check runs every 10 s
    assert user.back_history[-1].startswith('/login?next=/settings')
