"""Tariff rates for operators (SPEC §6.5, B1): `/operator/tariffs` — the rates in force, a CSV upload, one rate.

Rates have effective dates: a new rate applies from its `valid_from` on and never re-prices the past. An uploaded
tariff CSV goes through the import pipeline like any other file, so it is stored whole or not at all and gets
its row in the import log (/operator/imports). Uploaded names are only shown, never used as paths.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from nicegui import events, ui
from nicegui.elements.upload_files import FileUpload

from components.form_style import form_style
from models import TariffRate, User
from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.db import DbSession
from services.core.errors import DomainError
from services.core.i18n import _, get_language, ngettext
from services.core.messages import sentence
from services.ingest import FileReport, import_files
from services.ingest.formats import ImportRejected, detect_format
from services.ingest.formats.text import BadValue, parse_date, parse_decimal
from services.metering import pricing
from services.metering.tariffs import RateRefused, check_rate

TARIFFS = Section('/operator/tariffs', 'Tariffs', 'payments', 92, staff_only=True)
MAX_BYTES = 1_000_000  # a tariff file is a few dozen lines
# The table scrolls inside its own box on a phone instead of widening the page.
TABLE_BOX = 'w-full min-w-0 overflow-x-auto'
Refresh = Callable[[], Awaitable[None]]


def register(site: Site) -> None:
    @site.page('/operator/tariffs', access='staff', section=TARIFFS)
    async def tariffs(ctx: PageContext) -> None:
        with await ctx.frame(_('Tariff rates')):
            await _rates(ctx)


async def _rates(ctx: PageContext) -> None:
    ui.label(_('A rate holds from its date until the next rate of the same group, tariff and zone.')).classes(
        'text-body2'
    )
    with ui.element('div').classes(TABLE_BOX) as box:
        search = ui.input(_('Find a group, zone or date')).props('outlined dense clearable').classes('q-mb-sm')
        search.mark('rates-filter')
        table = ui.table(columns=_columns(), rows=[], row_key='key', pagination=15)
        table.props('dense flat bordered').classes('w-full').mark('rates')
        search.bind_value_to(table, 'filter')
    empty = ui.label(_('No rates yet: upload a tariff CSV or add a rate below.')).classes('text-body2')

    async def refresh() -> None:
        rates = await ctx.db(lambda session: pricing.all_rates(session=session))
        table.rows = [_row(r) for r in rates]
        table.update()
        box.set_visibility(bool(table.rows))
        empty.set_visibility(not table.rows)

    _upload_card(ctx, refresh)
    _add_form(ctx, refresh)
    await refresh()


def _upload_card(ctx: PageContext, refresh: Refresh) -> None:
    with ui.card().classes('w-full q-pa-md gap-2'):
        ui.label(_('Upload a tariff CSV')).classes('k-card-title')
        ui.label(_('Header row and one rate per line, for example:')).classes('text-body2')
        with ui.element('div').classes('w-full min-w-0 overflow-x-auto'):
            example = 'tariff_group;tariff_zones;zone;rub_per_kwh;valid_from\n;2;T2;3,12;01.07.2026'
            ui.label(example).classes('text-caption').style('white-space: pre; font-family: monospace')
        report = ui.label('').classes('text-body2').style('overflow-wrap: anywhere').mark('tariff-report')

        async def upload(event: events.UploadEventArguments) -> None:
            staff = await ctx.fresh_user(staff=True)
            if staff is None:
                return
            ok, text = await _import(ctx, event.file, staff)
            report.set_text(text)
            report.classes(replace='text-body2 ' + ('text-positive' if ok else 'text-negative'))
            ui.notify(text, type='positive' if ok else 'negative', multi_line=True)
            uploader.reset()
            await refresh()

        uploader = ui.upload(on_upload=upload, auto_upload=True, max_file_size=MAX_BYTES, label=_('Choose a file'))
        uploader.props('accept=".csv,.txt" flat bordered').classes('w-full').mark('tariff-upload')


async def _import(ctx: PageContext, upload: FileUpload, user: User) -> tuple[bool, str]:
    """The file through the import pipeline (stored whole or not at all, logged); (imported, what to show)."""
    if upload.size() > MAX_BYTES:  # the browser checks too, but a client can lie
        return False, _('{file}: the file is larger than 1 MB.').format(file=upload.name)
    data = await upload.read()
    try:
        found = detect_format(data, upload.name)
    except ImportRejected:
        found = 'tariffs'  # not a known format at all: the pipeline rejects it with the reason and logs it
    if found != 'tariffs':  # a registry or meter data dropped here by mistake is not imported behind their back
        return False, _('{file}: this is not a tariff CSV; import it on the «Data import» page.').format(
            file=upload.name
        )
    reports = await ctx.run(
        import_files, system=ctx.system, files=[(upload.name, data)], source='upload', user=user, now=ctx.now()
    )
    return reports[0].ok, _report_text(reports[0])


def _report_text(report: FileReport) -> str:
    if report.error is not None:
        return report.error.localized(get_language())
    stored = ngettext('{file}: {n} rate stored', '{file}: {n} rates stored', report.rows)
    return stored.format(file=report.file, n=report.rows)


@dataclass(frozen=True)
class _RateInput:
    group: str
    zones: int
    zone: int
    rate: Decimal
    valid_from: date


def _add_form(ctx: PageContext, refresh: Refresh) -> None:
    with ui.card().classes(f'w-full q-pa-md gap-2 {form_style()}'):
        ui.label(_('Add a rate')).classes('k-card-title')
        with ui.row().classes('items-start gap-2 w-full'):
            group = ui.input(_('Tariff group')).props('outlined dense').mark('rate-group')
            group.props['hint'] = _('Empty for the default group')
            zones = ui.select({1: '1', 2: '2', 3: '3'}, value=1, label=_('Zones in the tariff'))
            zones.props('outlined dense').classes('k-rate-narrow').mark('rate-zones')
            zone = ui.select({1: 'T1'}, value=1, label=_('Zone')).props('outlined dense').classes('k-rate-narrow')
            zone.mark('rate-zone')
            rate = ui.input(_('RUB per kWh'), placeholder='5,62').props('outlined dense inputmode=decimal')
            rate.mark('rate-value')
            valid = _date_input()
            fields = {'group': group, 'zone': zone, 'rate': rate, 'valid_from': valid}

            def zones_changed() -> None:
                zone.set_options({n: f'T{n}' for n in range(1, int(zones.value or 1) + 1)})
                if zone.value not in zone.options:
                    zone.value = 1

            zones.on_value_change(zones_changed)

            def add() -> None:
                errors, entered = _validate(group.value, zones.value, zone.value, rate.value, valid.value)
                show(errors)  # at once: a wrong value needs no trip to the database
                if entered is not None:  # else every typed value stays for the correction
                    ctx.later(store(entered), name='store a tariff rate')

            async def store(entered: _RateInput) -> None:
                user = await ctx.fresh_user(staff=True)
                if user is None:
                    return
                now = ctx.now()
                try:
                    await ctx.db(lambda session: _put(session, entered, user, now))
                except RateRefused as refused:
                    show(_refused(refused))
                    return
                except DomainError as refused:
                    show({'rate': _(str(refused))})
                    return
                ui.notify(_('Rate stored.'), type='positive')
                rate.value = ''
                await refresh()

            def show(errors: dict[str, str]) -> None:
                for key, element in fields.items():
                    element.error = errors.get(key)

            ui.button(_('Add'), icon='add', on_click=add).props('unelevated no-caps').classes('q-mt-xs').mark(
                'rate-add'
            )
    ui.add_css('.k-rate-narrow { min-width: 9rem; }')


def _date_input() -> ui.input:
    with ui.input(_('Valid from'), placeholder=_('DD.MM.YYYY')).props('outlined dense') as valid:
        with ui.menu().props('no-parent-event') as menu:
            picker = ui.date(mask='DD.MM.YYYY').props('minimal emit-immediately').bind_value(valid)
            picker.on_value_change(lambda _e: menu.close())
        with valid.add_slot('append'):
            ui.icon('event').classes('cursor-pointer').on('click', menu.open)
    return valid.mark('rate-from')


def _validate(
    group: object, zones: object, zone: object, rate: object, valid: object
) -> tuple[dict[str, str], _RateInput | None]:
    """Errors by field (translated), or the rate to store; the rules are those of services.metering.tariffs."""
    errors: dict[str, str] = {}
    group_text = str(group or '').strip()
    zones_number = int(str(zones or 1))
    zone_number = int(str(zone or 1))
    value = _rate(str(rate or ''), errors)
    if value is not None:
        try:
            check_rate(tariff_group=group_text, tariff_zones=zones_number, zone=zone_number, rub_per_kwh=value)
        except RateRefused as refused:
            errors.update(_refused(refused))
    try:
        day = parse_date(str(valid or ''))
    except BadValue as error:
        wrong = error.reason.code == 'no_such_date'  # 31.02 has the right shape but is not in the calendar
        errors['valid_from'] = _('There is no such date.') if wrong else _('Enter a date as 01.07.2026.')
        day = None
    if errors or value is None or day is None:
        return errors, None
    return errors, _RateInput(group_text, zones_number, zone_number, value, day)


def _rate(text: str, errors: dict[str, str]) -> Decimal | None:
    try:
        return parse_decimal(text)
    except BadValue:
        errors['rate'] = _('Enter roubles per kWh as 5,62.')
        return None


def _refused(refused: RateRefused) -> dict[str, str]:
    """The broken rules by form field ('group', 'zone', 'rate'), as sentences in the page's language."""
    return {field: sentence(reason, get_language()) for field, reason in refused.problems.items()}


def _put(session: DbSession, entered: _RateInput, user: User, now: datetime) -> None:
    """Store the rate as the user's; the service checks the role and writes the audit record."""
    pricing.add_rate(
        session=session, user=user, tariff_group=entered.group, tariff_zones=entered.zones,
        zone=entered.zone, rub_per_kwh=entered.rate, valid_from=entered.valid_from, now=now,
    )  # fmt: skip


def _columns() -> list[dict[str, object]]:
    return [
        {'name': 'group', 'label': _('Tariff group'), 'field': 'group', 'align': 'left'},
        {'name': 'zones', 'label': _('Tariff'), 'field': 'zones', 'align': 'left'},
        {'name': 'zone', 'label': _('Zone'), 'field': 'zone', 'align': 'left'},
        {'name': 'rate', 'label': _('RUB per kWh'), 'field': 'rate', 'align': 'right'},
        {'name': 'from', 'label': _('Valid from'), 'field': 'from', 'align': 'right'},
    ]


def _row(r: TariffRate) -> dict[str, str]:
    names = {1: _('single-zone'), 2: _('two-zone'), 3: _('three-zone')}
    return {
        'key': f'{r.tariff_group}|{r.tariff_zones}|{r.zone}|{r.valid_from}',
        'group': r.tariff_group or _('(default)'),
        'zones': names.get(r.tariff_zones, str(r.tariff_zones)),
        'zone': f'T{r.zone}',
        'rate': _rate_text(Decimal(r.rub_per_kwh)),
        'from': f'{r.valid_from:%d.%m.%Y}',
    }


def _rate_text(value: Decimal) -> str:
    """Kopecks always, and the third and fourth decimals only when the rate has them (5,62 but 5,6234)."""
    decimals = 2 if value == value.quantize(Decimal('0.01')) else 4
    return fmt.number(value, decimals, fixed=True)
