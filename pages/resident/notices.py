"""Notices for the resident's addresses (B12) on the main page and in Information."""

from __future__ import annotations

from components.notices import notice_cards
from models import Notice
from pages.shell.context import PageContext
from services.content import notices
from services.core.db import DbSession


async def notices_block(ctx: PageContext) -> None:
    """The notices in force for the logged-in resident's addresses (nothing for visitors and staff)."""
    found = await ctx.db(lambda session: notices_of(session, ctx))
    notice_cards(found, ctx.tz)


def notices_of(session: DbSession, ctx: PageContext) -> list[Notice]:
    """What `notices_block` shows, for a page that loads all its figures in one transaction."""
    user = ctx.viewer
    if user is None or user.is_staff:
        return []
    return notices.notices_for(session=session, user=user, now=ctx.now())
