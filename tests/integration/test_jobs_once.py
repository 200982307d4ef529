"""Two portal processes on one PostgreSQL database and one inbox: every job runs in one of them (O10)."""

from __future__ import annotations

import email
import os
import time
from collections.abc import Iterator
from datetime import date
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from services.core.db import make_engine
from services.core.leader import Leadership
from services.core.system import System
from services.mail import outbox
from tests.conftest import PG_URL
from tests.e2e.conftest import free_port
from tests.integration.ingest_helpers import csv, half_hours, load, registry
from tests.integration.portal_processes import Portal, portal_env, start_portal, wait_until

pytestmark = pytest.mark.skipif(
    not PG_URL, reason='several portal processes share PostgreSQL only: set KABINET_TEST_DATABASE_URL'
)
ROW = '7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;M-1;2;30;2026-01-01;690000000000001'
LEADS = 'this process leads'


class Sink:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return '250 Message accepted for delivery'

    def recipients(self) -> list[str]:
        return sorted(str(m['To']) for m in self.messages)


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    handler, port = Sink(), free_port()
    controller = Controller(handler, hostname='127.0.0.1', port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def portals(system: System, sink: tuple[Sink, int], tmp_path: Path) -> Iterator[list[Portal]]:
    env = portal_env(
        system.settings.database_url, tmp_path, KABINET_INBOX_INTERVAL='1',
        KABINET_SMTP_HOST='127.0.0.1', KABINET_SMTP_PORT=str(sink[1]),
    )  # fmt: skip
    env['KABINET_INBOX_DIR'] = system.settings.inbox_dir
    started: list[Portal] = []
    try:
        for name in ('first', 'second'):
            started.append(start_portal(env, tmp_path, name))
        yield started
    finally:
        for portal in started:
            portal.stop()


def test_each_file_is_imported_once_each_email_sent_once_and_a_standby_takes_over(
    system: System, sink: tuple[Sink, int], portals: list[Portal]
) -> None:
    mails, _ = sink
    load(system, ('r.csv', registry(ROW)))
    drop_files(system, 'a', 4)
    queue(system, 'a', 4)
    wait_until(lambda: imported(system) == [f'a{n}.csv' for n in range(4)], 30, 'the first four imports')
    wait_until(lambda: len(mails.messages) == 4, 30, 'the first four emails')
    time.sleep(3)  # three more inbox passes and an outbox pass: nothing may go twice
    assert imported(system) == ['a0.csv', 'a1.csv', 'a2.csv', 'a3.csv']
    assert mails.recipients() == ['a0@example.com', 'a1@example.com', 'a2@example.com', 'a3@example.com']
    leaders = [p for p in portals if LEADS in p.log()]
    assert len(leaders) == 1
    leaders[0].kill()
    (standby,) = [p for p in portals if p is not leaders[0]]
    drop_files(system, 'b', 2)
    queue(system, 'b', 2)
    wait_until(lambda: len(imported(system)) == 6 and len(mails.messages) == 6, 40, 'the take-over')
    assert LEADS in standby.log()
    assert imported(system)[4:] == ['b0.csv', 'b1.csv']
    assert mails.recipients()[4:] == ['b0@example.com', 'b1@example.com']


def drop_files(system: System, prefix: str, n: int) -> None:
    inbox = Path(system.settings.inbox_dir)
    inbox.mkdir(parents=True, exist_ok=True)
    past = time.time() - 60  # settled: not being written any more
    for i in range(n):
        path = inbox / f'{prefix}{i}.csv'
        path.write_bytes(csv(*half_hours('M-1', date(2026, 3, 10 + i), ['0,1'] * 48)))
        os.utime(path, (past, past))


def queue(system: System, prefix: str, n: int) -> None:
    with system.session() as session:
        for i in range(n):
            outbox.queue_email(
                session=session, to=f'{prefix}{i}@example.com', template='recovery', utility='АО «Тестэнерго»',
                context={'password': 'Pa55word', 'login_url': 'http://portal/login'}, now=system.now(),
            )  # fmt: skip
        session.commit()


def imported(system: System) -> list[str]:
    """File names of the inbox's imports, one entry per import_log row (a file imported twice shows twice)."""
    with system.engine.connect() as conn:
        rows = conn.execute(text("SELECT file_name FROM import_log WHERE source = 'inbox' ORDER BY file_name"))
        return [r[0] for r in rows]


def test_one_of_two_processes_leads_and_the_other_takes_over_when_it_lets_go(system: System) -> None:
    other_engine = make_engine(system.settings.database_url)
    first, second = Leadership(system.engine), Leadership(other_engine)
    try:
        assert first.check() is True
        assert second.check() is False
        assert first.check() is True  # the leader keeps its place on every check
        first.release()
        assert second.check() is True
        assert first.check() is False
    finally:
        first.release()
        second.release()
        other_engine.dispose()
