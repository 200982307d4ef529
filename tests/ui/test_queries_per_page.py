"""A page build asks the database a few statements, however many accounts and meters the resident has.

When many residents open the main page at once, the database work of each build is what they wait for (it shares
the interpreter's lock with the event loop): a statement per meter or per account would make a resident with five
meters cost five times one with a meter. The statements are counted as the driver sees them, from the GET of the
page until every tile, the chart and the menu's badges are shown.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from nicegui.testing import User
from sqlalchemy import text
from sqlmodel import Session

from models import TariffRate
from services.core.db import make_engine
from services.core.settings import Settings
from services.metering import periods, rollups
from tests.clock import now_of
from tests.factories import make_account, make_meter, make_user
from tests.statements import statements_sent
from tests.ui.helpers import login
from tests.ui.test_home_and_diagnostics import add_event

# What a page build sends: the session with its user; the menu's badges (new events, new replies); then for `/` the
# resident's accounts with meters and names, their days of both years, the rates, the newest new event, the latest
# request with the open count, notices, comparisons (the new events and replies are the badges' figures, read once);
# for `/readings` the accounts with meters, their energy types, comparisons, and the chart (the handler's session
# check, the meter, its roll-ups and rates).
HOME_AT_MOST = 10
READINGS_AT_MOST = 9


def seed(settings: Settings, *, accounts: int, meters_per_account: int) -> str:
    """A resident with accounts × meters, each meter with a noon half hour of 500 Wh on every day of the billing
    period so far and of the same days a year ago, an event imported since the resident registered, and rates."""
    tz, now = settings.tz, now_of(settings)
    today = now.astimezone(tz).date()
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        owned = [make_account(session, reading_day=25) for _ in range(accounts)]
        meters = [
            make_meter(session, a, installed_on=date(2024, 1, 1)) for a in owned for _ in range(meters_per_account)
        ]
        make_user(session, accounts=tuple(owned), email='many@example.com', created_at=now - timedelta(days=30))
        for meter in meters:
            add_event(session, meter, now - timedelta(hours=1), 13, 1)
        session.add(TariffRate(tariff_group='', tariff_zones=1, zone=1, rub_per_kwh=Decimal('5.00'),
                               valid_from=date(2020, 1, 1)))  # fmt: skip
        session.commit()
        lives = {m.id or 0: rollups.MeterLife(m.id or 0, 1, 30, 25, date(2024, 1, 1), None) for m in meters}
    spans = [(today - timedelta(days=30), today), (today - timedelta(days=395), today - timedelta(days=335))]
    with engine.begin() as conn:
        conn.execute(
            text('INSERT INTO interval_energy (meter_id, energy, start, wh, flags) VALUES (:m, 1, :s, 500, 0)'),
            [
                {'m': meter_id, 's': periods.midnight(day, tz) + 12 * 3600}
                for meter_id in lives
                for first, last in spans
                for day in periods.days(first, last)
            ],
        )
        for first, last in spans:
            rollups.rebuild_many(conn, meters=lives, first=first, last=last, tz=tz, energies=(1,))
    engine.dispose()
    return 'many@example.com'


async def logged_in(user: User, settings: Settings, *, accounts: int, meters_per_account: int) -> None:
    """Logged in, on the main page the login led to, with everything it loads after connecting shown."""
    await login(user, seed(settings, accounts=accounts, meters_per_account=meters_per_account))
    await user.should_see(marker='tile-readings', content='data-mark="tile-change"', retries=100)
    await user.should_see(marker='main-menu', content='data-mark="badge-/diagnostics"')


async def home_statements(user: User, settings: Settings, *, accounts: int, meters_per_account: int) -> list[str]:
    await logged_in(user, settings, accounts=accounts, meters_per_account=meters_per_account)
    with statements_sent() as sent:
        await user.open('/')
        # the readings tile with its year-on-year change
        await user.should_see(marker='tile-readings', content='data-mark="tile-change"', retries=100)
        await user.should_see(marker='tile-diagnostics', content='data-mark="tile-new-events"')
        await user.should_see(marker='main-menu', content='data-mark="badge-/diagnostics"')
    return sent


async def readings_statements(user: User, settings: Settings, *, accounts: int, meters_per_account: int) -> list[str]:
    await logged_in(user, settings, accounts=accounts, meters_per_account=meters_per_account)
    with statements_sent() as sent:
        await user.open('/readings')
        await user.should_see(marker='tab-chart', retries=100)
        await user.should_see(marker='export-csv', retries=100)  # the chart is drawn with its summary
        await user.should_see(marker='main-menu', content='data-mark="badge-/diagnostics"')
    return sent


# The same bound for one meter as for five or six: a statement per meter or per account would exceed it.
HOLDINGS = [(1, 1), (1, 5), (3, 2)]


@pytest.mark.parametrize(('accounts', 'meters_per_account'), HOLDINGS)
async def test_the_main_page_asks_as_few_statements_for_six_meters_as_for_one(
    user: User, app_env: Settings, accounts: int, meters_per_account: int
) -> None:
    sent = await home_statements(user, app_env, accounts=accounts, meters_per_account=meters_per_account)
    assert len(sent) <= HOME_AT_MOST, '\n'.join(sent)


@pytest.mark.parametrize(('accounts', 'meters_per_account'), HOLDINGS)
async def test_the_readings_page_asks_as_few_statements_for_six_meters_as_for_one(
    user: User, app_env: Settings, accounts: int, meters_per_account: int
) -> None:
    sent = await readings_statements(user, app_env, accounts=accounts, meters_per_account=meters_per_account)
    assert len(sent) <= READINGS_AT_MOST, '\n'.join(sent)
