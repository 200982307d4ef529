"""Email alerts (B5): the resident's switches in Settings, and the one-click unsubscribe page of every alert email.

`/alerts/unsubscribe?t=TOKEN` is public: the signed token names the resident and the alert, so a click in the
email switches it off without logging in.
"""

from __future__ import annotations

from datetime import datetime

from nicegui import ui

from models import User
from pages.shell.context import PageContext, Site
from services.alerts import preferences
from services.alerts.preferences import Choice
from services.core.db import DbSession
from services.core.errors import NotFound
from services.core.i18n import _

TITLES = {  # what each kind of alert is, as the settings list it
    preferences.CRITICAL_EVENTS: 'Critical meter events (tamper, cover open, magnetic field, self-test errors)',
    preferences.VERIFICATION: 'Meter verification due in 60, 30 and 7 days, and overdue',
    preferences.SUPPORT_REPLY: 'Replies of the support desk',
    preferences.NOTICES: 'Notices of the utility for your address (planned works, outages, tariffs)',
}


def register(site: Site) -> None:
    @site.page('/alerts/unsubscribe', access='public')
    async def unsubscribe_page(ctx: PageContext, t: str = '') -> None:
        secret, now = ctx.settings.require_secret(), ctx.now()

        def work(session: DbSession) -> str | None:
            try:
                return preferences.unsubscribe(session=session, secret=secret, token=t, now=now)[1]
            except NotFound:
                return None

        kind = await ctx.db(work)
        with await ctx.frame(_('Email alerts')), ui.card().classes('w-full max-w-lg self-center q-pa-md gap-2'):
            if kind is None:
                ui.label(_('This link is not valid. Change your alerts in Settings.')).mark('unsubscribe-invalid')
            else:
                ui.label(_('You will no longer get these emails:')).mark('unsubscribed')
                ui.label(_(TITLES[kind])).classes('text-weight-medium')
                ui.label(_('You can switch them on again in Settings.')).classes('text-body2 text-grey-8')
            ui.link(_('Settings'), '/settings')


async def alert_settings(ctx: PageContext, user: User) -> None:
    """The «Уведомления по почте» card of Settings: a switch per alert, and per meter where it applies."""
    found = await ctx.db(lambda session: preferences.choices(session=session, user=user))
    with ui.card().classes('w-full max-w-2xl').mark('alert-settings'):
        ui.label(_('Email alerts')).classes('k-card-title')
        ui.label(_('We write to {email} when something needs your attention.').format(email=user.email)).classes(
            'text-body2 text-grey-8'
        )
        for choice in found:
            _switch(ctx, choice)


def _switch(ctx: PageContext, choice: Choice) -> None:
    text = _(TITLES[choice.kind]) if not choice.meter_id else choice.label
    classes = 'q-ml-lg text-body2' if choice.meter_id else ''

    async def flip(event: object) -> None:
        user = await ctx.fresh_user()
        if user is None:
            return
        enabled, now = bool(getattr(event, 'value', False)), ctx.now()
        try:
            await ctx.db(lambda session: _choose(session, user, choice, enabled=enabled, now=now))
        except NotFound:
            ui.notify(_('Not found'), type='negative')
            return
        ui.notify(_('Saved'), type='positive')

    mark = f'alert-{choice.kind}-{choice.meter_id}'
    ui.switch(text, value=choice.enabled, on_change=flip).classes(classes).mark(mark)


def _choose(session: DbSession, user: User, choice: Choice, *, enabled: bool, now: datetime) -> None:
    preferences.choose(session=session, user=user, kind=choice.kind, meter_id=choice.meter_id, enabled=enabled, now=now)
