"""Exports say which rows have missing data and which have estimated values, with different words."""

from __future__ import annotations

from services.core.i18n import set_language
from services.metering.export_tables import mark


def test_missing_and_estimated_rows_are_marked_with_different_words() -> None:
    set_language('ru')
    assert mark(3, 0) == 'неполные данные'
    assert mark(0, 48) == 'оценка'
    assert mark(1, 2) == 'неполные данные, оценка'
    assert mark(0, 0) == ''
