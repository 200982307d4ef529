"""`app.py demo` on an empty database, then `app.py serve`: the portal answers as a browser expects."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clock import TEST_NOW
from tests.conftest import fresh_database
from tests.e2e.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str) -> tuple[int, dict[str, str]]:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.fixture(scope='module')
def portal(template_db: Path | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp_path = tmp_path_factory.mktemp('serve')
    database_url = fresh_database(template_db, tmp_path)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(('KABINET_', 'PYTEST_', 'NICEGUI_'))}
    env.update(
        KABINET_DATABASE_URL=database_url,
        KABINET_MODE='test',
        KABINET_NOW=TEST_NOW.isoformat(),
        KABINET_PORT=str(port),
        KABINET_DEMO_PASSWORD='demo-pass-1',
        KABINET_INBOX_DIR=str(tmp_path / 'in'),
        KABINET_STORAGE_SECRET='serve-test-secret-0123456789',
    )
    demo = subprocess.run(
        [sys.executable, 'app.py', 'demo', '--accounts', '12'],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    assert 'demo@example.com / password demo-pass-1' in demo.stdout
    process = subprocess.Popen(
        [sys.executable, 'app.py', 'serve'], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f'http://127.0.0.1:{port}'
    try:
        deadline = time.monotonic() + 120  # a busy two-core machine may take a minute to start a portal
        while time.monotonic() < deadline:
            try:
                if fetch(f'{url}/healthz')[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_demo_portal_answers_login_and_sends_anonymous_visitors_there(portal: str) -> None:
    assert fetch(f'{portal}/login')[0] == 200
    status, headers = fetch(f'{portal}/')
    assert status == 303
    assert headers['location'].startswith('/login')


def test_a_private_deep_link_is_remembered_for_after_the_login(portal: str) -> None:
    status, headers = fetch(f'{portal}/readings?meter=2')
    assert status == 303
    assert headers['location'] == '/login?next=/readings%3Fmeter%3D2'


def test_every_response_carries_the_security_headers(portal: str) -> None:
    _, headers = fetch(f'{portal}/login')
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered['x-content-type-options'] == 'nosniff'
    assert lowered['x-frame-options'] == 'DENY'
    assert lowered['referrer-policy'] == 'same-origin'
    assert "frame-ancestors 'none'" in lowered['content-security-policy']


def test_the_health_check_answers_while_the_database_does(portal: str) -> None:
    assert fetch(f'{portal}/healthz')[0] == 200


def test_metrics_are_off_without_a_configured_token(portal: str) -> None:
    assert fetch(f'{portal}/metrics')[0] == 404


def test_a_production_portal_refuses_a_chosen_clock_and_says_why(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(('KABINET_', 'PYTEST_', 'NICEGUI_'))}
    env.update(
        KABINET_DATABASE_URL=f'sqlite:///{tmp_path}/kabinet.db',
        KABINET_MODE='production',
        KABINET_STORAGE_SECRET='production-secret-0123456789',
        KABINET_NOW='2027-01-03T00:30:00+03:00',
    )
    run = subprocess.run(
        [sys.executable, 'app.py', 'serve'], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 2
    assert 'KABINET_NOW sets the clock only in test and demo mode' in run.stderr
