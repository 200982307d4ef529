"""Registration and password recovery in the simulated browser: every success and every error (SPEC S1, S3)."""

from __future__ import annotations

import asyncio

import pytest
from nicegui.testing import User

from models import Account
from services.core.settings import Settings
from tests.factories import make_account, make_user
from tests.ui.identity_seed import ADDRESS, cheap_bcrypt, drawn_captchas, letters, password_in, with_db  # noqa: F401


@pytest.fixture
def captcha_on(app_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Listed before `user`, so the app starts with the captcha shown."""
    monkeypatch.setenv('KABINET_CAPTCHA', 'on')
    return app_env


def seed_account(settings: Settings, **fields: object) -> Account:
    return with_db(settings, lambda s: make_account(s, number='7700123', address=ADDRESS, **fields))


async def fill(
    user: User, *, account: str = '7700123', email: str = 'anna@example.ru', phone: str = '8 912 345-67-89'
) -> None:
    user.find(marker='account').type(account)
    user.find(marker='address').type('Тверь')
    await user.should_see(marker='address-suggestion')  # the suggestions come from the registry
    user.find(marker='address-suggestion').click()  # the address picked from the registry suggestions
    user.find(marker='name').type('Петрова Анна')
    user.find(marker='email').type(email)
    user.find(marker='phone').type(phone)


async def test_the_register_button_waits_for_the_agreement_which_links_to_its_text(
    user: User, app_env: Settings
) -> None:
    await user.open('/register')
    await user.should_see('Я принимаю условия')
    button = user.find(marker='register-button').elements.pop()
    assert not button.enabled
    user.find(marker='agree').click()
    assert button.enabled
    link = user.find('Пользовательского соглашения').elements.pop()
    assert link.props['href'] == '/info/agreement'


async def test_a_resident_registers_and_gets_the_password_by_email(user: User, app_env: Settings) -> None:
    seed_account(app_env)
    await user.open('/register')
    await fill(user)
    user.find(marker='agree').click()
    user.find(marker='register-button').click()
    await user.should_see('Спасибо! Проверьте почту', retries=50)
    await user.should_see('anna@example.ru')
    assert [letter.to_addr for letter in letters(app_env)] == ['anna@example.ru']


async def test_suggestions_show_registry_addresses_but_no_account_numbers(user: User, app_env: Settings) -> None:
    seed_account(app_env)
    await user.open('/register')
    user.find(marker='address').type('Тве')
    await user.should_see(ADDRESS)
    await user.should_not_see('7700123')


async def test_an_unknown_account_is_reported_next_to_its_field_and_typed_values_stay(
    user: User, app_env: Settings
) -> None:
    seed_account(app_env)
    await user.open('/register')
    await fill(user, account='1234')
    user.find(marker='agree').click()
    user.find(marker='register-button').click()
    await user.should_see('Лицевого счёта с таким номером нет', retries=50)
    assert user.find(marker='email').elements.pop().value == 'anna@example.ru'
    assert user.find(marker='address').elements.pop().value == ADDRESS


async def test_a_wrong_address_bad_email_and_bad_phone_are_reported_next_to_their_fields(
    user: User, app_env: Settings
) -> None:
    seed_account(app_env)
    await user.open('/register')
    user.find(marker='account').type('7700123')
    user.find(marker='address').type('г. Тверь, ул. Советская, д. 6')
    user.find(marker='email').type('anna@')
    user.find(marker='phone').type('12345')
    user.find(marker='agree').click()
    user.find(marker='register-button').click()
    await user.should_see('Введите адрес электронной почты', retries=50)
    await user.should_see('Введите номер телефона')
    user.find(marker='email').clear().type('anna@example.ru')
    user.find(marker='phone').clear().type('+7 (912) 345 67 89')
    user.find(marker='register-button').click()
    await user.should_see('Адрес не совпадает с адресом лицевого счёта', retries=50)


async def test_a_claimed_account_is_refused_with_the_neutral_message(user: User, app_env: Settings) -> None:
    with_db(app_env, lambda s: make_user(s, accounts=(make_account(s, number='7700123', address=ADDRESS),)))
    await user.open('/register')
    await fill(user)
    user.find(marker='agree').click()
    user.find(marker='register-button').click()
    await user.should_see(
        'Этот лицевой счёт уже зарегистрирован. Если это ваш счёт, обратитесь в поддержку.', retries=50
    )


async def test_a_wrong_captcha_is_refused_and_a_used_code_cannot_be_typed_again(
    captcha_on: Settings,
    drawn_captchas: list[str],  # noqa: F811
    user: User,
) -> None:
    seed_account(captcha_on)
    await user.open('/register')
    await user.should_see(marker='captcha-image')
    await fill(user, account='999')
    used = drawn_captchas[-1]
    user.find(marker='captcha').type(used)
    user.find(marker='agree').click()
    user.find(marker='register-button').click()
    await user.should_see('Лицевого счёта с таким номером нет', retries=50)  # the code was right, the account not
    await pictures(drawn_captchas, 2)  # every attempt brings a new picture
    user.find(marker='account').clear().type('7700123')
    user.find(marker='captcha').type(used)
    user.find(marker='register-button').click()
    await user.should_see('Неверный код с картинки. Введите новый.', retries=50)
    await pictures(drawn_captchas, 3)
    user.find(marker='captcha').clear().type(drawn_captchas[-1].lower())
    user.find(marker='register-button').click()
    await user.should_see('Спасибо! Проверьте почту', retries=50)


async def pictures(drawn: list[str], count: int) -> None:
    """Wait until `count` pictures are drawn (the next one is made off the event loop after each attempt)."""
    for _ in range(100):
        if len(drawn) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f'{len(drawn)} captcha pictures drawn, expected {count}')


async def test_the_captcha_picture_can_be_refreshed(captcha_on: Settings, user: User) -> None:
    await user.open('/recover')
    first = user.find(marker='captcha-image').elements.pop().source
    user.find(marker='captcha-refresh').click()
    assert user.find(marker='captcha-image').elements.pop().source != first


async def test_recovery_answers_the_same_for_a_known_and_an_unknown_email(user: User, app_env: Settings) -> None:
    with_db(app_env, lambda s: make_user(s, email='olga@example.com'))
    answers = []
    for address in ('olga@example.com', 'nobody@example.com'):
        await user.open('/recover')
        user.find(marker='email').type(address)
        user.find(marker='apply').click()
        await user.should_see(marker='recovery-sent', retries=50)
        answers.append(user.find(marker='recovery-sent').elements.pop().text)
    assert answers[0] == answers[1]
    assert [letter.to_addr for letter in letters(app_env)] == ['olga@example.com']
    assert password_in(letters(app_env)[0])


async def test_recovery_asks_for_a_valid_email(user: User) -> None:
    await user.open('/recover')
    await user.should_see('Восстановление пароля')
    user.find(marker='email').type('olga')
    user.find(marker='apply').click()
    await user.should_see('Введите адрес электронной почты', retries=50)


async def test_the_login_page_links_to_recovery_and_registration(user: User) -> None:
    await user.open('/login')
    user.find('Забыли пароль?').click()
    await user.should_see('Восстановление пароля')
