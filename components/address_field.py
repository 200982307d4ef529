"""An address field that suggests registry addresses as the resident types a settlement (SPEC S1)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from services.core.i18n import _

# what the resident typed -> up to 20 registry addresses
Suggest = Callable[[str], Awaitable[list[str]]]


class AddressField:
    """The input plus a list of up to 20 suggestions under it; a click puts the address into the field."""

    def __init__(self, suggest: Suggest, *, label: str) -> None:
        self._suggest = suggest
        self._asked = 0  # a slow answer to an older text must not replace the newer one
        self.input = (
            ui.input(label, on_change=lambda e: self._show(e.value or ''))
            .props('outlined autocomplete=off debounce=300')
            .classes('w-full')
            .mark('address')
        )
        self.input.props['hint'] = _('Start with the settlement, e.g. Тверь')
        self._list = ui.list().props('bordered separator dense').classes('w-full rounded-borders')
        self._list.style('max-height: 260px; overflow-y: auto')
        self._list.set_visibility(False)
        self._chosen = ''

    @property
    def value(self) -> str:
        return self.input.value or ''

    async def _show(self, text: str) -> None:
        if text == self._chosen:
            return  # the resident has just picked this one: keep the list closed
        self._asked += 1
        asked = self._asked
        found = await self._suggest(text)
        if asked != self._asked:
            return
        self._list.clear()
        with self._list:
            for address in found:
                ui.item(address, on_click=lambda a=address: self._pick(a)).mark('address-suggestion')
        self._list.set_visibility(bool(found))

    def _pick(self, address: str) -> None:
        self._chosen = address
        self.input.value = address
        self.input.error = None
        self._list.set_visibility(False)
