"""An element's props set at once (pages/shell/batched_props.py): the same element as NiceGUI's own `.props()`, with
one change instead of one per prop."""

from __future__ import annotations

from typing import Any

import pytest
from nicegui.observables import ObservableCollection, ObservableList
from nicegui.props import Props

from pages.shell import batched_props


class Element:
    """What props need of their element: `update()`, here counted."""

    def __init__(self) -> None:
        self.updates = 0

    def update(self) -> None:
        self.updates += 1


def props_of(element: Element, start: dict[str, Any]) -> Props[Any]:
    made: Props[Any] = Props(element=element)  # type: ignore[type-var]
    with made.suspend_updates():
        made.update(start)
    made.add_rename('old-name', 'new-name')
    return made


STEPS: list[tuple[str | None, str | None]] = [
    ('outlined dense options-dense', None),  # three new props
    ('outlined dense', None),  # nothing changes
    ('color=primary label="Счёт № 7" dense', 'outlined'),  # one removed, two set, one unchanged
    (None, 'missing'),  # removing what is not there
    ("icon='event' :options=[1,2,3]", None),  # a single-quoted value and a list
    (':options=[1,2,3] size=12px', 'color label'),
    ('old-name=x', None),  # a deprecated name, renamed by the props themselves
    ('flat', 'dense icon size'),
]


@pytest.mark.parametrize('upto', range(1, len(STEPS) + 1))
def test_props_set_at_once_end_as_niceguis(upto: int) -> None:
    theirs, ours = Element(), Element()
    their_props, our_props = props_of(theirs, {'tag': 'div'}), props_of(ours, {'tag': 'div'})
    changes_of_theirs = []
    for add, remove in STEPS[:upto]:
        before = theirs.updates
        batched_props.NICEGUI_CALL(their_props, add, remove=remove)
        changes_of_theirs.append(theirs.updates - before)
        before = ours.updates
        batched_props.props_at_once(our_props, add, remove=remove)
        assert ours.updates - before == (1 if changes_of_theirs[-1] else 0)  # one change, and only when one happened
    assert dict(our_props) == dict(their_props)
    for key, value in our_props.items():
        assert type(value) is type(their_props[key])
        if isinstance(value, ObservableCollection):  # observed by the props, as NiceGUI's are
            assert value._parent is our_props or our_props._handle_change in [h for h, _ in value._change_handlers]
    assert sum(changes_of_theirs) > upto - 2  # NiceGUI's own does change once per prop (steps 1 and 3 several)


def test_a_list_parsed_from_brackets_is_never_shared_between_elements() -> None:
    elements = Element(), Element()
    first, second = props_of(elements[0], {}), props_of(elements[1], {})
    batched_props.props_at_once(first, ':options=[1,2,3]')
    batched_props.props_at_once(second, ':options=[1,2,3]')
    assert isinstance(first[':options'], ObservableList)
    first[':options'].append(4)
    assert second[':options'] == [1, 2, 3]
    assert batched_props.parse(':options=[1,2,3]') == {':options': [1, 2, 3]}


def test_installed_props_are_set_at_once() -> None:
    batched_props.install()
    element = Element()
    made = props_of(element, {})
    made('a b c')  # what `element.props(...)` calls
    assert element.updates == 1
    assert dict(made) == {'a': True, 'b': True, 'c': True}
