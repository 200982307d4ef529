"""What sits under the consumption chart: totals and cost per zone, forecast, comparison, always-on load."""

from __future__ import annotations

from decimal import Decimal

from components import static_html
from services.core import fmt
from services.core.i18n import _, ngettext
from services.metering import consumption, pricing
from services.metering.consumption import ChartData


def consumption_summary(data: ChartData) -> None:
    """Cards of the numbers of the shown period (B1, B2, B3, B10): one element, as nothing in them changes alone."""
    unit = consumption.unit(data.query.energy)
    total = fmt.with_unit(fmt.kwh(data.total), unit)
    if data.cost:
        total += f' · {fmt.roubles(pricing.rub(sum(data.cost.values(), Decimal(0))))}'
    totals = static_html.line(_('Total for the period'), 'text-caption text-grey-7')
    totals += static_html.line(total, 'text-h6', mark='total')
    totals += ''.join(_zone_line(data, zone, unit) for zone in data.zones)
    if data.query.energy == consumption.ACTIVE_IMPORT and not data.cost:
        totals += static_html.line(_('Tariff rates are not loaded yet, so the cost is not shown.'), 'text-caption')
    cards = static_html.div(totals, f'{CARD} q-pa-md', mark='totals')
    if data.forecast or data.comparison or data.always_on:
        insights = _forecast(data, unit)
        if data.comparison:
            insights += static_html.line(data.comparison, 'text-body2', mark='comparison')
        insights += _always_on(data)
        cards += static_html.div(insights, f'{CARD} q-pa-md gap-2', mark='insights')
    summary = static_html.div(cards, 'nicegui-row row w-full gap-3 items-stretch') + _quality_note(data)
    static_html.element(summary).classes('nicegui-column w-full gap-3').mark('summary')


CARD = 'q-card nicegui-card k-card col-12 col-sm'


def _zone_line(data: ChartData, zone: int, unit: str) -> str:
    if len(data.zones) < 2 and zone == data.zones[0]:
        return ''
    energy = fmt.with_unit(fmt.kwh(data.totals.get(zone, 0)), unit)
    text = f'{consumption.zone_name(zone, data.meter.tariff_zones)}: {energy}'
    if zone in data.cost:
        text += f' · {fmt.roubles(pricing.rub(data.cost[zone]))}'
    return static_html.line(text, 'text-body2', mark=f'zone-{zone}')


def _forecast(data: ChartData, unit: str) -> str:
    outlook = data.forecast
    if outlook is None:
        return ''
    energy = fmt.with_unit(fmt.number(Decimal(outlook.wh) / 1000), unit)  # a run-rate: whole kWh and roubles
    text = _('Forecast to the end of the period: {energy}').format(energy=energy)
    if outlook.cost is not None:
        text += f' ≈ {fmt.with_unit(fmt.number(pricing.rub(outlook.cost)), "₽")}'
    left = ngettext('{n} day left', '{n} days left', outlook.days_left).format(n=outlook.days_left)
    return static_html.line(f'{text}; {left}.', 'text-body2 text-weight-medium', mark='forecast')


def _always_on(data: ChartData) -> str:
    load = data.always_on
    if load is None:
        return ''
    text = _('Always-on load: about {watts} (the lowest night load of the last 14 days), {energy} a month').format(
        watts=fmt.with_unit(fmt.number(load.watts), _('W')), energy=fmt.with_unit(fmt.number(load.kwh_month), _('kWh'))
    )
    if load.cost_month is not None:
        text += ' ' + _('or about {cost}').format(cost=fmt.with_unit(fmt.number(pricing.rub(load.cost_month)), '₽'))
    return static_html.line(text + '.', 'text-body2', mark='always-on')


def _quality_note(data: ChartData) -> str:
    notes = []
    if data.missing:
        notes.append(
            ngettext(
                'No data for {n} interval: such bars are pale and marked «!».',
                'No data for {n} intervals: such bars are pale and marked «!».',
                data.missing,
            ).format(n=data.missing)
        )
    if data.estimated:
        notes.append(
            ngettext(
                '{n} value is estimated (marked «≈»).', '{n} values are estimated (marked «≈»).', data.estimated
            ).format(n=data.estimated)
        )
    return static_html.line(' '.join(notes), 'text-caption text-orange-9', mark='quality') if notes else ''
