"""The outbox against a real SMTP server (aiosmtpd): nothing is lost while it is down, nothing goes twice."""

from __future__ import annotations

import asyncio
import email
import socket
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from models import EmailOutbox
from services.core.system import System
from services.mail import outbox
from tests.integration.identity_helpers import NOW, UTILITY


class Sink:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return '250 Message accepted for delivery'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_port(system: System) -> int:
    port = free_port()
    system.settings.smtp_host, system.settings.smtp_port = '127.0.0.1', port
    return port


@pytest.fixture
def sink(smtp_port: int) -> Iterator[Sink]:
    handler = Sink()
    controller = Controller(handler, hostname='127.0.0.1', port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


def queue_two(system: System) -> None:
    with system.session() as session:
        for to in ('a@example.com', 'b@example.com'):
            context = {'password': 'Pa55word', 'login_url': 'http://portal/login'}
            outbox.queue_email(session=session, to=to, template='recovery', context=context, utility=UTILITY, now=NOW)
        session.commit()


def send(system: System, when: object) -> outbox.SendReport:
    return asyncio.run(outbox.send_due(system.engine, system.settings, when))  # type: ignore[arg-type]


def test_queued_emails_go_out_once_in_russian_with_text_and_html(system: System, sink: Sink) -> None:
    queue_two(system)
    assert send(system, NOW) == outbox.SendReport(sent=2, failed=0)
    assert send(system, NOW + timedelta(minutes=5)) == outbox.SendReport(sent=0, failed=0)
    assert [m['To'] for m in sink.messages] == ['a@example.com', 'b@example.com']
    first = sink.messages[0]
    assert 'Восстановление пароля' in str(email.header.make_header(email.header.decode_header(first['Subject'])))
    kinds = [part.get_content_type() for part in first.walk()]
    assert kinds == ['multipart/alternative', 'text/plain', 'text/html']
    assert 'Pa55word' in first.get_payload()[0].get_payload(decode=True).decode()


def test_a_stopped_smtp_server_loses_no_email_and_each_goes_out_once_when_it_returns(
    system: System, smtp_port: int
) -> None:
    queue_two(system)
    assert send(system, NOW).sent == 0  # nothing listens on the port
    with system.session() as session:
        rows = session.exec(select(EmailOutbox).order_by(EmailOutbox.id)).all()  # type: ignore[arg-type]
        assert [r.attempts for r in rows] == [1, 0]  # the first failure stops the run; the rest waits untouched
        assert rows[0].next_attempt_at == NOW + timedelta(minutes=1) and rows[0].last_error
    # 30 s later the first waits for its back-off (1 min) and the second fails in its turn (due again at 1.5 min)
    assert send(system, NOW + timedelta(seconds=30)) == outbox.SendReport(sent=0, failed=1)
    handler = Sink()
    controller = Controller(handler, hostname='127.0.0.1', port=smtp_port)
    controller.start()
    try:
        assert send(system, NOW + timedelta(minutes=2)).sent == 2
        assert send(system, NOW + timedelta(hours=2)).sent == 0
    finally:
        controller.stop()
    assert sorted(m['To'] for m in handler.messages) == ['a@example.com', 'b@example.com']


def test_the_back_off_doubles_from_one_minute_up_to_an_hour() -> None:
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 7, 8, 20)] == [1, 2, 4, 8, 60, 60, 60]
    # 2 ** 6 = 64 minutes is past the cap at the 7th attempt
