"""The Subscriber section in the simulated browser: accounts, meter card, rename, forged ids (SPEC S6, S13)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import Session, select

from models import InstantValue, MeterEvent, MeterName, ResidentAccount
from services.core.db import make_engine
from services.core.settings import Settings
from tests.clock import AWKWARD, TEST_NOW, now_of
from tests.factories import make_account, make_meter, make_user
from tests.ui.helpers import login


@dataclass
class Seed:
    email: str
    account_id: int
    meter_id: int
    foreign_account_id: int
    foreign_meter_id: int


def seed(settings: Settings, **meter_fields: object) -> Seed:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        account = make_account(session, number='690100001', address='г. Тверь, ул. Мира, д. 1, кв. 2')
        meter = make_meter(session, account, serial='77001', model='Милур 107', **meter_fields)
        other = make_account(session, number='690999999', address='г. Тверь, ул. Чужая, д. 9')
        foreign = make_meter(session, other, serial='99999', model='Чужой счётчик')
        make_user(session, accounts=(other,), email='neighbour@example.com')
        user = make_user(session, accounts=(account,), email='olga@example.com')
        session.commit()
        found = Seed(user.email, account.id or 0, meter.id or 0, other.id or 0, foreign.id or 0)
    engine.dispose()
    return found


def today(settings: Settings) -> date:
    return now_of(settings).astimezone(settings.tz).date()


async def test_the_accounts_list_opens_the_account_card_and_then_the_meter_card(user: User, app_env: Settings) -> None:
    s = seed(app_env)
    await login(user, s.email)
    await user.open('/subscriber')
    await user.should_see('Лицевой счёт 690100001')
    await user.should_see('г.\xa0Тверь, ул.\xa0Мира, д.\xa01, кв.\xa02')  # an abbreviation never ends a line
    user.find(marker='open-account-690100001').click()
    await user.should_see(marker='meter-77001')
    user.find(marker='open-meter-77001').click()
    await user.should_see('Заводской номер')
    await user.should_see('77001')


async def test_forged_account_and_meter_ids_show_not_found_and_no_foreign_data(user: User, app_env: Settings) -> None:
    s = seed(app_env)
    await login(user, s.email)
    for path in (
        f'/subscriber/accounts/{s.foreign_account_id}',
        f'/subscriber/meters/{s.foreign_meter_id}',
        '/subscriber/accounts/987654',
        '/subscriber/meters/987654',
    ):
        response = await user.http_client.get(path)
        assert response.status_code == 404, path
        assert in_page('Не найдено', response.text)
        for secret in ('690999999', 'Чужой счётчик', 'ул. Чужая', '99999'):
            assert not in_page(secret, response.text), (path, secret)


def in_page(text: str, html: str) -> bool:
    """NiceGUI ships the page's elements as JSON with non-ASCII letters escaped (\\u041d…)."""
    return text in html or json.dumps(text)[1:-1] in html


async def test_renaming_a_meter_with_apply_shows_the_new_name_everywhere(user: User, app_env: Settings) -> None:
    s = seed(app_env)
    await login(user, s.email)
    await user.open(f'/subscriber/meters/{s.meter_id}')
    user.find(marker='rename').click()
    user.find(marker='meter-name').type('Квартира на Мира')
    user.find('Применить').click()
    await user.should_see('Квартира на Мира')
    await user.open(f'/subscriber/accounts/{s.account_id}')
    await user.should_see('Квартира на Мира')


async def test_a_name_longer_than_sixty_characters_is_refused_in_the_dialog(user: User, app_env: Settings) -> None:
    s = seed(app_env)
    await login(user, s.email)
    await user.open(f'/subscriber/meters/{s.meter_id}')
    user.find(marker='rename').click()
    user.find(marker='meter-name').type('я' * 61)
    user.find('Применить').click()
    await user.should_see('Наименование длиннее 60 символов')


@pytest.mark.parametrize('instant', [TEST_NOW, *AWKWARD])
async def test_a_verification_due_within_sixty_days_warns_about_billing(user: User, app_env: Settings) -> None:
    due = today(app_env) + timedelta(days=30)
    s = seed(app_env, verified_on=due.replace(year=due.year - 10), verification_interval_years=10)
    await login(user, s.email)
    await user.open(f'/subscriber/meters/{s.meter_id}')
    await user.should_see(marker='verification-due_soon')
    await user.should_see('осталось 30 дней')
    await user.should_see(marker='verification-warning')


@pytest.mark.parametrize('instant', [TEST_NOW, *AWKWARD])
async def test_an_overdue_verification_says_by_how_much(user: User, app_env: Settings) -> None:
    due = today(app_env) - timedelta(days=3)
    s = seed(app_env, verified_on=due.replace(year=due.year - 16), verification_interval_years=16)
    await login(user, s.email)
    await user.open(f'/subscriber/meters/{s.meter_id}')
    await user.should_see('просрочена на 3 дня')
    await user.should_see(marker='verification-warning')


async def test_a_verification_far_ahead_is_ok_without_a_warning(user: User, app_env: Settings) -> None:
    s = seed(app_env, verified_on=today(app_env) - timedelta(days=365), verification_interval_years=16)
    await login(user, s.email)
    await user.open(f'/subscriber/meters/{s.meter_id}')
    await user.should_see(marker='verification-ok')
    await user.should_not_see(marker='verification-warning')


async def test_the_load_state_shows_power_voltage_current_and_a_disconnected_relay_with_its_reason(
    user: User, app_env: Settings
) -> None:
    s = seed(app_env)
    now = int(now_of(app_env).timestamp())
    engine = make_engine(app_env.database_url)
    with Session(engine) as session:
        for hours_ago in range(24):
            session.add(InstantValue(meter_id=s.meter_id, quantity='P', at=now - hours_ago * 3600, value=1234.0))
        session.add(InstantValue(meter_id=s.meter_id, quantity='U1', at=now, value=229.4))
        session.add(InstantValue(meter_id=s.meter_id, quantity='I1', at=now, value=5.37))
        session.add(InstantValue(meter_id=s.meter_id, quantity='relay', at=now, value=0.0))
        session.add(
            MeterEvent(
                meter_id=s.meter_id,
                at=now_of(app_env),
                journal=2,
                code=3,
                severity='info',
                note='Отключение по заявке абонента',
            )
        )
        session.commit()
    engine.dispose()
    await login(user, s.email)
    await user.open(f'/subscriber/meters/{s.meter_id}')
    await user.should_see('1,234 кВт')  # 1234 W
    await user.should_see('229,4 В')
    await user.should_see('5,37 А')
    await user.should_see('отключено')
    await user.should_see('Отключение по заявке абонента', retries=5)
    assert len(user.find(ui.echart).elements) == 1


async def test_add_a_personal_account_links_a_registry_account_and_lists_it(user: User, app_env: Settings) -> None:
    s = seed(app_env)
    engine = make_engine(app_env.database_url)
    with Session(engine) as session:
        make_account(session, number='690300003', address='пос. Сахарово, ул. Садовая, д. 7')
        session.commit()
    engine.dispose()
    await login(user, s.email)
    await user.open('/subscriber')
    user.find(marker='add-account').click()
    user.find(marker='add-account-number').type('690300003')
    user.find(marker='add-account-address').type('пос. Сахарово, ул. Садовая, д. 7')
    user.find(marker='add-account-submit').click()
    await user.should_see('Лицевой счёт 690300003', retries=50)


async def test_the_rename_handler_rechecks_the_owner_and_refuses_once_the_account_is_gone(
    user: User, app_env: Settings
) -> None:
    s = seed(app_env)
    await login(user, s.email)
    await user.open(f'/subscriber/meters/{s.meter_id}')
    user.find(marker='rename').click()
    engine = make_engine(app_env.database_url)
    with Session(engine) as session:  # the account is unlinked while the dialog is open
        for link in session.exec(select(ResidentAccount).where(ResidentAccount.account_id == s.account_id)).all():
            session.delete(link)
        session.commit()
        user.find(marker='meter-name').type('Чужая дача')
        user.find('Применить').click()
        await user.should_see('Не найдено')
        assert session.exec(select(MeterName)).all() == []
    engine.dispose()
