"""Notices for the resident's addresses (B12) on the main page and in Information."""

from __future__ import annotations

from components.notices import notice_cards
from pages.shell.context import PageContext
from services.content import notices


async def notices_block(ctx: PageContext) -> None:
    """The notices in force for the logged-in resident's addresses (nothing for visitors and staff)."""
    user = ctx.viewer
    if user is None or user.is_staff:
        return
    now = ctx.now()
    found = await ctx.db(lambda session: notices.notices_for(session=session, user=user, now=now))
    notice_cards(found, ctx.tz)
