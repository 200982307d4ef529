"""Main page tiles, new-event badges, and the Diagnostics page with filters and paging (SPEC S5, S9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlalchemy import text
from sqlmodel import Session

from models import Meter, MeterEvent
from services.core.db import make_engine
from services.core.settings import Settings
from services.metering import spodes
from tests.clock import now_of
from tests.factories import make_account, make_meter, make_user
from tests.ui.helpers import login, part_text


@dataclass
class Seed:
    email: str
    meter_id: int


def seed(settings: Settings) -> Seed:
    """A resident registered a week ago with one meter and two events imported since."""
    now = now_of(settings)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        account = make_account(session, number='690200002')
        meter = make_meter(session, account, serial='88002', model='Нева МТ 114')
        make_user(session, accounts=(account,), email='ivan@example.com', created_at=now - timedelta(days=7))
        add_event(session, meter, now - timedelta(minutes=5), 13, 1, note='Поправка 3 с')  # warning
        add_event(session, meter, now - timedelta(minutes=4), 5, 1)  # info
        session.commit()
        found = Seed('ivan@example.com', meter.id or 0)
    engine.dispose()
    return found


def add_event(
    session: Session,
    meter: Meter | int,
    at: datetime,
    journal: int,
    code: int,
    note: str = '',
    imported_at: datetime | None = None,
) -> None:
    meter_id = meter if isinstance(meter, int) else meter.id or 0
    severity = spodes.severity(journal, code)
    session.add(
        MeterEvent(
            meter_id=meter_id, at=at, journal=journal, code=code, severity=severity, note=note,
            imported_at=imported_at or at,
        )
    )  # fmt: skip


def import_event(settings: Settings, meter_id: int, journal: int, code: int, at: datetime | None = None) -> None:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        now = now_of(settings)  # imported when the portal's clock started, before the test opens any page
        add_event(session, meter_id, at or now - timedelta(minutes=3), journal, code, imported_at=now)
        session.commit()
    engine.dispose()


async def badge_text(user: User) -> str | None:
    await user.should_see(marker='main-menu', content=DIAGNOSTICS_BADGE)  # counted once the page is connected
    return part_text(user, 'main-menu', 'badge-/diagnostics')


DIAGNOSTICS_BADGE = 'data-mark="badge-/diagnostics"'


async def test_the_main_page_shows_a_tile_per_section_and_each_opens_its_section(user: User, app_env: Settings) -> None:
    s = seed(app_env)
    await login(user, s.email)
    await user.should_see(marker='tile-subscriber')
    await user.should_see('1 лицевой счёт')
    await user.should_see('1 прибор учёта')
    await user.should_see(marker='tile-readings')
    await user.should_see('2 новых события')
    tile = user.find(marker='tile-subscriber').elements.pop()
    assert (tile.props['tag'], tile.props['href']) == ('a', '/subscriber')  # the whole tile links to its section
    await user.open('/subscriber')  # where a click on that link leads (Chromium clicks it: tests/e2e)
    await user.should_see('Лицевой счёт 690200002')


async def test_the_phone_drawer_is_built_when_it_first_opens_with_the_menus_badges(
    user: User, app_env: Settings
) -> None:
    s = seed(app_env)
    await login(user, s.email)
    await badge_text(user)  # the figures have come
    drawer = next(e for e in user.client.elements.values() if isinstance(e, ui.left_drawer))
    assert not drawer.default_slot.children  # a page that nobody opens the drawer on holds no list
    user.find(marker='menu-toggle').click()
    await user.should_see('Диагностика', kind=ui.item_label)
    with user.client:
        badge = next(e for e in drawer.descendants() if isinstance(e, ui.badge))
    assert badge.text == '2'
    user.find(marker='menu-toggle').click()  # closed and opened again: the same list
    user.find(marker='menu-toggle').click()
    assert sum(isinstance(e, ui.list) for e in drawer.descendants()) == 1


async def test_a_new_imported_event_raises_the_badge_and_opening_diagnostics_clears_it(
    user: User, app_env: Settings
) -> None:
    s = seed(app_env)
    await login(user, s.email)
    assert await badge_text(user) == '2'
    import_event(app_env, s.meter_id, 4, 1)  # a magnetic field: critical
    await user.open('/')
    assert await badge_text(user) == '3'
    await user.should_see('3 новых события')
    await user.open('/diagnostics')
    await user.should_see('Магнитное поле — начало')
    await user.should_see(marker='main-menu')
    await user.should_not_see(marker='main-menu', content=DIAGNOSTICS_BADGE)
    await user.open('/')
    await user.should_see('Новых событий нет')


async def test_diagnostics_shows_the_meter_and_account_of_each_event_and_pairs_episodes(
    user: User, app_env: Settings
) -> None:
    s = seed(app_env)
    start = now_of(app_env).replace(microsecond=0) - timedelta(minutes=50)
    import_event(app_env, s.meter_id, 2, 1, at=start)
    import_event(app_env, s.meter_id, 2, 2, at=start + timedelta(minutes=35))
    await login(user, s.email)
    await user.open('/diagnostics')
    await user.should_see('Выключение питания счётчика')
    await user.should_see('Длительность: 35 мин')
    await user.should_see('Нева МТ 114 №\xa088002')
    await user.should_see('Лицевой счёт 690200002')
    await user.should_see('Поправка 3 с')
    user.find('Таблица').click()
    table = user.find(ui.table).elements.pop()
    assert len(table.rows) == 3  # the episode, the clock correction, the lost connection


async def test_unticking_an_event_type_and_pressing_show_hides_those_events(user: User, app_env: Settings) -> None:
    s = seed(app_env)
    await login(user, s.email)
    await user.open('/diagnostics')
    await user.should_see('Коррекция времени')
    user.find(marker='journal-13').click()
    user.find(marker='show').click()
    await user.should_not_see('Поправка 3 с')
    await user.should_see('Соединение разорвано')


async def test_paging_back_a_month_shows_that_months_events_and_forward_returns(user: User, app_env: Settings) -> None:
    s = seed(app_env)
    now = now_of(app_env)
    last_month = (now.replace(day=1) - timedelta(days=15)).replace(hour=12)
    import_event(app_env, s.meter_id, 4, 3, at=last_month)  # terminal cover seal, a month ago
    await login(user, s.email)
    await user.open('/diagnostics')
    await user.should_not_see('Сработала электронная пломба клеммной крышки')
    user.find(marker='prev').click()
    await user.should_see('Сработала электронная пломба клеммной крышки')
    await user.should_not_see('Поправка 3 с')
    user.find(marker='prev').click()
    await user.should_see(marker='no-events')
    user.find(marker='next').click()  # each step opens the month's own address: wait for it
    await user.should_see('Сработала электронная пломба клеммной крышки')
    user.find(marker='next').click()
    await user.should_see('Поправка 3 с')


async def test_diagnostics_never_shows_another_residents_events(user: User, app_env: Settings) -> None:
    s = seed(app_env)
    engine = make_engine(app_env.database_url)
    with Session(engine) as session:
        other = make_account(session, number='690999998')
        foreign = make_meter(session, other, serial='66666')
        add_event(session, foreign, now_of(app_env) - timedelta(hours=1), 4, 4)  # case seal
        session.commit()
    engine.dispose()
    await login(user, s.email)
    await user.open('/diagnostics')
    await user.should_see('Поправка 3 с')
    await user.should_not_see('Сработала электронная пломба корпуса')
    await user.should_not_see('690999998')


async def test_the_menus_badges_are_counted_even_when_the_main_pages_figures_cannot_be_read(
    user: User, app_env: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    s = seed(app_env)
    engine = make_engine(app_env.database_url)
    with engine.begin() as conn:  # the tiles' one transaction fails at its last read; the badges need none of it
        conn.execute(text('ALTER TABLE home_comparison RENAME TO home_comparison_away'))
    try:
        await login(user, s.email)
        assert await badge_text(user) == '2'  # the page promised the figures, failed, and the frame counted them
        await user.should_not_see(marker='tile-readings')
    finally:
        with engine.begin() as conn:  # PostgreSQL's test database keeps its tables from test to test
            conn.execute(text('ALTER TABLE home_comparison_away RENAME TO home_comparison'))
        engine.dispose()
    failures = [r.getMessage() for r in caplog.get_records('call') if r.levelname == 'ERROR']
    assert failures and all('home_comparison' in text for text in failures)  # logged for the operator
    caplog.clear()  # the failure this test made is the one expected
