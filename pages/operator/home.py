"""The operator's home page (SPEC O9): `/operator`, where staff land after login; each figure opens its page."""

from __future__ import annotations

from components import tiles
from pages.operator import kit
from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.i18n import _, ngettext
from services.operator import home
from services.operator.home import Figures

OPERATOR_HOME = Section('/operator', 'Console', 'dashboard', 80, staff_only=True)
SUPPORT = '/operator/support'


def register(site: Site) -> None:
    @site.page('/operator', access='staff', section=OPERATOR_HOME)
    async def operator_home(ctx: PageContext) -> None:
        actor, now, today, tz, support = ctx.user, ctx.now(), ctx.today(), ctx.tz, ctx.has_route(SUPPORT)
        data = await ctx.db(
            lambda session: home.figures(
                session=session, actor=actor, now=now, today=today, tz=tz, with_support=support
            )
        )
        with await ctx.frame(_('Operator console')), tiles.grid():
            _imports(data)
            _silent(data)
            _registrations(data)
            _logins(data)
            if data.open_requests is not None:
                _support(data, ctx)


def _imports(data: Figures) -> None:
    accent = 'warning' if data.rejected_today else 'ok'
    with tiles.tile(
        _('Imports today'), 'upload_file', target='/operator/imports', mark='tile-imports', accent=accent
    ) as tile:
        tile.figure(
            ngettext('{n} file imported', '{n} files imported', data.imported_today).format(n=data.imported_today)
        )
        text = ngettext('{n} rejected', '{n} rejected', data.rejected_today).format(n=data.rejected_today)
        tile.line(text, 'text-body2' + (' text-negative' if data.rejected_today else ' text-grey-7'))


def _silent(data: Figures) -> None:
    n = data.silent_meters
    with tiles.tile(_('Silent meters'), 'signal_cellular_off', target='/operator/imports', mark='tile-silent',
                    accent='warning' if n else 'ok') as tile:  # fmt: skip
        tile.figure(ngettext('{n} meter', '{n} meters', n).format(n=n))
        silent = ngettext('no data for {d} day', 'no data for {d} days', data.silent_days).format(d=data.silent_days)
        tile.line(silent, 'text-body2 text-grey-7')


def _registrations(data: Figures) -> None:
    n = data.registrations_week
    target = kit.url('/operator/audit', {'action': 'registered'})
    with tiles.tile(_('Registrations'), 'person_add', target=target, mark='tile-registrations') as tile:
        tile.figure(ngettext('{n} new resident', '{n} new residents', n).format(n=n))
        tile.line(_('in the last 7 days'), 'text-body2 text-grey-7')


def _logins(data: Figures) -> None:
    n = data.burst_addresses
    target = kit.url('/operator/audit', {'action': 'login_failed'})
    with tiles.tile(
        _('Failed logins'), 'gpp_maybe', target=target, mark='tile-logins', accent='critical' if n else 'ok'
    ) as tile:
        tile.figure(ngettext('{n} burst', '{n} bursts', n).format(n=n), colour='critical' if n else '')
        failed = data.failed_logins_day
        logins = ngettext('{n} failed login in 24 hours', '{n} failed logins in 24 hours', failed).format(n=failed)
        tile.line(logins, 'text-body2 text-grey-7')


def _support(data: Figures, ctx: PageContext) -> None:
    n = data.open_requests or 0
    with tiles.tile(
        _('Support'), 'support_agent', target=SUPPORT, mark='tile-support', accent='warning' if n else 'ok'
    ) as tile:
        tile.figure(ngettext('{n} open request', '{n} open requests', n).format(n=n))
        if data.oldest_open is not None:
            age = fmt.duration(max(0, int((ctx.now() - data.oldest_open).total_seconds())))
            tile.line(_('the oldest has waited {age}').format(age=age), 'text-body2 text-grey-7')
