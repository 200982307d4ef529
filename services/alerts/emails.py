"""The alert emails (B5): in the resident's language, through the outbox, each with its unsubscribe link."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import User
from services.alerts.preferences import sign
from services.core.i18n import _, get_language
from services.core.settings import Settings
from services.mail.outbox import queue_letter


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
    url = settings.portal_url(link)
    stop = settings.portal_url(f'/alerts/unsubscribe?t={token}')
    texts = [*paragraphs, _('Open the portal: {url}'), _('Kind regards,') + '\n' + utility,
             _('Stop these emails with one click: {stop}')]  # fmt: skip
    queue_letter(
        session=session, to=user.email, subject=subject, paragraphs=texts, links={'url': url, 'stop': stop},
        utility=utility, language=get_language(), now=now,
    )  # fmt: skip
