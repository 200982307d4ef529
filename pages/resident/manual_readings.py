"""Manual readings (B7) on the Readings page and the meter card: the card of components.manual_reading, live."""

from __future__ import annotations

from nicegui import ui

from components.manual_reading import manual_card
from models import User
from pages.shell.context import PageContext
from services.core.db import DbSession
from services.core.errors import NotFound
from services.core.i18n import _
from services.readings import manual
from services.readings.manual import ManualState, ReadingsRefused, Refusal, WindowClosed


async def manual_block(ctx: PageContext, meter_id: int) -> None:
    """The card for one meter of the logged-in resident, refreshed after each submission."""
    holder = ui.column().classes('w-full gap-0')
    settings = ctx.settings

    def state_of(session: DbSession) -> ManualState:
        user = ctx.user
        return manual.manual_state(
            session=session, user=user, meter_id=meter_id, tz=settings.tz, days=settings.reading_days, now=ctx.now()
        )

    async def show() -> None:
        try:
            state = await ctx.db(state_of)
        except NotFound:
            return
        holder.clear()
        with holder:
            manual_card(state, on_submit=submit)

    async def submit(values: dict[int, str]) -> list[Refusal]:
        user = await ctx.fresh_user()
        if user is None:
            return []
        try:
            await ctx.db(lambda session: _submit(session, ctx, user, meter_id, values))
        except ReadingsRefused as refused:
            return refused.refusals
        except WindowClosed:
            ui.notify(_('The window for readings has closed.'), type='warning')
        except NotFound:
            ui.notify(_('Not found'), type='negative')
            return []
        else:
            ui.notify(_('Readings accepted. Thank you!'), type='positive')
        await show()
        return []

    await show()


def _submit(session: DbSession, ctx: PageContext, user: User, meter_id: int, values: dict[int, str]) -> None:
    settings = ctx.settings
    manual.submit(
        session=session, user=user, meter_id=meter_id, values=values, tz=settings.tz, days=settings.reading_days,
        now=ctx.now(),
    )  # fmt: skip
