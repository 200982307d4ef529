"""The operator's console in the simulated app: landing, search, the card's confirmed actions, see as the
resident, staff management for admins only, the audit log."""

from __future__ import annotations

from nicegui.testing import User
from sqlmodel import Session, col, select

import models
from models import AuditLog, Role, UserSession
from services.core.db import make_engine
from services.core.settings import Settings
from services.operator import staff
from tests.clock import now_of
from tests.factories import make_account, make_meter, make_user
from tests.ui.helpers import login


def seed(settings: Settings) -> dict[str, int]:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        account = make_account(session, number='690300009', address='с. Ёлкино, ул. Лесная, д. 3')
        meter = make_meter(session, account, serial='VIEW-1', model='Милур 107')
        resident = make_user(
            session, accounts=(account,), email='resident@example.com', phone='+79123456789', full_name='Ёлкина Ольга'
        )
        make_user(session, email='staff@example.com', role=Role.operator, full_name='Оператор Олег')
        make_user(session, email='admin@example.com', role=Role.admin, full_name='Админ Анна')
        ids = {'resident': resident.id or 0, 'meter': meter.id or 0}
        session.commit()
    engine.dispose()
    return ids


def audit_actions(settings: Settings) -> list[tuple[str, str, str]]:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        rows = session.exec(select(AuditLog).where(col(AuditLog.target) != '').order_by(col(AuditLog.id))).all()
        found = [(r.action, r.target, r.detail) for r in rows]
    engine.dispose()
    return found


def sessions_of(settings: Settings, user_id: int) -> int:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        count = len(session.exec(select(UserSession).where(UserSession.user_id == user_id)).all())
    engine.dispose()
    return count


async def test_staff_land_on_the_console_and_see_its_sections_only(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.should_see('Операторская')
    for tile in ('tile-imports', 'tile-silent', 'tile-registrations', 'tile-logins'):
        await user.should_see(marker=tile)
    await user.should_see(marker='main-menu', content='data-mark="menu-/operator/users"')
    await user.should_not_see(marker='main-menu', content='data-mark="menu-/subscriber"')
    await user.should_not_see(marker='main-menu', content='data-mark="menu-/operator/staff"')  # not for operators


async def test_a_resident_never_reaches_the_console(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'resident@example.com')
    await user.open('/operator/users')
    await user.should_see('Главная страница')  # sent to their own main page
    await user.should_not_see(marker='search')


async def test_an_operator_finds_a_resident_by_a_phone_in_another_spelling_and_blocks_them_with_a_reason(
    user: User, app_env: Settings
) -> None:
    ids = seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/users?q=8 (912) 345-67-89')
    await user.should_see('Ёлкина Ольга')
    await user.open(f'/operator/users/{ids["resident"]}')
    await user.should_see('+7 912 345-67-89')
    user.find(marker='block').click()
    user.find(marker='confirm-block').click()
    await user.should_see('Укажите причину действия.')  # no reason, no action
    user.find(marker='reason').type('по заявлению абонента')
    user.find(marker='confirm-block').click()
    await user.should_see('Заблокирован.')
    await user.should_see(marker='unblock')
    assert audit_actions(app_env) == [
        ('user_blocked', f'user:{ids["resident"]}', 'по заявлению абонента (sessions ended: 0)')
    ]


async def test_see_as_the_resident_shows_the_meter_under_a_banner_without_any_action(
    user: User, app_env: Settings
) -> None:
    ids = seed(app_env)
    await login(user, 'staff@example.com')
    await user.open(f'/operator/users/{ids["resident"]}/as')
    await user.should_see(marker='view-as-banner')
    await user.should_see('Лицевой счёт 690300009')
    await user.open(f'/operator/users/{ids["resident"]}/as/meters/{ids["meter"]}')
    await user.should_see('Вы видите то, что видит абонент Ёлкина Ольга', retries=50)
    await user.should_see('Поверка')
    await user.should_not_see(marker='rename')
    assert [a for a, _t, _d in audit_actions(app_env)] == ['viewed_as_resident', 'viewed_as_resident']


async def test_a_foreign_meter_is_not_found_even_when_seen_as_the_resident(user: User, app_env: Settings) -> None:
    ids = seed(app_env)
    await login(user, 'staff@example.com')
    for path in (f'/operator/users/{ids["resident"]}/as/meters/999999', '/operator/users/999999'):
        response = await user.http_client.get(path)
        assert response.status_code == 404, path
        assert 'Не найдено' in response.text


async def test_an_operator_is_told_that_only_admins_manage_staff(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/staff')
    await user.should_see(marker='admins-only')
    await user.should_not_see(marker='invite')


async def test_an_admin_invites_an_operator_who_appears_in_the_list(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'admin@example.com')
    await user.open('/operator/staff')
    user.find(marker='invite-email').type('new.op@example.com')
    user.find(marker='invite-send').click()
    await user.should_see('Приглашение отправлено.')
    await user.should_see(marker='staff-new.op@example.com')


async def test_the_audit_log_filters_by_action(user: User, app_env: Settings) -> None:
    ids = seed(app_env)
    await login(user, 'staff@example.com')
    await user.open(f'/operator/users/{ids["resident"]}')
    user.find(marker='end-sessions').click()
    user.find(marker='reason').type('проверка')
    user.find(marker='confirm-end-sessions').click()
    await user.should_see('Сеансы завершены.')
    await user.open('/operator/audit?action=user_sessions_ended')
    await user.should_see('сеансы завершены')
    await user.should_see('проверка (sessions ended: 0)')
    await user.should_not_see(marker='audit-login')
    assert sessions_of(app_env, ids['resident']) == 0


def invite(settings: Settings) -> str:
    """An admin's invitation of new.op@example.com; returns the token of the emailed link."""
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        admin = session.exec(select(models.User).where(models.User.email == 'admin@example.com')).one()
        staff.invite(
            session=session, actor=admin, email='new.op@example.com', name='Новый Оператор', role='operator', ip='',
            now=now_of(settings), utility='АО «Тестэнерго»', base_url='http://portal.example',
        )  # fmt: skip
        session.commit()
        letter = session.exec(
            select(models.EmailOutbox).where(models.EmailOutbox.to_addr == 'new.op@example.com')
        ).one()
    engine.dispose()
    return letter.body_text.split('token=')[1].split()[0]


async def test_an_invited_operator_sets_a_password_by_the_link_and_lands_on_the_console(
    user: User, app_env: Settings
) -> None:
    seed(app_env)
    token = invite(app_env)
    await user.open('/staff/invite?token=not-a-token')
    await user.should_see(marker='invite-invalid')
    await user.open(f'/staff/invite?token={token}')
    user.find(marker='invite-password').type('a fresh pass 42')
    user.find(marker='invite-password-again').type('a fresh pass 42')
    user.find(marker='invite-save').click()
    await user.should_see('Вход в личный кабинет', retries=50)
    await login(user, 'new.op@example.com', 'a fresh pass 42')
    await user.should_see('Операторская')
