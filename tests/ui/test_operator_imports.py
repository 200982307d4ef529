"""The operator's import page and the import API in the simulated app (O2, O7)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from sqlmodel import Session

from models import ImportLog, Role
from services.core.db import make_engine
from services.core.settings import Settings
from tests.factories import make_account, make_meter, make_user
from tests.ui.helpers import login

GOOD = (
    b'meter;obis;start;end;value;unit;status\n'
    b'IMP-1;1.0.1.29.0.255;2026-03-10T00:00:00+03:00;2026-03-10T00:30:00+03:00;0,1;kWh;\n'
)
BAD = GOOD + b'IMP-1;1.0.1.29.0.255;yesterday;;1;Wh;\n'
TOKEN = {'Authorization': 'Bearer test-api-token'}


def seed(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        account = make_account(session, number='690200001', address='г. Тверь, ул. Садовая, д. 3')
        make_meter(session, account, serial='IMP-1', installed_on=None)
        make_meter(session, account, serial='QUIET-9')
        make_user(session, accounts=(account,), email='resident@example.com')
        make_user(session, email='staff@example.com', role=Role.operator)
        session.commit()
    engine.dispose()


@pytest.fixture
def small_limit(app_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv('KABINET_UPLOAD_MAX_MB', '1')
    yield


async def test_an_operator_uploads_a_good_and_a_bad_file_and_sees_both_reports(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/imports')
    await user.should_see('Импорт данных')
    upload = user.find(ui.upload).elements.pop()
    await upload.handle_uploads(
        [SmallFileUpload('good.csv', 'text/csv', GOOD), SmallFileUpload('bad.csv', 'text/csv', BAD)]
    )
    await user.should_see('good.csv: загружена 1 запись', retries=50)
    await user.should_see(
        "bad.csv: строка 3: значение start 'yesterday' не является меткой времени ISO 8601", retries=50
    )
    await user.should_see('Готово.', retries=50)


async def test_the_data_health_list_names_a_meter_that_never_sent_data(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/imports')
    await user.should_see('Контроль поступления данных')
    await user.should_see('2 прибора учёта')
    table = user.find(marker='health').elements.pop()
    assert [(row['serial'], row['last']) for row in table.rows] == [
        ('IMP-1', 'не поступали'),
        ('QUIET-9', 'не поступали'),
    ]


async def test_a_resident_never_gets_the_import_page(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'resident@example.com')
    await user.open('/operator/imports')
    await user.should_not_see('Журнал импорта')
    await user.should_not_see('Импорт данных')


async def test_the_api_refuses_a_missing_or_wrong_token(user: User, app_env: Settings) -> None:
    client = user.http_client
    assert (await client.post('/api/v1/import?filename=a.csv', content=GOOD)).status_code == 401
    wrong = {'Authorization': 'Bearer nope'}
    assert (await client.post('/api/v1/import?filename=a.csv', content=GOOD, headers=wrong)).status_code == 401


async def test_the_api_imports_a_raw_body_and_multipart_files(user: User, app_env: Settings) -> None:
    seed(app_env)
    client = user.http_client
    response = await client.post('/api/v1/import?filename=raw.csv', content=GOOD, headers=TOKEN)
    assert response.status_code == 200
    assert response.json()['files'][0] | {'warnings': []} == {
        'file': 'raw.csv', 'status': 'imported', 'format': 'obis_csv', 'rows': 1,
        'message': 'raw.csv: imported 1 rows', 'warnings': [],
    }  # fmt: skip
    files = [('file', ('../../etc/good.csv', GOOD, 'text/csv')), ('file', ('bad.csv', BAD, 'text/csv'))]
    response = await client.post('/api/v1/import', files=files, headers=TOKEN)
    assert response.status_code == 422
    assert [(f['file'], f['status']) for f in response.json()['files']] == [
        ('good.csv', 'imported'),
        ('bad.csv', 'rejected'),
    ]


async def test_the_api_refuses_a_body_over_the_size_limit(small_limit: None, user: User) -> None:
    big = b'x' * (1024 * 1024 + 70_000)  # over 1 MB and the multipart allowance
    response = await user.http_client.post('/api/v1/import?filename=big.csv', content=big, headers=TOKEN)
    assert response.status_code == 413

    async def stream():  # no Content-Length: the limit is enforced while reading
        for _ in range(20):
            yield b'y' * 100_000

    response = await user.http_client.post('/api/v1/import?filename=big.csv', content=stream(), headers=TOKEN)
    assert response.status_code == 413


async def test_the_import_log_gives_a_rejection_in_russian_while_the_api_keeps_english(
    user: User, app_env: Settings
) -> None:
    seed(app_env)
    unknown = GOOD.replace(b'IMP-1', b'NOPE-7')
    response = await user.http_client.post('/api/v1/import?filename=x.csv', content=unknown, headers=TOKEN)
    assert response.json()['files'][0]['message'] == 'x.csv: line 2: unknown meter NOPE-7 (not in the registry)'
    await login(user, 'staff@example.com')
    await user.open('/operator/imports')
    await user.should_see('Журнал импорта')
    table = user.find(marker='import-log').elements.pop()
    assert [row['message'] for row in table.rows] == ['x.csv: строка 2: неизвестный счётчик NOPE-7 (его нет в реестре)']


async def test_an_import_log_row_from_before_message_codes_is_shown_as_its_english_text(
    user: User, app_env: Settings
) -> None:
    seed(app_env)
    old = "old.csv: line 4: start 'soon' is not an ISO 8601 timestamp"
    engine = make_engine(app_env.database_url)
    with Session(engine) as session:
        at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
        session.add(ImportLog(file_name='old.csv', source='cli', status='rejected', message=old, started_at=at))
        session.commit()
    engine.dispose()
    await login(user, 'staff@example.com')
    await user.open('/operator/imports')
    await user.should_see('Журнал импорта')
    table = user.find(marker='import-log').elements.pop()
    assert [row['message'] for row in table.rows] == [old]
