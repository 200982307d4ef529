"""The rules of a tariff rate (SPEC §6.5, B1), in one place for the tariff CSV, the operator's form and put_rate.

A rate is refused when its zone count is not 1, 2 or 3, its zone is not one of the tariff's, its group name is
longer than the column, or its roubles per kWh are not above zero, not below `MAX_RATE` or have more decimals
than the column keeps. The reasons are codes of services.core.messages: the CSV shows them as
'FILE: line N: reason', the form next to the field, put_rate raises them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from services.core.errors import DomainError
from services.core.messages import Reason

MAX_GROUP = 64  # TariffRate.tariff_group
MAX_RATE = Decimal('100000')  # far above any real rate, well inside the column's Numeric(12, 4)
STEP = Decimal('0.0001')  # the column keeps four decimals
# Russian files often write the zone with a Cyrillic 'Т'; it means the same zone.
_CYRILLIC_TE = str.maketrans({'Т': 'T', 'т': 'T'})
_ZONE = re.compile(r'T([1-9])')


class RateRefused(DomainError):
    """A rate that breaks a rule: `problems` gives the reason per field ('zone', 'group', 'rate').

    'zone' is the tariff's zone count or the zone in it. str(e) is the English of the first reason, in that order.
    """

    def __init__(self, problems: dict[str, Reason]) -> None:
        self.problems = problems
        super().__init__(str(next(iter(problems.values()))))


def check_rate(*, tariff_group: str, tariff_zones: int, zone: int | str, rub_per_kwh: Decimal) -> None:
    """Nothing when the rate may be stored; RateRefused naming each broken rule otherwise.

    `zone` is a number (1..3) or the zone as a file writes it ('T2', also with a Cyrillic 'Т').
    """
    problems: dict[str, Reason] = {}
    if tariff_zones not in (1, 2, 3):
        problems['zone'] = Reason('tariff_zones', value=tariff_zones)
    elif zone_number(zone) not in range(1, tariff_zones + 1):
        allowed = ', '.join(f'T{n}' for n in range(1, tariff_zones + 1))
        written = f'T{zone}' if isinstance(zone, int) else zone
        problems['zone'] = Reason('zone_not_in_tariff', zone=written, allowed=allowed, n=tariff_zones)
    if len(tariff_group.strip()) > MAX_GROUP:
        problems['group'] = Reason('group_too_long', n=MAX_GROUP)
    if (reason := _rate_reason(rub_per_kwh)) is not None:
        problems['rate'] = reason
    if problems:
        raise RateRefused(problems)


def zone_number(zone: int | str) -> int | None:
    """The zone as a number: 2 for 2, 'T2' or 'т2'; None for text that names no zone."""
    if isinstance(zone, int):
        return zone
    match = _ZONE.fullmatch(zone.strip().translate(_CYRILLIC_TE).upper())
    return int(match[1]) if match else None


def _rate_reason(rate: Decimal) -> Reason | None:
    if rate.is_nan() or rate <= 0:
        return Reason('rate_not_positive')
    if rate >= MAX_RATE:
        return Reason('rate_too_high', limit=str(MAX_RATE))
    if rate != rate.quantize(STEP):
        return Reason('rate_decimals')
    return None
