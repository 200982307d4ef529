"""The demo resident, staff and tariff rates of the demo utility (`app.py demo`)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from models import Account, Meter, ResidentAccount, Role, TariffRate, User
from models.registry import address_search_key
from services.demo import registry as demo_registry
from services.identity.passwords import hash_password

DEMO_EMAIL = 'demo@example.com'
DEMO_PHONE = '+79161234567'
ADMIN_EMAIL = 'operator@example.com'


def demo_accounts(session: Session, today: date) -> dict[str, Meter]:
    """The demo resident's two accounts and four meters (one replaced), named by role."""
    flat = Account(
        number='690555001',
        address='г. Тверь, ул. Советская, д. 12, кв. 45',
        holder_name='Иванов Сергей Петрович',
        reading_day=None,
        tariff_group='город',
    )
    house = Account(
        number='690555002',
        address='пос. Сахарово, ул. Садовая, д. 7',
        holder_name='Иванов Сергей Петрович',
        reading_day=20,
        tariff_group='село',
    )
    for account in (flat, house):
        account.address_search = address_search_key(account.address)
        session.add(account)
    session.flush()
    replaced_on = today - timedelta(days=300)
    due = today + timedelta(days=45)
    meters = {
        'old': Meter(
            serial='38004417',
            account_id=flat.id or 0,
            model='Меркурий 201.5',
            tariff_zones=1,
            point_code='690000038004417',
            installed_on=date(2014, 5, 12),
            removed_on=replaced_on,
            verified_on=date(2014, 3, 3),
            verification_interval_years=16,
        ),
        'flat': Meter(
            serial='41907733',
            account_id=flat.id or 0,
            model='Милур 107.12-G-1',
            tariff_zones=2,
            point_code='690000041907733',
            installed_on=replaced_on,
            verified_on=replaced_on - timedelta(days=62),
            verification_interval_years=16,
        ),
        'house': Meter(
            serial='23450981',
            account_id=house.id or 0,
            model='Меркурий 234 ARTM-03',
            phases=3,
            tariff_zones=3,
            point_code='690000023450981',
            installed_on=date(2019, 8, 20),
            verified_on=date(2019, 6, 14),
            verification_interval_years=16,
        ),
        'bath': Meter(
            serial='56001274',
            account_id=house.id or 0,
            model='Нева МТ 114 AS',
            tariff_zones=1,
            point_code='690000056001274',
            installed_on=date(due.year - 10, due.month, due.day) + timedelta(days=24),  # verified at the factory first
            verified_on=date(due.year - 10, due.month, due.day),
            verification_interval_years=10,
        ),
    }
    session.add_all(meters.values())
    session.flush()
    meters['old'].replaced_by_id = meters['flat'].id
    session.add(meters['old'])
    return meters


def users(
    session: Session, password: str, registry: list[demo_registry.RegistryAccount], rng: random.Random, now: datetime
) -> dict[str, User]:
    password_hash = hash_password(password)  # one bcrypt hash shared by every demo login keeps `demo` fast
    demo = User(
        email=DEMO_EMAIL,
        phone=DEMO_PHONE,
        full_name='Иванов Сергей Петрович',
        role=Role.resident,
        password_hash=password_hash,
        created_at=now - timedelta(days=700),
        # the resident looked a week ago: the menu shows what came since, not two years of history
        events_seen_at=now - timedelta(days=7),
        support_seen_at=now - timedelta(days=4),
    )
    admin = User(
        email=ADMIN_EMAIL,
        full_name='Оператор Энергосбыта',
        role=Role.admin,
        password_hash=password_hash,
        created_at=now - timedelta(days=800),
    )
    session.add_all([demo, admin])
    session.flush()
    for number in ('690555001', '690555002'):
        account = session.exec(select(Account).where(Account.number == number)).one()
        session.add(ResidentAccount(user_id=demo.id or 0, account_id=account.id or 0, added_at=demo.created_at))
    # A few other residents registered already; most of the registry has not.
    for n, item in enumerate(rng.sample(registry, k=min(12, len(registry)))):
        other = User(
            email=f'resident{n + 1}@example.com',
            full_name=item.holder_name,
            password_hash=password_hash,
            created_at=now - timedelta(days=rng.randint(5, 600)),
        )
        session.add(other)
        session.flush()
        account = session.exec(select(Account).where(Account.number == item.number)).one()
        session.add(ResidentAccount(user_id=other.id or 0, account_id=account.id or 0))
    return {'demo': demo, 'admin': admin}


def tariffs(session: Session) -> None:
    """Rates of the demo region: a yearly rise on 1 July; villages pay 0.7 of the town rate."""
    town = {(1, 1): '5.62', (2, 1): '6.48', (2, 2): '3.41', (3, 1): '7.55', (3, 2): '3.41', (3, 3): '5.62'}
    for valid_from, rise in (
        (date(2024, 7, 1), Decimal('0.90')),
        (date(2025, 7, 1), Decimal('1.00')),
        (date(2026, 7, 1), Decimal('1.118')),
    ):
        for group, factor in (('', Decimal(1)), ('город', Decimal(1)), ('село', Decimal('0.7'))):
            for (zones, zone), rate in town.items():
                value = (Decimal(rate) * rise * factor).quantize(Decimal('0.01'))
                session.add(
                    TariffRate(
                        tariff_group=group, tariff_zones=zones, zone=zone, rub_per_kwh=value, valid_from=valid_from
                    )
                )
