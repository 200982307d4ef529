"""Meter-data imports for operators (O2, O7): `/operator/imports` — upload files, the import log, data health.

Residents never see this page; every upload re-checks that the user is staff. Uploaded names are only shown,
never used as paths, and the size limit is checked on the server as well as in the browser.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from nicegui import events, ui
from nicegui.elements.upload_files import FileUpload

from models import User
from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.i18n import _, get_language, ngettext
from services.core.messages import Reason
from services.ingest import FileReport, health, import_files
from services.ingest.formats import ImportRejected

IMPORTS = Section('/operator/imports', 'Imports', 'upload_file', 90, staff_only=True)
MIB = 1024 * 1024
HEALTH_DAYS = (1, 3, 7, 30)
PHONE_CARDS = 'dense flat bordered :grid="window.innerWidth < 600"'  # a table row becomes a card on a phone


@dataclass
class _State:
    days: int = 3
    reports: list[FileReport] = field(default_factory=list)


def register(site: Site) -> None:
    @site.page('/operator/imports', access='staff', section=IMPORTS)
    async def imports_page(ctx: PageContext) -> None:
        state = _State()
        with await ctx.frame(_('Data import')):
            _upload_card(ctx, state, lambda: _import_log(ctx, log_box))
            log_box = ui.column().classes('w-full')
            await _import_log(ctx, log_box)
            await _health_card(ctx, state)


def _upload_card(ctx: PageContext, state: _State, imported: Callable[[], Awaitable[None]]) -> None:
    limit_mb = ctx.settings.upload_max_mb
    with ui.card().classes('w-full q-pa-md gap-2'):
        ui.label(_('Upload files')).classes('k-card-title')
        ui.label(
            _(
                'Registry CSV, OBIS meter-data CSV, XML 80020, Green Button XML or tariff CSV; up to {mb} MB each.'
            ).format(mb=limit_mb)
        ).classes('text-body2')
        progress = ui.linear_progress(value=0, show_value=False).props('instant-feedback').classes('w-full')
        progress.visible = False
        status = ui.label('').classes('text-caption').mark('import-status')

        async def on_files(event: events.MultiUploadEventArguments) -> None:
            staff = await ctx.fresh_user(staff=True)
            if staff is None:
                return
            progress.visible = True
            state.reports = []
            for number, upload in enumerate(event.files, start=1):
                status.set_text(
                    _('Importing file {n} of {total}: {name}').format(
                        n=number, total=len(event.files), name=upload.name
                    )
                )
                state.reports.append(await _import(ctx, upload, staff, limit_mb))
                progress.set_value(number / len(event.files))
                _show_reports(reports, state)
            status.set_text(_('Done.'))
            uploader.reset()
            await imported()

        uploader = ui.upload(
            multiple=True,
            auto_upload=True,
            on_multi_upload=on_files,
            max_file_size=limit_mb * MIB,
            label=_('Choose or drop files'),
        )
        uploader.props('accept=".csv,.xml,.txt" flat bordered').classes('w-full').mark('import-upload')
        reports = ui.column().classes('w-full gap-1 k-import-reports')


async def _import(ctx: PageContext, upload: FileUpload, user: User, limit_mb: int) -> FileReport:
    if upload.size() > limit_mb * MIB:  # the browser checks too, but a client can lie
        reason = Reason('file_too_large', mb=limit_mb)
        return FileReport(upload.name, 'rejected', error=ImportRejected(upload.name, reason))
    data = await upload.read()
    reports = await ctx.run(
        import_files, system=ctx.system, files=[(upload.name, data)], source='upload', user=user, now=ctx.now()
    )
    return reports[0]


def _show_reports(box: ui.column, state: _State) -> None:
    box.clear()
    box.mark('import-reports')
    with box:
        for report in state.reports:
            with ui.row().classes('w-full items-start no-wrap gap-2'):
                ui.icon('check_circle' if report.ok else 'error', color='positive' if report.ok else 'negative')
                with ui.column().classes('gap-0 min-w-0'):
                    ui.label(_file_text(report)).classes('text-body2').style('overflow-wrap: anywhere')
                    for notice in report.notices[:20]:
                        ui.label(notice.text(get_language())).classes('text-caption text-grey-8').style(
                            'overflow-wrap: anywhere'
                        )
                    if len(report.notices) > 20:
                        ui.label(_('… and {more}').format(more=_warnings(len(report.notices) - 20))).classes(
                            'text-caption'
                        )


def _file_text(report: FileReport) -> str:
    if report.error is not None:
        return report.error.localized(get_language())
    rows = ngettext('{file}: {n} record imported', '{file}: {n} records imported', report.rows)
    return rows.format(file=report.file, n=fmt.number(report.rows))


async def _import_log(ctx: PageContext, box: ui.column) -> None:
    tz, engine = ctx.tz, ctx.system.engine
    entries = await ctx.run(health.recent_imports, engine=engine, limit=50)
    box.clear()
    with box, ui.card().classes('w-full q-pa-md gap-2'):
        ui.label(_('Import log')).classes('k-card-title')
        if not entries:
            ui.label(_('Nothing has been imported yet.')).classes('text-body2')
            return
        columns = [
            {'name': 'at', 'label': _('Time'), 'field': 'at', 'align': 'left'},
            {'name': 'file', 'label': _('File'), 'field': 'file', 'align': 'left'},
            {'name': 'source', 'label': _('Source'), 'field': 'source', 'align': 'left'},
            {'name': 'status', 'label': _('Result'), 'field': 'status', 'align': 'left'},
            {'name': 'rows', 'label': _('Records'), 'field': 'rows', 'align': 'right'},
            {'name': 'message', 'label': _('Message'), 'field': 'message', 'align': 'left',
             'style': 'white-space: normal; min-width: 260px', 'headerStyle': 'min-width: 260px'},
        ]  # fmt: skip
        rows = [
            {
                'key': n,
                'at': fmt.moment(e.at, tz),
                'file': e.file,
                'source': _source_name(e.source),
                'status': _('imported') if e.status == 'imported' else _('rejected'),
                'rows': fmt.number(e.rows),
                'message': _log_message(e) + (f' ({_warnings(len(e.warnings.splitlines()))})' if e.warnings else ''),
            }
            for n, e in enumerate(entries)
        ]
        ui.table(columns=columns, rows=rows, row_key='key', pagination=10).props(PHONE_CARDS).classes('w-full').mark(
            'import-log'
        )


def _log_message(entry: health.LogEntry) -> str:
    if entry.status == 'imported':
        return ngettext('{n} record imported', '{n} records imported', entry.rows).format(n=fmt.number(entry.rows))
    return entry.message_in(get_language())


def _warnings(n: int) -> str:
    return ngettext('{n} warning', '{n} warnings', n).format(n=n)


def _source_name(source: str) -> str:
    names = {
        'cli': _('command line'),
        'inbox': _('inbox folder'),
        'api': _('API'),
        'upload': _('upload page'),
        'demo': _('demo data'),
    }
    return names.get(source, source)


async def _health_card(ctx: PageContext, state: _State) -> None:
    with ui.card().classes('w-full q-pa-md gap-2'):
        ui.label(_('Data health')).classes('k-card-title')
        options = {n: ngettext('{n} day', '{n} days', n).format(n=n) for n in HEALTH_DAYS}

        async def choose(event: events.ValueChangeEventArguments) -> None:
            state.days = int(event.value)
            await _silent(ctx, state, box)

        ui.select(options, value=state.days, label=_('Meters silent for at least'), on_change=choose).classes(
            'w-64'
        ).mark('health-days')
        box = ui.column().classes('w-full gap-2')
        await _silent(ctx, state, box)


async def _silent(ctx: PageContext, state: _State, box: ui.column) -> None:
    tz, now = ctx.tz, ctx.now()
    meters = await ctx.run(
        health.silent_meters, engine=ctx.system.engine, days=state.days, now=now, today=now.astimezone(tz).date()
    )
    box.clear()
    with box:
        _silent_table(meters, tz)


def _silent_table(meters: list[health.SilentMeter], tz: ZoneInfo) -> None:
    if not meters:
        ui.label(_('Every installed meter has sent data in this time.')).classes('text-body2').mark('health-empty')
        return
    ui.label(ngettext('{n} meter', '{n} meters', len(meters)).format(n=len(meters))).classes('text-body2')
    columns = [
        {'name': 'serial', 'label': _('Meter'), 'field': 'serial', 'align': 'left'},
        {'name': 'account', 'label': _('Account'), 'field': 'account', 'align': 'left'},
        {'name': 'address', 'label': _('Address'), 'field': 'address', 'align': 'left', 'style': 'white-space: normal'},
        {'name': 'last', 'label': _('Last data'), 'field': 'last', 'align': 'left'},
    ]
    rows = [
        {
            'serial': m.serial,
            'account': m.account_number,
            'address': m.address,
            'last': fmt.moment(m.last_data, tz) if m.last_data else _('never'),
        }
        for m in meters
    ]
    ui.table(columns=columns, rows=rows, row_key='serial', pagination=10).props(PHONE_CARDS).classes('w-full').mark(
        'health'
    )
