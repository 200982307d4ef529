"""«See as the resident» (SPEC O6): `/operator/users/{id}/as` and `/operator/users/{id}/as/meters/{meter_id}`.

Read-only: the resident's accounts, a meter's card, this month's consumption and events, as the resident sees
them, under a banner that says whose eyes these are. The data comes from the resident services with the resident
as subject (services.operator.view_as checks the role and audits each view); nothing here can change anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import ui

from components import meter_card
from components.consumption_chart import consumption_chart
from components.consumption_summary import consumption_summary
from components.events import event_list
from pages.operator import kit
from pages.shell.context import PageContext, Site
from services.core import fmt
from services.core.db import DbSession
from services.core.errors import NotFound
from services.core.i18n import _, ngettext
from services.metering import consumption
from services.metering.consumption import ChartData
from services.operator import view_as
from services.residents import diagnostics, subscriber
from services.residents.diagnostics import Entry
from services.residents.subscriber import AccountSummary, MeterCard


@dataclass(frozen=True)
class _MeterView:
    name: str
    card: MeterCard
    chart: ChartData
    events: list[Entry]


def register(site: Site) -> None:
    @site.page('/operator/users/{user_id}/as', access='staff')
    async def accounts_as(ctx: PageContext, user_id: int) -> None:
        actor, ip, now = ctx.user, ctx.client_ip, ctx.now()

        def load(session: DbSession) -> tuple[str, list[AccountSummary]]:
            subject = view_as.subject(session=session, actor=actor, user_id=user_id, what='accounts', ip=ip, now=now)
            return subject.full_name or subject.email, subscriber.account_list(session=session, user=subject)

        try:
            name, accounts = await ctx.db(load)
        except NotFound:
            await kit.not_found(ctx, '/operator/users', _('Back to the users'))
            return
        with await ctx.frame(_('Subscriber'), active='/operator/users'):
            _banner(name, user_id)
            if not accounts:
                ui.label(_('No personal accounts are linked to your profile yet.')).mark('no-accounts')
            for account in accounts:
                _account(account, user_id)

    @site.page('/operator/users/{user_id}/as/meters/{meter_id}', access='staff')
    async def meter_as(ctx: PageContext, user_id: int, meter_id: int) -> None:
        try:
            view = await ctx.db(lambda session: _load_meter(session, ctx, user_id, meter_id))
        except NotFound:
            await kit.not_found(ctx, f'/operator/users/{user_id}/as', _('Back'))
            return
        with await ctx.frame(view.card.view.name, active='/operator/users'):
            _banner(view.name, user_id)
            kit.back_button(f'/operator/users/{user_id}/as', _('All accounts'))
            _meter(ctx, view)


def _load_meter(session: DbSession, ctx: PageContext, user_id: int, meter_id: int) -> _MeterView:
    actor, ip, now, today, tz = ctx.user, ctx.client_ip, ctx.now(), ctx.today(), ctx.tz
    subject = view_as.subject(session=session, actor=actor, user_id=user_id, what=f'meter:{meter_id}', ip=ip, now=now)
    card = subscriber.meter_card(session=session, user=subject, meter_id=meter_id, today=today)
    chart = consumption.chart(
        session=session, user=subject, query=consumption.opening_query(meter_id=meter_id, today=today), tz=tz,
        default_reading_day=ctx.settings.reading_day, now=now,
    )  # fmt: skip
    month = diagnostics.month_of(now, tz)
    events = [
        e for e in diagnostics.events(session=session, user=subject, month=month, tz=tz) if e.meter_id == meter_id
    ]
    return _MeterView(subject.full_name or subject.email, card, chart, events)


def _banner(name: str, user_id: int) -> None:
    with (
        ui.row()
        .classes('w-full items-center gap-2 q-pa-sm rounded-borders no-wrap')
        .style('background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a')
        .mark('view-as-banner')
    ):
        ui.icon('visibility', size='sm')
        ui.label(
            _('You are seeing what {name} sees. Read only: nothing can be changed here.').format(name=name)
        ).classes('grow text-body2 text-weight-medium')
        ui.button(_('Card'), icon='close', on_click=lambda: ui.navigate.to(f'/operator/users/{user_id}')).props(
            'flat dense no-caps'
        ).mark('leave-view-as')


def _account(account: AccountSummary, user_id: int) -> None:
    with ui.card().classes('w-full').mark(f'account-{account.number}'):
        ui.label(_('Account {number}').format(number=account.number)).classes('k-card-title')
        meter_card.fields([(_('Address'), account.address), (_('Holder'), account.holder_name or '—')], columns=1)
        count = len(account.active_meters)
        ui.label(ngettext('{n} meter installed', '{n} meters installed', count).format(n=count)).classes(
            'text-grey-7 text-body2'
        )
        for meter in account.meters:
            with ui.row().classes('w-full items-center justify-between no-wrap'):
                with ui.column().classes('gap-0 min-w-0'):
                    ui.label(meter.name).classes('text-weight-medium ellipsis')
                    if meter.removed_on:
                        ui.label(_('removed on {date}').format(date=fmt.day(meter.removed_on))).classes(
                            'text-body2 text-grey-7'
                        )
                ui.button(
                    _('Open'), on_click=lambda m=meter.id: ui.navigate.to(f'/operator/users/{user_id}/as/meters/{m}')
                ).props('flat no-caps no-wrap icon-right=chevron_right').classes('shrink-0').mark(
                    f'open-meter-{meter.serial}'
                )


def _meter(ctx: PageContext, view: _MeterView) -> None:
    card, tz = view.card, ctx.tz
    with ui.card().classes('w-full'):
        ui.label(_('Meter')).classes('k-card-title')
        meter_card.details(card)
    with ui.card().classes('w-full').mark('verification'):
        ui.label(_('Verification')).classes('k-card-title')
        meter_card.verification(card.verification)
    with ui.card().classes('w-full').mark('load'):
        ui.label(_('Load state')).classes('k-card-title')
        meter_card.load_state(card.load, tz)
    with ui.card().classes('w-full').mark('readings'):
        ui.label(_('Readings: {period}').format(period=view.chart.title)).classes('k-card-title')
        consumption_chart(view.chart, on_bar=lambda _index: None)  # read only: no drilling down either
        consumption_summary(view.chart)
    with ui.card().classes('w-full').mark('events'):
        ui.label(_('Events this month')).classes('k-card-title')
        if view.events:
            event_list(view.events, tz)
        else:
            ui.label(_('No events this month.')).classes('text-grey-7')
    with ui.card().classes('w-full').mark('replacements'):
        ui.label(_('Replacement history')).classes('k-card-title')
        meter_card.replacements(card.replacements, tz)
