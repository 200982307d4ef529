"""The Readings section in real Chromium, desktop and phone: build, click a bar, go back, page the table."""

from __future__ import annotations

import re

from tests.e2e.conftest import Server, log_in

# The chart instance lives in NiceGUI's Vue component of the element; ECharts converts a bar to its pixel.
BAR_PIXEL_JS = """([index]) => {
  const el = document.querySelector('.k-consumption-chart');
  const chart = getElement(el.id.slice(1)).chart;
  const option = chart.getOption();
  const value = option.series[0].data[index].value;
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [index, value / 2]);
  const box = el.getBoundingClientRect();
  return [box.left + x, box.top + y];
}"""


def chart_title(page) -> str:
    return page.locator('.k-chart-title').inner_text()


def test_a_resident_builds_the_chart_clicks_a_bar_goes_back_and_pages_the_table(page, server: Server) -> None:
    log_in(page, server)
    page.goto(server.url + '/readings')
    page.locator('.k-consumption-chart canvas').first.wait_for()
    month = chart_title(page)
    assert re.fullmatch(r'[а-я]+ \d{4}', month), month  # the current month, «ноябрь 2026»
    page.get_by_role('button', name='Построить').click()
    page.wait_for_timeout(500)
    page.locator('.k-consumption-chart').scroll_into_view_if_needed()
    x, y = page.evaluate(BAR_PIXEL_JS, [4])
    page.mouse.click(x, y)
    page.wait_for_function("() => /^5 /.test(document.querySelector('.k-chart-title').innerText)")
    assert chart_title(page).startswith('5 ')  # the 5th day of the month, by hours
    page.get_by_role('button', name='Назад').click()
    page.wait_for_function(f"() => document.querySelector('.k-chart-title').innerText === '{month}'")
    page.get_by_role('tab', name='Таблица показаний').click()
    page.locator('.k-table-month').filter(has_text=month).wait_for()
    page.get_by_role('button', name='previous month').click()
    page.wait_for_function(f"() => document.querySelector('.k-table-month').innerText !== '{month}'")
    assert page.locator('.q-table tbody tr').count() >= 28  # every day of the previous month
    body_width = page.evaluate('() => document.documentElement.scrollWidth')
    assert body_width <= page.viewport_size['width'] + 1  # nothing sticks out of a 390 px phone
