"""/readings in the simulated browser: every control, drill-down and back, table paging, export, a forged id.

Numbers come from tests/readings_data.py (100 Wh every half hour, a gap of 3 half hours on 10 March).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from nicegui import ui
from nicegui.testing import User

from services.core import fmt
from services.core.db import make_engine
from services.core.settings import Settings
from tests.clock import AWKWARD, TEST_NOW, now_of
from tests.readings_data import Seeded, seed
from tests.ui.helpers import login, open_readings_page, part_text


async def open_readings(user: User, app_env: Settings, **kwargs: Any) -> Seeded:
    engine = make_engine(app_env.database_url)
    seeded = seed(engine, **kwargs)
    engine.dispose()
    await login(user, seeded.email)
    await open_readings_page(user)
    return seeded


def set_value(user: User, marker: str, value: Any) -> None:
    """Choose a value of a select or toggle as a click in the browser would."""
    with user.client:
        for element in user.find(marker=marker).elements:
            element.value = value


async def build(user: User, *, period: str, **values: Any) -> None:
    for marker, value in values.items():
        set_value(user, marker.replace('_', '-'), value)
    set_value(user, 'period', period)
    user.find(marker='build').click()


@pytest.mark.parametrize('instant', [TEST_NOW, *AWKWARD])
async def test_the_section_opens_on_the_current_month_of_the_first_meter(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    today = now_of(app_env).astimezone(app_env.tz).date()
    await user.should_see(fmt.month_title(today.year, today.month))
    await user.should_see('Милур 107')
    await user.should_see('Активная прямая')


async def test_a_calendar_month_shows_the_totals_and_cost_of_the_roll_ups(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    await build(user, period='03.2026')
    await user.should_see('март 2026')
    # 98,900 + 49,600 Wh = 148.5 kWh; 548.90 + 148.80 = 697.70 ₽ (rate change on 15 March)
    await user.should_see('148,5\xa0кВт·ч · 697,70\xa0₽')
    await user.should_see('День: 98,9\xa0кВт·ч · 548,90\xa0₽')
    await user.should_see('Ночь: 49,6\xa0кВт·ч · 148,80\xa0₽')
    await user.should_see('Нет данных за 3 интервала')
    await user.should_see('1 значение оценочное')


async def test_a_billing_month_shows_its_dates_and_totals(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    await build(user, period='03.2026', period_type='billing')
    await user.should_see('расчётный период за март 2026')
    await user.should_see('26 фев – 25 мар 2026')
    await user.should_see('134,1\xa0кВт·ч')  # 89,300 + 44,800 Wh


async def test_clicking_bars_drills_down_from_year_to_day_and_back_returns_step_by_step(
    user: User, app_env: Settings
) -> None:
    await open_readings(user, app_env)
    await build(user, period='2026', interval='year')
    await see_title(user, '2026')
    click_bar(user, 2)
    await see_title(user, 'март 2026')
    click_bar(user, 9)
    await user.should_see('10 марта 2026')
    # 4,800 − 300 Wh = 4.5 kWh; T1 2.9 kWh × 5.00 + T2 1.6 kWh × 3.00 = 14.50 + 4.80 = 19.30 ₽
    await user.should_see('4,5\xa0кВт·ч · 19,30\xa0₽')
    user.find(marker='back').click()
    await user.should_see('март 2026')
    user.find(marker='back').click()
    await see_title(user, '2026')
    await user.should_not_see(marker='back')  # the first chart: nothing to go back to


async def see_title(user: User, title: str) -> None:
    for _ in range(50):
        if part_text(user, 'chart-heading', 'chart-title') == title:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f'the chart title never became {title!r}')


def click_bar(user: User, index: int) -> None:
    user.find(ui.echart).trigger(
        'componentClick',
        {
            'componentType': 'series',
            'seriesType': 'bar',
            'seriesIndex': 0,
            'seriesName': 'День',
            'name': '',
            'dataIndex': index,
            'data': {},
            'value': 0,
        },
    )


async def test_the_energy_select_offers_only_the_meters_energy_types(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    energy = user.find(marker='energy').elements.pop()
    assert list(energy.options.values()) == ['Активная прямая']


async def test_a_period_that_is_not_a_date_is_refused_next_to_the_controls(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    await build(user, period='март')
    await user.should_see('Укажите период в виде 03.2026')


def marked(user: User, marker: str) -> int:
    """How many elements with `marker` the page holds (shown or not)."""
    return sum(marker in e._markers for e in user.client.elements.values())


def browser_opens_tab(user: User, name: str) -> None:
    """What Quasar's q-tabs sends when a tab is clicked in the browser: its model value, as JSON."""
    tabs = next(e for e in user.client.elements.values() if isinstance(e, ui.tabs))
    listener = next(i for i, x in tabs._event_listeners.items() if x.type == 'update:modelValue')
    user.client.handle_event({'id': tabs.id, 'listener_id': listener, 'args': [json.dumps(name)]})


async def test_the_table_and_download_tabs_are_built_when_first_opened_and_kept(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    await user.should_see(marker='chart-heading', content='data-mark="chart-title"')
    assert marked(user, 'table-meter') == 0 and marked(user, 'dl-meter') == 0  # a visit that only looks at the chart
    browser_opens_tab(user, 'table')
    await user.should_see(marker='table-meter')
    await user.should_see(marker='table-csv')  # its first month is shown at once
    assert marked(user, 'dl-meter') == 0
    browser_opens_tab(user, 'chart')
    browser_opens_tab(user, 'table')
    assert marked(user, 'table-meter') == 1  # built once, kept while the page lives
    user.find(marker='tab-download').click()
    await user.should_see(marker='dl-meter')
    assert marked(user, 'dl-meter') == 1


async def test_the_readings_table_pages_by_month_and_marks_gaps(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    user.find(marker='tab-table').click()
    set_value(user, 'table-date', '10.03.2026')
    user.find(marker='table-show').click()
    await user.should_see('март 2026', marker='table-month')  # not the chart's title: the table's month
    await user.should_see(marker='table-csv')
    rows = user.find(marker='readings-table').elements.pop().rows
    # 1 March 00:00: T1 1,089,600 Wh, T2 544,800 Wh, total 1,634,400 Wh; 4,800 Wh used that day
    assert (rows[0]['t1'], rows[0]['t2'], rows[0]['total'], rows[0]['used']) == (
        '1\xa0089,600',
        '544,800',
        '1\xa0634,400',
        '4,800',
    )
    assert rows[9]['note'] == 'нет данных за 3 интервала' and rows[14]['t1'] == '—'
    user.find(marker='table-next').click()
    await user.should_see('апрель 2026')
    user.find(marker='table-prev').click()
    user.find(marker='table-prev').click()
    await user.should_see('февраль 2026')


async def test_the_chart_exports_as_csv_with_units_and_period(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    await build(user, period='03.2026')
    await user.should_see('март 2026')
    await user.should_see(marker='export-csv')  # the chart is built: its download buttons are there
    user.find(marker='export-csv').click()
    response = await user.download.next()
    text = response.content.decode('utf-8-sig')
    assert 'Единица измерения;кВт·ч' in text
    assert 'Период;март 2026 (01.03.2026 – 31.03.2026)' in text
    assert '2026-03-10;2026-03-10T00:00+03:00;2,900;1,600;4,500;3;0;неполные данные' in text


async def test_the_table_exports_as_xlsx(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    user.find(marker='tab-table').click()
    await user.should_see(marker='table-xlsx')
    user.find(marker='table-xlsx').click()
    response = await user.download.next()
    assert response.content[:2] == b'PK'  # a zip container: an XLSX workbook


async def test_a_forged_meter_id_in_an_event_gets_not_found(user: User, app_env: Settings) -> None:
    seeded = await open_readings(user, app_env)
    meter = user.find(marker='meter').elements.pop()
    with user.client:
        meter.options[seeded.other_meter_id] = 'чужой'
        meter.update()
        meter.value = seeded.other_meter_id
    user.find(marker='build').click()
    await user.should_see('Не найдено')
