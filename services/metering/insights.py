"""What the numbers under the chart mean: forecast, comparison, always-on load (SPEC B2, B10). Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.core.i18n import _, ngettext

ALWAYS_ON_PERCENTILE = 0.10  # the 10th percentile ignores a rare dead hour (a power cut) but not the fridge
ALWAYS_ON_MIN_HOURS = 24  # fewer night hours than that say nothing reliable
MONTH_HOURS = 720  # a month of 30 days for the «costs a month» sentence


@dataclass(frozen=True)
class Forecast:
    """Where the current period is heading: energy (Wh) and cost (RUB, unrounded) at the period's end."""

    wh: int
    cost: Decimal | None
    days_left: int  # today included
    days_counted: int  # complete days the run-rate is taken from


@dataclass(frozen=True)
class PeriodTotal:
    """Energy of a period to compare, its length in days and how to name it («в феврале»)."""

    wh: int
    days: int
    name: str


@dataclass(frozen=True)
class AlwaysOn:
    watts: int
    kwh_month: Decimal
    cost_month: Decimal | None  # RUB, unrounded


def forecast(
    *, days: Sequence[tuple[date, int, bool]], cost: Decimal | None, first: date, after: date, today: date
) -> Forecast | None:
    """Run-rate of the period first..after-1: the mean of its complete past days (date, Wh, complete) × its length.

    None unless `today` lies inside the period and at least one past day is complete. `cost` is the cost of
    those same complete days, scaled the same way.
    """
    if not first <= today < after:
        return None
    counted = [(day, wh) for day, wh, complete in days if complete and first <= day < today]
    if not counted:
        return None
    length = (after - first).days
    used = sum(wh for _, wh in counted)
    share = Decimal(length) / len(counted)
    return Forecast(
        wh=round(used * share),
        cost=cost * share if cost is not None else None,
        days_left=(after - today).days,
        days_counted=len(counted),
    )


def comparison_sentence(current: PeriodTotal, others: Sequence[PeriodTotal | None]) -> str:
    """One plain sentence: «На 12 % больше, чем в марте прошлого года (в периоде на 2 дня больше).»

    Per-day averages are compared when the lengths differ, and the difference in days is named.
    """
    clauses = [_clause(current, other) for other in others if other is not None and other.wh > 0 and other.days]
    if not clauses or current.days <= 0:
        return ''
    sentence = '; '.join(clauses) + '.'
    return sentence[0].upper() + sentence[1:]


def _clause(current: PeriodTotal, other: PeriodTotal) -> str:
    ratio = (current.wh / current.days) / (other.wh / other.days)
    percent = round((ratio - 1) * 100)
    if percent == 0:
        clause = _('about the same as {when}').format(when=other.name)
    elif percent > 0:
        clause = _('{percent}% more than {when}').format(percent=percent, when=other.name)
    else:
        clause = _('{percent}% less than {when}').format(percent=-percent, when=other.name)
    extra = current.days - other.days
    if extra > 0:
        clause += ' (' + ngettext('{n} day more in the period', '{n} days more in the period', extra).format(n=extra)
        clause += ')'
    elif extra < 0:
        clause += ' (' + ngettext('{n} day fewer in the period', '{n} days fewer in the period', -extra).format(
            n=-extra
        )
        clause += ')'
    return clause


def always_on(*, night_hours_wh: Sequence[int], rate: Decimal | None) -> AlwaysOn | None:
    """The load that never switches off, from complete night hours (Wh in an hour = mean W): a low percentile."""
    if len(night_hours_wh) < ALWAYS_ON_MIN_HOURS:
        return None
    ordered = sorted(night_hours_wh)
    watts = ordered[int(ALWAYS_ON_PERCENTILE * (len(ordered) - 1))]
    kwh_month = Decimal(watts * MONTH_HOURS) / 1000
    return AlwaysOn(watts=watts, kwh_month=kwh_month, cost_month=kwh_month * rate if rate is not None else None)
