"""Pages at awkward instants of the utility's local time: the first minutes of a month, a daylight-saving day.

The portal's clock starts at the chosen instant (KABINET_NOW), so what a page calls "today" and "this month" is
decided by the test, never by the date of the run.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import Session, select

from models import Account
from services.core.clock import ManualClock
from services.core.db import make_engine
from services.core.settings import Settings
from services.core.system import System
from services.ingest import import_files
from tests.clock import BERLIN_FALL_BACK, BERLIN_SPRING_FORWARD, FIRST_MINUTES_OF_A_MONTH, now_of
from tests.factories import make_user
from tests.integration.ingest_helpers import csv, half_hours, registry
from tests.ui.helpers import login, open_readings_page, part_text
from tests.ui.test_home_and_diagnostics import seed as seed_events
from tests.ui.test_readings import build

BERLIN_ROW = '8801;Berlin, Hauptstraße 1;Anna Schmidt;B-1;1;30;2026-01-01;'


@pytest.mark.parametrize('instant', [FIRST_MINUTES_OF_A_MONTH - timedelta(minutes=2)])
async def test_events_minutes_before_local_midnight_of_the_first_belong_to_the_month_before(
    user: User, app_env: Settings
) -> None:
    s = seed_events(app_env)  # events at 23:58 and 23:59 of 31 March (00:03 on 1 April less 5 and 4 minutes)
    await login(user, s.email)
    await user.open('/diagnostics')
    assert user.find(marker='period').elements.pop().text.lower().startswith('апрель 2026')
    await user.should_see(marker='no-events')
    user.find(marker='prev').click()
    await user.should_see('Поправка 3 с')


@pytest.mark.parametrize('timezone', ['Europe/Berlin'])
@pytest.mark.parametrize(
    ('instant', 'hours', 'total'),
    [(BERLIN_SPRING_FORWARD, 23, '4,6\xa0кВт·ч'), (BERLIN_FALL_BACK, 25, '5\xa0кВт·ч')],  # 46 and 50 × 100 Wh
    ids=['spring-forward', 'fall-back'],
)
async def test_the_day_chart_of_a_clock_change_day_has_its_real_number_of_hours(
    user: User, app_env: Settings, hours: int, total: str
) -> None:
    day = now_of(app_env).astimezone(app_env.tz).date()
    _seed_berlin_day(app_env, day, half_hour_count=hours * 2)
    await login(user, 'anna@example.com')
    await open_readings_page(user)
    await build(user, period=day.strftime('%d.%m.%Y'), interval='day')
    assert await _bars(user, until=hours) == hours
    for _ in range(60):
        if part_text(user, 'summary', 'total') == total:
            break
        await asyncio.sleep(0.05)
    assert part_text(user, 'summary', 'total') == total


async def _bars(user: User, *, until: int) -> int:
    """The number of bars of the chart, once it has `until` of them (the chart is rebuilt after «Построить»)."""
    count = 0
    for _ in range(100):
        charts = [e for e in user.client.elements.values() if isinstance(e, ui.echart)]
        count = len(charts[0].options['series'][0]['data']) if charts else 0
        if count == until:
            break
        await asyncio.sleep(0.05)
    return count


def _seed_berlin_day(settings: Settings, day: date, *, half_hour_count: int) -> None:
    """A Berlin meter with 100 Wh in every half hour of `day`, imported through the pipeline."""
    engine = make_engine(settings.database_url)
    system = System(settings=settings, engine=engine, clock=ManualClock(now_of(settings)))
    values = ['0,1'] * half_hour_count
    files = [('r.csv', registry(BERLIN_ROW)), ('d.csv', csv(*half_hours('B-1', day, values, tz=settings.tz)))]
    reports = import_files(system=system, files=files, source='cli', now=now_of(settings) + timedelta(hours=13))
    assert all(r.ok for r in reports), [r.message() for r in reports]
    with Session(engine) as session:
        account = session.exec(select(Account).where(Account.number == '8801')).one()
        make_user(session, accounts=(account,), email='anna@example.com')
        session.commit()
    engine.dispose()
