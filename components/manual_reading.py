"""The manual-readings card (B7): the form inside the window, the next window's dates outside, the history."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from components.form_style import form_style
from services.core import fmt
from services.core.i18n import _
from services.metering.consumption import zone_name
from services.readings.manual import ManualState, Refusal, Submitted

# Submits the typed values by zone; returns the refusals, empty when everything was accepted.
Submit = Callable[[dict[int, str]], Awaitable[list[Refusal]]]


def manual_card(state: ManualState, *, on_submit: Submit) -> None:
    """A card titled «Передача показаний»: what the resident may do for this meter now."""
    with ui.card().classes('w-full').mark('manual-readings'):
        ui.label(_('Submit readings')).classes('k-card-title')
        if not state.manual:
            ui.label(
                _('This meter sends its readings to the utility itself: there is nothing to submit by hand.')
            ).classes('text-body2 text-grey-8').mark('manual-remote')
            return
        if state.window is None:
            ui.label(
                _('Readings are taken from the {first} to the {last} of each month. Next: {opens} – {closes}.').format(
                    first=state.upcoming.opens.day,
                    last=state.upcoming.closes.day,
                    opens=fmt.day(state.upcoming.opens),
                    closes=fmt.day(state.upcoming.closes),
                )
            ).classes('text-body2').mark('manual-closed')
        else:
            _form(state, on_submit)
        if state.history:
            _history(state.history)


def refusal_text(refusal: Refusal) -> str:
    """Why a value was refused, in the resident's words."""
    if refusal.reason == 'empty':
        return _('Enter the reading of this zone.')
    if refusal.reason == 'not_number':
        return _('Enter the number the meter shows, in kWh, e.g. 12345.6.')
    if refusal.reason == 'too_many_decimals':
        return _('At most three digits after the decimal point.')
    previous = refusal.previous
    if refusal.reason == 'below_previous' and previous is not None:
        return _('Less than the previous reading, {value} kWh of {day}: the register only grows.').format(
            value=fmt.kwh(previous.wh), day=fmt.day(previous.day)
        )
    ceiling = fmt.kwh(refusal.ceiling_wh or 0)
    return _('Far above this meter’s usual use: at most {value} kWh is plausible by now. Check the digits.').format(
        value=ceiling
    )


def _form(state: ManualState, on_submit: Submit) -> None:
    window = state.window
    assert window is not None
    ui.label(
        _('Readings for {month} are taken until {closes}; you may correct them until then.').format(
            month=fmt.month_title(window.month.year, window.month.month), closes=fmt.day(window.closes)
        )
    ).classes('text-body2').mark('manual-open')
    fields: dict[int, ui.input] = {}
    tariff = state.meter.tariff_zones
    with ui.element('div').classes(f'{form_style()} w-full grid grid-cols-1 sm:grid-cols-3 gap-3'):
        for zone in state.zones:
            previous = zone.previous
            hint = (
                _('Previous: {value} kWh of {day}').format(value=fmt.kwh(previous.wh), day=fmt.day(previous.day))
                if previous
                else ''
            )
            value = fmt.kwh(zone.submitted_wh).replace('\u00a0', ' ') if zone.submitted_wh is not None else ''
            fields[zone.zone] = (
                ui.input(
                    _('{name} (T{zone}), kWh').format(name=zone_name(zone.zone, tariff), zone=zone.zone), value=value
                )
                .props(f'outlined inputmode=decimal hint="{hint}"')
                .mark(f'manual-t{zone.zone}')
            )

    async def send() -> None:
        for element in fields.values():
            element.error = None
        refusals = await on_submit({zone: element.value or '' for zone, element in fields.items()})
        for refusal in refusals:
            fields[refusal.zone].error = refusal_text(refusal)

    ui.button(_('Submit'), icon='send', on_click=send).props('unelevated no-caps').mark('manual-submit')


def _history(rows: list[Submitted]) -> None:
    ui.label(_('Submitted readings')).classes('text-subtitle2 q-mt-sm')
    with ui.column().classes('w-full gap-1').mark('manual-history'):
        for row in rows:
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                ui.label(fmt.month_title(row.month.year, row.month.month)).classes('text-body2 min-w-0')
                ui.label(f'T{row.zone}: {fmt.kwh(row.wh)} ' + _('kWh')).classes('text-body2 text-weight-medium')
                ui.badge(_('submitted by the resident'), color='teal-7').props('outline')
