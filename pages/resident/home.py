"""The main page (SPEC S5): `/`, a tile per section with its key figures; each tile opens its section."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import APIRouter, ui

from components import fmt, tiles
from components.meter_card import verification_chip
from models import User
from pages.shell import deps
from pages.shell.deps import Section
from pages.shell.layout import page
from services.core.i18n import _, ngettext
from services.residents import dashboard, diagnostics

router = APIRouter()
SECTIONS = [Section('/', 'Home', 'home', 0)]


@router.page('/')
def home(request: Request) -> RedirectResponse | None:
    user = deps.user_from_request(request)
    if user is None:  # the middleware redirects; this guards in-app navigation too
        return RedirectResponse('/login', status_code=303)
    system = deps.system()
    tz = system.settings.tz
    now = system.now()
    with page(_('Main page'), user, active='/'), tiles.grid():
        if deps.has_route('/subscriber'):
            _subscriber_tile(user, now, tz)
        _readings_tile(user, now, tz)  # the figures come from the roll-ups even before /readings exists
        if deps.has_route('/diagnostics'):
            _diagnostics_tile(user, tz)
        if deps.has_route('/support'):
            _support_tile(user)
    return None


def _subscriber_tile(user: User, now: datetime, tz: ZoneInfo) -> None:
    with deps.db() as session:
        info = dashboard.subscriber_tile(session=session, user=user, today=now.astimezone(tz).date())
    accent = info.nearest[1].state if info.nearest else ''
    with tiles.tile(_('Subscriber'), 'person', target='/subscriber', mark='tile-subscriber', accent=accent):
        tiles.figure(ngettext('{n} account', '{n} accounts', info.accounts).format(n=info.accounts))
        ui.label(ngettext('{n} meter', '{n} meters', info.meters).format(n=info.meters)).mark('tile-meters')
        if info.nearest is not None:
            meter, check = info.nearest
            ui.label(_('Next verification: {date}').format(date=fmt.day(check.next_due))).classes('text-body2')
            ui.label(meter.name).classes('text-body2 text-grey-7 ellipsis')
            verification_chip(check)


def _readings_tile(user: User, now: datetime, tz: ZoneInfo) -> None:
    settings = deps.system().settings
    with deps.db() as session:
        meters = dashboard.readings_tile(
            session=session, user=user, now=now, tz=tz, default_reading_day=settings.reading_day
        )
    with tiles.tile(_('Readings'), 'bar_chart', target='/readings', mark='tile-readings'):
        if not meters:
            ui.label(_('No meters yet.')).classes('text-grey-7')
            return
        ui.label(_('This billing period so far')).classes('text-body2 text-grey-7')
        for item in meters:
            with ui.column().classes('gap-0 w-full').mark(f'tile-period-{item.meter.serial}'):
                ui.label(item.meter.name).classes('text-body2 text-weight-medium ellipsis')
                with ui.row().classes('items-baseline gap-2'):
                    ui.label(tiles.energy_and_cost(item.wh, item.cost)).classes('text-h6').mark('tile-amount')
                    if item.change_percent is not None:
                        _change(item.change_percent)
                ui.label(_('since {date}').format(date=fmt.day(item.first_day))).classes('text-caption text-grey-7')


def _change(percent: float) -> None:
    percent = round(percent)
    arrow = '▲' if percent > 0 else '▼' if percent < 0 else '≈'
    colour = 'text-negative' if percent > 0 else 'text-positive' if percent < 0 else 'text-grey-7'
    text = _('{arrow} {value}% vs last year').format(arrow=arrow, value=fmt.number(abs(percent), 0))
    ui.label(text).classes(f'text-body2 {colour}').mark('tile-change')


def _diagnostics_tile(user: User, tz: ZoneInfo) -> None:
    with deps.db() as session:
        news = dashboard.diagnostics_tile(session=session, user=user)
    with tiles.tile(
        _('Diagnostics'), 'troubleshoot', target='/diagnostics', mark='tile-diagnostics', accent=news.severity
    ):
        if not news.count:
            tiles.figure(_('No new events'), colour='ok')
            return
        count = ngettext('{n} new event', '{n} new events', news.count).format(n=news.count)
        tiles.figure(count, colour=news.severity).mark('tile-new-events')
        if news.latest is not None:
            ui.label(_('Latest:')).classes('text-body2 text-grey-7')
            ui.label(diagnostics.event_text(news.latest.journal, news.latest.code)).classes('text-body2')
            ui.label(fmt.moment(news.latest.at, tz)).classes('text-caption text-grey-7')


def _support_tile(user: User) -> None:
    with deps.db() as session:
        info = dashboard.support_tile(session=session, user=user)
    with tiles.tile(_('Support'), 'support_agent', target='/support', mark='tile-support'):
        tiles.figure(ngettext('{n} open request', '{n} open requests', info.open_requests).format(n=info.open_requests))
        if info.new_replies:
            ui.label(ngettext('{n} new reply', '{n} new replies', info.new_replies).format(n=info.new_replies)).classes(
                'text-body2 text-weight-medium'
            )
        else:
            ui.label(_('No new replies')).classes('text-body2 text-grey-7')
