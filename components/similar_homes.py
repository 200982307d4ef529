"""The comparison with similar homes (B11): one card per account that has one."""

from __future__ import annotations

from components import static_html
from services.core import fmt
from services.core.i18n import _, ngettext
from services.metering.similar_homes import Comparison


def comparison_cards(found: list[Comparison]) -> None:
    for comparison in found:
        _card(comparison)


def sentence(c: Comparison) -> str:
    """«За март 2026 вы потребили 230 кВт·ч — на 12 % меньше, чем похожие дома.»"""
    year, month = (int(part) for part in c.period.split('-'))
    when, used = fmt.month_title(year, month), fmt.kwh_text(c.wh)
    if c.percent < 0:
        return _('In {period} you used {used}: {n} % less than similar homes.').format(
            period=when, used=used, n=-c.percent
        )
    if c.percent > 0:
        return _('In {period} you used {used}: {n} % more than similar homes.').format(
            period=when, used=used, n=c.percent
        )
    return _('In {period} you used {used}: as much as similar homes.').format(period=when, used=used)


def _card(c: Comparison) -> None:
    """The card of one account, one element."""
    median = _('The median of similar homes is {median}; the most economical quarter uses up to {efficient}.').format(
        median=fmt.kwh_text(c.median_wh), efficient=fmt.kwh_text(c.efficient_wh)
    )
    homes = ngettext(
        'Compared with {n} home of the same settlement, tariff and kind of home.',
        'Compared with {n} homes of the same settlement, tariff and kind of home.',
        c.homes,
    )
    content = (
        static_html.line(_('Similar homes · account {number}').format(number=c.account_number), 'k-card-title')
        + static_html.line(sentence(c), 'text-body1', mark='similar-sentence')
        + static_html.line(median, 'text-body2')
        + static_html.line(homes.format(n=c.homes), 'text-caption text-grey-7')
    )
    static_html.element(content).classes('q-card nicegui-card k-card w-full').mark(f'similar-{c.account_number}')
