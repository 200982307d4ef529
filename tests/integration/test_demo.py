"""The demo utility is realistic (SPEC §5 figures) and has every case the product must show."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from models import Account, InstantValue, Meter, MeterEvent, User
from services.core.db import make_engine
from services.core.settings import Settings
from services.core.system import System
from services.demo.loader import DemoAlreadyLoaded, load_demo
from services.metering import series, similar_homes
from services.residents import access
from tests.conftest import fresh_database

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


class FrozenSystem(System):
    def now(self) -> datetime:
        return NOW


@pytest.fixture(scope='module')
def demo(template_db: Path | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FrozenSystem]:
    url = fresh_database(template_db, tmp_path_factory.mktemp('demo'))
    settings = Settings(_env_file=None, database_url=url, mode='test', timezone='Europe/Moscow', reading_day=25)
    system = FrozenSystem(settings=settings, engine=make_engine(url))
    # 300 accounts, as `make run` loads: enough homes like the demo resident's for «Similar homes»
    load_demo(system=system, accounts=300, password='demo-pass-1')
    yield system
    system.engine.dispose()


def resident_meters(system: System) -> list[access.MeterView]:
    with system.session() as session:
        user = session.exec(select(User).where(User.email == 'demo@example.com')).one()
        return access.meters_of(session=session, user=user, include_removed=True)


def monthly_kwh(system: System, serial: str, first: date, last: date) -> list[series.SeriesRow]:
    with system.session() as session:
        meter = session.exec(select(Meter).where(Meter.serial == serial)).one()
        life = access.meter_life(session=session, meter_id=meter.id or 0, default_reading_day=25)
        return series.series(
            session.connection(),
            meter=life,
            energy=1,
            interval='month',
            period='calendar',
            first=first,
            last=last,
            tz=system.settings.tz,
            now=int(NOW.timestamp()),
        )


def test_the_registry_holds_the_requested_accounts_and_most_are_not_registered(demo: FrozenSystem) -> None:
    with demo.session() as session:
        accounts = session.exec(select(func.count()).select_from(Account)).one()
        users = session.exec(select(func.count()).select_from(User)).one()
    assert accounts == 300
    assert users < accounts / 2


def test_the_demo_resident_has_two_accounts_three_meters_of_one_two_and_three_zones(demo: FrozenSystem) -> None:
    meters = resident_meters(demo)
    current = [m for m in meters if m.removed_on is None]
    assert len({m.account_id for m in meters}) == 2
    assert sorted(m.tariff_zones for m in current) == [1, 2, 3]
    assert [m.phases for m in current].count(3) == 1
    assert len([m for m in meters if m.removed_on is not None]) == 1  # the replaced meter


def test_a_two_zone_flat_uses_night_energy_for_a_quarter_to_a_third(demo: FrozenSystem) -> None:
    rows = [r for r in monthly_kwh(demo, '41907733', date(2026, 2, 1), date(2026, 10, 31)) if r.total]
    night = sum(r.zones[2] for r in rows) / sum(r.total for r in rows)
    assert 0.25 <= night <= 0.35


def test_monthly_consumption_is_that_of_a_flat_with_an_electric_stove_and_a_heated_house(demo: FrozenSystem) -> None:
    flat = [r.total / 1000 for r in monthly_kwh(demo, '41907733', date(2026, 2, 1), date(2026, 10, 31))]
    assert all(250 <= kwh <= 420 for kwh in flat), flat
    house = {r.label: r.total / 1000 for r in monthly_kwh(demo, '23450981', date(2025, 1, 1), date(2025, 7, 31))}
    assert 1000 <= house['2025-01'] <= 3000  # heated by electricity in winter
    assert house['2025-07'] < 500


def test_the_flat_has_a_gap_of_missing_hours_and_the_house_an_estimated_day(demo: FrozenSystem) -> None:
    flat = monthly_kwh(demo, '41907733', date(2026, 11, 1), date(2026, 11, 30))[0]
    house = monthly_kwh(demo, '23450981', date(2026, 10, 1), date(2026, 10, 31))[0]
    assert flat.missing == 12  # six hours of half-hour intervals
    assert house.estimated == 48  # one whole day of half hours


def test_one_meter_is_due_for_verification_within_60_days(demo: FrozenSystem) -> None:
    with demo.session() as session:
        due = []
        for meter in session.exec(select(Meter).where(Meter.serial.in_(['41907733', '23450981', '56001274']))).all():
            assert meter.verified_on and meter.verification_interval_years
            next_due = meter.verified_on.replace(year=meter.verified_on.year + meter.verification_interval_years)
            due.append(0 <= (next_due - NOW.date()).days <= 60)
    assert due.count(True) == 1


def test_events_include_outages_a_magnetic_tamper_and_a_clock_fault_that_recovered(demo: FrozenSystem) -> None:
    with demo.session() as session:
        kinds = {(e.journal, e.code) for e in session.exec(select(MeterEvent)).all()}
    assert {(2, 1), (2, 2), (4, 1), (4, 2), (7, 5), (7, 6), (13, 1), (0, 19)} <= kinds


def test_one_meter_is_disconnected_remotely_with_a_reason(demo: FrozenSystem) -> None:
    with demo.session() as session:
        relays = session.exec(select(InstantValue).where(InstantValue.quantity == 'relay')).all()
        reason = session.exec(select(MeterEvent).where(MeterEvent.journal == 2, MeterEvent.code == 3)).one()
    assert sorted(r.value for r in relays) == [0.0, 1.0, 1.0]
    assert 'заявке' in reason.note


def test_voltages_and_power_of_the_last_day_are_within_household_ranges(demo: FrozenSystem) -> None:
    since = int((NOW - timedelta(days=1)).timestamp())
    with demo.session() as session:
        values = session.exec(select(InstantValue).where(InstantValue.at >= since)).all()
    volts = [v.value for v in values if v.quantity.startswith('U')]
    watts = [v.value for v in values if v.quantity == 'P']
    assert volts and all(215 <= v <= 245 for v in volts)
    assert watts and all(0 <= w <= 7000 for w in watts)


def test_loading_the_demo_twice_is_refused(demo: FrozenSystem) -> None:
    with pytest.raises(DemoAlreadyLoaded):
        load_demo(system=demo, accounts=10, password='x')


def test_the_demo_resident_sees_similar_homes_at_once_not_after_the_first_night(demo: FrozenSystem) -> None:
    with demo.session() as session:
        user = session.exec(select(User).where(User.email == 'demo@example.com')).one()
        compared = similar_homes.comparisons_of(session=session, user=user)
    assert compared and all(c.homes >= 20 for c in compared)
