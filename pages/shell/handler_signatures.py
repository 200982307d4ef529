"""NiceGUI's question «does this handler take arguments?» answered once per method, not once per element.

Every NiceGUI element makes three observable collections (its classes, style and props), and each asks
`nicegui.helpers.expects_arguments` about its change handler, a method of the element bound to that element:
`inspect.signature` of a bound method, about 8 µs, three times per element and again for every event handler.
The answer depends only on the method's function, never on the instance it is bound to, so it is remembered per
function (weakly: a class that goes away takes its entries along). Other callables (plain functions, lambdas,
partials) are asked as before. In a rush of 200 main pages at once the server spends about 6 % less CPU with it
(five paired runs, README «Many residents at once»).

NiceGUI calls the helper through its module (`helpers.expects_arguments`), which is what `install` replaces;
tests/unit/test_handler_signatures.py fails if a NiceGUI upgrade stops going through it.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from typing import Any

from nicegui import helpers

_asked: Callable[[Callable[..., Any]], bool] = helpers.expects_arguments  # NiceGUI's own answer
_known: weakref.WeakKeyDictionary[Callable[..., Any], bool] = weakref.WeakKeyDictionary()


def expects_arguments(func: Callable[..., Any]) -> bool:
    """NiceGUI's `expects_arguments`, remembered per function for bound methods."""
    if not inspect.ismethod(func):
        return _asked(func)
    function = func.__func__
    found = _known.get(function)
    if found is None:
        found = _known[function] = _asked(func)
    return found


def install() -> None:
    """Let NiceGUI's elements and events ask `expects_arguments` above (idempotent)."""
    helpers.expects_arguments = expects_arguments


def remembered(function: Callable[..., Any]) -> bool:
    """Whether the answer for `function` (a method's function) is remembered."""
    return function in _known
