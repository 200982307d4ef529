"""Login throttling through the real page: every failure and refusal is stored and audited, limits per client, per
account and client, and per account bite, and the owner's browser (device cookie) still gets in (ASVS 6.3.1)."""

from __future__ import annotations

import asyncio

import httpx
from nicegui import ElementFilter, core
from nicegui.testing import User
from sqlmodel import Session, col, select

from models import AuditLog, LoginThrottle
from services.core.settings import Settings
from tests.factories import PASSWORD, make_user
from tests.ui.helpers import login, logout_csrf
from tests.ui.identity_seed import cheap_bcrypt, with_db  # noqa: F401

WRONG = 'Неверный логин или пароль.'
THROTTLED = 'Слишком много попыток. Повторите через'


def browser_at(address: str) -> User:
    """Another simulated browser, connecting from `address` (the server sees it as the peer's address)."""
    transport = httpx.ASGITransport(core.app, client=(address, 50000))
    return User(httpx.AsyncClient(transport=transport, base_url='http://test'))


def seed(settings: Settings, others: int = 0) -> int:
    def work(session: Session) -> int:
        for n in range(others):
            make_user(session, email=f'user{n}@example.com')
        return make_user(session, email='olga@example.com', full_name='Смирнова Ольга').id or 0

    return with_db(settings, work)


async def attempt(user: User, login_name: str, password: str) -> str:
    """Type a login and a password on the open login page, press «Войти»; the answer shown next to the form."""
    user.find(marker='login').clear().type(login_name)
    user.find(marker='password').clear().type(password)
    user.find(marker='login-button').click()
    field = user.find(marker='password').elements.pop()
    with user.client:
        error = next(iter(ElementFilter(marker='login-error')))  # hidden while the attempt runs
    for _ in range(750):  # up to 15 s on a busy machine
        if field.value == '' and error.visible:  # a refusal clears the password and shows why
            return str(error.text)
        await asyncio.sleep(0.02)
    raise AssertionError('the login page gave no answer')


def throttle_rows(settings: Settings) -> dict[str, int]:
    rows = with_db(settings, lambda s: list(s.exec(select(LoginThrottle)).all()))
    return {row.key: row.failures for row in rows}


def audit_actions(settings: Settings) -> list[str]:
    return with_db(settings, lambda s: [r.action for r in s.exec(select(AuditLog).order_by(col(AuditLog.id)))])


async def log_out(user: User) -> None:
    """What the user menu's «Выйти» does: POST the form with its token."""
    token = logout_csrf(user)
    response = await user.http_client.post('/logout', data={'csrf': token}, headers={'origin': 'http://test'})
    assert response.status_code == 303


async def test_wrong_passwords_on_the_page_are_stored_audited_and_then_slowed_down(
    user: User, app_env: Settings
) -> None:
    olga = seed(app_env)
    await user.open('/login')
    answers = []
    for n in range(12):
        answers.append(await attempt(user, 'olga@example.com', f'guess {n}'))
        if answers[-1].startswith(THROTTLED):
            break
    assert answers[:6] == [WRONG] * 6  # five free failures, the sixth starts a delay of 2 s, then 4, 8 …
    assert answers[-1].startswith(THROTTLED)
    failures = len(answers) - 1
    counters = throttle_rows(app_env)
    assert counters[f'user-client:{olga}:127.0.0.1'] == counters[f'user:{olga}'] == failures
    assert audit_actions(app_env) == ['login_failed'] * failures + ['login_throttled']


async def test_one_browser_guessing_across_fifty_accounts_is_stopped_but_the_owner_gets_in(
    user: User, app_env: Settings
) -> None:
    seed(app_env, others=50)
    await login(user, 'olga@example.com')  # the owner's browser gets its device cookie
    await log_out(user)
    attacker = browser_at('127.0.0.1')  # the same address as the owner (a shared NAT)
    await attacker.open('/login')
    for n in range(50):
        assert await attempt(attacker, f'user{n}@example.com', 'guess') == WRONG
    assert (await attempt(attacker, 'olga@example.com', PASSWORD)).startswith(THROTTLED)  # even the right one
    assert throttle_rows(app_env)['client:127.0.0.1'] == 50
    await login(user, 'olga@example.com')
    await user.should_see('Смирнова Ольга')


async def test_a_hundred_failures_from_many_addresses_close_the_account_to_all_but_the_owners_browser(
    user: User, app_env: Settings
) -> None:
    olga = seed(app_env)
    await login(user, 'olga@example.com')
    await log_out(user)
    for n in range(20):  # 20 addresses × 5 guesses: within the free attempts of each, 100 for the account
        attacker = browser_at(f'203.0.113.{n + 1}')
        await attacker.open('/login')
        for guess in range(5):
            assert await attempt(attacker, 'olga@example.com', f'guess {n}-{guess}') == WRONG
        attacker.client.delete()  # its tab is closed: a late update to it would make its navigation the owner's
    stranger = browser_at('198.51.100.7')
    await stranger.open('/login')
    assert (await attempt(stranger, 'olga@example.com', PASSWORD)).startswith(THROTTLED)
    assert throttle_rows(app_env)[f'user:{olga}'] == 100
    stranger.client.delete()
    await login(user, 'olga@example.com')  # the owner's own browser is never shut out
    await user.should_see('Смирнова Ольга')
