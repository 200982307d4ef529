"""The consumption chart of /readings: bars stacked by tariff zone, gaps and estimates marked (SPEC S7, B3)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from nicegui import events, ui

from services.core import fmt
from services.core.i18n import _, get_language, ngettext
from services.metering import consumption, pricing
from services.metering.consumption import ChartData
from services.metering.series import SeriesRow

# Warm for the expensive day hours, cool for the night; readable on light and dark backgrounds alike.
ZONE_COLOURS = {1: {1: '#1e88e5'}, 2: {1: '#f59e0b', 2: '#3f51b5'}, 3: {1: '#e4572e', 3: '#f59e0b', 2: '#3f51b5'}}
MUTED = '#8a8a8a'  # axis and legend text: grey reads on white and on the dark background
MISSING_MARK = '!'
ESTIMATED_MARK = '≈'
# A constant function (never user text): each bar's tooltip is prepared on the server, HTML-escaped.
TOOLTIP_JS = '(ps) => { const p = ps.find(x => x.data && x.data.tip); return p ? p.data.tip : ""; }'
# The value axis in the reader's number form («2 500», «0,8»): a constant function per language, never user text.
AXIS_LOCALES = {'ru': 'ru-RU', 'en': 'en-GB'}
AXIS_JS = '(v) => new Intl.NumberFormat("{locale}").format(v)'


def axis_formatter() -> str:
    """The y-axis label function of the current language (Russian unless English is chosen)."""
    return AXIS_JS.format(locale=AXIS_LOCALES.get(get_language(), 'ru-RU'))


def consumption_chart(data: ChartData, on_bar: Callable[[int], Any]) -> ui.echart:
    """The chart; `on_bar(index)` is called with the bar a resident clicks (for drilling down)."""

    def clicked(event: events.EChartPointClickEventArguments) -> Any:
        return on_bar(event.data_index)

    return (
        ui.echart(chart_options(data), on_point_click=clicked)
        .classes('w-full k-consumption-chart')
        .style('height: 340px')
        .mark('chart')
    )


def chart_options(data: ChartData) -> dict[str, Any]:
    """ECharts options: one stacked bar series per zone, pale bars where data is missing, marks above them.

    The bars and ticks go in tuples: NiceGUI watches every list and dict of an element's props for changes (an
    object of its own for each, a bar's point and style included), and a chart is drawn anew, never changed.
    """
    tariff = data.meter.tariff_zones
    tips = [_tip(index, row, data) for index, row in enumerate(data.rows)]
    series: list[dict[str, Any]] = []
    for position, zone in enumerate(data.zones):
        colour = ZONE_COLOURS.get(tariff, ZONE_COLOURS[1]).get(zone, MUTED)
        points = []
        for index, row in enumerate(data.rows):
            point: dict[str, Any] = {'value': round(row.zones.get(zone, 0) / 1000, 3)}
            if position == 0:
                point['tip'] = tips[index]
            if row.missing:
                point['itemStyle'] = {'opacity': 0.4, 'borderType': 'dashed', 'borderColor': colour, 'borderWidth': 1}
            points.append(point)
        name = consumption.zone_name(zone, tariff)
        bars = tuple(points)
        series.append({'name': name, 'type': 'bar', 'stack': 'zones', 'data': bars, 'itemStyle': {'color': colour}})
    series.append(_marks(data.rows))
    legend = [consumption.zone_name(z, tariff) for z in data.zones]
    return {
        'animation': False,
        'backgroundColor': 'transparent',
        'grid': {'left': 8, 'right': 8, 'top': 36, 'bottom': 8, 'containLabel': True},
        'legend': {'data': legend, 'top': 0, 'textStyle': {'color': MUTED}, 'type': 'scroll'},
        'tooltip': {'trigger': 'axis', 'axisPointer': {'type': 'shadow'}, 'confine': True, ':formatter': TOOLTIP_JS},
        'xAxis': {
            'type': 'category',
            'data': tuple(data.ticks),
            'axisLabel': {'color': MUTED, 'hideOverlap': True},
            'axisLine': {'lineStyle': {'color': MUTED}},
        },
        'yAxis': {
            'type': 'value',
            'name': consumption.unit(data.query.energy),
            'nameTextStyle': {'color': MUTED, 'align': 'left'},
            'axisLabel': {'color': MUTED, ':formatter': axis_formatter()},
            'splitLine': {'lineStyle': {'color': 'rgba(128,128,128,0.25)'}},
        },
        'series': tuple(series),
    }


def _marks(rows: list[SeriesRow]) -> dict[str, Any]:
    """A mark above each bar with missing («!») or estimated («≈») intervals; '-' keeps indexes aligned."""
    points: list[Any] = []
    for row in rows:
        mark = MISSING_MARK if row.missing else ESTIMATED_MARK if row.estimated else ''
        if not mark:
            points.append('-')
            continue
        colour = '#e65100' if row.missing else MUTED
        points.append(
            {
                'value': round(row.total / 1000, 3),
                'symbolSize': 1,
                'label': {'show': True, 'formatter': mark, 'position': 'top', 'color': colour, 'fontWeight': 'bold'},
            }
        )
    return {'name': 'marks', 'type': 'scatter', 'data': tuple(points), 'silent': True, 'tooltip': {'show': False}}


def _tip(index: int, row: SeriesRow, data: ChartData) -> str:
    unit = consumption.unit(data.query.energy)
    cost = data.bar_cost[index] if index < len(data.bar_cost) else {}
    priced = bool(data.cost)  # only imported active energy with rates loaded is priced
    lines = [f'<b>{html.escape(_tick_title(index, row, data))}</b>']
    for zone in data.zones:
        name = consumption.zone_name(zone, data.meter.tariff_zones)
        wh = row.zones.get(zone, 0)
        # a zone without energy costs nothing; one with energy but no rate in force shows no price
        price = cost.get(zone, Decimal(0)) if priced and not wh else cost.get(zone)
        lines.append(f'{html.escape(name)}: {_amount(wh, unit, price)}')
    if len(data.zones) > 1:
        total = sum(cost.values(), Decimal(0)) if priced else None
        lines.append(f'<b>{html.escape(_("Total"))}: {_amount(row.total, unit, total)}</b>')
    if row.missing:
        note = ngettext('no data for {n} interval', 'no data for {n} intervals', row.missing).format(n=row.missing)
        lines.append(f'<span style="color:#e65100">{MISSING_MARK} {html.escape(note)}</span>')
    if row.estimated:
        note = ngettext('{n} estimated value', '{n} estimated values', row.estimated).format(n=row.estimated)
        lines.append(f'{ESTIMATED_MARK} {html.escape(note)}')
    return '<br/>'.join(lines)


def _amount(wh: int, unit: str, rub: Decimal | None) -> str:
    """«12,5 кВт·ч · 61,50 ₽», HTML-escaped; the roubles only when the bar is priced."""
    text = fmt.with_unit(fmt.kwh(wh), unit)
    if rub is not None:
        text += f' · {fmt.roubles(pricing.rub(rub))}'
    return html.escape(text)


def _tick_title(index: int, row: SeriesRow, data: ChartData) -> str:
    tick, view = data.ticks[index], data.query.view
    if view == 'day':
        return f'{tick}:00–{(int(tick) + 1) % 24:02d}:00'
    if view == 'month':
        return fmt.day_title(data.first + timedelta(days=index))
    return f'{tick} {row.label[:4]}'
