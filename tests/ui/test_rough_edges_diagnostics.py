"""The rough edges of /diagnostics: a filter that hides everything says so, the month and filter are in the URL."""

from __future__ import annotations

from datetime import timedelta

from nicegui import ui
from nicegui.testing import User

from services.core.settings import Settings
from services.residents.diagnostics import Month
from tests.clock import now_of
from tests.ui.helpers import login
from tests.ui.test_home_and_diagnostics import import_event, seed


def last_month(settings: Settings) -> Month:
    local = now_of(settings).astimezone(settings.tz)
    return Month(local.year, local.month).shifted(-1)


async def test_a_filter_that_hides_every_event_says_so_and_counts_the_others(user: User, app_env: Settings) -> None:
    s = seed(app_env)  # a clock correction (journal 13) and a lost connection (journal 5) this month
    await login(user, s.email)
    await user.open('/diagnostics')
    await user.should_see('Поправка 3 с')
    user.find(marker='journal-13').click()
    user.find(marker='show').click()
    await user.should_not_see('Поправка 3 с')
    await user.should_see('Соединение разорвано')
    user.find(marker='journal-5').click()
    user.find(marker='show').click()
    await user.should_see('Событий выбранных типов в этом месяце не было. Других типов — 2 события')
    await user.should_not_see('В этом месяце событий приборов учёта нет')


async def test_the_month_and_the_filter_are_in_the_address_so_a_shared_link_shows_them(
    user: User, app_env: Settings
) -> None:
    s = seed(app_env)
    month = last_month(app_env)
    at = now_of(app_env).astimezone(app_env.tz).replace(day=1, hour=12) - timedelta(days=15)
    import_event(app_env, s.meter_id, 4, 3, at=at)  # the terminal cover seal, a month ago
    await login(user, s.email)
    await user.open('/diagnostics')
    user.find(marker='prev').click()
    await user.should_see('Сработала электронная пломба клеммной крышки')
    assert user.back_history[-1] == f'/diagnostics?month={month.label}'  # the back button returns here
    user.find(marker='journal-4').click()
    user.find(marker='show').click()
    await user.should_see(marker='no-events')
    assert user.back_history[-1] == f'/diagnostics?month={month.label}&types=5,13'
    await user.open(f'/diagnostics?month={month.label}&types=4')  # a link somebody shared
    await user.should_see('Сработала электронная пломба клеммной крышки')
    with user.client:
        assert next(iter(user.find(marker='journal-13').elements)).value is False
        assert next(iter(user.find(marker='journal-4').elements)).value is True


async def event_table(user: User, app_env: Settings) -> ui.table:
    """The resident's /diagnostics event table (the table tab's content)."""
    await login(user, seed(app_env).email)
    await user.open('/diagnostics')
    await user.should_see(marker='event-table')
    with user.client:
        return next(iter(user.find(marker='event-table').elements))  # type: ignore[return-value]


async def test_on_a_phone_the_event_table_drops_meter_and_account_and_wraps_the_event(
    user: User, app_env: Settings
) -> None:
    table = await event_table(user, app_env)
    hidden = {c['name'] for c in table.columns if 'gt-xs' in c.get('classes', '')}
    wrapped = {c['name'] for c in table.columns if 'k-wrap' in c.get('classes', '')}
    assert hidden == {'meter', 'account', 'ask'} and wrapped == {'event'}  # the list tab has them on a phone


async def test_each_row_of_the_event_table_asks_a_question_about_its_event(user: User, app_env: Settings) -> None:
    table = await event_table(user, app_env)
    with user.client:
        list_links = [
            link.props['href'] for link in user.find(ui.link).elements if '/support?event=' in link.props['href']
        ]
    links = [row['ask'] for row in table.rows]
    assert 'ask' in {c['name'] for c in table.columns}
    assert links and all(link.startswith('/support?event=') for link in links)
    assert sorted(links) == sorted(list_links)  # the same events as the list's «Задать вопрос»
