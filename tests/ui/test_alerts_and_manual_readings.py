"""Alert switches in Settings, the one-click unsubscribe page, and manual readings in Readings (B5, B7)."""

from __future__ import annotations

from decimal import Decimal

from nicegui import ui
from nicegui.testing import User
from sqlmodel import Session

from models import Role
from services.alerts import preferences
from services.core.settings import Settings
from services.metering import similar_homes
from tests.clock import now_of
from tests.factories import make_account, make_meter, make_user
from tests.ui.helpers import login, open_readings_page
from tests.ui.identity_seed import cheap_bcrypt, with_db  # noqa: F401


def seed(settings: Settings, *, mode: str = 'remote') -> int:
    def work(session: Session) -> int:
        account = make_account(session)
        make_meter(session, account, serial='SN-A1', reading_mode=mode)
        make_meter(session, account, serial='SN-A2')
        user = make_user(session, accounts=(account,), email='olga@example.com')
        session.commit()
        return user.id or 0

    return with_db(settings, work)


def wants(settings: Settings, user_id: int, kind: str) -> bool:
    return with_db(settings, lambda s: preferences.wants(session=s, user_id=user_id, kind=kind))


async def test_settings_switch_an_alert_off_and_it_stays_off(user: User, app_env: Settings) -> None:
    user_id = seed(app_env)
    await login(user, 'olga@example.com')
    await user.open('/settings')
    await user.should_see('Уведомления по почте')
    await user.should_see('Ответы службы поддержки')
    await user.should_see(marker='alert-support_reply-0')
    user.find(marker='alert-support_reply-0').click()
    await user.should_see('Сохранено')
    assert not wants(app_env, user_id, 'support_reply')
    assert wants(app_env, user_id, 'critical_events')


async def test_the_unsubscribe_link_works_without_login_and_a_forged_one_does_nothing(
    user: User, app_env: Settings
) -> None:
    user_id = seed(app_env)
    token = preferences.sign(app_env.require_secret(), user_id, 'verification')
    await user.open(f'/alerts/unsubscribe?t={token}x')
    await user.should_see(marker='unsubscribe-invalid')
    assert wants(app_env, user_id, 'verification')
    await user.open(f'/alerts/unsubscribe?t={token}')
    await user.should_see('Вы больше не будете получать эти письма:')
    await user.should_see('Поверка счётчика: за 60, 30 и 7 дней и по истечении срока')
    assert not wants(app_env, user_id, 'verification')


async def test_the_readings_table_tab_offers_the_form_for_a_manual_meter(user: User, app_env: Settings) -> None:
    seed(app_env, mode='manual')
    assert now_of(app_env).day == 18  # the suite's instant lies inside the default window 15-25
    await login(user, 'olga@example.com')
    await open_readings_page(user)
    user.find(marker='tab-table').click()  # the table tab, built when first opened, holds the form
    await user.should_see(marker='manual-open', retries=50)
    await user.should_see(marker='manual-t1')  # one field per zone of the meter's tariff


async def test_the_operator_lists_a_months_readings(user: User, app_env: Settings) -> None:
    with_db(app_env, lambda s: (make_user(s, role=Role.operator, email='op@example.com'), s.commit()))
    await login(user, 'op@example.com')
    await user.open('/operator/readings?month=2026-03')
    await user.should_see(marker='no-readings')
    await user.should_see('Переданные показания')
    assert user.find(ui.select).elements


async def test_the_main_page_compares_with_similar_homes_once_the_job_has_run(user: User, app_env: Settings) -> None:
    from tests.integration.test_similar_homes import _homes

    def work(session: Session) -> str:
        users = _homes(session, 20)
        similar_homes.compute(session=session, tz=app_env.tz, default_reading_day=25, now=now_of(app_env))
        return users[0].email

    email = with_db(app_env, work)
    await login(user, email)
    await user.open('/')
    await user.should_see('За февраль 2026 вы потребили 150\xa0кВт·ч — на 39\xa0% меньше, чем похожие дома.')
    await user.should_see('Сравнение с 20 домами того же населённого пункта, тарифа и типа дома.')
    await open_readings_page(user)  # Readings shows it under the chart, loaded with the meters
    await user.should_see('За февраль 2026 вы потребили 150\xa0кВт·ч — на 39\xa0% меньше, чем похожие дома.')


async def test_the_operator_publishes_a_notice_and_the_resident_of_the_street_sees_it(
    user: User, app_env: Settings
) -> None:
    def work(session: Session) -> None:
        make_user(session, role=Role.operator, email='op@example.com')
        make_user(session, accounts=(make_account(session, address='пос. Сахарово, ул. Садовая, д. 3'),),
                  email='sad@example.com')  # fmt: skip
        session.commit()

    with_db(app_env, work)
    await login(user, 'op@example.com')
    await user.open('/operator/notices')
    await user.should_see(marker='notice-publish')
    user.find(marker='notice-publish').click()
    await user.should_see('Укажите заголовок объявления.')
    user.find(marker='notice-title').type('Отключение 18 марта')
    user.find(marker='notice-targets').type('пос. Сахарово, ул. Садовая')
    user.find(marker='notice-from').type('18.03.2026')
    user.find(marker='notice-to').type('19.03.2026')
    user.find(marker='notice-publish').click()
    await user.should_see('Опубликовано для 1 лицевого счёта; 1 письмо в очереди')
    await user.open('/operator/notices')
    await user.should_see(marker='notice-row')


async def test_the_resident_sees_the_notices_for_the_own_address_on_the_main_page_and_in_information(
    user: User, app_env: Settings
) -> None:
    from services.content import notices

    def work(session: Session) -> None:
        operator = make_user(session, role=Role.operator)
        make_user(session, accounts=(make_account(session, address='пос. Сахарово, ул. Садовая, д. 3'),),
                  email='sad@example.com')  # fmt: skip
        now = now_of(app_env)
        for title, where in (('Отключение у вас', 'пос. Сахарово'), ('Отключение не у вас', 'г. Тверь')):
            draft = notices.Draft(title, 'С 9:00 до 17:00.', where, now.date(), now.date())
            notices.publish(session=session, actor=operator, draft=draft, settings=app_env, now=now)

    with_db(app_env, work)
    await login(user, 'sad@example.com')
    for path in ('/', '/info'):
        await user.open(path)
        await user.should_see('Отключение у вас')
        await user.should_see('Действует с 18.03.2026 по 18.03.2026.')
        await user.should_not_see('Отключение не у вас')


async def test_the_high_usage_thresholds_are_kept_and_a_bad_one_is_refused_next_to_the_field(
    user: User, app_env: Settings
) -> None:
    user_id = seed(app_env)
    await login(user, 'olga@example.com')
    await user.open('/settings')
    await user.should_see(marker='threshold-kwh')  # the alerts card comes after a database read
    user.find(marker='threshold-kwh').type('-5')
    user.find(marker='threshold-save').click()
    await user.should_see('Введите число больше нуля или оставьте поле пустым.')
    user.find(marker='threshold-kwh').clear().type('350')
    user.find(marker='threshold-rub').type('2 000,50')
    user.find(marker='threshold-save').click()
    await user.should_see('Сохранено')
    kept = with_db(app_env, lambda s: preferences.thresholds(session=s, user_id=user_id))
    assert kept == (350, Decimal('2000.50'))
