"""The operators' resident search over 100,000 residents, each with an account and a meter.

Each query runs through `services.operator.users.search` (normalising the phone, comparing the stored search
forms, looking through accounts, addresses and meters, one page of 25 with its account numbers). The baseline
is a plain sqlite3 `LIKE '%…%'` over the user table's name, email and phone in the same database and run; it
neither normalises nor looks at accounts or meters, so it is the floor a substring search cannot beat.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime

from sqlalchemy import insert
from sqlmodel import Session

from bench.common import database, timed
from models import Account, Meter, ResidentAccount, Role, User
from models.identity import name_search_key
from models.registry import address_search_key
from services.operator import users

USERS = 100_000
REPEAT = 5
SURNAMES = ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Козлов', 'Новиков', 'Морозов', 'Пётров']
FIRST = ['Сергей', 'Ольга', 'Алексей', 'Наталья', 'Дмитрий', 'Елена', 'Андрей', 'Татьяна', 'Михаил', 'Ирина']
STREETS = ['Мира', 'Ленина', 'Садовая', 'Лесная', 'Школьная', 'Новая', 'Советская', 'Заречная']
TARGET = 73_421  # the resident every query looks for
QUERIES = [
    ('a phone in another spelling', '8 (912) 007-34-21'),
    ('part of the name, «ё» typed as «е»', 'елкина'),
    ('an email', 'Resident73421@Example.com'),
    ('an account number', '700073421'),
    ('part of an address', 'Ёлочная, д. 7'),
    ('a meter serial', 'SN073421'),
    ('the first page, no query', ''),
]


def main() -> None:
    with database('sqlite') as system:
        seconds, _ = timed(lambda: fill(system.engine))
        print(f'user search: {USERS:,} residents with an account and a meter each (generated in {seconds:.1f} s)')
        path = system.engine.url.database or ''
        with Session(system.engine) as session:
            actor = User(id=0, email='bench@example.com', role=Role.operator, password_hash='')
            for label, query in QUERIES:
                found = users.search(session=session, actor=actor, query=query)
                ours = _best(lambda q=query: users.search(session=session, actor=actor, query=q))
                base = _best(lambda q=query: _baseline(path, q))
                hit = 'found' if any(r.id == TARGET for r in found.rows) or not query else 'NOT FOUND'
                print(
                    f'  {label:36} Kabinet {ours * 1000:7.1f} ms | plain LIKE {base * 1000:6.1f} ms | '
                    f'Kabinet/LIKE {ours / base:5.2f} ({hit})'
                )


def fill(engine: object) -> None:
    rng = random.Random(7)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    people, accounts, meters, links = [], [], [], []
    for n in range(1, USERS + 1):
        name = f'{rng.choice(SURNAMES)} {rng.choice(FIRST)}'
        address = f'г. Тверь, ул. {rng.choice(STREETS)}, д. {n % 200 + 1}, кв. {n % 90 + 1}'
        if n == TARGET:
            name, address = 'Ёлкина Ольга Петровна', 'с. Сосновка, ул. Ёлочная, д. 7'
        people.append(
            {'id': n, 'email': f'resident{n}@example.com', 'phone': f'+7912{n:07d}', 'full_name': name,
             'name_search': name_search_key(name), 'role': 'resident', 'password_hash': 'x', 'created_at': now}
        )  # fmt: skip
        accounts.append(
            {'id': n, 'number': f'{700000000 + n}', 'address': address, 'address_search': address_search_key(address),
             'holder_name': name, 'tariff_group': '', 'created_at': now, 'updated_at': now}
        )  # fmt: skip
        meters.append(
            {'id': n, 'serial': f'SN{n:06d}', 'account_id': n, 'model': 'Милур 107', 'phases': 1, 'tariff_zones': 1,
             'profile_minutes': 30, 'installed_on': date(2025, 1, 1), 'created_at': now, 'updated_at': now}
        )  # fmt: skip
        links.append({'id': n, 'user_id': n, 'account_id': n, 'added_at': now})
    with engine.begin() as conn:  # type: ignore[attr-defined]
        for model, rows in ((User, people), (Account, accounts), (Meter, meters), (ResidentAccount, links)):
            conn.execute(insert(model), rows)
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql('ANALYZE')


def _baseline(path: str, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        if not query:
            return db.execute('SELECT id, full_name, email, phone FROM user ORDER BY id DESC LIMIT 26').fetchall()
        like = f'%{query}%'
        return db.execute(
            'SELECT id, full_name, email, phone FROM user WHERE full_name LIKE ? OR email LIKE ? OR phone LIKE ? '
            'ORDER BY id DESC LIMIT 26',
            (like, like, like),
        ).fetchall()


def _best(fn: object) -> float:
    return min(timed(fn)[0] for _ in range(REPEAT))  # type: ignore[arg-type]


if __name__ == '__main__':
    main()
