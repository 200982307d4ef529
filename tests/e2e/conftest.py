"""End-to-end tests: a real server process and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import email
import email.header
import email.message
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.clock import TEST_NOW

CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = 'demo-pass-2026'
PHONE = {
    'viewport': {'width': 390, 'height': 844},
    'device_scale_factor': 2,
    'is_mobile': True,
    'has_touch': True,
}
DESKTOP = {'viewport': {'width': 1366, 'height': 768}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if 'tests/e2e/' in str(item.fspath).replace(os.sep, '/'):
            item.add_marker(pytest.mark.e2e)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason=f'no Chromium at {CHROMIUM}: apt-get install chromium'))


@dataclass
class Server:
    url: str
    env: dict[str, str]
    data: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])


def portal_env(data: Path, port: int, **extra: str) -> dict[str, str]:
    """The settings of a test portal keeping its data in `data`: test mode at the suite's instant, no captcha."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(('KABINET_', 'PYTEST_', 'NICEGUI_'))}
    env.update(
        KABINET_DATABASE_URL=f'sqlite:///{data}/kabinet.db',
        KABINET_MODE='test',
        KABINET_NOW=TEST_NOW.isoformat(),  # the suite's instant, whatever the date of the run
        KABINET_PORT=str(port),
        KABINET_HOST='127.0.0.1',
        KABINET_STORAGE_SECRET='e2e-secret-0123456789abcdef',
        KABINET_DEMO_PASSWORD=DEMO_PASSWORD,
        KABINET_CAPTCHA='off',
        KABINET_INBOX_DIR=str(data / 'inbox'),
        KABINET_SMTP_HOST='127.0.0.1',
        KABINET_SMTP_PORT=str(free_port()),
    )
    env.update(extra)
    return env


@contextmanager
def serving(env: dict[str, str], data: Path) -> Iterator[Server]:
    """`app.py serve` with `env` until the block ends; its output goes to data/server.log."""
    log = (data / 'server.log').open('w')
    process = subprocess.Popen(
        [sys.executable, 'app.py', 'serve'], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f'http://127.0.0.1:{env["KABINET_PORT"]}'
    try:
        wait_until_up(url, process)
        yield Server(url=url, env=env, data=data)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope='session')
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The portal with a small demo utility, in its own process, on a free port (SQLite in a temp folder)."""
    data = tmp_path_factory.mktemp('e2e')
    env = portal_env(data, free_port(), **extra_server_env())
    subprocess.run(
        [sys.executable, 'app.py', 'demo', '--accounts', '40'], cwd=ROOT, env=env, check=True, capture_output=True
    )
    with serving(env, data) as running:
        yield running


class MailSink:
    """A real SMTP server (aiosmtpd) that keeps every message the portal sends."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return '250 Message accepted for delivery'

    def wait_for(self, to: str, subject: str, timeout: float = 40) -> email.message.Message:
        """The first message to `to` whose subject contains `subject`, waiting for the outbox job to send it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                title = str(email.header.make_header(email.header.decode_header(message['Subject'])))
                if message['To'] == to and subject in title:
                    self.messages.remove(message)
                    return message
            time.sleep(0.3)
        raise AssertionError(f'no email «{subject}» to {to} within {timeout} s')


@pytest.fixture(scope='session')
def smtp_sink(server: Server) -> Iterator[MailSink]:
    """The SMTP server the portal of `server` sends to (its KABINET_SMTP_PORT)."""
    from aiosmtpd.controller import Controller

    sink = MailSink()
    controller = Controller(sink, hostname='127.0.0.1', port=int(server.env['KABINET_SMTP_PORT']))
    controller.start()
    yield sink
    controller.stop()


def extra_server_env() -> dict[str, str]:
    """Hook for test modules that need more settings (e.g. a real SMTP sink); empty by default."""
    return {}


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError('the server exited at start')
        try:
            with urllib.request.urlopen(f'{url}/healthz', timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError('the server did not answer /healthz within 120 s')


@pytest.fixture(scope='session')
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM)
        yield instance
        instance.close()


@pytest.fixture(params=['desktop', 'phone'])
def page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    """A fresh browser context at 1366×768 or on a 390×844 phone, Russian locale."""
    options = DESKTOP if request.param == 'desktop' else PHONE
    context = browser.new_context(locale='ru-RU', **options)  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def log_in(page: object, server: Server, login: str = 'demo@example.com', password: str = DEMO_PASSWORD) -> None:
    page.goto(f'{server.url}/login')  # type: ignore[attr-defined]
    page.get_by_label('Телефон или email').fill(login)  # type: ignore[attr-defined]
    page.get_by_label('Пароль', exact=True).fill(password)  # type: ignore[attr-defined]
    page.get_by_role('button', name='Войти').click()  # type: ignore[attr-defined]
    page.wait_for_url(lambda url: '/login' not in url)  # type: ignore[attr-defined]


def log_out(page: object) -> None:
    """«Выйти» in the user menu: the form POSTs /logout (a plain GET of /logout only asks)."""
    page.get_by_role('button', name='user menu').click()  # type: ignore[attr-defined]
    page.locator('.q-menu').get_by_text('Выйти', exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_url('**/login')  # type: ignore[attr-defined]
