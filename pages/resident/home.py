"""The main page (SPEC S5): `/`, a tile per section with its key figures; each tile opens its section."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from fastapi.responses import RedirectResponse

from components import static_html, tiles
from components.meter_card import verification_look
from components.notices import notice_cards
from components.similar_homes import comparison_cards
from models import Notice
from pages.resident.notices import notices_of
from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.db import DbSession
from services.core.i18n import _, ngettext
from services.metering import similar_homes
from services.metering.similar_homes import Comparison
from services.residents import badges, dashboard, diagnostics

HOME = Section('/', 'Home', 'home', 0)


@dataclass(frozen=True)
class _Tiles:
    subscriber: dashboard.SubscriberTile | None
    readings: list[dashboard.MeterPeriod]
    diagnostics: badges.NewEvents | None
    support: dashboard.SupportTile | None
    notices: list[Notice]
    comparisons: list[Comparison]
    menu: badges.Counter  # the menu's figures, counted in the same transaction


def register(site: Site) -> None:
    @site.page('/', section=HOME)
    async def home(ctx: PageContext) -> RedirectResponse | None:
        if ctx.user.is_staff and ctx.has_route('/operator'):
            return RedirectResponse('/operator', status_code=303)  # staff land on the operator's console
        with await ctx.frame(_('Main page'), own_badges=True), tiles.grid():
            if not await ctx.connected():  # the frame goes out at once; the tiles follow over the connection
                return None
            tiles_data = await ctx.db(lambda session: _load(session, ctx))  # every figure in one transaction
            ctx.show_badges(tiles_data.menu)
            notice_cards(tiles_data.notices, ctx.tz)  # B12: the utility's notices for the resident's addresses
            if tiles_data.subscriber is not None:
                _subscriber_tile(tiles_data.subscriber)
            _readings_tile(tiles_data.readings)  # the figures come from the roll-ups even before /readings exists
            if tiles_data.diagnostics is not None:
                _diagnostics_tile(tiles_data.diagnostics, ctx.tz)
            if tiles_data.support is not None:
                _support_tile(tiles_data.support)
            comparison_cards(tiles_data.comparisons)  # B11: the last billing period against similar homes
        return None


def _load(session: DbSession, ctx: PageContext) -> _Tiles:
    """Every tile's figures in one transaction (sections not built yet have no tile)."""
    user, settings, now = ctx.user, ctx.settings, ctx.now()
    return _Tiles(
        subscriber=dashboard.subscriber_tile(session=session, user=user, today=ctx.today())
        if ctx.has_route('/subscriber')
        else None,
        readings=dashboard.readings_tile(
            session=session, user=user, now=now, tz=settings.tz, default_reading_day=settings.reading_day
        ),
        diagnostics=dashboard.diagnostics_tile(session=session, user=user) if ctx.has_route('/diagnostics') else None,
        support=dashboard.support_tile(session=session, user=user) if ctx.has_route('/support') else None,
        notices=notices_of(session, ctx),
        comparisons=similar_homes.comparisons_of(session=session, user=user),
        menu=ctx.count_badges(session),
    )


def _subscriber_tile(info: dashboard.SubscriberTile) -> None:
    accent = info.nearest[1].state if info.nearest else ''
    with tiles.tile(_('Subscriber'), 'person', target='/subscriber', mark='tile-subscriber', accent=accent) as tile:
        tile.figure(ngettext('{n} account', '{n} accounts', info.accounts).format(n=info.accounts))
        tile.line(ngettext('{n} meter', '{n} meters', info.meters).format(n=info.meters), mark='tile-meters')
        if info.nearest is not None:
            meter, check = info.nearest
            tile.line(_('Next verification: {date}').format(date=fmt.day(check.next_due)), 'text-body2')
            tile.line(meter.name, 'text-body2 text-grey-7 ellipsis')
            text, colour, outline = verification_look(check)
            tile.add(static_html.badge(text, colour, outline=outline, mark=f'verification-{check.state}'))


def _readings_tile(meters: list[dashboard.MeterPeriod]) -> None:
    with tiles.tile(_('Readings'), 'bar_chart', target='/readings', mark='tile-readings') as tile:
        if not meters:
            tile.line(_('No meters yet.'), 'text-grey-7')
            return
        tile.line(_('This billing period so far'), 'text-body2 text-grey-7')
        for item in meters:
            amount = static_html.line(tiles.energy_and_cost(item.wh, item.cost), 'text-h6', mark='tile-amount')
            change = '' if item.change_percent is None else _change(item.change_percent)
            period = (
                static_html.line(item.meter.name, 'text-body2 text-weight-medium ellipsis')
                + static_html.row(amount + change, 'items-baseline gap-2')
                + static_html.line(_('since {date}').format(date=fmt.day(item.first_day)), 'text-caption text-grey-7')
            )
            tile.add(static_html.column(period, 'gap-0 w-full', mark=f'tile-period-{item.meter.serial}'))


def _change(percent: float) -> str:
    percent = round(percent)
    arrow = '▲' if percent > 0 else '▼' if percent < 0 else '≈'
    colour = 'text-negative' if percent > 0 else 'text-positive' if percent < 0 else 'text-grey-7'
    text = _('{arrow} {value}% vs last year').format(arrow=arrow, value=fmt.number(abs(percent), 0))
    return static_html.line(text, f'text-body2 {colour}', mark='tile-change')


def _diagnostics_tile(news: badges.NewEvents, tz: ZoneInfo) -> None:
    with tiles.tile(
        _('Diagnostics'), 'troubleshoot', target='/diagnostics', mark='tile-diagnostics', accent=news.severity
    ) as tile:
        if not news.count:
            tile.figure(_('No new events'), colour='ok')
            return
        count = ngettext('{n} new event', '{n} new events', news.count).format(n=news.count)
        tile.figure(count, colour=news.severity, mark='tile-new-events')
        if news.latest is not None:
            tile.line(_('Latest:'), 'text-body2 text-grey-7')
            tile.line(diagnostics.event_text(news.latest.journal, news.latest.code), 'text-body2')
            tile.line(fmt.moment(news.latest.at, tz), 'text-caption text-grey-7')


def _support_tile(info: dashboard.SupportTile) -> None:
    with tiles.tile(_('Support'), 'support_agent', target='/support', mark='tile-support') as tile:
        tile.figure(ngettext('{n} open request', '{n} open requests', info.open_requests).format(n=info.open_requests))
        if info.new_replies:
            replies = ngettext('{n} new reply', '{n} new replies', info.new_replies).format(n=info.new_replies)
            tile.line(replies, 'text-body2 text-weight-medium')
        else:
            tile.line(_('No new replies'), 'text-body2 text-grey-7')
        if info.latest_subject:
            tile.line(_('Latest request:'), 'text-body2 text-grey-7')
            tile.line(info.latest_subject, 'text-body2 ellipsis', style='max-width: 100%')
            tile.line(info.latest_status, 'text-caption text-grey-7')
