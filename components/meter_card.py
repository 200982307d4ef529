"""Blocks of the meter card (SPEC S6, S13, B6): details, verification countdown, replacements, load state."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from nicegui import ui

from components.tiles import COLOURS
from services.core import fmt
from services.core.i18n import _, ngettext
from services.residents.subscriber import LoadState, MeterCard, Replacement, Verification

RELAY_COLOUR = {0: 'negative', 1: 'positive', 2: 'warning'}


CHIP_COLOURS = {'ok': 'positive', 'due_soon': 'orange-9', 'overdue': 'red-9', 'unknown': 'grey-7'}


def fields(rows: list[tuple[str, str]], *, mark: str = '', columns: int = 2) -> None:
    """Label–value pairs, in two columns on a wide screen; each value may break over several lines."""
    grid = 'md:grid-cols-2' if columns == 2 else ''
    with ui.element('div').classes(f'w-full grid grid-cols-1 {grid} gap-x-6 gap-y-1').mark(mark):
        for label, value in rows:
            with ui.row().classes('gap-2 no-wrap items-baseline'):
                ui.label(label).classes('text-grey-7 text-body2').style('min-width: 8.5rem; flex-shrink: 0')
                ui.label(value).classes('text-body1').style('overflow-wrap: anywhere; white-space: pre-line')


def details(card: MeterCard) -> None:
    zones = {1: _('single-rate'), 2: _('two-zone (day/night)'), 3: _('three-zone (peak/half-peak/night)')}
    rows = [
        (_('Model'), card.view.model or '—'),
        (_('Serial number'), card.view.serial),
        (_('Personal account'), card.view.account_number),
        (_('Address'), fmt.address(card.view.address)),
        (_('Phases'), str(card.phases)),
        (_('Tariff'), zones.get(card.tariff_zones, str(card.tariff_zones))),
        (_('Load profile'), _('{n} min').format(n=card.profile_minutes)),
        (_('Installed'), fmt.day(card.installed_on)),
    ]
    if card.removed_on:
        rows.append((_('Removed'), fmt.day(card.removed_on)))
    fields(rows, mark='meter-details')


def verification_chip(check: Verification) -> ui.badge:
    """A coloured chip: ok, due within 60 days, overdue, or no data."""
    text, colour, outline = verification_look(check)
    return ui.badge(text).props(f'color={colour}{" outline" if outline else ""}').mark(f'verification-{check.state}')


def verification_look(check: Verification) -> tuple[str, str, bool]:
    """The chip's text, Quasar colour and whether it is outlined (in order: a quiet outline)."""
    if check.state == 'unknown' or check.days_left is None:
        text = _('no verification data')
    elif check.state == 'overdue':
        text = _('overdue by {days}').format(days=_days(-check.days_left))
    elif check.state == 'ok' and check.days_left > 365:
        text = _('in order')
    elif check.days_left == 0:
        text = _('due today')
    else:
        text = _('{days} left').format(days=_days(check.days_left))
    return text, CHIP_COLOURS[check.state], check.state == 'ok'


def verification(check: Verification) -> None:
    """Last and next verification with the countdown; when due or overdue, what happens to the bill (B6)."""
    fields(
        [
            (_('Last verification'), fmt.day(check.verified_on)),
            (_('Verification interval'), _years(check.interval_years)),
            (_('Next verification due'), fmt.day(check.next_due)),
        ]
    )
    verification_chip(check)
    if check.state in ('due_soon', 'overdue'):
        colour = COLOURS[check.state]
        with (
            ui.element('div')
            .classes('q-pa-sm rounded-borders w-full')
            .style(f'border-left: 4px solid {colour}; background: rgba(239,108,0,.08)')
            .mark('verification-warning')
        ):
            ui.label(
                _(
                    "After the verification date the meter's readings no longer count for billing. "
                    'For up to three months you are billed by your average monthly consumption, '
                    'after that by the consumption norm, which is usually much higher '
                    '(Government Decree No. 354, clauses 59–60).'
                )
            ).classes('text-body2')
            if check.state == 'overdue':
                ui.label(_('Order the verification or a replacement as soon as possible.')).classes('text-body2')
            else:
                ui.label(_('Order the verification or a replacement in time.')).classes('text-body2')


def replacements(items: list[Replacement], tz: ZoneInfo) -> None:
    if not items:
        ui.label(_('This meter has not been replaced.')).classes('text-grey-7').mark('no-replacements')
        return
    for item in items:
        with ui.card().classes('w-full q-pa-sm').props('flat bordered').mark('replacement'):
            ui.label(_('Replaced on {date}').format(date=fmt.day(item.on))).classes('text-weight-medium')
            fields(
                [
                    (_('Old meter'), fmt.meter_name(item.old_model, item.old_serial)),
                    (_('Last reading'), _reading(item.old_last_wh, item.old_last_at, tz)),
                    (_('New meter'), fmt.meter_name(item.new_model, item.new_serial)),
                    (_('First reading'), _reading(item.new_first_wh, item.new_first_at, tz)),
                ]
            )


def load_state(load: LoadState, tz: ZoneInfo) -> None:
    """Power, voltage and current per phase, the relay with its time and reason, 24 h of power."""
    if load.measured_at is None and load.relay is None:
        ui.label(_('The meter has not sent instantaneous values yet.')).classes('text-grey-7').mark('no-load')
        return
    if load.relay is not None:
        with ui.row().classes('items-center gap-2'):
            ui.label(_('Relay')).classes('text-grey-7')
            ui.badge(relay_text(load.relay)).props(f'color={RELAY_COLOUR.get(load.relay, "grey")}').mark('relay-state')
            ui.label(_('as of {time}').format(time=fmt.moment(load.relay_at, tz))).classes('text-grey-7 text-body2')
        if load.relay_reason:
            ui.label(
                _('Reason: {reason} ({time})').format(
                    reason=load.relay_reason, time=fmt.moment(load.relay_reason_at, tz)
                )
            ).classes('text-body2').mark('relay-reason')
    ui.label(_('Measured at {time}').format(time=fmt.moment(load.measured_at, tz))).classes('text-grey-7 text-body2')
    fields([(_('Active power'), _watts(load.power_w))], columns=1)
    rows = []  # voltage and current of a phase side by side on a wide screen
    several = len(load.voltages) > 1
    for n, (volts, amps) in enumerate(zip(load.voltages, load.currents, strict=True), start=1):
        rows.append((_('Voltage, phase {n}').format(n=n) if several else _('Voltage'), _unit(volts, _('{value} V'), 1)))
        rows.append((_('Current, phase {n}').format(n=n) if several else _('Current'), _unit(amps, _('{value} A'), 2)))
    fields(rows, mark='load-values')
    if load.power_series:
        power_chart(load.power_series, tz)


def power_chart(points: list[tuple[int, float]], tz: ZoneInfo) -> ui.echart:
    """A small line chart of active power, in local time, kW."""
    data = [[datetime.fromtimestamp(at, tz).strftime('%H:%M'), round(w / 1000, 3)] for at, w in points]
    grey = '#8a8a8a'  # readable on light and dark backgrounds
    return (
        ui.echart(
            {
                'grid': {'left': 44, 'right': 12, 'top': 28, 'bottom': 28},
                'tooltip': {'trigger': 'axis'},
                'xAxis': {'type': 'category', 'data': [d[0] for d in data], 'axisLabel': {'color': grey}},
                'yAxis': {
                    'type': 'value',
                    'splitLine': {'lineStyle': {'color': 'rgba(128,128,128,.25)'}},
                    'name': _('kW'),
                    'nameTextStyle': {'color': grey},
                    'axisLabel': {'color': grey},
                },
                'series': [
                    {
                        'type': 'line',
                        'name': _('Power'),
                        'data': [d[1] for d in data],
                        'smooth': True,
                        'showSymbol': False,
                        'areaStyle': {'opacity': 0.15},
                    }
                ],
            }
        )
        .classes('w-full')
        .style('height: 220px')
        .mark('power-chart')
    )


def relay_text(state: int) -> str:
    """The relay state in the manual's words: включено / отключено / готово к включению."""
    texts = {0: _('disconnected'), 1: _('connected'), 2: _('ready for reconnection')}
    return texts.get(state, _('unknown'))


def _reading(wh: int | None, at: datetime | None, tz: ZoneInfo) -> str:
    if wh is None:
        return _('no register readings')
    return _('{value} on {time}').format(value=fmt.kwh_text(wh), time=fmt.moment(at, tz))


def _watts(value: float | None) -> str:
    if value is None:
        return '—'
    return _('{value} kW').format(value=fmt.number(value / 1000, 3))


def _unit(value: float | None, template: str, digits: int) -> str:
    return template.format(value=fmt.number(value, digits)) if value is not None else '—'


def _days(n: int) -> str:
    return ngettext('{n} day', '{n} days', n).format(n=n)


def _years(n: int | None) -> str:
    return ngettext('{n} year', '{n} years', n).format(n=n) if n else '—'
