"""The operator's tariffs page in the simulated app (SPEC §6.5, B1): the rates, a CSV upload, one rate."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from sqlmodel import Session, col, select

from models import ImportLog, Role
from services.core.db import make_engine
from services.core.settings import Settings
from services.metering import pricing
from tests.factories import make_account, make_user
from tests.ui.helpers import login

HEADER = 'tariff_group;tariff_zones;zone;rub_per_kwh;valid_from\n'
GOOD = (HEADER + 'село;2;T1;4,08;2026-07-01\nсело;2;Т2;2,15;01.07.2026\n').encode()  # the second zone in Cyrillic
BAD = (HEADER + 'село;2;T1;4,08;2026-07-01\nсело;2;T2;2,15;31.06.2026\n').encode()  # June has 30 days
REGISTRY = b'account_number;address;meter_serial\n690300001;c. Tver;NEW-1\n'


def seed(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        account = make_account(session, number='690300009')
        make_user(session, accounts=(account,), email='resident@example.com')
        make_user(session, email='staff@example.com', role=Role.operator)
        pricing.put_rate(
            session=session, tariff_group='', tariff_zones=1, zone=1, rub_per_kwh=Decimal('5.62'),
            valid_from=date(2026, 1, 1),
        )  # fmt: skip
        session.commit()
    engine.dispose()


def stored(settings: Settings) -> list[tuple[str, int, int, Decimal, date]]:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        rates = [
            (r.tariff_group, r.tariff_zones, r.zone, r.rub_per_kwh, r.valid_from)
            for r in pricing.all_rates(session=session)
        ]
    engine.dispose()
    return rates


def import_log(settings: Settings) -> list[tuple[str, str, str, str, int]]:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        entries = session.exec(select(ImportLog).order_by(col(ImportLog.id))).all()
        staff = [e.user_id for e in entries]
        rows = [(e.file_name, e.format, e.source, e.status, e.rows) for e in entries]
    engine.dispose()
    assert all(user_id is not None for user_id in staff)  # the operator who uploaded is named
    return rows


def shown(user: User) -> list[tuple[str, str, str, str, str]]:
    table = user.find(marker='rates').elements.pop()
    assert isinstance(table, ui.table)
    return [(r['group'], r['zones'], r['zone'], r['rate'], r['from']) for r in table.rows]


async def upload(user: User, name: str, data: bytes) -> None:
    uploader = user.find(marker='tariff-upload').elements.pop()
    assert isinstance(uploader, ui.upload)
    await uploader.handle_uploads([SmallFileUpload(name, 'text/csv', data)])


async def test_staff_sees_the_rates_in_force(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/tariffs')
    await user.should_see('Тарифные ставки')
    for _ in range(100):  # the rates load after the page's title
        if shown(user):
            break
        await asyncio.sleep(0.05)
    assert shown(user) == [('(по умолчанию)', 'однозонный', 'T1', '5,62', '01.01.2026')]


async def test_a_resident_is_sent_away_and_never_sees_the_rates(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'resident@example.com')
    await user.open('/operator/tariffs')
    await user.should_not_see('Тарифные ставки')
    await user.should_not_see(marker='rates')
    await user.should_not_see(marker='tariff-upload')


async def test_a_good_csv_goes_through_the_import_and_its_rates_are_shown(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/tariffs')
    await upload(user, 'rates.csv', GOOD)
    await user.should_see('rates.csv: сохранено 2 ставки', retries=50)
    assert stored(app_env)[1:] == [
        ('село', 2, 1, Decimal('4.08'), date(2026, 7, 1)),
        ('село', 2, 2, Decimal('2.15'), date(2026, 7, 1)),
    ]
    assert shown(user)[1:] == [
        ('село', 'двухзонный', 'T1', '4,08', '01.07.2026'),
        ('село', 'двухзонный', 'T2', '2,15', '01.07.2026'),
    ]
    assert import_log(app_env) == [('rates.csv', 'tariffs', 'upload', 'imported', 2)]


async def test_a_bad_csv_names_its_line_and_stores_nothing(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/tariffs')
    await upload(user, 'bad.csv', BAD)
    await user.should_see("bad.csv: строка 3: дата valid_from '31.06.2026' не существует", retries=50)
    assert len(stored(app_env)) == 1  # only the seeded rate: line 2 was good but the file is stored whole or not
    assert import_log(app_env) == [('bad.csv', '', 'upload', 'rejected', 0)]


async def test_a_registry_dropped_on_the_tariffs_page_is_refused(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/tariffs')
    await upload(user, 'registry.csv', REGISTRY)
    await user.should_see('registry.csv: это не файл тарифных ставок', retries=50)
    await upload(user, 'huge.csv', GOOD + b'#' * 1_000_000)
    await user.should_see('huge.csv: файл больше 1\xa0МБ.', retries=50)
    assert len(stored(app_env)) == 1
    assert import_log(app_env) == []


async def test_the_form_stores_one_rate(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/tariffs')
    user.find(marker='rate-group').type('город')
    user.find(marker='rate-zones').elements.pop().set_value(3)
    zone = user.find(marker='rate-zone').elements.pop()
    assert isinstance(zone, ui.select)
    assert zone.options == {1: 'T1', 2: 'T2', 3: 'T3'}
    zone.set_value(3)
    user.find(marker='rate-value').type('3,5')
    user.find(marker='rate-from').type('01.08.2026')
    user.find(marker='rate-add').click()
    await user.should_see('Ставка сохранена.')
    assert stored(app_env)[1:] == [('город', 3, 3, Decimal('3.5'), date(2026, 8, 1))]
    assert ('город', 'трёхзонный', 'T3', '3,50', '01.08.2026') in shown(user)


async def test_the_form_names_a_bad_rate_next_to_its_field_and_keeps_what_was_typed(
    user: User, app_env: Settings
) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/tariffs')
    user.find(marker='rate-group').type('город')
    user.find(marker='rate-value').type('-1')
    user.find(marker='rate-from').type('1 июля')
    user.find(marker='rate-add').click()
    rate = user.find(marker='rate-value').elements.pop()
    valid = user.find(marker='rate-from').elements.pop()
    assert isinstance(rate, ui.input) and isinstance(valid, ui.input)
    assert rate.error == 'Ставка должна быть больше нуля, например 5,62.'
    assert valid.error == 'Укажите дату в виде 01.07.2026.'
    assert (rate.value, valid.value) == ('-1', '1 июля')
    rate.set_value('5,123456')
    valid.set_value('31.02.2027')
    user.find(marker='rate-add').click()
    assert rate.error == 'Не больше четырёх знаков после запятой.'
    assert valid.error == 'Такой даты нет.'
    assert user.find(marker='rate-group').elements.pop().error is None
    assert len(stored(app_env)) == 1  # nothing was added


async def test_the_form_refuses_a_zero_rate_with_the_reason_the_tariff_file_gives(
    user: User, app_env: Settings
) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/tariffs')
    user.find(marker='rate-group').type('г' * 65)
    user.find(marker='rate-value').type('0,00')
    user.find(marker='rate-from').type('01.08.2026')
    user.find(marker='rate-add').click()
    rate = user.find(marker='rate-value').elements.pop()
    group = user.find(marker='rate-group').elements.pop()
    assert isinstance(rate, ui.input) and isinstance(group, ui.input)
    assert rate.error == 'Ставка должна быть больше нуля, например 5,62.'  # a CSV line gets the same reason
    assert group.error == 'Название группы должно быть не длиннее 64 символов.'
    assert len(stored(app_env)) == 1  # only the seeded rate
