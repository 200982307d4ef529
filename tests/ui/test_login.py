"""Login, redirects and the shell in the simulated browser."""

from __future__ import annotations

from nicegui.testing import User
from sqlmodel import Session

from services.core.db import make_engine
from services.core.settings import Settings
from tests.factories import PASSWORD, make_account, make_user
from tests.ui.helpers import logout_csrf


def seed_resident(settings: Settings) -> str:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        account = make_account(session)
        user = make_user(
            session,
            accounts=(account,),
            email='olga@example.com',
            phone='+79123456789',
            full_name='Смирнова Ольга Петровна',
        )
        session.commit()
        email = user.email
    engine.dispose()
    return email


async def test_an_anonymous_visitor_of_the_main_page_is_sent_to_login(user: User) -> None:
    await user.open('/')
    await user.should_see('Вход в личный кабинет')


async def test_the_login_page_shows_the_manuals_fields_in_russian(user: User) -> None:
    await user.open('/login')
    await user.should_see('Телефон или email')
    await user.should_see('Пароль')
    await user.should_see('Войти')


async def test_a_wrong_password_is_refused_next_to_the_form_and_keeps_the_login(user: User, app_env: Settings) -> None:
    seed_resident(app_env)
    await user.open('/login')
    user.find(marker='login').type('olga@example.com')
    user.find(marker='password').type('not the password')
    user.find(marker='login-button').click()
    await user.should_see('Неверный логин или пароль.', retries=50)
    assert user.find(marker='login').elements.pop().value == 'olga@example.com'


async def test_an_unknown_login_gets_the_same_answer_as_a_wrong_password(user: User, app_env: Settings) -> None:
    seed_resident(app_env)
    await user.open('/login')
    user.find(marker='login').type('nobody@example.com')
    user.find(marker='password').type(PASSWORD)
    user.find(marker='login-button').click()
    await user.should_see('Неверный логин или пароль.', retries=50)


async def test_an_empty_form_asks_for_the_login(user: User) -> None:
    await user.open('/login')
    user.find(marker='login-button').click()
    await user.should_see('Введите телефон или email')


async def test_after_login_the_shell_shows_the_users_name_and_the_built_sections(user: User, app_env: Settings) -> None:
    seed_resident(app_env)
    await user.open('/login')
    user.find(marker='login').type('+7 912 345-67-89')  # the phone, typed the way people type it
    user.find(marker='password').type(PASSWORD)
    user.find(marker='login-button').click()
    await user.should_see('Смирнова Ольга Петровна', retries=50)
    await user.should_see(marker='main-menu', content='data-mark="menu-/"')
    await user.should_see(marker='user-menu')


async def test_logging_out_ends_the_session_so_private_pages_send_to_login_again(user: User, app_env: Settings) -> None:
    seed_resident(app_env)
    await user.open('/login')
    user.find(marker='login').type('olga@example.com')
    user.find(marker='password').type(PASSWORD)
    user.find(marker='login-button').click()
    await user.should_see('Смирнова Ольга Петровна', retries=50)
    token = logout_csrf(user)  # the user menu's «Выйти» posts this form
    response = await user.http_client.post('/logout', data={'csrf': token}, headers={'origin': 'http://test'})
    assert (response.status_code, response.headers['location']) == (303, '/login')
    await user.open('/')
    await user.should_see('Вход в личный кабинет')
