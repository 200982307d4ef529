"""«Скачать мои данные» on /readings: the chosen meter and days as Green Button XML or CSV, a wrong range refused."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from nicegui.testing import User
from sqlmodel import Session

from models import SupportRequest
from services.core.db import make_engine
from services.core.settings import Settings
from tests.readings_data import NOW
from tests.ui.test_readings import open_readings, set_value


async def choose_days(user: User, app_env: Settings, first: str, last: str) -> None:
    """Readings → «Скачать мои данные», with the days first..last (dd.mm.yyyy) chosen."""
    await open_readings(user, app_env)
    user.find(marker='tab-download').click()
    set_value(user, 'dl-from', first)
    set_value(user, 'dl-to', last)


async def test_the_download_tab_gives_green_button_xml_of_the_chosen_days(user: User, app_env: Settings) -> None:
    await choose_days(user, app_env, '10.03.2026', '10.03.2026')
    user.find(marker='dl-button').click()
    xml = (await user.download.next()).content.decode('utf-8')
    assert '<espi:uom>72</espi:uom>' in xml and '<espi:intervalLength>1800</espi:intervalLength>' in xml
    assert xml.count('<espi:IntervalReading>') == 48  # the three missing half hours are there, without a value
    assert xml.count('<espi:value>') == 45


@pytest.mark.parametrize('instant', [NOW])  # after the data: 20 March has passed
async def test_the_csv_download_marks_the_estimated_half_hour(user: User, app_env: Settings) -> None:
    await choose_days(user, app_env, '20.03.2026', '20.03.2026')
    set_value(user, 'dl-format', 'csv')
    user.find(marker='dl-button').click()
    lines = (await user.download.next()).content.decode('utf-8-sig').splitlines()
    assert len(lines) == 49 and [line for line in lines if line.endswith(';estimated')] == [
        next(line for line in lines if 'T03:00+03:00' in line)
    ]


async def test_an_end_before_the_start_is_refused_next_to_the_dates(user: User, app_env: Settings) -> None:
    await choose_days(user, app_env, '20.03.2026', '10.03.2026')
    user.find(marker='dl-button').click()
    await user.should_see('Дата окончания раньше даты начала.')


async def test_settings_give_a_zip_of_everything_the_portal_holds_about_the_resident(
    user: User, app_env: Settings
) -> None:
    seeded = await open_readings(user, app_env)
    engine = make_engine(app_env.database_url)
    with Session(engine) as session:
        session.add(SupportRequest(user_id=seeded.user_id, subject='Счёт за март'))
        session.commit()
    engine.dispose()
    await user.open('/settings')
    user.find(marker='download-archive').click()
    archive = zipfile.ZipFile(io.BytesIO((await user.download.next()).content))
    names = set(archive.namelist())
    assert {'profile.json', 'accounts.json', 'meters.json', 'support.json'} <= names
    assert json.loads(archive.read('profile.json'))['email'] == seeded.email
    assert [m['model'] for m in json.loads(archive.read('meters.json'))] == ['Милур 107']
    assert json.loads(archive.read('support.json'))[0]['subject'] == 'Счёт за март'
    readings = [name for name in names if name.startswith('readings/')]
    assert len(readings) == 1 and b'IntervalReading' in archive.read(readings[0])
