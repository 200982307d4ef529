"""The login defences as an attacker meets them: real Chromium and plain HTTP against a real `app.py serve`.

The portal here trusts one proxy, 127.0.0.2 (KABINET_TRUSTED_PROXIES); the browser connects from 127.0.0.1 like
any other client. Its public address (KABINET_BASE_URL) is https://kabinet.example.
"""

from __future__ import annotations

import http.server
import sqlite3
import threading
from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session

from services.core.db import make_engine, migrate
from services.identity import auth
from tests.e2e.conftest import Server, free_port, log_out, portal_env, serving
from tests.factories import PASSWORD, make_user

SECRET = 'e2e-security-secret-0123456789'
PROXY = '127.0.0.2'
PUBLIC = 'https://kabinet.example'
OWNERS = ('olga.desktop@example.com', 'olga.phone@example.com', 'anna@example.com', 'mallory@example.com')
BEHIND_PROXY = 'proxy.user@example.com'


@pytest.fixture(scope='module')
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A portal of its own (its throttling state must not touch the other tests' logins), with residents seeded."""
    data = tmp_path_factory.mktemp('security')
    engine = make_engine(f'sqlite:///{data}/kabinet.db')
    migrate(engine)
    with Session(engine) as session:
        for email in (*OWNERS, BEHIND_PROXY):
            make_user(session, email=email, full_name=f'Жилец {email.split("@")[0]}')
        session.commit()
    engine.dispose()
    env = portal_env(
        data, free_port(), KABINET_STORAGE_SECRET=SECRET, KABINET_TRUSTED_PROXIES=PROXY, KABINET_BASE_URL=PUBLIC
    )
    with serving(env, data) as running:
        yield running


class EvilSite:
    """Another origin on this machine (same site as the portal, another port): serves whatever page is set."""

    def __init__(self) -> None:
        self.page = '<p>hello</p>'
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.page.encode()
                self.send_response(200)
                self.send_header('Content-Type', 'text/html; charset=utf-8')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}'
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope='module')
def evil() -> Iterator[EvilSite]:
    site = EvilSite()
    yield site
    site.server.shutdown()


def query(server: Server, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(f'file:{server.data / "kabinet.db"}?mode=ro', uri=True) as db:
        return db.execute(sql, args).fetchall()


def user_id(server: Server, email: str) -> int:
    return int(query(server, 'SELECT id FROM user WHERE email = ?', email)[0][0])  # type: ignore[call-overload]


def submit_login(page: object, server: Server, login: str, password: str) -> str:
    """Fill /login and press «Войти»; the answer next to the form, or '' once the browser has left /login."""
    page.goto(f'{server.url}/login')  # type: ignore[attr-defined]
    page.get_by_label('Телефон или email').fill(login)  # type: ignore[attr-defined]
    page.get_by_label('Пароль', exact=True).fill(password)  # type: ignore[attr-defined]
    page.get_by_role('button', name='Войти').click()  # type: ignore[attr-defined]
    error = page.locator('.text-negative').first  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !location.pathname.startsWith('/login') || [...document.querySelectorAll('.text-negative')]"
        '.some(e => e.offsetParent !== null && e.innerText.trim())'
    )
    return '' if '/login' not in page.url else error.inner_text()  # type: ignore[attr-defined]


def test_guessing_in_chromium_is_slowed_stored_and_audited_while_the_owner_still_gets_in(
    page: object, browser: object, guarded: Server
) -> None:
    email = OWNERS[0] if page.viewport_size['width'] > 600 else OWNERS[1]  # type: ignore[attr-defined]
    assert submit_login(page, guarded, email, PASSWORD) == ''  # the owner's browser gets its device cookie
    log_out(page)
    attacker = browser.new_context(locale='ru-RU')  # type: ignore[attr-defined]
    tab = attacker.new_page()
    answers = [submit_login(tab, guarded, email, f'guess {n}') for n in range(6)]
    while not answers[-1].startswith('Слишком много попыток') and len(answers) < 12:
        answers.append(submit_login(tab, guarded, email, f'guess {len(answers)}'))
    attacker.close()
    assert answers[:6] == ['Неверный логин или пароль.'] * 6
    assert answers[-1].startswith('Слишком много попыток. Повторите через')
    owner = user_id(guarded, email)
    failures = query(guarded, 'SELECT failures FROM login_throttle WHERE key = ?', f'user:{owner}')
    assert failures == [(len(answers) - 1,)]
    actions = query(guarded, 'SELECT action, ip FROM audit_log WHERE user_id = ? AND action LIKE ?', owner, 'login_%')
    assert actions == [('login_failed', '127.0.0.1')] * (len(answers) - 1) + [('login_throttled', '127.0.0.1')]
    assert submit_login(page, guarded, email, PASSWORD) == ''  # same address, the owner's browser: in
    assert page.url.rstrip('/') == guarded.url  # type: ignore[attr-defined]


def test_a_link_or_a_foreign_page_cannot_log_anyone_out_but_the_menu_can(
    page: object, guarded: Server, evil: EvilSite
) -> None:
    assert submit_login(page, guarded, OWNERS[2], PASSWORD) == ''
    page.goto(f'{guarded.url}/logout')  # type: ignore[attr-defined]
    page.get_by_text('Выйти из личного кабинета на этом устройстве?').wait_for()  # type: ignore[attr-defined]
    # A page on another port of the same host is the same site: the browser sends the session cookie along.
    token = page.locator('input[name=csrf]').first.get_attribute('value')  # type: ignore[attr-defined]
    evil.page = (
        f'<form id="f" method="post" action="{guarded.url}/logout"><input name="csrf" value="{token}"></form>'
        "<script>document.getElementById('f').submit()</script>"
    )  # even with the right token (stolen somehow), the origin gives the forgery away
    with page.expect_response(f'{guarded.url}/logout') as posted:  # type: ignore[attr-defined]
        page.goto(f'{evil.url}/win-a-prize')  # type: ignore[attr-defined]
    assert (posted.value.status, posted.value.headers['location']) == (303, '/logout')  # only asked again
    page.goto(f'{guarded.url}/')  # type: ignore[attr-defined]
    assert page.url.rstrip('/') == guarded.url  # type: ignore[attr-defined]  # still logged in
    log_out(page)
    page.goto(f'{guarded.url}/')  # type: ignore[attr-defined]
    assert '/login' in page.url  # type: ignore[attr-defined]


def test_a_login_ticket_url_opened_in_another_browser_logs_nobody_in(browser: object, guarded: Server) -> None:
    # The portal's service worker would fetch the navigation itself, out of the route's sight: block it here.
    attacker = browser.new_context(locale='ru-RU', service_workers='block')  # type: ignore[attr-defined]
    victim = browser.new_context(locale='ru-RU')  # type: ignore[attr-defined]
    tab, lured = attacker.new_page(), victim.new_page()
    tickets: list[str] = []
    tab.route(lambda url: '/auth/complete' in url, lambda route: (tickets.append(route.request.url), route.abort()))
    tab.goto(f'{guarded.url}/login')
    tab.get_by_label('Телефон или email').fill(OWNERS[3])
    tab.get_by_label('Пароль', exact=True).fill(PASSWORD)
    tab.get_by_role('button', name='Войти').click()
    for _ in range(100):
        if tickets:
            break
        tab.wait_for_timeout(100)
    lured.goto(tickets[0])  # the attacker's ticket, sent to the victim as a link
    assert '/login' in lured.url
    lured.goto(f'{guarded.url}/')
    assert '/login' in lured.url
    attacker.close()
    victim.close()


def test_rotating_forwarded_for_from_an_untrusted_peer_does_not_lift_the_recovery_limit(
    browser: object, guarded: Server
) -> None:
    context = browser.new_context(locale='ru-RU')  # type: ignore[attr-defined]
    tab = context.new_page()
    answers = []
    for n in range(12):
        tab.set_extra_http_headers({'X-Forwarded-For': f'198.51.100.{n + 1}'})  # a new "address" every time
        tab.goto(f'{guarded.url}/recover')
        tab.get_by_label('Email').fill('nobody@example.com')
        tab.get_by_role('button', name='Применить').click()
        answer = tab.get_by_text('Если этот адрес зарегистрирован').or_(tab.get_by_text('Слишком много запросов'))
        answers.append(answer.first.inner_text())
    context.close()
    assert [a.startswith('Если этот адрес') for a in answers] == [True] * 10 + [False] * 2  # 10 an hour per client
    assert query(guarded, "SELECT failures FROM login_throttle WHERE key = 'recover:127.0.0.1'") == [(12,)]


def test_a_trusted_proxys_forwarded_for_is_believed_and_nobody_elses(browser: object, guarded: Server) -> None:
    resident = user_id(guarded, BEHIND_PROXY)
    for peer in (PROXY, '127.0.0.1'):
        context = browser.new_context(locale='ru-RU')  # type: ignore[attr-defined]
        tab = context.new_page()
        assert submit_login(tab, guarded, BEHIND_PROXY, PASSWORD) == ''
        token = next(c['value'] for c in context.cookies() if c['name'] == 'kabinet_session')
        context.close()
        transport = httpx.HTTPTransport(local_address=peer)
        with httpx.Client(transport=transport, cookies={'kabinet_session': token}) as client:
            response = client.post(
                f'{guarded.url}/logout',
                data={'csrf': auth.logout_token(SECRET, token)},
                headers={'X-Forwarded-For': '203.0.113.77', 'Origin': guarded.url},
            )
        assert response.status_code == 303
    logouts = query(guarded, "SELECT ip FROM audit_log WHERE action = 'logout' AND user_id = ?", resident)
    assert logouts == [('203.0.113.77',), ('127.0.0.1',)]  # the proxy's word, then the peer's own address


def test_socket_io_refuses_a_page_of_another_origin(browser: object, guarded: Server, evil: EvilSite) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    socket = guarded.url.replace('http', 'ws') + '/_nicegui_ws/socket.io/?EIO=4&transport=websocket'
    probe = (
        'url => new Promise(done => { const ws = new WebSocket(url);'
        " ws.onmessage = e => done('open: ' + e.data.slice(0, 1)); ws.onerror = () => done('refused'); })"
    )
    evil.page = '<p>Нажмите, чтобы получить приз</p>'
    tab.goto(f'{evil.url}/')
    assert tab.evaluate(probe, socket) == 'refused'  # cross-site websocket hijacking
    tab.goto(f'{guarded.url}/login')
    assert tab.evaluate(probe, socket) == 'open: 0'  # the portal's own page: engine.io's open packet
    context.close()
    polling = f'{guarded.url}/_nicegui_ws/socket.io/?EIO=4&transport=polling'
    assert httpx.get(polling, headers={'Origin': 'https://evil.example'}).status_code == 400
    assert httpx.get(polling, headers={'Origin': PUBLIC}).status_code == 200  # KABINET_BASE_URL
    assert httpx.get(polling, headers={'Origin': guarded.url}).status_code == 200  # the Host it was sent to
