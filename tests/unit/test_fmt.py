"""One formatting module: the same figure reads the same on pages, in exports and in emails, per language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from babel import Locale
from babel.numbers import parse_pattern
from hypothesis import example, given, settings
from hypothesis import strategies as st

from services.core import fmt
from services.core.i18n import set_language

NBSP = '\xa0'  # Babel's Russian thousands separator, so a number never breaks across lines


@pytest.fixture
def english() -> Iterator[None]:
    set_language('en')
    yield
    set_language('ru')


def test_russian_numbers_group_thousands_with_a_space_and_use_a_decimal_comma() -> None:
    assert fmt.number(1234.5, 1) == f'1{NBSP}234,5'
    assert fmt.number(2542) == f'2{NBSP}542'
    assert fmt.number(Decimal('5.6'), 2, fixed=True) == '5,60'


def test_english_numbers_group_thousands_with_a_comma_and_use_a_decimal_point(english: None) -> None:
    assert fmt.number(1234.5, 1) == '1,234.5'
    assert fmt.money(Decimal('1234.5')) == '1,234.50'


def test_energy_is_exact_watt_hours_shown_as_kwh() -> None:
    assert fmt.kwh(1) == '0,001'  # 1 Wh
    assert fmt.kwh(1_234_500) == f'1{NBSP}234,5'  # 1 234 500 Wh = 1 234.5 kWh, trailing zeros dropped
    assert fmt.kwh(100_000_000_001) == f'100{NBSP}000{NBSP}000,001'  # no float rounding at 10^11 Wh
    assert fmt.kwh_text(12_500) == f'12,5{NBSP}кВт·ч'  # a line never breaks between a number and its unit


def test_roubles_keep_their_sign_on_the_line_of_the_amount() -> None:
    assert fmt.roubles(Decimal('5355.05')) == f'5{NBSP}355,05{NBSP}₽'
    assert fmt.with_unit('12,5', 'квар·ч') == f'12,5{NBSP}квар·ч'


def test_a_meter_serial_never_parts_from_its_number_sign() -> None:
    assert fmt.meter_name('Милур 107.12-G-1', '41907733') == f'Милур 107.12-G-1 №{NBSP}41907733'
    assert fmt.meter_name('', '41907733') == f'№{NBSP}41907733'  # a meter the registry gave no model


def test_an_english_page_writes_no_before_a_serial(english: None) -> None:
    assert fmt.meter_name('Milur 107', '41907733') == f'Milur 107 No.{NBSP}41907733'  # «№» is Russian usage


def test_at_most_means_trailing_zeros_go_and_fixed_means_they_stay() -> None:
    assert fmt.number(Decimal('0.5'), 3) == '0,5'
    assert fmt.number(Decimal('0.5'), 3, fixed=True) == '0,500'


def test_billing_spans_and_month_names_follow_the_language(english: None) -> None:
    assert fmt.span(date(2026, 2, 26), date(2026, 3, 25)) == '26 Feb – 25 Mar 2026'
    set_language('ru')
    assert fmt.span(date(2025, 12, 26), date(2026, 1, 25)) == '26 дек 2025 – 25 янв 2026'
    assert fmt.month_in(2) == 'феврале'
    assert fmt.month_title(2026, 3) == 'март 2026'


def test_durations_show_the_two_largest_units() -> None:
    assert fmt.duration(42) == '42 с'
    assert fmt.duration(2 * 86400 + 4 * 3600 + 5 * 60) == '2 д 4 ч'  # 2 d 4 h 5 min: minutes dropped


def test_dates_and_times_follow_the_language() -> None:
    from datetime import UTC, date, datetime
    from zoneinfo import ZoneInfo

    from services.core import fmt

    set_language('ru')
    assert fmt.day(date(2026, 3, 5)) == '05.03.2026'
    set_language('en')
    assert fmt.day(date(2026, 3, 5)) == '05/03/2026'
    assert fmt.moment(datetime(2026, 3, 5, 11, 7, tzinfo=UTC), ZoneInfo('Europe/Moscow')) == '05/03/2026 14:07'
    set_language('ru')


@settings(max_examples=400, deadline=None)
@given(
    value=st.one_of(
        st.integers(-(10**15), 10**15),
        st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=6),
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda f: round(f, 4)),
    ),
    decimals=st.integers(0, 4),
    fixed=st.booleans(),
    language=st.sampled_from(['ru', 'en']),
)
@example(value=Decimal('-0.0004'), decimals=3, fixed=False, language='ru')  # rounds to zero and keeps its sign
@example(value=Decimal('2.5'), decimals=0, fixed=False, language='en')  # half to even: 2
@example(value=Decimal('0.0005'), decimals=3, fixed=True, language='ru')
def test_numbers_read_as_babel_writes_the_cldr_pattern(
    value: object, decimals: int, fixed: bool, language: str
) -> None:
    """fmt.number writes every figure exactly as Babel formats CLDR's «#,##0.###» (or «#,##0.000» when fixed)."""
    pattern = '#,##0' + ('.' + ('0' if fixed else '#') * decimals if decimals else '')
    exact = value if isinstance(value, int | Decimal) else Decimal(str(value))
    expected = parse_pattern(pattern).apply(
        exact, Locale.parse(language), decimal_quantization=True, group_separator=True, numbering_system='latn'
    )
    set_language(language)
    try:
        assert fmt.number(value, decimals, fixed=fixed) == expected  # type: ignore[arg-type]
    finally:
        set_language('ru')


def test_an_address_never_leaves_an_abbreviation_at_the_end_of_a_line() -> None:
    assert fmt.address('г. Тверь, ул. Советская, д. 12, кв. 45') == (
        f'г.{NBSP}Тверь, ул.{NBSP}Советская, д.{NBSP}12, кв.{NBSP}45'
    )
    assert fmt.address('пос. Сахарово, пр-т. Мира, д. 7') == f'пос.{NBSP}Сахарово, пр-т.{NBSP}Мира, д.{NBSP}7'
    assert fmt.address('Верхняя Набережная, 7') == 'Верхняя Набережная, 7'  # words without a full stop stay apart
    assert fmt.address('Lenina St. 5') == f'Lenina St.{NBSP}5'
    assert fmt.address('ул. Мира ') == f'ул.{NBSP}Мира '
