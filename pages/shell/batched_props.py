"""An element's props set in one change, not one change per prop.

`element.props('outlined dense options-dense')` set each prop by itself in NiceGUI: each went through the
element's observable props, with a change event, the check of deprecated props and the element queued for its
update again, so a control of four props paid four times. `Props.__call__` here removes and sets the same props
and then reports one change, when anything changed. The element ends exactly as with NiceGUI's own (the props,
their observers, the renamed and warned props): tests/unit/test_batched_props.py compares the two.

The strings given to `.props()` are written in the code, so the parse of each is kept (when all its values are
plain: a list or dict parsed from brackets is parsed anew, never shared).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from nicegui.props import Props

NICEGUI_CALL = Props.__call__  # NiceGUI's own, for the tests' comparison
PLAIN = (str, bool, int, float, type(None))


@lru_cache(maxsize=2048)
def _parsed(text: str) -> tuple[tuple[str, Any], ...] | None:
    found = Props.parse(text)
    return tuple(found.items()) if all(isinstance(v, PLAIN) for v in found.values()) else None


def parse(text: str | None) -> dict[str, Any]:
    """NiceGUI's parse of a props string, remembered for strings of plain values."""
    if not text:
        return {}
    kept = _parsed(text)
    return dict(kept) if kept is not None else Props.parse(text)


def props_at_once(self: Props[Any], add: str | None = None, *, remove: str | None = None) -> Any:
    """`Props.__call__`: remove and add props, then one change event if anything changed."""
    element = self.element
    changed = False
    for key in parse(remove):
        if key in self:
            item = dict.pop(self, key)
            self._unobserve(item)
            changed = True
    for key, value in parse(add).items():
        old = self.get(key)
        if old != value:
            dict.__setitem__(self, key, self._observe(value))
            self._unobserve(old)
            changed = True
    if changed:
        self._handle_change()
    return element


def install() -> None:
    """Let every element's `.props()` set its props at once (idempotent)."""
    Props.__call__ = props_at_once  # type: ignore[method-assign]
