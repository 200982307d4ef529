"""The rough edges of the forms: the agreement's words tick its box, the forced password change, dialog buttons."""

from __future__ import annotations

from datetime import timedelta

from nicegui import ui
from nicegui.testing import User

from services.core.settings import Settings
from tests.clock import now_of
from tests.factories import PASSWORD, make_account, make_user
from tests.ui.helpers import login
from tests.ui.identity_seed import cheap_bcrypt, letters, with_db  # noqa: F401

NEW = 'Лампочка-2026'


def seed(settings: Settings, **fields: object) -> None:
    with_db(settings, lambda s: make_user(s, accounts=(make_account(s),), email='olga@example.com', **fields))


async def test_clicking_the_words_i_accept_the_terms_ticks_the_box(user: User) -> None:
    await user.open('/register')
    await user.should_see(marker='agree-words')
    user.find(marker='agree-words').trigger('click')
    with user.client:
        assert next(iter(user.find(marker='agree').elements)).value is True
    user.find(marker='agree-words').trigger('click')
    with user.client:
        assert next(iter(user.find(marker='agree').elements)).value is False


async def test_the_forced_change_asks_only_for_the_new_password_and_enter_saves_it(
    user: User, app_env: Settings
) -> None:
    seed(app_env, must_change_password=True, password_expires_at=now_of(app_env) + timedelta(hours=70))
    await login(user, 'olga@example.com')
    await user.should_see(marker='forced-password', retries=50)
    await user.should_not_see(marker='current-password')  # the session has just proved the temporary password
    user.find(marker='new-password').type(PASSWORD)
    user.find(marker='repeat-password').type(PASSWORD)
    user.find(marker='repeat-password').trigger('keydown.enter')
    await user.should_see('Новый пароль должен отличаться от текущего', retries=50)  # not the temporary one again
    user.find(marker='new-password').clear().type(NEW)
    user.find(marker='repeat-password').clear().type(NEW)
    user.find(marker='repeat-password').trigger('keydown.enter')
    await user.should_see('Пароль изменён', retries=50)


async def test_the_password_email_gives_the_utilitys_local_time_not_utc(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'olga@example.com')
    await user.open('/settings')
    user.find(marker='edit-password').click()
    user.find(marker='current-password').type(PASSWORD)
    user.find(marker='new-password').type(NEW)
    user.find(marker='repeat-password').type(NEW)
    user.find(marker='save-password').click()
    await user.should_see('Пароль изменён', retries=50)
    local = now_of(app_env).astimezone(app_env.tz).strftime('%d.%m.%Y %H:%M')
    body = letters(app_env)[-1].body_text
    assert f'изменён {local}.' in body and 'UTC' not in body


async def test_a_settings_dialog_has_cancel_on_the_left_of_its_main_button(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'olga@example.com')
    await user.open('/settings')
    user.find(marker='edit-name').click()
    with user.client:
        save = next(iter(user.find(marker='save-name').elements))
        row = save.parent_slot.parent if save.parent_slot else None
        assert row is not None
        buttons = [child for child in row if isinstance(child, ui.button)]
        assert [b.text for b in buttons] == ['Отмена', 'Сохранить']
