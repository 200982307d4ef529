"""The «Показания» tile of the main page says what the billing period so far costs (SPEC B1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from nicegui.testing import User
from sqlalchemy import text
from sqlmodel import Session

from models import TariffRate
from services.core.db import make_engine
from services.core.settings import Settings
from services.metering import periods, rollups
from tests.clock import now_of
from tests.factories import make_account, make_meter, make_user
from tests.ui.helpers import login, part_text


def seed(settings: Settings, *, rates: bool) -> str:
    """A one-zone meter with two half hours of 1,500 Wh each from local midnight today, 5.00 ₽ per kWh."""
    tz = settings.tz
    today = now_of(settings).astimezone(tz).date()
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        account = make_account(session, number='690300003')
        meter = make_meter(session, account, serial='77003', tariff_zones=1, installed_on=today)
        make_user(session, accounts=(account,), email='olga@example.com')
        if rates:
            session.add(TariffRate(tariff_group='', tariff_zones=1, zone=1, rub_per_kwh=Decimal('5.00'),
                                   valid_from=date(2020, 1, 1)))  # fmt: skip
        session.commit()
        life = rollups.MeterLife(meter.id or 0, 1, 30, settings.reading_day, today, None)
    midnight = periods.midnight(today, tz)
    with engine.begin() as conn:
        conn.execute(
            text('INSERT INTO interval_energy (meter_id, energy, start, wh, flags) VALUES (:m, 1, :s, 1500, 0)'),
            [{'m': life.id, 's': midnight + k * 1800} for k in range(2)],
        )
        rollups.rebuild(conn, meter=life, energy=1, first=today, last=today, tz=tz)
    engine.dispose()
    return 'olga@example.com'


async def test_the_readings_tile_shows_the_cost_of_the_period_so_far(user: User, app_env: Settings) -> None:
    await login(user, seed(app_env, rates=True))
    await user.should_see(marker='tile-readings')
    await user.should_see('3\xa0кВт·ч · 15,00\xa0₽')  # 2 × 1,500 Wh = 3 kWh × 5.00 ₽


async def test_without_rates_the_tile_shows_energy_only(user: User, app_env: Settings) -> None:
    await login(user, seed(app_env, rates=False))
    await user.should_see(marker='tile-readings', content='data-mark="tile-amount"')
    amount = part_text(user, 'tile-readings', 'tile-amount')
    assert amount == '3\xa0кВт·ч'
