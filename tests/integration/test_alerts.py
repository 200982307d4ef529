"""Email alerts (B5) with a controlled clock and a real SMTP server: each cause once, digests, unsubscribe."""

from __future__ import annotations

import asyncio
import email
import email.header
import email.policy
import re
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from email.message import Message
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from models import EnergyRollup, Grain, Meter, MeterEvent, TariffRate, User
from services.alerts import preferences
from services.alerts.evaluate import run_alerts
from services.core.errors import NotFound
from services.core.system import System
from services.mail import outbox
from services.metering import periods
from tests.factories import make_account, make_meter, make_user

NOW = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
MSK = ZoneInfo('Europe/Moscow')


class Sink:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[attr-defined]
        return '250 Message accepted for delivery'

    def subjects(self) -> list[str]:
        return [str(m['Subject']) for m in self.messages]  # the default policy decodes the header


@pytest.fixture
def sink(system: System) -> Iterator[Sink]:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = int(s.getsockname()[1])
    system.settings.smtp_host, system.settings.smtp_port = '127.0.0.1', port
    handler = Sink()
    controller = Controller(handler, hostname='127.0.0.1', port=port)
    controller.start()
    yield handler
    controller.stop()


def _home(
    session: Session, *, language: str = 'ru', meters: int = 1, **meter_fields: object
) -> tuple[User, list[Meter]]:
    account = make_account(session)
    made = [make_meter(session, account, serial=f'70{n}', **meter_fields) for n in range(meters)]
    user = make_user(session, accounts=(account,), email=f'home{account.id}@example.com', language=language)
    session.commit()
    return user, made


def _events(session: Session, meter: Meter, *instants: datetime) -> None:
    for at in instants:
        session.add(MeterEvent(meter_id=meter.id or 0, at=at, journal=4, code=1, severity='critical'))
    session.commit()


def _job(system: System, sink: Sink, now: datetime) -> int:
    """Run the alerts job at `now` and deliver the outbox; the number of emails that arrived."""
    before = len(sink.messages)
    with system.session() as session:
        run_alerts(session=session, settings=system.settings, now=now)
    asyncio.run(outbox.send_due(system.engine, system.settings, now + timedelta(seconds=1)))
    return len(sink.messages) - before


def test_an_episode_of_critical_events_is_one_email_and_never_a_second(system: System, sink: Sink) -> None:
    with system.session() as session:
        _user, (meter,) = _home(session)
        _events(session, meter, NOW - timedelta(hours=3), NOW - timedelta(hours=2), NOW - timedelta(hours=1))
    assert _job(system, sink, NOW) == 1
    assert _job(system, sink, NOW) == 0
    with system.session() as session:  # the episode goes on: still the same cause
        _events(session, meter, NOW + timedelta(hours=2))
    assert _job(system, sink, NOW + timedelta(hours=3)) == 0
    (subject,) = sink.subjects()
    assert subject.startswith('Счётчик 700:')
    assert '(и ещё 2 события)' in sink.messages[0].get_body(('plain',)).get_content()  # type: ignore[attr-defined]


def test_a_burst_on_several_meters_is_one_digest_and_a_later_episode_a_new_email(system: System, sink: Sink) -> None:
    with system.session() as session:
        _user, (first, second, third) = _home(session, meters=3)
        for meter in (first, second, third):
            _events(session, meter, NOW - timedelta(minutes=30))
    assert _job(system, sink, NOW) == 1
    assert sink.subjects()[0].startswith('3 критических события')
    body = sink.messages[0].get_body(('plain',)).get_content()  # type: ignore[attr-defined]
    assert all(f'Счётчик {serial}' in body for serial in ('700', '701', '702'))
    with system.session() as session:
        _events(session, first, NOW + timedelta(hours=7))  # more than 6 hours later: a new episode
    assert _job(system, sink, NOW + timedelta(hours=8)) == 1
    assert _job(system, sink, NOW + timedelta(days=1)) == 0


def test_verification_alerts_fire_at_60_30_and_7_days_and_overdue_once_each(system: System, sink: Sink) -> None:
    due = date(2026, 6, 14)  # verified 14.06.2016, every 10 years
    with system.session() as session:
        _home(session, verified_on=date(2016, 6, 14), verification_interval_years=10)
    noon = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    sent = []
    for left in (90, 61, 60, 59, 45, 30, 29, 8, 7, 3, 0, -1, -2, -30):
        day = due - timedelta(days=left)
        sent.append((left, _job(system, sink, noon.replace(year=day.year, month=day.month, day=day.day))))
    assert [left for left, count in sent if count] == [60, 30, 7, -1]
    assert all(count <= 1 for _left, count in sent)
    assert sink.subjects()[0].startswith('Счётчик 700: поверка до 14.06.2026')
    assert sink.subjects()[-1].startswith('Счётчик 700: поверка просрочена')


def test_alerts_come_in_the_residents_language(system: System, sink: Sink) -> None:
    with system.session() as session:
        _user, (meter,) = _home(session, language='en')
        _events(session, meter, NOW - timedelta(hours=1))
    assert _job(system, sink, NOW) == 1
    assert sink.subjects()[0].startswith('Meter 700: ')


def test_the_unsubscribe_link_switches_the_alert_off_without_login(system: System, sink: Sink) -> None:
    with system.session() as session:
        user, (meter,) = _home(session)
        _events(session, meter, NOW - timedelta(hours=1))
    assert _job(system, sink, NOW) == 1
    body = sink.messages[0].get_body(('plain',)).get_content()  # type: ignore[attr-defined]
    token = re.search(r'/alerts/unsubscribe\?t=(\S+)', body).group(1)  # type: ignore[union-attr]
    secret = system.settings.require_secret()
    with system.session() as session:
        with pytest.raises(NotFound):
            preferences.unsubscribe(session=session, secret=secret, token=token[:-2] + 'xx', now=NOW)
        who, kind = preferences.unsubscribe(session=session, secret=secret, token=token, now=NOW)
        assert (who.id, kind) == (user.id, 'critical_events')
        _events(session, meter, NOW + timedelta(hours=12))
    assert _job(system, sink, NOW + timedelta(hours=13)) == 0
    with system.session() as session:
        assert not preferences.wants(
            session=session, user_id=user.id or 0, kind='critical_events', meter_id=meter.id or 0
        )
        assert preferences.wants(session=session, user_id=user.id or 0, kind='verification')


def test_a_meter_switched_off_is_silent_while_the_others_still_alert(system: System, sink: Sink) -> None:
    with system.session() as session:
        user, (quiet, loud) = _home(session, meters=2)
        preferences.choose(session=session, user=user, kind='critical_events', meter_id=quiet.id or 0,
                           enabled=False, now=NOW)  # fmt: skip
        _events(session, quiet, NOW - timedelta(hours=1))
        _events(session, loud, NOW - timedelta(hours=1))
        stranger = make_user(session, accounts=(make_account(session),))
        with pytest.raises(NotFound):
            preferences.choose(session=session, user=stranger, kind='critical_events', meter_id=loud.id or 0,
                               enabled=False, now=NOW)  # fmt: skip
    assert _job(system, sink, NOW) == 1
    assert sink.subjects()[0].startswith('Счётчик 701:')


def test_the_support_reply_alert_governs_the_desks_reply_email(system: System, sink: Sink, tmp_path) -> None:
    from services.support import desk as support_desk
    from tests.integration.support_helpers import create, make_desk

    desk = make_desk(system, tmp_path)
    first, second = create(desk), create(desk)
    with desk.system.session() as session:
        support_desk.reply(session=session, actor=desk.operator, request_id=first, text='Ответ на первый вопрос',
                           internal=False, settings=desk.settings, now=NOW)  # fmt: skip
        preferences.choose(session=session, user=desk.ivan, kind='support_reply', meter_id=0, enabled=False, now=NOW)
        support_desk.reply(session=session, actor=desk.operator, request_id=second, text='Ответ на второй вопрос',
                           internal=False, settings=desk.settings, now=NOW)  # fmt: skip
        session.commit()
    asyncio.run(outbox.send_due(system.engine, system.settings, NOW + timedelta(seconds=1)))
    to_ivan = [s for m, s in zip(sink.messages, sink.subjects(), strict=True) if m['To'] == 'ivan@example.com']
    assert to_ivan == [f'Reply to your request No. {first} — АО «Тестэнерго»']


def _rollups(session: Session, meter: Meter, grain: Grain, starts_wh: list[tuple[int, int]]) -> None:
    for start, wh in starts_wh:
        session.add(EnergyRollup(meter_id=meter.id or 0, energy=1, grain=int(grain), start=start, zone=1, wh=wh,
                                 present=48))  # fmt: skip
    session.commit()


def test_high_usage_alerts_once_when_the_forecast_passes_the_threshold(system: System, sink: Sink) -> None:
    # the billing period 2026-04 runs 26 March – 25 April (31 days); at NOW 20.5 days of it have passed
    days = [periods.midnight(date(2026, 3, 26) + timedelta(days=n), MSK) for n in range(21)]
    with system.session() as session:
        user, (meter,) = _home(session)
        _rollups(session, meter, Grain.day, [(start, 10_000) for start in days])  # 10 kWh a day, 210 kWh so far
    assert _job(system, sink, NOW) == 0  # no threshold set: nothing to compare
    with system.session() as session:
        preferences.set_thresholds(session=session, user=user, kwh=400, rub=None, now=NOW)
    assert _job(system, sink, NOW) == 0  # 210 × 31 / 20.5 ≈ 318 kWh: below 400
    with system.session() as session:
        preferences.set_thresholds(session=session, user=user, kwh=300, rub=None, now=NOW)
    assert _job(system, sink, NOW) == 1
    assert _job(system, sink, NOW + timedelta(days=1)) == 0  # once per period
    # the header's folding loses the space at a line break (Python's email package), hence no full phrase here
    assert sink.subjects()[0].startswith('Счётчик 700:') and 'вашего порога' in sink.subjects()[0]
    assert 'около 318\xa0кВт·ч' in sink.messages[0].get_body(('plain',)).get_content()  # type: ignore[attr-defined]


def test_a_rouble_threshold_alerts_with_the_forecast_cost(system: System, sink: Sink) -> None:
    days = [periods.midnight(date(2026, 3, 26) + timedelta(days=n), MSK) for n in range(21)]
    with system.session() as session:
        user, (meter,) = _home(session, tariff_zones=1)
        _rollups(session, meter, Grain.day, [(start, 10_000) for start in days])  # 10 kWh a day, 210 kWh so far
        session.add(TariffRate(tariff_group='', tariff_zones=1, zone=1, rub_per_kwh=Decimal('5.00'),
                               valid_from=date(2025, 1, 1)))  # fmt: skip
        session.commit()
        preferences.set_thresholds(session=session, user=user, kwh=None, rub=1000, now=NOW)
    assert _job(system, sink, NOW) == 1
    body = sink.messages[0].get_body(('plain',)).get_content()  # type: ignore[attr-defined]
    # 210 kWh × 31 / 20.5 days ≈ 318 kWh (rounded to whole kWh in the text) × 5.00 ₽
    assert 'около 318\xa0кВт·ч' in body
    assert 'Это примерно 1\xa0587,80\xa0₽ по действующим тарифам.' in body  # the unit never alone on a line


def test_the_monthly_summary_comes_once_after_the_period_closes_with_a_comparison(system: System, sink: Sink) -> None:
    march = periods.billing_period(2026, 3, 25, MSK)  # 26 February – 25 March: 28 days
    february = periods.billing_period(2026, 2, 25, MSK)  # 26 January – 25 February: 31 days
    with system.session() as session:
        _home(session)
        (meter,) = session.exec(select(Meter)).all()
        _rollups(session, meter, Grain.billing, [(march.start, 300_000), (february.start, 250_000)])
    assert _job(system, sink, NOW) == 1
    assert _job(system, sink, NOW + timedelta(days=3)) == 0
    assert sink.subjects()[0].startswith('Счётчик 700: март 2026 в цифрах')
    body = sink.messages[0].get_body(('plain',)).get_content()  # type: ignore[attr-defined]
    assert '300\xa0кВт·ч' in body
    assert 'На 33\xa0% больше, чем в феврале' in body  # 300/28 against 250/31 kWh a day: × 1.33


def test_the_monthly_summary_gives_the_cost_of_the_closed_period_at_each_days_rate(system: System, sink: Sink) -> None:
    march = periods.billing_period(2026, 3, 25, MSK)  # 26 February – 25 March: 28 days
    days = [periods.midnight(date(2026, 2, 26) + timedelta(days=n), MSK) for n in range(28)]
    with system.session() as session:
        _user, (meter,) = _home(session, tariff_zones=1)
        _rollups(session, meter, Grain.billing, [(march.start, 280_000)])
        _rollups(session, meter, Grain.day, [(start, 10_000) for start in days])  # 10 kWh a day
        for rate, valid_from in (('5.00', date(2025, 1, 1)), ('6.00', date(2026, 3, 16))):
            session.add(TariffRate(tariff_group='', tariff_zones=1, zone=1, rub_per_kwh=Decimal(rate),
                                   valid_from=valid_from))  # fmt: skip
        session.commit()
    assert _job(system, sink, NOW) == 1
    body = sink.messages[0].get_body(('plain',)).get_content()  # type: ignore[attr-defined]
    # 26 Feb – 15 Mar: 18 days × 10 kWh × 5.00 = 900 ₽; 16 – 25 Mar: 10 days × 10 kWh × 6.00 = 600 ₽
    assert 'Стоимость по тарифам каждого дня: 1\xa0500,00\xa0₽.' in body  # no-break spaces: thousands, the unit
