"""Tiles of the main page: a clickable card per section with its key figures (SPEC S5)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from nicegui import ui

from components import static_html
from services.core import fmt
from services.metering import pricing

TILE_CSS = """
.k-tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; width: 100%; }
a.k-tile { color: inherit; text-decoration: none; }
.k-tile { cursor: pointer; transition: box-shadow .15s; border-top: 4px solid var(--k-tile, #0b5cad); }
.k-tile:hover { box-shadow: 0 4px 14px rgba(0,0,0,.18); }
.k-tile .k-tile-figure { font-size: 1.6rem; font-weight: 600; line-height: 1.2; }
@media (max-width: 599px) { .k-tiles { grid-template-columns: 1fr; } }
"""

# Severity and verification colours shared by tiles, badges, chips and the event list.
COLOURS = {
    'critical': '#c62828',
    'warning': '#ef6c00',
    'info': '#546e7a',
    'ok': '#2e7d32',
    'due_soon': '#ef6c00',
    'overdue': '#c62828',
    'unknown': '#757575',
}


def grid() -> ui.element:
    """The responsive grid the tiles go in: one column on a phone, as many as fit on a desktop (`TILE_CSS`,
    shared by every page)."""
    return ui.element('div').classes('k-tiles')


class Tile:
    """A tile's content, written as HTML and sent as one element when the `tile` block ends."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, html: str) -> None:
        """Add HTML made with `components.static_html` (its text escaped)."""
        self.parts.append(html)

    def line(self, text: str, classes: str = '', *, mark: str = '', style: str = '') -> None:
        self.add(static_html.line(text, classes, mark=mark, style=style))

    def figure(self, text: str, *, colour: str = '', mark: str = '') -> None:
        """The tile's key figure, large, in a severity colour if given."""
        style = f'color: {COLOURS.get(colour, colour)}' if colour else ''
        self.line(text, 'k-tile-figure', mark=mark, style=style)


@contextmanager
def tile(title: str, icon: str, *, target: str, mark: str, accent: str = '') -> Iterator[Tile]:
    """A card that is a link to `target` (a click, or Enter once focused, opens it); the block fills it below the
    title. The whole card is one element."""
    content = Tile()
    yield content
    heading = static_html.row(
        static_html.icon(icon, size='24px', classes='text-primary') + static_html.line(title, 'k-card-title'),
        'items-center gap-2 no-wrap',
    )
    card = static_html.element(heading + ''.join(content.parts), tag='a')
    card.classes('q-card nicegui-card k-card k-tile q-pa-md gap-2').mark(mark)
    card.props(f'href="{static_html.attr(target)}" aria-label="{static_html.attr(title)}"')
    if accent:
        card.style(f'--k-tile: {COLOURS.get(accent, accent)}')


def energy_and_cost(wh: int, rub: Decimal | None) -> str:
    """«43,3 кВт·ч · 270,12 ₽»: the energy, and its cost when the tariff's rates are loaded."""
    text = fmt.kwh_text(wh)
    return text if rub is None else f'{text} · {fmt.roubles(pricing.rub(rub))}'
