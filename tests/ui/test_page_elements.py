"""What an open tab holds on the server: few elements on the main page and Readings, and every text written into
their HTML parts escaped (names, notices and the utility's name are data, not markup)."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import Session

from models import MeterName, Role
from services.content import notices
from services.core.db import make_engine
from services.core.settings import Settings
from tests.clock import now_of
from tests.factories import make_user
from tests.readings_data import seed
from tests.ui.helpers import html_of, login, open_readings_page

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
# A one-meter resident (tests/readings_data.py) with a notice. 4 elements are NiceGUI's page itself; the frame adds
# its header, the drawer's button, the name-and-menu bar, the theme button (its tooltip is the browser's), the user
# button, the dark mode, the drawer (empty until opened) and the content column with the title: 13 in all. The
# session check is one timer for all tabs and the menu's badges a task, neither an element. The main page adds the
# tile grid, 4 tiles and the notice (19); Readings its tabs, the chart's panel, controls, heading, chart, summary and
# download buttons (39). Every label, row and icon an element of its own made 56 and 71.
MAIN_PAGE_AT_MOST = 19
READINGS_AT_MOST = 39


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={'utility_name': f'АО «{HOSTILE}»'})


def seed_hostile(app_env: Settings) -> str:
    """The resident of tests/readings_data.py, with a meter named like a script and a notice for the address."""
    engine = make_engine(app_env.database_url)
    seeded = seed(engine)
    with Session(engine) as session:
        session.add(MeterName(user_id=seeded.user_id, meter_id=seeded.meter_id, name=f'Дача {HOSTILE}'))
        operator = make_user(session, role=Role.operator)
        now = now_of(app_env)  # the factories' accounts are all in г. Тверь
        draft = notices.Draft(f'Отключение {HOSTILE}', f'Текст {HOSTILE}', 'г. Тверь', now.date(), now.date())
        notices.publish(session=session, actor=operator, draft=draft, settings=app_env, now=now)
        session.commit()
    engine.dispose()
    return seeded.email


async def open_main_page(user: User, app_env: Settings) -> None:
    await login(user, seed_hostile(app_env))
    await user.should_see(marker='tile-support', retries=100)  # the last tile
    await user.should_see(marker='badges-counted', retries=100)  # the menu's badges are counted


async def test_the_main_page_of_a_one_meter_resident_holds_few_elements(user: User, app_env: Settings) -> None:
    await open_main_page(user, app_env)
    assert len(user.client.elements) <= MAIN_PAGE_AT_MOST


async def test_readings_of_a_one_meter_resident_holds_few_elements(user: User, app_env: Settings) -> None:
    await login(user, seed_hostile(app_env))
    await open_readings_page(user)
    await user.should_see(marker='summary', retries=100)  # the chart and its figures are shown
    assert len(user.client.elements) <= READINGS_AT_MOST


async def test_names_and_notices_in_the_html_parts_are_shown_as_text_never_run(user: User, app_env: Settings) -> None:
    await open_main_page(user, app_env)
    await user.should_see(marker='notice')
    shown = {marker: html_of(user, marker).text for marker in ('main-menu', 'tile-readings', 'notice')}
    assert f'АО «{HOSTILE}»' in shown['main-menu']  # the utility's name, in the header
    assert f'Дача {HOSTILE}' in shown['tile-readings']  # the resident's name for the meter
    assert f'Отключение {HOSTILE}' in shown['notice'] and f'Текст {HOSTILE}' in shown['notice']
    for element in user.client.elements.values():
        if isinstance(element, ui.html):
            assert '<script' not in element.content and '<img' not in element.content
