"""Helpers of UI tests: log in through /login like a person does."""

from __future__ import annotations

from html.parser import HTMLParser

from nicegui.testing import User

from tests.factories import PASSWORD


async def login(user: User, email: str, password: str = PASSWORD) -> None:
    """Type the login and the password on /login, press «Войти» and wait for the main page."""
    await user.open('/login')
    user.find(marker='login').type(email)
    user.find(marker='password').type(password)
    user.find(marker='login-button').click()
    # A login is a bcrypt check, throttle bookkeeping and a redirect: give a busy two-core machine 15 s
    await user.should_see(marker='page-title', retries=150)
    await user.should_not_see('Вход в личный кабинет', retries=150)


def logout_csrf(user: User) -> str:
    """The token of the user menu's «Выйти» form; the menu's items are built when it is first opened."""
    if not any('logout-csrf' in e._markers for e in user.client.elements.values()):
        user.find(marker='user-menu').click()
    return str(user.find(marker='logout-csrf').elements.pop().props['value'])


async def open_readings_page(user: User) -> None:
    """Open /readings and wait for its tabs: the page goes out with its frame and fills once connected."""
    await user.open('/readings')
    await user.should_see(marker='tab-chart', retries=100)


class _Parts(HTMLParser):
    """The text of every element of some HTML that carries a `data-mark`, and where each link goes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self.text = ''  # all of it, as the browser shows it
        self.links: dict[str, str] = {}
        self.open: list[tuple[str, str | None]] = []  # tag and mark of every open element
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        mark = found.get('data-mark')
        if mark is not None:
            self.texts.setdefault(mark, '')
        if tag == 'a':
            self.href = found.get('href') or ''
            self.links.setdefault(self.href, '')
        if tag not in VOID:
            self.open.append((tag, mark))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            closed, _mark = self.open.pop()
            if closed == tag:
                break
        if tag == 'a':
            self.href = None

    def handle_data(self, data: str) -> None:
        self.text += data
        for _tag, mark in self.open:
            if mark is not None:
                self.texts[mark] += data
        if self.href is not None:
            self.links[self.href] += data


VOID = {'br', 'hr', 'img', 'input', 'meta', 'link', 'wbr'}


def html_of(user: User, marker: str) -> _Parts:
    """The parts of the one element with `marker` that is written as HTML (a tile, the menu, the chart's summary)."""
    element = user.find(marker=marker).elements.pop()
    parts = _Parts()
    parts.feed(str(element.props['innerHTML']))
    return parts


def part_text(user: User, marker: str, part: str) -> str | None:
    """The text of the part marked `part` in the HTML element with `marker`; None when it has no such part."""
    return html_of(user, marker).texts.get(part)
