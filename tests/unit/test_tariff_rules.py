"""The rules of a tariff rate (services.metering.tariffs), without a database."""

from decimal import Decimal

import pytest

from services.core.messages import Reason
from services.metering.tariffs import RateRefused, check_rate, zone_number


def problems(rate: str = '5.62', *, zones: int = 2, zone: int | str = 1, group: str = '') -> dict[str, Reason]:
    try:
        check_rate(tariff_group=group, tariff_zones=zones, zone=zone, rub_per_kwh=Decimal(rate))
    except RateRefused as refused:
        return refused.problems
    return {}


def test_a_rate_above_zero_with_four_decimals_in_a_zone_of_its_tariff_passes() -> None:
    assert problems('0.0001', zone='т2', group='  село  ') == {}


@pytest.mark.parametrize('rate', ['0', '-0.01', 'NaN', '-Infinity'])
def test_a_rate_that_is_not_above_zero_is_refused(rate: str) -> None:
    assert problems(rate) == {'rate': Reason('rate_not_positive')}


@pytest.mark.parametrize('rate', ['100000', 'Infinity'])
def test_a_rate_from_the_limit_up_is_refused(rate: str) -> None:
    assert problems(rate) == {'rate': Reason('rate_too_high', limit='100000')}


def test_a_zone_is_named_as_it_was_written() -> None:
    outside = {'allowed': 'T1, T2', 'n': 2}
    assert problems(zone=3) == {'zone': Reason('zone_not_in_tariff', zone='T3', **outside)}
    assert problems(zone='Т3') == {'zone': Reason('zone_not_in_tariff', zone='Т3', **outside)}
    assert problems(zone='day') == {'zone': Reason('zone_not_in_tariff', zone='day', **outside)}


def test_the_group_counts_without_surrounding_spaces() -> None:
    assert problems(group=f' {"г" * 64} ') == {}
    assert problems(group='г' * 65) == {'group': Reason('group_too_long', n=64)}


def test_the_first_broken_rule_is_the_message() -> None:
    with pytest.raises(RateRefused, match=r'^tariff_zones must be 1, 2 or 3, not 0$'):
        check_rate(tariff_group='', tariff_zones=0, zone=1, rub_per_kwh=Decimal(0))


def test_zone_numbers_read_latin_and_cyrillic_t() -> None:
    assert [zone_number(z) for z in ('T1', 'т2', ' t3 ', 'T12', 'X', 3)] == [1, 2, 3, None, None, 3]
