"""The smoke tour in every browser of the manual (SPEC S12): Chromium, Firefox ESR and WebKit (Safari's engine), each
at 1366×768 and on a 390×844 phone. Log in, the main page, a chart drill-down in Readings and back, the readings
table, a diagnostics filter, Support, log out; no page scrolls sideways, no JavaScript error, no server traceback.
Screenshots of every step go to $KABINET_TOUR_SHOTS (or pytest's temp folder). A browser that is not installed is
skipped, with what to install."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, DESKTOP, PHONE, Server
from tests.e2e.engines import Chromium, Engine, Firefox, WebKit, missing

SIZES = {'desktop': (1366, 768), 'phone': (390, 844)}

# The visible element with this text (as written, before CSS upper-cases it) that has no visible child with it,
# scrolled to the middle; its centre, once a click there would reach it.
FIND_JS = """
const visible = (el) => { const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
const text = (el) => (el.textContent || '').replace(/\\s+/g, ' ').trim();
const hit = (el) => visible(el) && el.matches(args.selector || '*') && (args.text === null
  || (args.exact ? text(el) === args.text : text(el).includes(args.text)));
const root = document.querySelector(args.within || 'body');
const el = root && [...root.querySelectorAll(args.selector || '*')].find(
  (el) => hit(el) && ![...el.children].some(hit));
if (!el) return null;
el.scrollIntoView({block: 'center', inline: 'nearest'});
const r = el.getBoundingClientRect();
const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
if (!(x >= 0 && y >= 0 && x < innerWidth && y < innerHeight)) return null;  // a drawer still sliding in
const top = document.elementFromPoint(x, y);  // a panel still opening clips it: a click would hit what lies below
return top && (top === el || el.contains(top) || top.contains(el)) ? [x, y] : null;
"""

# The input of the Quasar field labelled so, focused and selected; its centre.
FIELD_JS = """
const field = [...document.querySelectorAll('label.q-field')].find(
  (f) => (f.querySelector('.q-field__label')?.innerText || '').trim() === args.label);
if (!field) return null;
const input = field.querySelector('input, textarea');
input.scrollIntoView({block: 'center'});
const r = input.getBoundingClientRect();
return [r.left + r.width / 2, r.top + r.height / 2];
"""

# The pixel of the middle of bar `index` of the consumption chart (the chart lives in NiceGUI's Vue component).
BAR_JS = """
const el = document.querySelector('.k-consumption-chart');
el.scrollIntoView({block: 'center'});
const chart = getElement(el.id.slice(1))?.chart;
if (!chart || !chart.getOption) return null;  // still being built
const value = chart.getOption().series[0].data[args].value;
const [x, y] = chart.convertToPixel({seriesIndex: 0}, [args, value / 2]);
const box = el.getBoundingClientRect();
return [box.left + x, box.top + y];
"""

CHART_TITLE = "return document.querySelector('.k-chart-title')?.innerText ?? null"
WIDE = 'return [document.documentElement.scrollWidth, window.innerWidth]'


class Tour:
    def __init__(self, engine: Engine, server: Server, shots: Path, *, phone: bool) -> None:
        self.engine, self.server, self.shots, self.phone = engine, server, shots, phone

    def wait(self, body: str, args: Any = None, timeout: float = 20, what: str = '') -> Any:
        deadline = time.monotonic() + timeout
        error: Exception | None = None
        while True:
            try:
                value = self.engine.js(body, args)
            except Exception as exc:  # the page navigated away while the script ran: ask the next page
                value, error = None, exc
            if value:
                return value
            if time.monotonic() > deadline:
                self.shot('failed')
                raise AssertionError(f'waited {timeout} s for {what or body}') from error
            time.sleep(0.2)

    def see(self, text: str | None, **where: Any) -> list[float]:
        return list(self.wait(FIND_JS, {'text': text, **where}, what=f'«{text}» {where}'))

    def click(self, text: str | None, **where: Any) -> None:
        """A real click in the middle of the element, once it stands still (Quasar animates opening panels)."""
        spot = self.see(text, **where)
        for _ in range(25):
            time.sleep(0.1)
            spot, before = self.see(text, **where), spot
            if spot == before:
                break
        self.engine.click(*spot)

    def fill(self, label: str, value: str) -> None:
        x, y = self.wait(FIELD_JS, {'label': label}, what=f'the field «{label}»')
        self.engine.click(x, y)
        self.engine.js('document.activeElement.select && document.activeElement.select()')
        self.engine.type(value)

    def settled(self) -> None:
        """No Quasar transition is running (a tab panel slides in over 0.3 s)."""
        self.wait('return !document.querySelector(\'[class*="q-transition--"]\')', what='the end of the transition')
        time.sleep(0.1)

    def go(self, path: str) -> None:
        self.engine.open(self.server.url + path)
        self.ready()

    def ready(self) -> None:
        """The page is loaded and its websocket has shaken hands with the server (clicks reach the server)."""
        self.wait("return document.readyState === 'complete' && window.did_handshake === true", what='the page')

    def shot(self, name: str) -> None:
        time.sleep(0.4)  # Quasar's floating labels and ripples settle in 0.3 s
        self.engine.screenshot(self.shots / f'{name}.png')

    def fits(self, where: str) -> None:
        scroll_width, width = self.engine.js(WIDE)
        if scroll_width > width + 1:
            self.shot(f'{where}-too-wide')
        assert scroll_width <= width + 1, f'{where} scrolls sideways: {scroll_width} px in a {width} px window'


@pytest.fixture(params=['chromium', 'firefox', 'webkit'])
def engine_name(request: pytest.FixtureRequest) -> str:
    reason = missing(request.param)
    if reason:
        pytest.skip(f'{request.param}: {reason}')
    return str(request.param)


@pytest.fixture(params=list(SIZES))
def tour(
    request: pytest.FixtureRequest, engine_name: str, server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Tour]:
    size = str(request.param)
    width, height = SIZES[size]
    engine: Engine
    if engine_name == 'chromium':
        engine = Chromium(request.getfixturevalue('browser'), PHONE if size == 'phone' else DESKTOP)
    elif engine_name == 'firefox':
        engine = Firefox(width, height, mobile=size == 'phone')
    else:
        engine = WebKit(width, height)
    root = Path(os.environ['KABINET_TOUR_SHOTS']) if os.environ.get('KABINET_TOUR_SHOTS') else None
    shots = (root or tmp_path_factory.mktemp('tour')) / f'{engine_name}-{size}'
    shots.mkdir(parents=True, exist_ok=True)
    log = server.data / 'server.log'
    start = log.stat().st_size
    try:
        yield Tour(engine, server, shots, phone=size == 'phone')
        assert engine.errors() == [], 'JavaScript errors in the page'
        with log.open(errors='replace') as lines:
            lines.seek(start)
            assert 'Traceback' not in lines.read(), f'the server logged an error during the tour: {log}'
    finally:
        engine.close()


def test_the_resident_tours_the_portal(tour: Tour) -> None:
    tour.go('/login')
    tour.fill('Телефон или email', 'demo@example.com')
    tour.fill('Пароль', DEMO_PASSWORD)
    tour.shot('1-login')
    tour.click('Войти', selector='button, button *', exact=True)
    tour.wait("return !location.pathname.startsWith('/login')", what='the main page after login')
    tour.ready()

    tour.see('2 лицевых счёта')  # the Subscriber tile
    tour.shot('2-home')
    tour.fits('the main page')

    if tour.phone:  # the main menu is a drawer behind «Меню» on a phone, a row of buttons in the header on a desktop
        tour.click(None, selector='[aria-label="Меню"]')
        tour.click('Показания', within='.q-drawer', exact=True)
    else:
        tour.click('Показания', within='.q-header', exact=True)
    tour.wait("return location.pathname === '/readings'", what='Readings from the menu')
    tour.ready()
    tour.wait("return !!document.querySelector('.k-consumption-chart canvas')", what='the chart')
    month = tour.wait(CHART_TITLE)
    tour.click('Построить', selector='button, button *', exact=True)
    time.sleep(0.5)
    tour.wait(BAR_JS, 4, what='the built chart')
    time.sleep(0.3)
    tour.engine.click(*tour.wait(BAR_JS, 4, what='the built chart'))
    tour.wait(f'{CHART_TITLE.replace("return ", "return /^5 /.test(")})', what='the 5th day by hours')
    tour.shot('3-readings-day')
    tour.fits('the chart of a day')
    tour.click('Назад', selector='button, button *', exact=True)
    tour.wait(f'{CHART_TITLE} === args', month, what=f'the month «{month}» again')

    tour.click('Таблица показаний', selector='[role=tab], [role=tab] *', exact=True)
    tour.wait("return document.querySelectorAll('.q-table tbody tr').length >= 5", what='the table rows')
    tour.settled()
    tour.shot('4-readings-table')
    tour.fits('the readings table')

    tour.go('/diagnostics')
    cards = tour.wait("return document.querySelectorAll('.k-event').length", what='the events of the month')
    tour.click('Типы событий', exact=True)
    journal = tour.wait(
        "const b = document.querySelector('.q-checkbox'); return b && b.innerText.trim()", what='a type checkbox'
    )
    dropped = tour.engine.js(
        "return [...document.querySelectorAll('.k-event')].filter("
        '(c) => [...c.querySelectorAll("*")].some((e) => e.children.length === 0 && e.innerText.trim() === args)'
        ').length',
        journal,
    )
    filters, first = tour.engine.js(
        "return [document.querySelector('.q-expansion-item').getBoundingClientRect().top,"
        " document.querySelector('.k-event').getBoundingClientRect().top]"
    )
    assert filters < first, 'the month and the filters come before the events'
    tour.click(journal, selector='.q-checkbox, .q-checkbox *', exact=True)
    tour.wait(
        "return document.querySelector('.q-checkbox').getAttribute('aria-checked') === 'false'",
        what=f'«{journal}» unticked',
    )
    tour.click('Показать', selector='button, button *', exact=True)
    tour.wait("return location.search.includes('types=')", what='the address of the filter')
    tour.ready()
    tour.wait(
        "return document.querySelectorAll('.k-event').length === args",
        cards - dropped,
        what=f'events without {journal}',
    )
    tour.shot('5-diagnostics-filtered')
    tour.fits('diagnostics')

    tour.go('/support')
    tour.see('Создать обращение')
    tour.shot('6-support')
    tour.fits('support')

    tour.click(None, selector='[aria-label="user menu"]')
    tour.click('Выйти', within='.q-menu', exact=True)  # a form that POSTs /logout
    tour.wait("return location.pathname === '/login'", what='the login page after «Выйти»')
