"""Notices for addresses (B12): targets by settlement, street or house, validity, and the email alert once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from models import Role
from services.alerts import preferences
from services.content import notices
from services.content.notices import Draft, NoticeRefused
from services.core.errors import NotAllowed
from services.core.system import System
from services.mail import outbox
from tests.factories import make_account, make_user
from tests.integration.test_alerts import Sink, sink  # noqa: F401 - the real SMTP server fixture

NOW = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)  # 12:00 in Moscow, 15 April
WORKS = Draft('Плановые работы 20 апреля', 'С 9:00 до 17:00 не будет электричества.',
              'пос. Сахарово, ул. Садовая\nг. Тверь, ул. Мира, д. 7', date(2026, 4, 16), date(2026, 4, 20))  # fmt: skip


def test_targets_match_a_settlement_a_street_or_a_house_but_not_a_longer_house_number() -> None:
    targets = ['пос. сахарово, ул. садовая', 'г. тверь, ул. мира, д. 7']
    assert notices.matches('пос. Сахарово, ул. Садовая, д. 3', targets)
    assert notices.matches('г. Тверь, ул. Мира, д. 7, кв. 12', targets)
    assert not notices.matches('г. Тверь, ул. Мира, д. 70', targets)
    assert not notices.matches('пос. Сахарово, ул. Садовая-2, д. 1', targets)
    assert notices.matches('пос. Сахарово, ул. Лесная, д. 1', ['пос. сахарово'])


def test_publishing_emails_the_residents_of_the_addresses_once_and_shows_them_the_notice_in_its_days(
    system: System,
    sink: Sink,  # noqa: F811
) -> None:
    settings = system.settings
    with system.session() as session:
        operator = make_user(session, role=Role.operator)
        inside = make_user(session, accounts=(make_account(session, address='пос. Сахарово, ул. Садовая, д. 3'),))
        house = make_user(session, accounts=(make_account(session, address='г. Тверь, ул. Мира, д. 7, кв. 2'),))
        quiet = make_user(session, accounts=(make_account(session, address='пос. Сахарово, ул. Садовая, д. 5'),))
        outside = make_user(session, accounts=(make_account(session, address='г. Тверь, ул. Мира, д. 70, кв. 1'),))
        preferences.choose(session=session, user=quiet, kind='notices', meter_id=0, enabled=False, now=NOW)
        with pytest.raises(NotAllowed):
            notices.publish(session=session, actor=inside, draft=WORKS, settings=settings, now=NOW)
        done = notices.publish(session=session, actor=operator, draft=WORKS, settings=settings, now=NOW)
        assert (done.accounts, done.emails) == (3, 2)
        assert notices.notices_for(session=session, user=inside, now=NOW) == []  # from 16 April
        day = NOW + timedelta(days=3)
        assert [n.title for n in notices.notices_for(session=session, user=house, now=day)] == [WORKS.title]
        assert notices.notices_for(session=session, user=outside, now=day) == []
        assert notices.notices_for(session=session, user=inside, now=NOW + timedelta(days=6)) == []  # after 20 April
    asyncio.run(outbox.send_due(system.engine, settings, NOW + timedelta(seconds=1)))
    assert sorted(m['To'] for m in sink.messages) == sorted([inside.email, house.email])
    assert all(s.startswith('Плановые работы 20 апреля') for s in sink.subjects())


def test_a_notice_without_title_addresses_or_sensible_days_is_refused_by_field(system: System) -> None:
    with system.session() as session:
        operator = make_user(session, role=Role.operator)
        for draft, field in (
            (Draft(' ', 'x', 'пос. Сахарово', date(2026, 4, 16), date(2026, 4, 20)), 'title'),
            (Draft('Работы', 'x', ' \n ', date(2026, 4, 16), date(2026, 4, 20)), 'targets'),
            (Draft('Работы', 'x', 'пос. Сахарово', date(2026, 4, 20), date(2026, 4, 16)), 'dates'),
        ):
            with pytest.raises(NoticeRefused) as refused:
                notices.publish(session=session, actor=operator, draft=draft, settings=system.settings, now=NOW)
            assert refused.value.field == field
