"""After login a visitor returns only to a local path: no open redirect."""

from __future__ import annotations

import pytest

from pages.shell.context import safe_next


@pytest.mark.parametrize('value', ['//evil.example/x', 'https://evil.example', '/\\evil.example', '', None, 'x'])
def test_anything_but_a_local_path_returns_to_the_main_page(value: str | None) -> None:
    assert safe_next(value) == '/'


def test_a_local_path_with_its_query_is_kept() -> None:
    assert safe_next('/readings?meter=3') == '/readings?meter=3'
