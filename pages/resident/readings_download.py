"""The «Скачать мои данные» tab of /readings (SPEC B4): a meter, energy type and dates, Green Button XML or CSV."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from nicegui import ui

from models import User
from pages.resident.readings_controls import PeriodInput, default_meter, energy_options, meter_options
from pages.shell.context import PageContext
from services.core.db import DbSession
from services.core.errors import NotFound
from services.core.i18n import _
from services.metering import consumption
from services.residents import my_data
from services.residents.access import MeterView

FORMATS = {'xml': 'Green Button XML', 'csv': 'CSV'}
MEDIA = {'xml': 'application/xml', 'csv': 'text/csv'}


def download_panel(ctx: PageContext, meters: list[MeterView], energies: dict[int, list[int]]) -> None:
    first = default_meter(meters)
    today = ctx.today()
    ui.label(
        _('Every interval value of the meter for the chosen days: Green Button XML (ESPI), which other portals and '
          'tools read, or CSV for a spreadsheet. Missing intervals and estimated values are marked.')
    ).classes('text-body2 text-grey-8')  # fmt: skip
    with ui.element('div').classes('w-full k-controls'):
        meter = ui.select(meter_options(meters), value=first, label=_('Meter'))
        meter.props('outlined dense options-dense').classes('k-ctl-meter').mark('dl-meter')
        energy = ui.select(energy_options(energies[first]), value=energies[first][0], label=_('Energy type'))
        energy.props('outlined dense options-dense').classes('k-ctl-energy').mark('dl-energy')
    with ui.element('div').classes('w-full k-controls'):
        start = PeriodInput(_('From'), 'dl-from', today.replace(day=1) - timedelta(days=365), 'day')
        end = PeriodInput(_('To'), 'dl-to', today, 'day')
        kind = ui.toggle(FORMATS, value='xml').props('no-caps unelevated toggle-color=primary').mark('dl-format')
        button = ui.button(_('Download'), icon='download').props('unelevated no-caps').mark('dl-button')
    error = ui.label().classes('text-negative text-body2').mark('dl-error')
    error.set_visibility(False)
    meter.on_value_change(
        lambda e: energy.set_options(
            energy_options(energies.get(int(e.value), [consumption.ACTIVE_IMPORT])), value=consumption.ACTIVE_IMPORT
        )
    )

    def refuse(message: str) -> None:
        error.set_text(message)
        error.set_visibility(True)

    async def download() -> None:
        error.set_visibility(False)
        first_day, last_day = start.value(), end.value()
        if first_day is None or last_day is None:
            refuse(_('Enter the dates as {example}').format(example='31.03.2026'))
            return
        user = await ctx.fresh_user()
        if user is None:
            return
        meter_id, energy_code, fmt_kind, tz, now = (
            int(meter.value),
            int(energy.value),
            str(kind.value),
            ctx.tz,
            ctx.now(),
        )
        try:
            content, name = await ctx.db(
                lambda session: _file(session, user, meter_id, energy_code, first_day, last_day, fmt_kind, tz, now)
            )
        except NotFound:
            ui.notify(_('Not found'), type='negative')
            return
        except my_data.BadRange as refused:
            refuse(_(str(refused)).format(n=my_data.MAX_DAYS))
            return
        ui.download.content(content, f'{name}.{fmt_kind}', MEDIA[fmt_kind])

    button.on_click(download)


def _file(
    session: DbSession, user: User, meter_id: int, energy: int, first: date, last: date, kind: str, tz: ZoneInfo,
    now: datetime,
) -> tuple[bytes, str]:  # fmt: skip
    data = my_data.extract(
        session=session, user=user, meter_id=meter_id, energy=energy, first=first, last=last, tz=tz, now=now
    )
    return (my_data.to_espi(data, now=now) if kind == 'xml' else my_data.to_csv(data)), data.name
