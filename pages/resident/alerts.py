"""Email alerts (B5): the resident's switches in Settings, and the one-click unsubscribe page of every alert email.

`/alerts/unsubscribe?t=TOKEN` is public: the signed token names the resident and the alert, so a click in the
email switches it off without logging in.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

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
    preferences.HIGH_USAGE: 'High usage: the billing period is heading over your threshold',
    preferences.MONTHLY_SUMMARY: 'A summary of each closed billing period',
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

    def load(session: DbSession) -> tuple[list[Choice], tuple[int | None, Decimal | None]]:
        return preferences.choices(session=session, user=user), preferences.thresholds(
            session=session, user_id=user.id or 0
        )

    found, limits = await ctx.db(load)
    with ui.card().classes('w-full max-w-2xl').mark('alert-settings'):
        ui.label(_('Email alerts')).classes('k-card-title')
        ui.label(_('We write to {email} when something needs your attention.').format(email=user.email)).classes(
            'text-body2 text-grey-8'
        )
        for choice in found:
            _switch(ctx, choice)
            if choice.kind == preferences.HIGH_USAGE and choice.meter_id == preferences.ALL_METERS:
                _thresholds(ctx, *limits)


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


def _thresholds(ctx: PageContext, kwh: int | None, rub: Decimal | None) -> None:
    with ui.row().classes('q-ml-lg items-start gap-2'):
        energy = (
            ui.input(_('Forecast above, kWh'), value=str(kwh) if kwh else '')
            .props('outlined dense inputmode=numeric')
            .classes('w-40')
            .mark('threshold-kwh')
        )
        money = (
            ui.input(_('or above, ₽'), value=str(rub) if rub else '')
            .props('outlined dense inputmode=decimal')
            .classes('w-40')
            .mark('threshold-rub')
        )

        async def save() -> None:
            user = await ctx.fresh_user()
            if user is None:
                return
            energy.error = money.error = None
            kwh_value, rub_value = _number(energy.value), _number(money.value)
            if kwh_value is False or rub_value is False:
                (energy if kwh_value is False else money).error = _('Enter a number above zero, or leave it empty.')
                return
            now = ctx.now()
            kwh_int = int(kwh_value) if isinstance(kwh_value, Decimal) else None
            rub_dec = rub_value if isinstance(rub_value, Decimal) else None
            await ctx.db(lambda session: preferences.set_thresholds(session=session, user=user, kwh=kwh_int,
                                                                    rub=rub_dec, now=now))  # fmt: skip
            ui.notify(_('Saved'), type='positive')

        ui.button(_('Save'), on_click=save).props('flat no-caps').mark('threshold-save')


def _number(text: str | None) -> Decimal | bool | None:
    """The typed positive number, None for an empty field, False for anything else."""
    cleaned = (text or '').replace(' ', '').replace(',', '.')
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return False
    return value if value.is_finite() and value > 0 else False
