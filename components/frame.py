"""The shell of every page: header with the utility's name, the main menu with badges, the user menu.

What the first view does not show is built when it is first opened: the phone drawer's list and the content of the
theme and user menus (a page holds a few elements instead of about fifty, so a rush of residents costs less). The
menu's badges are counted once the page is connected, so that the page goes out without waiting for them.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from nicegui import background_tasks, ui

from components import static_html
from components.logout_form import logout_form
from services.core.i18n import _

THEME_CSS = """
:root { --k-accent: #0b5cad; }
.k-header { background: #0b5cad; }
.k-menu .q-btn { text-transform: none; font-weight: 500; }
.k-content { width: 100%; max-width: 1200px; margin: 0 auto; }
.k-card-title { font-size: 1.05rem; font-weight: 600; }
@media (max-width: 599px) { .k-content { padding: 0 2px; } }
.body--dark .text-grey-6, .body--dark .text-grey-7, .body--dark .text-grey-8 { color: #b8bec6 !important; }
.body--dark .text-orange-9 { color: #ffb74d !important; }
.body--dark .text-negative { color: #ff8a80 !important; }
/* severity colours made for white, lit up on dark: events, and a tile's «Новых событий нет» or «Просрочена» */
.body--dark .k-sev-text, .body--dark .k-tile-figure { filter: brightness(1.6); }
.body--dark .q-tab--active { background: rgba(255, 255, 255, 0.08); }
/* Quasar's uploader writes sizes and progress its own way in every language («0.0B / 0.00%»); the file names
   stay, and the page says what came of each file */
.q-uploader__subtitle { display: none; }
.k-user .q-btn__content > .block { max-width: 180px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.k-user .q-btn__content > .on-left { margin-right: 4px; }
@media (max-width: 599.98px) {  /* a phone shows the icon only (Quasar's display rules outrank ours: no width) */
  .k-user .q-btn__content > .block { max-width: 0; } .k-user .q-btn__content > .on-left { margin-right: 0; } }
"""


WIDE_MENU_ENTRIES = 6
CONNECT_TIMEOUT = 60.0  # as long as NiceGUI keeps a page that was fetched but never connected


@dataclass(frozen=True)
class MenuEntry:
    path: str
    label: str  # already translated
    icon: str


Badges = dict[str, tuple[int, str]]  # a menu entry's path → its count and colour (no entry: no badge)


@dataclass(frozen=True)
class FrameUser:
    name: str  # what the header shows: full name, else email
    logout_token: str = ''  # the anti-forgery token of the logout form
    theme: str = 'system'  # light | dark | system (the device's preference)
    on_theme: Callable[[str], Awaitable[None]] | None = None  # keeps the choice in the user's settings


DARK_OF_THEME = {'light': False, 'dark': True}  # «system»: None, Quasar follows the device
THEME_ICONS = {'light': 'light_mode', 'dark': 'dark_mode', 'system': 'brightness_auto'}


@contextmanager
def frame(
    *,
    title: str,
    utility_name: str,
    menu: list[MenuEntry],
    user: FrameUser | None,
    active: str = '',
    badges: Callable[[], Awaitable[Badges]] | None = None,
) -> Iterator[ui.column]:
    """Wrap a page's content: header, main menu (a drawer on phones), the user-name drop-down, the title.

    `badges` counts the menu's badges; it runs once the page is connected and its figures join the menu then.
    """
    dark = ui.dark_mode(DARK_OF_THEME.get(user.theme) if user is not None else None)  # None: the device's
    ui.page_title(f'{title} — {utility_name}')
    # A long menu (the operator's) fits in one header line only from 1440 px; below that it is the drawer, so the
    # header never wraps and the utility's name stays whole (a resident's short menu fits from 1024 px).
    wide = len(menu) <= WIDE_MENU_ENTRIES
    counts: Badges = {}
    drawer = _drawer(menu, active, 1023 if wide else 1439, counts) if menu else None
    menu_name = _('Main menu')

    def render(found: Badges) -> str:
        return _bar(utility_name, menu_name, tuple(menu), active, wide, tuple(sorted(found.items())))

    with ui.header(elevated=True).classes('k-header items-center px-2 py-1 gap-1 no-wrap'):
        if drawer is not None:
            ui.button(icon='menu', on_click=drawer.toggle).props('flat round color=white aria-label="Меню"').classes(
                'lt-md' if wide else 'lt-lg'
            ).mark('menu-toggle')
        bar = static_html.element(render({})).classes('col row items-center no-wrap min-w-0')
        bar.mark('main-menu')
        if user is not None:
            _theme_menu(user, dark)
            _user_menu(user)
        if badges is not None and menu:
            client = ui.context.client

            async def show_badges() -> None:
                with suppress(TimeoutError):  # a tab closed before it connected needs no figures
                    await client.connected(timeout=CONNECT_TIMEOUT)
                    found = await badges()
                    if client.is_deleted:
                        return
                    counts.update({path: figure for path, figure in found.items() if figure[0]})
                    if counts:
                        bar.set_content(render(counts))
                    if drawer is not None and drawer.default_slot.children:  # opened before the figures came
                        drawer.clear()
                        _fill_drawer(drawer, menu, active, counts)
                    bar.mark('main-menu', 'badges-counted')

            background_tasks.create(show_badges(), name='menu badges')  # a task, not an element the tab keeps
    with ui.column().classes('k-content q-pa-md gap-4') as content:
        ui.label(title).classes('text-h5 q-mt-sm').mark('page-title')
        yield content


def share_style() -> None:
    """Give every page the frame's style once, at start (a page's own style would be held by each open tab)."""
    ui.add_css(THEME_CSS + static_html.CARD_CSS, shared=True)


def _drawer(menu: list[MenuEntry], active: str, breakpoint: int, counts: Badges) -> ui.left_drawer:
    """The menu as a drawer for narrow screens; its list is built when it first opens (a tap or a swipe)."""
    with ui.left_drawer(value=False).props(f'overlay bordered breakpoint={breakpoint} behavior=mobile') as drawer:
        pass
    drawer.on_value_change(lambda e: _fill_drawer(drawer, menu, active, counts) if e.value else None)
    return drawer


def _fill_drawer(drawer: ui.left_drawer, menu: list[MenuEntry], active: str, counts: Badges) -> None:
    if drawer.default_slot.children:
        return
    with drawer, ui.list().classes('w-full'):
        for entry in menu:
            with ui.item(on_click=lambda e=entry: ui.navigate.to(e.path)).props(
                f'clickable {"active" if entry.path == active else ""}'
            ):
                with ui.item_section().props('avatar'):
                    ui.icon(entry.icon)
                with ui.item_section():
                    ui.item_label(entry.label)
                if entry.path in counts:
                    count, colour = counts[entry.path]
                    with ui.item_section().props('side'):
                        ui.badge(str(count), color=colour)


def _lazy_menu(button: ui.button, build: Callable[[], None]) -> None:
    """A drop-down of `button` made with its items `build` makes on the first click and opened by the server once
    they exist (opened in the browser before, it would first show empty and placed for an empty size)."""
    menus: list[ui.menu] = []

    def click() -> None:
        if not menus:
            with button, ui.menu().props('anchor="bottom right" self="top right" no-parent-event') as menu:
                build()
            menus.append(menu)
        menus[0].toggle()

    button.on_click(click)


@functools.lru_cache(maxsize=1024)
def _bar(
    utility_name: str,
    name: str,  # the menu's name for screen readers, in the page's language
    menu: tuple[MenuEntry, ...],
    active: str,
    wide: bool,
    counts: tuple[tuple[str, tuple[int, str]], ...],
) -> str:
    """The utility's name (a link to the main page) and the main menu as plain links, with the badges counted.

    Tabs showing the same menu share one text (a few kilobytes each otherwise)."""
    figures = dict(counts)
    brand = (
        '<a href="/" class="text-white no-underline flex items-center gap-2 no-wrap min-w-0">'
        f'{static_html.icon("bolt", size="28px")}'
        f'{static_html.line(utility_name, "text-subtitle1 text-weight-medium ellipsis")}</a>'
    )
    links = ''.join(_menu_link(entry, active, figures.get(entry.path)) for entry in menu)
    shown = 'gt-sm' if wide else 'gt-md'
    nav = f'<nav class="{shown} k-menu row items-center gap-0 no-wrap" aria-label="{static_html.attr(name)}">'
    return f'{brand}<div class="q-space"></div>{nav}{links}</nav>'


def _menu_link(entry: MenuEntry, active: str, badge: tuple[int, str] | None) -> str:
    """A menu entry drawn as Quasar draws a flat button; the open section's is outlined and named the current page."""
    current = entry.path == active
    design = 'q-btn--outline' if current else 'q-btn--flat'
    classes = (
        f'q-btn q-btn-item non-selectable no-outline {design} q-btn--rectangle text-white q-btn--actionable '
        'q-focusable q-hoverable q-btn--no-uppercase'
    )
    figure = '' if badge is None else static_html.badge(badge[0], badge[1], floating=True, mark=f'badge-{entry.path}')
    return (
        f'<a href="{static_html.attr(entry.path)}" class="{classes}"{" aria-current=page" if current else ""} '
        f'data-mark="menu-{static_html.attr(entry.path)}"><span class="q-focus-helper"></span>'
        '<span class="q-btn__content text-center col items-center q-anchor--skip justify-center row">'
        f'{static_html.icon(entry.icon, classes="on-left")}<span class="block">{static_html.text(entry.label)}</span>'
        f'{figure}</span></a>'
    )


def _theme_menu(user: FrameUser, dark: ui.dark_mode) -> None:
    """Light, dark or the device's theme; applied at once and kept in the user's settings."""
    names = {'light': _('Light theme'), 'dark': _('Dark theme'), 'system': _('As on the device')}

    async def choose(theme: str) -> None:
        dark.set_value(DARK_OF_THEME.get(theme))
        button.props(f'icon={THEME_ICONS[theme]}')
        if user.on_theme is not None:
            await user.on_theme(theme)

    with ui.button(icon=THEME_ICONS.get(user.theme, 'brightness_auto')).props('flat round color=white') as button:
        button.props['aria-label'] = button.props['title'] = _('Theme')  # the browser's tooltip: not an element
        button.mark('theme-menu')

    def items() -> None:
        for theme, name in names.items():
            with ui.menu_item(on_click=lambda t=theme: choose(t)).mark(f'theme-{theme}'):
                with ui.row().classes('items-center gap-2 no-wrap'):
                    ui.icon(THEME_ICONS[theme])
                    ui.label(name)

    _lazy_menu(button, items)


def _user_menu(user: FrameUser) -> None:
    button = ui.button(user.name, icon='account_circle').props('flat no-caps color=white').classes('k-user')
    button.props('aria-label="user menu"').mark('user-menu')

    def items() -> None:
        ui.menu_item(_('Settings'), on_click=lambda: ui.navigate.to('/settings')).mark('menu-settings')
        ui.separator()
        logout_form(user.logout_token)

    _lazy_menu(button, items)
