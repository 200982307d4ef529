"""What the identity pages share: links for emails, captcha challenges and address suggestions from services."""

from __future__ import annotations

from fastapi import Request

from pages.shell import deps
from services.identity import captcha, registration


def base_url() -> str:
    """The portal's public address for links in emails: KABINET_BASE_URL, else where it listens.

    Never the request's Host header, which an attacker could point at their own site (link poisoning).
    """
    settings = deps.system().settings
    return settings.base_url.rstrip('/') or f'http://{settings.host}:{settings.port}'


def new_captcha() -> tuple[str, bytes]:
    with deps.db() as session:
        challenge = captcha.new_challenge(session=session, now=deps.system().now())
    return challenge.id, challenge.png


def suggest_addresses(text: str) -> list[str]:
    with deps.db() as session:
        return registration.suggest_addresses(session=session, text=text)


def user_agent(request: Request) -> str:
    return request.headers.get('user-agent', '')
