"""The rough edges of /readings a new resident met: the period follows the interval, numbers in Russian form."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlalchemy import text

from services.core.db import make_engine
from services.core.settings import Settings
from services.metering import rollups
from tests.readings_data import FIRST, LAST, NOW, TZ
from tests.ui.helpers import open_readings_page
from tests.ui.test_readings import build, open_readings, set_value


def period_text(user: User) -> str:
    with user.client:
        return str(next(iter(user.find(marker='period').elements)).value)


async def test_switching_the_interval_keeps_the_period_instead_of_going_back_to_january(
    user: User, app_env: Settings
) -> None:
    await open_readings(user, app_env)
    await build(user, period='02.2026')
    await user.should_see('февраль 2026')
    set_value(user, 'interval', 'year')
    assert period_text(user) == '2026'
    set_value(user, 'interval', 'month')
    assert period_text(user) == '02.2026'  # the month shown before, not «01.2026»
    set_value(user, 'interval', 'day')
    assert period_text(user) == '01.02.2026'  # a day of the shown month


async def test_a_day_switched_to_month_and_year_keeps_its_month_and_year(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    await build(user, period='17.03.2026', interval='day')
    await user.should_see('17 марта 2026')
    set_value(user, 'interval', 'month')
    assert period_text(user) == '03.2026'
    set_value(user, 'interval', 'year')
    set_value(user, 'interval', 'day')
    assert period_text(user) == '17.03.2026'


async def test_the_value_axis_of_the_chart_writes_numbers_in_the_russian_form(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)
    await user.should_see(marker='chart')
    with user.client:
        chart = next(iter(user.find(ui.echart).elements))
        formatter = chart.options['yAxis']['axisLabel'][':formatter']
    assert 'Intl.NumberFormat("ru-RU")' in formatter


async def test_the_always_on_load_writes_watts_with_a_thousands_space(user: User, app_env: Settings) -> None:
    engine = make_engine(app_env.database_url)
    seeded = await open_readings(user, app_env)
    life = rollups.MeterLife(seeded.meter_id, 2, 30, 25, FIRST, None)
    with engine.begin() as conn:
        conn.execute(text('UPDATE interval_energy SET wh = 1271'))  # 2 × 1,271 Wh an hour = 2,542 W
        rollups.rebuild(conn, meter=life, energy=1, first=FIRST, last=LAST, tz=TZ)
    engine.dispose()
    await open_readings_page(user)
    await user.should_see('около 2\xa0542\xa0Вт')  # a number and its unit never part at a line break
    await user.should_see('\xa0кВт·ч в месяц или около ')
    await user.should_see('\xa0₽.')


@pytest.mark.parametrize('instant', [NOW])
async def test_the_table_and_its_export_name_zones_as_the_chart_does_and_tell_estimates_from_gaps(
    user: User, app_env: Settings
) -> None:
    await open_readings(user, app_env)
    user.find(marker='tab-table').click()
    set_value(user, 'table-date', '20.03.2026')
    user.find(marker='table-show').click()
    await user.should_see('март 2026', marker='table-month')
    await user.should_see(marker='table-csv')
    with user.client:
        grid = next(iter(user.find(marker='readings-table').elements))
        labels = [c['label'] for c in grid.columns]
    assert 'День, кВт·ч' in labels and 'Ночь, кВт·ч' in labels
    user.find(marker='table-csv').click()
    text = (await user.download.next()).content.decode('utf-8-sig')
    assert 'Дата;День;Ночь;Всего;' in text
    lines = {line.split(';')[0]: line for line in text.splitlines()}
    assert lines['2026-03-20'].endswith(';оценка')
    assert lines['2026-03-10'].endswith(';неполные данные')


async def test_on_a_phone_the_table_keeps_date_total_usage_and_marks_and_drops_the_zone_registers(
    user: User, app_env: Settings
) -> None:
    await open_readings(user, app_env)
    user.find(marker='tab-table').click()
    await user.should_see(marker='table-csv')
    with user.client:
        grid = next(iter(user.find(marker='readings-table').elements))
        hidden = {c['name'] for c in grid.columns if 'gt-xs' in c.get('classes', '')}
    assert hidden == {'t1', 't2'}  # Quasar's gt-xs: shown from 600 px; «Всего», «Расход» and marks stay in sight


async def test_the_forecast_is_a_run_rate_in_whole_kilowatt_hours_and_roubles(user: User, app_env: Settings) -> None:
    await open_readings(user, app_env)  # March 2026 on the 18th: the mean of 1–17 March × 31 days
    await user.should_see('Прогноз на конец периода: 149\xa0кВт·ч ≈ 663\xa0₽; до конца периода 14 дней.')
