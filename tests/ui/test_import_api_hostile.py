"""The import API and the upload page with hostile files (SPEC §6, O2): a per-file report, never a 500."""

from __future__ import annotations

from pathlib import Path

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from services.core.settings import Settings
from tests.ui.helpers import login
from tests.ui.test_operator_imports import GOOD, TOKEN, seed

HOSTILE = Path(__file__).parents[1] / 'fixtures' / 'hostile'
NAMES = ('obis-1e999999999-kwh.csv', '80020-day-00010101.xml', 'greenbutton-30-digit-value.xml', 'obis-year-9999.csv')


async def test_the_api_answers_hostile_files_with_their_rejections_and_imports_the_good_one(
    user: User, app_env: Settings
) -> None:
    seed(app_env)
    files = [('file', (name, (HOSTILE / name).read_bytes(), 'text/plain')) for name in NAMES]
    files.append(('file', ('good.csv', GOOD, 'text/csv')))
    response = await user.http_client.post('/api/v1/import', files=files, headers=TOKEN)
    assert response.status_code == 422
    report = {f['file']: (f['status'], f['message']) for f in response.json()['files']}
    assert report == {
        'obis-1e999999999-kwh.csv': ('rejected', "obis-1e999999999-kwh.csv: line 3: value '1e999999999' is too large"),
        '80020-day-00010101.xml': (
            'rejected',
            "80020-day-00010101.xml: element message/datetime/day: date '00010101' is too far in the past or "
            'the future',
        ),
        'greenbutton-30-digit-value.xml': (
            'rejected',
            'greenbutton-30-digit-value.xml: element entry[2]/content/IntervalBlock[1]/IntervalReading[1]: '
            "value '111111111111111111111111111111' has too many digits",
        ),
        'obis-year-9999.csv': (
            'rejected',
            "obis-year-9999.csv: line 3: start '9999-12-31T23:00:00-03:00' is too far in the past or the future",
        ),
        'good.csv': ('imported', 'good.csv: imported 1 rows'),
    }


async def test_the_upload_page_gives_a_range_rejection_wholly_in_russian(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'staff@example.com')
    await user.open('/operator/imports')
    upload = user.find(ui.upload).elements.pop()
    volts = GOOD.replace(b'1.0.1.29.0.255', b'1.0.32.7.0.255').replace(b'2026-03-10T00:30:00+03:00', b'')
    await upload.handle_uploads([SmallFileUpload('u.csv', 'text/csv', volts.replace(b'0,1;kWh', b'1200;V'))])
    await user.should_see('u.csv: строка 2: U1 1200 В вне диапазона 0 В … 1000 В', retries=50)
