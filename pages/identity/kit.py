"""What the identity pages share: links for emails, captcha challenges and address suggestions from services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pages.shell.context import PageContext
from services.core.settings import Settings
from services.identity import captcha, registration


def base_url(settings: Settings) -> str:
    """The portal's public address for links in emails (Settings.portal_url)."""
    return settings.portal_url()


def captcha_source(ctx: PageContext) -> Callable[[], Awaitable[tuple[str, bytes]]]:
    """New challenges for a CaptchaBox: (id, PNG), made off the event loop."""

    async def new() -> tuple[str, bytes]:
        now, secret = ctx.now(), ctx.settings.require_secret()
        challenge = await ctx.db(lambda session: captcha.new_challenge(session=session, now=now, secret=secret))
        return challenge.id, challenge.png

    return new


def address_source(ctx: PageContext) -> Callable[[str], Awaitable[list[str]]]:
    """Registry addresses matching what the resident types, for an AddressField."""

    async def suggest(text: str) -> list[str]:
        return await ctx.db(lambda session: registration.suggest_addresses(session=session, text=text))

    return suggest
