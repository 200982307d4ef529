"""Two portal processes on PostgreSQL behind Debian's nginx with deploy/'s site: a browser outlives its process."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator

import pytest

from bench import nginx as nginx_site
from services.core.db import make_engine, migrate
from tests.conftest import PG_URL
from tests.e2e.conftest import Server, free_port, log_in
from tests.factories import PASSWORD
from tests.integration.databases import empty_pg_database
from tests.integration.portal_processes import Portal, portal_env, start_portal, wait_until
from tests.readings_data import seed

TOKEN = 'nginx-test-metrics-token'
pytestmark = [
    pytest.mark.skipif(not PG_URL, reason='several portal processes need PostgreSQL: set KABINET_TEST_DATABASE_URL'),
    pytest.mark.skipif(bool(nginx_site.missing()), reason=nginx_site.missing()),
]
UNVERIFIED = nginx_site.UNVERIFIED


def test_a_resident_behind_nginx_keeps_the_chart_and_the_login_when_the_serving_process_stops(
    proxied: tuple[Server, list[Portal]], browser: object
) -> None:
    server, portals = proxied
    context = browser.new_context(locale='ru-RU', ignore_https_errors=True, viewport={'width': 1366, 'height': 768})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        log_in(page, server, login=server.env['LOGIN'], password=PASSWORD)
        page.goto(server.url + '/readings')
        page.locator('.k-consumption-chart canvas').first.wait_for()
        serving = next(p for p in portals if connected(p) == 1)
        (other,) = [p for p in portals if p is not serving]
        serving.stop()
        wait_until(lambda: connected(other) == 1, 40, 'the page reconnecting to the other process')
        page.locator('.k-consumption-chart canvas').first.wait_for()
        assert page.url.endswith('/readings')  # not sent to /login: the session lives in the database
        assert re.fullmatch(r'[а-я]+ \d{4}', page.locator('.k-chart-title').inner_text())
    finally:
        context.close()


def test_nginx_sends_the_portals_security_headers_once_and_keeps_static_files(
    proxied: tuple[Server, list[Portal]],
) -> None:
    server, _ = proxied
    with urllib.request.urlopen(f'{server.url}/login', context=UNVERIFIED, timeout=10) as response:
        assert response.headers.get_all('x-frame-options') == ['DENY']
        assert len(response.headers.get_all('content-security-policy')) == 1
        assert response.headers['strict-transport-security'] == 'max-age=31536000'
        asset = re.search(r'/_nicegui/[0-9.]+/static/[^"]+\.js', response.read().decode()).group(0)  # type: ignore[union-attr]
    statuses = []
    for _ in range(2):
        request = urllib.request.Request(server.url + asset, headers={'Accept-Encoding': 'gzip'})
        with urllib.request.urlopen(request, context=UNVERIFIED, timeout=10) as response:
            response.read()  # nginx keeps a copy of what it delivered whole
            statuses.append(response.headers['x-cache'])
            assert 'set-cookie' not in {k.lower() for k in response.headers}
    assert statuses == ['MISS', 'HIT']


@pytest.fixture(scope='module')
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, list[Portal]]]:
    folder = tmp_path_factory.mktemp('nginx')
    port = free_port()
    with empty_pg_database('nginx') as url:
        env = portal_env(
            url, folder, KABINET_HTTPS='true', KABINET_METRICS_TOKEN=TOKEN,
            KABINET_TRUSTED_PROXIES='127.0.0.1', KABINET_BASE_URL=f'https://127.0.0.1:{port}',
        )  # fmt: skip
        engine = make_engine(url)
        migrate(engine)
        email = seed(engine).email  # a resident with a meter and months of readings (faster than the demo)
        engine.dispose()
        portals = [start_portal(env, folder, name) for name in ('first', 'second')]
        nginx = nginx_site.start(folder, port, [p.port for p in portals])
        try:
            yield Server(url=f'https://127.0.0.1:{port}', env={**env, 'LOGIN': email}, data=folder), portals
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
            for portal in portals:
                portal.stop()


def connected(portal: Portal) -> int:
    """Browser tabs connected to `portal`, from its /metrics."""
    if portal.process.poll() is not None:
        return 0
    request = urllib.request.Request(f'{portal.url}/metrics', headers={'Authorization': f'Bearer {TOKEN}'})
    with urllib.request.urlopen(request, timeout=5) as response:
        body = response.read().decode()
    return int(re.search(r'^kabinet_connected_clients (\d+)', body, re.M).group(1))  # type: ignore[union-attr]
