"""Factories of domain objects for tests: each call makes a valid object, arguments override what matters."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from sqlmodel import Session

from models import Account, Meter, ResidentAccount, Role, User
from models.registry import address_search_key
from services.identity.passwords import hash_password

_seq = itertools.count(1)
PASSWORD = 'correct horse 42'
_HASH = hash_password(PASSWORD, rounds=4)  # low cost: tests check behaviour, not bcrypt's strength


def make_account(session: Session, **fields: object) -> Account:
    n = next(_seq)
    values: dict[str, object] = {
        'number': f'1000{n:05d}',
        'address': f'г. Тверь, ул. Мира, д. {n}, кв. 1',
        'holder_name': 'Смирнова Ольга Петровна',
    }
    values.update(fields)
    account = Account(**values)  # type: ignore[arg-type]
    account.address_search = address_search_key(account.address)
    session.add(account)
    session.flush()
    return account


def make_meter(session: Session, account: Account, **fields: object) -> Meter:
    n = next(_seq)
    values: dict[str, object] = {
        'serial': f'SN{n:06d}',
        'account_id': account.id,
        'model': 'Милур 107',
        'tariff_zones': 1,
        'installed_on': date(2025, 1, 1),
    }
    values.update(fields)
    meter = Meter(**values)  # type: ignore[arg-type]
    session.add(meter)
    session.flush()
    return meter


def make_user(
    session: Session, *, accounts: tuple[Account, ...] = (), role: str = Role.resident, **fields: object
) -> User:
    n = next(_seq)
    values: dict[str, object] = {
        'email': f'user{n}@example.com',
        'full_name': f'Пользователь {n}',
        'password_hash': _HASH,
        'role': role,
        'created_at': datetime(2026, 1, 1, tzinfo=UTC),
    }
    values.update(fields)
    user = User(**values)  # type: ignore[arg-type]
    session.add(user)
    session.flush()
    for account in accounts:
        session.add(ResidentAccount(user_id=user.id or 0, account_id=account.id or 0))
    session.flush()
    return user
