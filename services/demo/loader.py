"""`app.py demo`: a deterministic demo utility in an empty database (SPEC §8, issue «Foundation»)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, text
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from models import (
    ENERGY_CODES,
    ESTIMATED,
    Account,
    ImportLog,
    Meter,
    User,
)
from models.registry import address_search_key
from services.core.system import System
from services.demo import accounts as demo_accounts
from services.demo import content as demo_content
from services.demo import profiles as demo_profiles
from services.demo import readings as demo_readings
from services.demo import registry as demo_registry
from services.demo.events import demo_events
from services.identity.passwords import generate_password
from services.metering import periods, rollups, similar_homes
from services.residents import access

HISTORY_DAYS = 730
OTHER_METERS_WITH_DATA = 40
NEIGHBOURS_WITH_DATA = similar_homes.MIN_HOMES + 4  # per demo account: enough similar homes to compare with
OTHER_HISTORY_DAYS = 90
DISCONNECTED_DAYS = 5  # the bath-house meter was disconnected remotely this many days ago


class DemoAlreadyLoaded(RuntimeError):
    pass


@dataclass
class DemoReport:
    password: str
    accounts: int = 0
    meters: int = 0
    intervals: int = 0
    events: int = 0
    seconds: float = 0.0
    logins: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        lines = [
            f'Demo utility loaded in {self.seconds:.1f} s: {self.accounts} accounts, {self.meters} meters, '
            f'{self.intervals} half-hour values, {self.events} meter events.',
            'Demo logins:',
        ]
        lines += [f'  {role}: {login} / password {self.password}' for role, login in self.logins]
        return '\n'.join(lines)


@dataclass
class DemoMeter:
    meter: Meter
    home: demo_profiles.Household
    first: int  # epoch seconds of the first half hour with data
    last: int  # first half hour without data
    reactive: bool = True
    gap: tuple[int, int] | None = None  # a few missing hours
    estimated_day: date | None = None
    relay: int = 1  # 0 disconnected, 1 connected, 2 ready for reconnection
    off_from: int | None = None  # disconnected remotely from then on: the meter reports zeros


def load_demo(*, system: System, accounts: int = 300, password: str | None = None) -> DemoReport:
    """Fill an empty database with the demo utility; raises DemoAlreadyLoaded when it holds accounts or users."""
    started = time.monotonic()
    tz = system.settings.tz
    now = system.now()
    with system.session() as session:
        if (
            session.exec(select(func.count()).select_from(Account)).one()
            or session.exec(select(func.count()).select_from(User)).one()
        ):
            raise DemoAlreadyLoaded()
    report = DemoReport(password=password or generate_password())
    rng = random.Random(20261129)
    today = now.astimezone(tz).date()
    with system.session() as session:
        registry = demo_registry.generate(rng, max(accounts - 2, 10), today)
        meters = _store_registry(session, registry)
        demo_meters = demo_accounts.demo_accounts(session, today)
        users = demo_accounts.users(session, report.password, registry, rng, now)
        demo_accounts.tariffs(session)
        demo_content.store(session=session, users=users, meters=demo_meters, now=now)
        meters, houses = _neighbours_first(session, meters, demo_meters)
        session.commit()
        report.accounts = session.exec(select(func.count()).select_from(Account)).one()
        report.meters = session.exec(select(func.count()).select_from(Meter)).one()
    end = int(now.timestamp()) // 1800 * 1800
    plans = _plans(demo_meters, meters, rng, end, today, tz, houses)
    with system.engine.begin() as conn:
        for plan in plans:
            report.intervals += _store_profile(conn, plan, rng, tz, system.settings.reading_day)
    with system.session() as session:
        events = demo_events(meters=demo_meters, rng=rng, now=now, tz=tz)
        session.add_all(events)
        report.events = len(events)
        session.add(
            ImportLog(
                file_name='demo',
                format='demo',
                source='demo',
                status='imported',
                message='demo utility',
                rows=report.intervals,
                started_at=now,
                finished_at=now,
            )
        )
        session.commit()
    with system.session() as session:  # similar homes at once, not after the first night
        similar_homes.compute(session=session, tz=tz, default_reading_day=system.settings.reading_day, now=now)
        session.commit()
    report.seconds = time.monotonic() - started
    report.logins = demo_logins()
    return report


def demo_logins() -> list[tuple[str, str]]:
    return [
        ('resident', demo_accounts.DEMO_EMAIL),
        ('resident, by phone', '+7 916 123-45-67'),
        ('admin', demo_accounts.ADMIN_EMAIL),
    ]


def _store_registry(session: Session, registry: list[demo_registry.RegistryAccount]) -> list[Meter]:
    meters: list[Meter] = []
    for item in registry:
        account = Account(
            number=item.number,
            address=item.address,
            address_search=address_search_key(item.address),
            holder_name=item.holder_name,
            reading_day=item.reading_day,
            tariff_group=item.tariff_group,
        )
        session.add(account)
        session.flush()
        for m in item.meters:
            meters.append(
                Meter(
                    serial=m.serial,
                    account_id=account.id or 0,
                    model=m.model,
                    phases=m.phases,
                    tariff_zones=m.tariff_zones,
                    point_code=m.point_code,
                    installed_on=m.installed_on,
                    verified_on=m.verified_on,
                    verification_interval_years=m.verification_interval_years,
                )
            )
    session.add_all(meters)
    session.flush()
    return meters


def _neighbours_first(session: Session, meters: list[Meter], demo: dict[str, Meter]) -> tuple[list[Meter], set[int]]:
    """The registry's meters, those of homes like the demo resident's two first (their data makes «Similar homes»),
    and the ids of those in houses (the registry's «село»), which use electricity as a house does."""
    accounts = {a.id: a for a in session.exec(select(Account)).all()}
    zones: dict[int, int] = {}
    for meter in [*meters, *demo.values()]:
        zones[meter.account_id] = max(zones.get(meter.account_id, 0), meter.tariff_zones)

    def kind(account_id: int) -> tuple[str, int, str]:
        account = accounts[account_id]
        return similar_homes.settlement(account.address), zones[account_id], account.tariff_group

    wanted = {kind(m.account_id) for m in demo.values()}
    like = [m for m in meters if kind(m.account_id) in wanted]
    first: list[Meter] = []
    for key in wanted:
        first += [m for m in like if kind(m.account_id) == key][:NEIGHBOURS_WITH_DATA]
    chosen = {id(m) for m in first}
    houses = {m.id or 0 for m in meters if accounts[m.account_id].tariff_group == 'село'}
    return first + [m for m in meters if id(m) not in chosen], houses


def _plans(
    demo: dict[str, Meter],
    others: list[Meter],
    rng: random.Random,
    end: int,
    today: date,
    tz: ZoneInfo,
    houses: set[int],
) -> list[DemoMeter]:
    zone = tz
    start = periods.midnight(today - timedelta(days=HISTORY_DAYS), zone)
    replaced = periods.midnight(demo['flat'].installed_on or today, zone)
    gap_start = periods.midnight(today - timedelta(days=20), zone) + 9 * 3600
    plans = [
        DemoMeter(demo['old'], demo_profiles.FLAT_ELECTRIC_STOVE, start, replaced),
        DemoMeter(demo['flat'], demo_profiles.FLAT_TWO_ZONE, replaced, end, gap=(gap_start, gap_start + 6 * 3600)),
        DemoMeter(demo['house'], demo_profiles.HOUSE_HEATED, start, end, estimated_day=today - timedelta(days=45)),
        DemoMeter(demo['bath'], demo_profiles.GARAGE, start, end, relay=0, off_from=end - DISCONNECTED_DAYS * 86400),
    ]
    recent = periods.midnight(today - timedelta(days=OTHER_HISTORY_DAYS), zone)
    for meter in others[: OTHER_METERS_WITH_DATA + 2 * NEIGHBOURS_WITH_DATA]:
        home = (
            demo_profiles.HOUSE_HEATED
            if meter.phases == 3 or meter.id in houses
            else rng.choice([demo_profiles.FLAT_GAS_STOVE, demo_profiles.FLAT_ELECTRIC_STOVE])
        )
        plans.append(DemoMeter(meter, home, recent, end, reactive=False))
    return plans


def _store_profile(
    conn: Connection, plan: DemoMeter, rng: random.Random, tz: ZoneInfo, default_reading_day: int
) -> int:
    """Write a meter's half hours (A+, R+, and A− where it exports) and roll them up; returns the A+ count."""
    series: dict[int, list[tuple[int, int, int]]] = {
        ENERGY_CODES['A+']: [],
        ENERGY_CODES['R+']: [],
        ENERGY_CODES['A-']: [],
    }
    for instant in range(plan.first, plan.last, 1800):
        if plan.gap and plan.gap[0] <= instant < plan.gap[1]:
            continue
        moment = datetime.fromtimestamp(instant, tz)
        imported, exported = demo_profiles.half_hour_wh(plan.home, moment, rng)
        if plan.off_from is not None and instant >= plan.off_from:
            imported, exported = 0, 0
        flags = ESTIMATED if plan.estimated_day == moment.date() else 0
        series[ENERGY_CODES['A+']].append((instant, imported, flags))
        if plan.reactive:
            series[ENERGY_CODES['R+']].append((instant, demo_profiles.reactive_wh(imported, rng), flags))
        if plan.home.solar_peak:
            series[ENERGY_CODES['A-']].append((instant, exported, flags))
    with Session(bind=conn) as session:
        meter_life = access.meter_life(
            session=session, meter_id=plan.meter.id or 0, default_reading_day=default_reading_day
        )
    meter_id = plan.meter.id or 0
    for energy, rows in series.items():
        if not rows:
            continue
        _insert_intervals(conn, meter_id, energy, rows)
        if plan.reactive and energy != ENERGY_CODES['A-']:  # the demo resident's meters keep registers
            demo_readings.store_registers(
                conn, meter_id=meter_id, energy=energy, tariff_zones=plan.meter.tariff_zones, rows=rows, tz=tz, rng=rng
            )
        first = periods.local_day(rows[0][0], tz)
        last = periods.local_day(rows[-1][0], tz)
        rollups.rebuild(conn, meter=meter_life, energy=energy, first=first, last=last, tz=tz)
    if plan.reactive and plan.meter.removed_on is None:
        demo_readings.store_instants(
            conn,
            meter_id=meter_id,
            phases=plan.meter.phases,
            rows=series[ENERGY_CODES['A+']],
            relay=plan.relay,
            rng=rng,
        )
    return len(series[ENERGY_CODES['A+']])


def _insert_intervals(conn: Connection, meter_id: int, energy: int, rows: Iterable[tuple[int, int, int]]) -> None:
    conn.execute(
        text('INSERT INTO interval_energy (meter_id, energy, start, wh, flags) VALUES (:m, :e, :s, :wh, :f)'),
        [{'m': meter_id, 'e': energy, 's': s, 'wh': wh, 'f': f} for s, wh, f in rows],
    )
