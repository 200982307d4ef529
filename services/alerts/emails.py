"""The alert emails (B5): in the resident's language, through the outbox, each with its unsubscribe link."""

from __future__ import annotations

import html
from datetime import datetime

from sqlmodel import Session

from models import EmailOutbox, User
from services.alerts.preferences import sign
from services.core.i18n import _, get_language, set_language
from services.core.settings import Settings


def queue_alert(
    *,
    session: Session,
    settings: Settings,
    user: User,
    kind: str,
    meter_id: int,
    subject: str,
    paragraphs: list[str],
    link: str,
    now: datetime,
) -> None:
    """One outbox row to `user`; `link` is a portal path; the unsubscribe link switches off `kind` (for the meter)."""
    utility = settings.utility_name
    token = sign(settings.require_secret(), user.id or 0, kind, meter_id)
    url = portal_url(settings, link)
    stop = portal_url(settings, f'/alerts/unsubscribe?t={token}')
    texts = [*paragraphs, _('Open the portal: {url}'), _('Kind regards,') + '\n' + utility,
             _('Stop these emails with one click: {stop}')]  # fmt: skip
    body_text = '\n\n'.join(t.replace('{url}', url).replace('{stop}', stop) for t in texts)
    inner = ''.join(
        '<p>'
        + html.escape(t).replace('{url}', _anchor(url)).replace('{stop}', _anchor(stop)).replace('\n', '<br>')
        + '</p>'
        for t in texts
    )
    body_html = (
        f'<!doctype html><html lang="{get_language()}"><body style="font-family:Arial,sans-serif;font-size:15px;'
        f'color:#222"><div style="background:#0b5cad;color:#fff;padding:12px 16px;font-weight:bold">'
        f'{html.escape(utility)}</div><div style="padding:8px 16px">{inner}</div></body></html>'
    )
    session.add(
        EmailOutbox(
            to_addr=user.email,
            subject=f'{subject} — {utility}',
            body_text=body_text,
            body_html=body_html,
            created_at=now,
            next_attempt_at=now,
        )
    )


def portal_url(settings: Settings, path: str) -> str:
    base = settings.base_url.rstrip('/') or f'http://{settings.host}:{settings.port}'
    return base + path


class InLanguage:
    """Messages in `language` inside the block, the caller's language again after it."""

    def __init__(self, language: str) -> None:
        self.language, self.previous = language, get_language()

    def __enter__(self) -> None:
        set_language(self.language)

    def __exit__(self, *args: object) -> None:
        set_language(self.previous)


def _anchor(url: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
