"""A small utility for the support tests: two residents with a meter each, an operator, the seeded topics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from models import EmailOutbox, MeterEvent, Role, User
from services.core.settings import Settings
from services.core.system import System
from services.support import requests, topics
from services.support.attachments import Upload
from services.support.requests import NewRequest
from tests.factories import make_account, make_meter, make_user

NOW = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
PNG = b'\x89PNG\r\n\x1a\n' + b'\x00' * 64
JPEG = b'\xff\xd8\xff\xe0' + b'\x00' * 64
PDF = b'%PDF-1.7\n' + b'0' * 64
TEXT = 'Счётчик показывает ошибку E-07, что делать?'


@dataclass
class Desk:
    system: System
    settings: Settings
    ivan: User  # a resident with account 690100001 and meter 88001 (with one event)
    olga: User  # another resident with her own account and meter
    operator: User
    meter_id: int
    account_id: int
    olga_meter_id: int
    olga_account_id: int
    event_id: int
    olga_event_id: int
    topic_id: int


def make_desk(system: System, tmp_path: Path, *, support_email: str = 'desk@example.com', language: str = 'en') -> Desk:
    settings = system.settings.model_copy(
        update={'attachments_dir': str(tmp_path / 'attachments'), 'support_email': support_email,
                'base_url': 'https://lk.example.ru'}
    )  # fmt: skip
    system = System(settings=settings, engine=system.engine)
    with system.session() as session:
        account = make_account(session, number='690100001')
        meter = make_meter(session, account, serial='88001', model='Нева МТ 114')
        other = make_account(session, number='690100002')
        other_meter = make_meter(session, other, serial='88002', model='Меркурий 201')
        ivan = make_user(
            session, accounts=(account,), email='ivan@example.com', full_name='Иванов Иван', language=language
        )
        olga = make_user(session, accounts=(other,), email='olga@example.com', full_name='Петрова Ольга')
        operator = make_user(session, role=Role.operator, email='desk-op@example.com', full_name='Оператор Анна')
        events = [MeterEvent(meter_id=m.id or 0, at=NOW.replace(hour=2), journal=4, code=1, severity='critical')
                  for m in (meter, other_meter)]  # fmt: skip
        session.add_all(events)
        session.flush()
        topic = topics.list_topics(session=session)[0]
        session.commit()
        return Desk(
            system, settings, ivan, olga, operator, meter.id or 0, account.id or 0, other_meter.id or 0,
            other.id or 0, events[0].id or 0, events[1].id or 0, topic.id,
        )  # fmt: skip


def create(desk: Desk, who: User | None = None, *, now: datetime = NOW, uploads: tuple[Upload, ...] = (),
           **fields: object) -> int:  # fmt: skip
    values: dict[str, object] = {'topic_id': desk.topic_id, 'account_id': desk.account_id, 'meter_id': None,
                                 'text': TEXT, 'uploads': uploads}  # fmt: skip
    values.update(fields)
    new = NewRequest(**values)  # type: ignore[arg-type]
    with desk.system.session() as session:
        made = requests.create_request(session=session, user=who or desk.ivan, new=new, settings=desk.settings, now=now)
        session.commit()
        return made


def outbox(desk: Desk) -> list[EmailOutbox]:
    with desk.system.session() as session:
        return list(session.exec(select(EmailOutbox).order_by(EmailOutbox.id)).all())  # type: ignore[arg-type]
