"""Main page → account → meter → diagnostics in real Chromium, on a desktop and on a phone."""

from __future__ import annotations

from tests.e2e.conftest import Server, log_in


def test_the_resident_walks_from_the_tiles_to_a_meter_card_and_to_diagnostics(page, server: Server) -> None:
    log_in(page, server)
    page.get_by_text('2 лицевых счёта').click()  # the Subscriber tile
    page.wait_for_url('**/subscriber')
    page.get_by_role('button', name='Открыть').first.click()
    page.wait_for_url('**/subscriber/accounts/*')
    page.get_by_text('Приборы учёта', exact=True).first.wait_for()
    page.locator('[role=button], button').filter(has_text='Открыть').first.click()
    page.wait_for_url('**/subscriber/meters/*')
    for heading in ('Поверка', 'Состояние нагрузки', 'Замены прибора учёта'):
        page.get_by_text(heading, exact=True).wait_for()
    page.locator('canvas').first.wait_for()  # the 24-hour power chart
    assert page.evaluate('document.documentElement.scrollWidth') <= page.viewport_size['width']  # no sideways scroll
    page.goto(server.url + '/diagnostics')
    page.get_by_text('Типы событий').click()
    page.get_by_role('button', name='Показать').wait_for()
    page.get_by_text('Лицевой счёт 690555001').first.wait_for()
    assert page.evaluate('document.documentElement.scrollWidth') <= page.viewport_size['width']


def test_a_forged_meter_or_account_id_answers_404_with_not_found_and_nothing_else(page, server: Server) -> None:
    log_in(page, server)
    for path in ('/subscriber/meters/999999', '/subscriber/accounts/1'):  # account 1 is another resident's
        response = page.goto(server.url + path)
        assert response is not None and response.status == 404
        page.get_by_text('Не найдено', exact=True).wait_for()
        assert page.get_by_text('Адрес').count() == 0
