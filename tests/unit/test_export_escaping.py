"""Export cells that a spreadsheet would evaluate stay text; numbers, negative ones too, stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from services.core.i18n import set_language
from services.metering.export_tables import Sheet, to_csv, to_xlsx

DANGEROUS = ['=1+1', '+7 912', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x.example","a")']


def sheet(*cells: object) -> Sheet:
    return Sheet(
        name='t', header=[('Meter', '=cmd|" /C calc"!A0')], columns=['-col'], rows=[list(cells)], marked=[False]
    )  # type: ignore[list-item]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language('en')
    yield
    set_language('ru')


@pytest.mark.parametrize('text', DANGEROUS)
def test_a_csv_text_cell_that_a_spreadsheet_would_evaluate_gets_an_apostrophe(text: str) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(sheet(text)).decode('utf-8-sig'), newline=''), delimiter=';'))
    assert rows[0][1] == '\'=cmd|" /C calc"!A0' and rows[2][0] == "'-col"
    assert rows[3][0] == "'" + text


def test_csv_numbers_stay_numbers_even_when_negative() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(sheet(Decimal('-1.5'), -3, 'plain')).decode('utf-8-sig')), delimiter=';'))
    assert rows[3][:3] == ['-1.500', '-3', 'plain']


@pytest.mark.parametrize('text', DANGEROUS)
def test_an_xlsx_text_cell_is_a_string_with_the_quote_prefix_never_a_formula(text: str) -> None:
    ws = load_workbook(io.BytesIO(to_xlsx(sheet(text, Decimal('-1.5'), -3)))).active
    assert ws is not None
    cell, negative, integer = ws['A4'], ws['B4'], ws['C4']
    assert (cell.value.replace('\n', '\r'), cell.data_type, cell.quotePrefix) == (text, 's', True)  # XML reads \r as \n
    assert (negative.value, negative.data_type) == (-1.5, 'n') and (integer.value, integer.data_type) == (-3, 'n')
    assert (ws['B1'].data_type, ws['A3'].data_type) == ('s', 's')
