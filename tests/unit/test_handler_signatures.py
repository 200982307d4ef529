"""NiceGUI's «does this handler take arguments?» remembered per method (pages/shell/handler_signatures.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from nicegui import classes, helpers, observables, props, style
from nicegui.helpers import functions

from pages.shell import handler_signatures


class Handlers:
    def bare(self) -> None: ...

    def one(self, event: object) -> None: ...

    def defaulted(self, event: object = None) -> None: ...

    def star(self, *args: object, **kwargs: object) -> None: ...

    def keyword(self, *, event: object) -> None: ...


def plain(event: object) -> None: ...


def cases() -> list[Callable[..., Any]]:
    first, second = Handlers(), Handlers()
    return [
        first.bare, first.one, first.defaulted, first.star, first.keyword,
        second.bare, second.one, second.defaulted, second.star, second.keyword,
        plain, lambda: None, lambda e: None, functools.partial(plain, 1), print,
    ]  # fmt: skip


@pytest.mark.parametrize('index', range(len(cases())))
def test_the_answer_is_nicegui_own_for_every_kind_of_callable(index: int) -> None:
    func = cases()[index]
    asked = functions.expects_arguments(func)  # NiceGUI's own, whatever `helpers` holds
    assert handler_signatures.expects_arguments(func) is asked
    assert handler_signatures.expects_arguments(func) is asked  # remembered, the same


def test_a_method_is_remembered_once_for_all_its_instances() -> None:
    class Fresh:
        def handle(self, event: object) -> None: ...

    assert not handler_signatures.remembered(Fresh.handle)
    assert handler_signatures.expects_arguments(Fresh().handle) is True
    assert handler_signatures.remembered(Fresh.handle)
    assert handler_signatures.expects_arguments(Fresh().handle) is True


def test_nicegui_collections_ask_through_the_installed_helper() -> None:
    """The three collections of every element ask `helpers.expects_arguments`: after `install`, ours."""
    handler_signatures.install()
    assert helpers.expects_arguments is handler_signatures.expects_arguments

    class Owner:
        def changed(self) -> None: ...

    observables.ObservableDict({}, on_change=Owner().changed)
    assert handler_signatures.remembered(Owner.changed)  # NiceGUI went through the helper
    for collection in (classes.Classes, style.Style, props.Props):  # what every element makes three of
        collection(element=Owner())
        assert handler_signatures.remembered(collection._update)
