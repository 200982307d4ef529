"""Login and the shell in real Chromium, on a desktop and on a phone."""

from __future__ import annotations

from tests.e2e.conftest import Server, log_in, log_out


def test_an_anonymous_visitor_lands_on_login_and_the_demo_resident_gets_in(page, server: Server) -> None:
    page.goto(server.url + '/')
    assert '/login' in page.url
    log_in(page, server)
    assert page.url.rstrip('/') == server.url
    assert page.get_by_text('Иванов Сергей Петрович').first.is_visible() or page.viewport_size['width'] < 600


def test_the_phone_shows_the_menu_in_a_drawer_and_logout_ends_the_session(page, server: Server) -> None:
    log_in(page, server)
    if page.viewport_size['width'] < 600:
        page.get_by_role('button', name='Меню').click()
        page.locator('.q-drawer').get_by_text('Главная', exact=True).wait_for(state='visible')
    if page.viewport_size['width'] < 600:
        page.locator('.q-drawer__backdrop').click(position={'x': 370, 'y': 400})  # close the drawer
    log_out(page)
    assert '/login' in page.url
    page.goto(server.url + '/')
    assert '/login' in page.url


def test_the_header_menus_open_with_their_items_and_a_theme_chosen_there_applies(page, server: Server) -> None:
    """The drop-downs' items are built when first opened (many residents at once): they must still open on a click."""
    log_in(page, server)
    page.get_by_role('button', name='Тема оформления').click()
    page.locator('.q-menu').get_by_text('Тёмная тема', exact=True).click()
    page.wait_for_function("() => document.body.classList.contains('body--dark')")
    lit = page.evaluate("[...document.querySelectorAll('.k-tile-figure')].map((e) => getComputedStyle(e).filter)")
    assert lit and all(f == 'brightness(1.6)' for f in lit), lit  # a tile's green or red figure, readable on dark
    page.get_by_role('button', name='Тема оформления').click()
    page.locator('.q-menu').get_by_text('Как на устройстве', exact=True).click()  # the demo's own choice again
    page.get_by_role('button', name='user menu').click()
    page.locator('.q-menu').get_by_text('Настройка', exact=True).wait_for(state='visible')
    page.locator('.q-menu').get_by_text('Выйти', exact=True).wait_for(state='visible')


def test_the_session_cookie_is_http_only_and_same_site(page, server: Server) -> None:
    log_in(page, server)
    cookie = next(c for c in page.context.cookies() if c['name'] == 'kabinet_session')
    assert cookie['httpOnly'] is True
    assert cookie['sameSite'] == 'Lax'
