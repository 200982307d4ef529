"""The demo utility's registry: real-looking Russian addresses in a few settlements of one region. Pure."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

SETTLEMENTS = [
    # (settlement as written in addresses, streets, flats or houses, reading day of the area)
    (
        'г. Тверь',
        [
            'ул. Советская',
            'пр-т Чайковского',
            'ул. Вагжанова',
            'ул. Коминтерна',
            'наб. Степана Разина',
            'ул. Склизкова',
            'Смоленский пер.',
            'ул. Хромова',
        ],
        'flat',
        None,
    ),
    ('г. Конаково', ['ул. Энергетиков', 'ул. Горького', 'пр-т Ленина', 'ул. Баховкина'], 'flat', None),
    ('пос. Сахарово', ['ул. Садовая', 'ул. Луговая', 'ул. Школьная', 'пер. Берёзовый'], 'house', 20),
    ('д. Никулино', ['ул. Центральная', 'ул. Полевая', 'ул. Заречная'], 'house', 20),
    ('с. Эммаус', ['ул. Новая', 'ул. Рябиновая', 'ул. Волжская'], 'house', 20),
]
SURNAMES = [
    'Иванов',
    'Смирнов',
    'Кузнецов',
    'Попов',
    'Васильев',
    'Петров',
    'Соколов',
    'Михайлов',
    'Новиков',
    'Фёдоров',
    'Морозов',
    'Волков',
    'Алексеев',
    'Лебедев',
    'Семёнов',
    'Егоров',
    'Павлов',
    'Козлов',
    'Степанов',
    'Николаев',
    'Орлов',
    'Андреев',
    'Макаров',
    'Никитин',
    'Захаров',
    'Зайцев',
    'Соловьёв',
]
MALE = [
    ('Сергей', 'Петрович'),
    ('Андрей', 'Викторович'),
    ('Алексей', 'Иванович'),
    ('Дмитрий', 'Николаевич'),
    ('Михаил', 'Юрьевич'),
    ('Николай', 'Алексеевич'),
    ('Владимир', 'Сергеевич'),
    ('Игорь', 'Олегович'),
]
FEMALE = [
    ('Ольга', 'Петровна'),
    ('Елена', 'Викторовна'),
    ('Наталья', 'Ивановна'),
    ('Татьяна', 'Николаевна'),
    ('Ирина', 'Сергеевна'),
    ('Светлана', 'Андреевна'),
    ('Марина', 'Юрьевна'),
    ('Анна', 'Михайловна'),
]
MODELS_1PH = ['Милур 107.12-G-1', 'Меркурий 206 PRNO', 'Нева МТ 114 AS', 'Энергомера CE208 S7']
MODELS_3PH = ['Меркурий 234 ARTM-03', 'Энергомера CE308 S31', 'Милур 307.51']


@dataclass
class RegistryMeter:
    serial: str
    model: str
    phases: int
    tariff_zones: int
    installed_on: date
    verified_on: date
    verification_interval_years: int
    point_code: str
    removed_on: date | None = None
    replaced_by: str | None = None


@dataclass
class RegistryAccount:
    number: str
    address: str
    holder_name: str
    reading_day: int | None
    tariff_group: str
    meters: list[RegistryMeter]


def person(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.5:
        first, patronymic = rng.choice(MALE)
        return f'{surname} {first} {patronymic}'
    first, patronymic = rng.choice(FEMALE)
    return f'{surname}а {first} {patronymic}'


def generate(rng: random.Random, count: int, today: date) -> list[RegistryAccount]:
    """`count` accounts with one meter each (a few with two), spread over the settlements."""
    accounts: list[RegistryAccount] = []
    used: set[str] = set()
    for n in range(count):
        settlement, streets, kind, reading_day = SETTLEMENTS[n % len(SETTLEMENTS)]
        street = rng.choice(streets)
        while True:
            house = rng.randint(1, 60 if kind == 'flat' else 120)
            flat = rng.randint(1, 120) if kind == 'flat' else 0
            address = f'{settlement}, {street}, д. {house}' + (f', кв. {flat}' if flat else '')
            if address not in used:
                used.add(address)
                break
        three_phase = kind == 'house' and rng.random() < 0.35
        zones = rng.choice([1, 1, 2, 2, 2, 3]) if kind == 'flat' else rng.choice([1, 2, 3])
        meters = [meter(rng, serial=f'{41100000 + n * 7:08d}', three_phase=three_phase, zones=zones, today=today)]
        if kind == 'house' and rng.random() < 0.1:
            meters.append(meter(rng, serial=f'{52200000 + n * 7:08d}', three_phase=False, zones=1, today=today))
        accounts.append(
            RegistryAccount(
                number=f'{690000000 + n * 37:09d}',
                address=address,
                holder_name=person(rng),
                reading_day=reading_day,
                tariff_group='село' if kind == 'house' else 'город',
                meters=meters,
            )
        )
    return accounts


def meter(rng: random.Random, *, serial: str, three_phase: bool, zones: int, today: date) -> RegistryMeter:
    installed = today - timedelta(days=rng.randint(400, 3600))
    interval = 16 if three_phase else rng.choice([10, 16])
    verified = installed - timedelta(days=rng.randint(10, 120))
    return RegistryMeter(
        serial=serial,
        model=rng.choice(MODELS_3PH if three_phase else MODELS_1PH),
        phases=3 if three_phase else 1,
        tariff_zones=zones,
        installed_on=installed,
        verified_on=verified,
        verification_interval_years=interval,
        point_code=f'69{int(serial):013d}',
    )
