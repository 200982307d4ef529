"""Login answers for expired temporary passwords, over-long passwords and phones in any spelling (SPEC S2)."""

from __future__ import annotations

from datetime import timedelta

from nicegui.testing import User

from services.core.settings import Settings
from tests.clock import now_of
from tests.factories import PASSWORD, make_user
from tests.ui.identity_seed import cheap_bcrypt, with_db  # noqa: F401


def seed(settings: Settings, **fields: object) -> None:
    with_db(settings, lambda s: make_user(s, email='olga@example.com', phone='+79123456789', **fields))


async def attempt(user: User, login_name: str, password: str) -> None:
    await user.open('/login')
    user.find(marker='login').type(login_name)
    user.find(marker='password').type(password)
    user.find(marker='login-button').click()


async def test_an_expired_temporary_password_is_told_to_use_recovery(user: User, app_env: Settings) -> None:
    seed(app_env, must_change_password=True, password_expires_at=now_of(app_env) - timedelta(minutes=1))
    await attempt(user, 'olga@example.com', PASSWORD)
    await user.should_see('Срок действия временного пароля истёк', retries=50)


async def test_a_password_longer_than_72_bytes_is_simply_wrong(user: User, app_env: Settings) -> None:
    seed(app_env)
    await attempt(user, 'olga@example.com', 'ё' * 50)  # 100 bytes of UTF-8
    await user.should_see('Неверный логин или пароль.', retries=50)


async def test_a_phone_typed_with_eight_and_brackets_logs_in(user: User, app_env: Settings) -> None:
    seed(app_env, full_name='Ольга Смирнова')
    await attempt(user, '8 (912) 345-67-89', PASSWORD)
    await user.should_see(marker='page-title', retries=50)
    await user.should_not_see('Вход в личный кабинет', retries=50)
