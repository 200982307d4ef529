"""Tariff rates for operators (SPEC §6.5, B1): `/operator/tariffs` — the rates in force, a CSV upload, one rate.

Rates have effective dates: a new rate applies from its `valid_from` on and never re-prices the past.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import APIRouter, events, run, ui

from models import TariffRate
from pages import deps
from pages.deps import Section
from pages.layout import page
from services import period_text, pricing
from services.errors import DomainError
from services.i18n import _
from services.importers.records import ImportRejected, TariffRateRow
from services.importers.tariff_csv import parse_tariffs

router = APIRouter()
SECTIONS = [Section('/operator/tariffs', 'Tariffs', 'payments', 92, staff_only=True)]
MAX_BYTES = 1_000_000  # a tariff file is a few dozen lines


@router.page('/operator/tariffs')
def tariffs(request: Request) -> RedirectResponse | None:
    user = deps.user_from_request(request)
    if user is None:
        return RedirectResponse('/login', status_code=303)
    if not user.is_staff:
        return RedirectResponse('/', status_code=303)
    with page(_('Tariff rates'), user, active='/operator/tariffs'):
        ui.label(_('A rate holds from its date until the next rate of the same group, tariff and zone.')).classes(
            'text-body2'
        )
        table = ui.table(columns=_columns(), rows=[], row_key='key').props('dense flat bordered').classes('w-full')
        table.mark('rates')

        def refresh() -> None:
            with deps.db() as session:
                table.rows = [_row(r) for r in pricing.all_rates(session=session)]
            table.update()

        async def upload(event: events.UploadEventArguments) -> None:
            staff = deps.current_user()
            if staff is None or not staff.is_staff:
                return
            data = await event.file.read()
            if len(data) > MAX_BYTES:
                ui.notify(_('The file is too large.'), type='negative')
                return
            try:
                parsed = parse_tariffs(event.file.name, data)
            except ImportRejected as error:
                ui.notify(error.localized('ru'), type='negative', multi_line=True)
                return
            count = await run.io_bound(_store, parsed.tariffs)
            ui.notify(_('Rates stored: {n}').format(n=count), type='positive')
            refresh()

        with ui.expansion(_('Upload a tariff CSV'), icon='upload_file').classes('w-full'):
            ui.label('tariff_group;tariff_zones;zone;rub_per_kwh;valid_from').classes('text-caption text-mono')
            ui.upload(on_upload=upload, auto_upload=True, max_file_size=MAX_BYTES).props('accept=.csv,.txt').mark(
                'tariff-upload'
            )
        _add_form(refresh)
        refresh()
    return None


def _add_form(refresh: Callable[[], None]) -> None:
    with ui.card().classes('w-full q-pa-md'):
        ui.label(_('Add a rate')).classes('k-card-title')
        with ui.row().classes('items-end gap-2 w-full'):
            group = ui.input(_('Tariff group')).props('outlined dense').mark('rate-group')
            zones = ui.select({1: '1', 2: '2', 3: '3'}, value=1, label=_('Zones')).props('outlined dense')
            zones.mark('rate-zones')
            zone = ui.select({1: 'T1', 2: 'T2', 3: 'T3'}, value=1, label=_('Zone')).props('outlined dense')
            zone.mark('rate-zone')
            rate = ui.input(_('RUB per kWh')).props('outlined dense').mark('rate-value')
            valid = ui.input(_('Valid from'), placeholder='2026-07-01').props('outlined dense').mark('rate-from')

            def add() -> None:
                user = deps.current_user()
                if user is None or not user.is_staff:
                    return
                try:
                    value = Decimal(str(rate.value).replace(',', '.').strip())
                    day = date.fromisoformat(str(valid.value).strip())
                    with deps.db() as session:
                        pricing.put_rate(
                            session=session, tariff_group=str(group.value or ''), tariff_zones=int(zones.value),
                            zone=int(zone.value), rub_per_kwh=value, valid_from=day,
                        )  # fmt: skip
                except (InvalidOperation, ValueError):
                    ui.notify(_('Enter the rate as 5.62 and the date as 2026-07-01.'), type='negative')
                    return
                except DomainError as error:
                    ui.notify(_(str(error)), type='negative')
                    return
                ui.notify(_('Rate stored.'), type='positive')
                refresh()

            ui.button(_('Add'), icon='add', on_click=add).props('unelevated no-caps').mark('rate-add')


def _store(rows: list[TariffRateRow]) -> int:
    with deps.db() as session:
        return pricing.store_tariffs(session=session, rows=rows)


def _columns() -> list[dict[str, str]]:
    return [
        {'name': 'group', 'label': _('Tariff group'), 'field': 'group', 'align': 'left'},
        {'name': 'zones', 'label': _('Zones'), 'field': 'zones'},
        {'name': 'zone', 'label': _('Zone'), 'field': 'zone'},
        {'name': 'rate', 'label': _('RUB per kWh'), 'field': 'rate', 'align': 'right'},
        {'name': 'from', 'label': _('Valid from'), 'field': 'from'},
    ]


def _row(r: TariffRate) -> dict[str, str]:
    return {
        'key': f'{r.tariff_group}|{r.tariff_zones}|{r.zone}|{r.valid_from}',
        'group': r.tariff_group or _('(default)'),
        'zones': str(r.tariff_zones),
        'zone': f'T{r.zone}',
        'rate': period_text.number(r.rub_per_kwh, 2),
        'from': f'{r.valid_from:%d.%m.%Y}',
    }
