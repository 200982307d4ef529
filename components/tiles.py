"""Tiles of the main page: a clickable card per section with its key figures (SPEC S5)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from nicegui import ui

from services.core import fmt
from services.metering import pricing

TILE_CSS = """
.k-tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; width: 100%; }
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
    """The responsive grid the tiles go in: one column on a phone, as many as fit on a desktop."""
    ui.add_css(TILE_CSS)
    return ui.element('div').classes('k-tiles')


@contextmanager
def tile(title: str, icon: str, *, target: str, mark: str, accent: str = '') -> Iterator[ui.card]:
    """A card that opens `target` when clicked; the block's content goes below the title."""
    card = ui.card().classes('k-tile q-pa-md gap-2').on('click', lambda: ui.navigate.to(target)).mark(mark)
    if accent:
        card.style(f'--k-tile: {COLOURS.get(accent, accent)}')
    card.props(f'role=link tabindex=0 aria-label="{_attr(title)}"')
    card.on('keydown.enter', lambda: ui.navigate.to(target))
    with card:
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon(icon, size='24px').classes('text-primary')
            ui.label(title).classes('k-card-title')
        yield card


def figure(text: str, *, colour: str = '') -> ui.label:
    label = ui.label(text).classes('k-tile-figure')
    if colour:
        label.style(f'color: {COLOURS.get(colour, colour)}')
    return label


def energy_and_cost(wh: int, rub: Decimal | None) -> str:
    """«43,3 кВт·ч · 270,12 ₽»: the energy, and its cost when the tariff's rates are loaded."""
    text = fmt.kwh_text(wh)
    return text if rub is None else f'{text} · {fmt.money(pricing.rub(rub))} ₽'


def _attr(text: str) -> str:
    return text.replace('"', "'")
