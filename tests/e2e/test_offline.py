"""Installable on a phone, in Chromium: the service worker takes over, keeps only the offline page and icons, and
with the network cut a page load shows the offline page instead of the browser's error."""

from __future__ import annotations

from tests.e2e.conftest import Server, log_in

KEPT = ['/offline.html', '/icons/icon-192.png', '/icons/icon-512.png']


def test_with_the_network_cut_a_page_load_shows_the_offline_page(page: object, server: Server) -> None:
    log_in(page, server)
    page.evaluate('navigator.serviceWorker.ready.then(() => true)')  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]  # now controlled by the worker
    page.wait_for_function('navigator.serviceWorker.controller !== null')  # type: ignore[attr-defined]
    cached = page.evaluate(  # type: ignore[attr-defined]
        "caches.open('kabinet-offline-v1').then(c => c.keys()).then(ks => ks.map(k => new URL(k.url).pathname))"
    )
    assert sorted(cached) == sorted(KEPT)  # nothing private: no page, no data of the resident
    page.context.set_offline(True)  # type: ignore[attr-defined]
    try:
        page.goto(f'{server.url}/readings')  # type: ignore[attr-defined]
        assert page.locator('#offline h1').inner_text() == 'Нет соединения с интернетом'  # type: ignore[attr-defined]
    finally:
        page.context.set_offline(False)  # type: ignore[attr-defined]
    page.goto(f'{server.url}/readings')  # type: ignore[attr-defined]
    page.get_by_text('График потребления').wait_for()  # type: ignore[attr-defined]  # back online: the real page


def test_chromium_finds_the_portal_installable(page: object, server: Server) -> None:
    page.goto(f'{server.url}/login')  # type: ignore[attr-defined]
    page.evaluate('navigator.serviceWorker.ready.then(() => true)')  # type: ignore[attr-defined]
    session = page.context.new_cdp_session(page)  # type: ignore[attr-defined]
    manifest = session.send('Page.getAppManifest')
    assert not manifest.get('errors'), manifest.get('errors')
    errors = [e['errorId'] for e in session.send('Page.getInstallabilityErrors')['installabilityErrors']]
    assert set(errors) <= {'in-incognito'}, errors  # a Playwright context is incognito; nothing else is missing
