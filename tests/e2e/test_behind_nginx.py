"""Two portal processes on PostgreSQL behind Debian's nginx with deploy/'s site: a browser outlives its process."""

from __future__ import annotations

import asyncio
import re
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest
import socketio
from sqlmodel import Session, select

from bench import nginx as nginx_site
from models import User
from services.core.db import make_engine, migrate
from services.identity.auth import open_session
from tests.clock import TEST_NOW
from tests.conftest import PG_URL
from tests.e2e.conftest import Server, free_port, log_in
from tests.factories import PASSWORD
from tests.integration.databases import empty_pg_database
from tests.integration.portal_processes import Portal, portal_env, start_portal, wait_until
from tests.readings_data import seed

TOKEN = 'nginx-test-metrics-token'
RUSH = 40
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
        serving = next(p for p in portals if tabs_on(p) == 1)
        (other,) = [p for p in portals if p is not serving]
        serving.stop()
        wait_until(lambda: tabs_on(other) == 1, 40, 'the page reconnecting to the other process')
        page.locator('.k-consumption-chart canvas').first.wait_for()
        assert page.url.endswith('/readings')  # not sent to /login: the session lives in the database
        assert re.fullmatch(r'[а-я]+ \d{4}', page.locator('.k-chart-title').inner_text())
    finally:
        context.close()


def test_a_rush_of_pages_behind_nginx_keeps_every_page_connected(proxied: tuple[Server, list[Portal]]) -> None:
    """Forty residents open the main page at once, each from an address of its own (nginx routes by address).
    Every page's socket.io connection stays open past the portal's keep-alive time (uvicorn's 5 s): a socket that
    nginx sent over a kept-alive connection which had just carried a page was cut by that request's keep-alive
    timer, and most of a rush's pages reconnected."""
    server, portals = proxied
    cookies = sessions(server.env['KABINET_DATABASE_URL'], server.env['LOGIN'], RUSH)
    with ThreadPoolExecutor(1) as thread:  # a loop of its own: Playwright's sync API holds this thread's
        held = rush(server.url, cookies, hold_seconds=8, tabs=lambda: sum(tabs_on(p) for p in portals))
        dropped, connected, tabs = thread.submit(asyncio.run, held).result()
    assert dropped == []
    assert connected == tabs == RUSH


def sessions(database_url: str, email: str, n: int) -> list[str]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        tokens = [open_session(session=session, user=user, ip='127.0.0.1', user_agent='rush', now=TEST_NOW)
                  for _ in range(n)]  # fmt: skip
        session.commit()
    engine.dispose()
    return tokens


async def rush(url: str, tokens: list[str], hold_seconds: float, tabs: Callable[[], int]) -> tuple[list[int], int, int]:
    """Open `/` for every token at once (GET, then its socket.io connection, as a browser does); once all are
    open, wait, and tell which pages lost their connection meanwhile and how many are connected at the end of the
    wait: as the clients see it and as the portals count them (`tabs`)."""
    dropped: list[int] = []
    opened: list[socketio.AsyncClient] = []
    release = asyncio.Event()
    loop = asyncio.get_running_loop()
    ready = [loop.create_future() for _ in tokens]

    async def one(i: int, token: str) -> None:
        cookie = {'Cookie': f'kabinet_session={token}'}
        connector = aiohttp.TCPConnector(local_addr=(nginx_site.source_address(i), 0), ssl=False)
        try:
            async with aiohttp.ClientSession(headers=cookie, connector=connector) as http:
                async with http.get(url + '/') as page:
                    client_id = re.search(r"'client_id': '([0-9a-f-]+)'", await page.text()).group(1)  # type: ignore[union-attr]
                sio = socketio.AsyncClient(
                    reconnection=False, http_session=http, websocket_extra_options={'ssl': False}
                )
                sio.on('disconnect', lambda *_: dropped.append(i))
                query = f'client_id={client_id}&next_message_id=0&implicit_handshake=true&document_id={i}&tab_id={i}'
                await sio.connect(f'{url}?{query}', socketio_path='/_nicegui_ws/socket.io', transports=['websocket'],
                                  headers={**cookie, 'Origin': url}, wait_timeout=60)  # fmt: skip
                opened.append(sio)
                ready[i].set_result(None)
                await release.wait()
                if sio.connected:
                    await sio.disconnect()
        except Exception as error:
            if not ready[i].done():
                ready[i].set_exception(error)
            raise

    tasks = [asyncio.create_task(one(i, token)) for i, token in enumerate(tokens)]
    try:
        await asyncio.wait_for(asyncio.gather(*ready), 120)  # a slow machine opens them all, however long it takes
        await asyncio.sleep(hold_seconds)
        connected, leaving, counted = sum(s.connected for s in opened), list(dropped), await asyncio.to_thread(tabs)
    finally:
        release.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return leaving, connected, counted


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


def tabs_on(portal: Portal) -> int:
    """Browser tabs connected to `portal`, from its /metrics."""
    if portal.process.poll() is not None:
        return 0
    request = urllib.request.Request(f'{portal.url}/metrics', headers={'Authorization': f'Bearer {TOKEN}'})
    with urllib.request.urlopen(request, timeout=5) as response:
        body = response.read().decode()
    return int(re.search(r'^kabinet_connected_clients (\d+)', body, re.M).group(1))  # type: ignore[union-attr]
