"""Diagnostics reads top to bottom: the month, the event-type filter, then the events (seen in every browser, S12)."""

from __future__ import annotations

from nicegui import ui
from nicegui.element import Element
from nicegui.testing import User

from services.core.settings import Settings
from tests.ui.helpers import login
from tests.ui.test_home_and_diagnostics import seed


def position(element: Element) -> list[int]:
    """The element's place in the page: the index of it and of each ancestor among its siblings, from the top."""
    place: list[int] = []
    while element.parent_slot is not None:
        siblings = element.parent_slot.children
        place.insert(0, siblings.index(element))
        element = element.parent_slot.parent
    return place


async def test_the_month_and_the_filter_come_before_the_events(user: User, app_env: Settings) -> None:
    await login(user, seed(app_env).email)
    await user.open('/diagnostics')
    await user.should_see(marker='event-list')
    period = user.find(marker='period').elements.pop()
    events = user.find(marker='event-list').elements.pop()
    event_filter = user.find(ui.expansion).elements.pop()
    assert position(period) < position(event_filter) < position(events)
