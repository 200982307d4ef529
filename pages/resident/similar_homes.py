"""The comparison with similar homes (B11) on the main page and in Readings: read from the job's table."""

from __future__ import annotations

from components.similar_homes import comparison_cards
from pages.shell.context import PageContext
from services.metering import similar_homes


async def comparison_block(ctx: PageContext) -> None:
    """A card per account of the resident that the last job run compared (nothing for groups under 20 homes)."""
    user = ctx.user
    found = await ctx.db(lambda session: similar_homes.comparisons_of(session=session, user=user))
    comparison_cards(found)
