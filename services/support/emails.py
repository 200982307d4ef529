"""Emails of the support desk, written to the outbox in the reader's language with local times.

To the resident on every reply of the desk and on closing, with a link to the conversation; to the support
address (KABINET_SUPPORT_EMAIL) on every new request, in the portal's language.
"""

from __future__ import annotations

import html
from datetime import datetime

from sqlmodel import Session

from models import EmailOutbox, SupportRequest, User
from services.alerts.preferences import SUPPORT_REPLY, wants
from services.core import fmt
from services.core.i18n import _, get_language, set_language
from services.core.settings import Settings


def announce_new(
    *, session: Session, settings: Settings, request: SupportRequest, resident: User, now: datetime
) -> None:
    """Tell the desk's address about a new request (nothing when KABINET_SUPPORT_EMAIL is empty)."""
    if not settings.support_email:
        return
    with _Language(settings.language):
        subject = _('New support request No. {id}').format(id=request.id)
        paragraphs = [
            _('{name} ({email}) wrote at {when}:').format(
                name=resident.full_name or resident.email, email=resident.email, when=fmt.moment(now, settings.tz)
            ),
            request.subject,
            _('Open the request: {url}'),
        ]
        _queue(
            session,
            settings,
            settings.support_email,
            subject,
            paragraphs,
            _link(settings, f'/operator/support/{request.id}'),
            now,
        )


def notify_reply(
    *, session: Session, settings: Settings, request: SupportRequest, resident: User, body: str, now: datetime
) -> None:
    """Tell the resident the desk replied (unless they switched that alert off, B5): the reply and the link."""
    if not wants(session=session, user_id=resident.id or 0, kind=SUPPORT_REPLY):
        return
    with _Language(resident.language):
        subject = _('Reply to your request No. {id}').format(id=request.id)
        paragraphs = [
            _('Hello!'),
            _('Support replied to your request «{subject}» at {when}:').format(
                subject=request.subject, when=fmt.moment(now, settings.tz)
            ),
            body,
            _('Open the conversation: {url}'),
        ]
        _queue(session, settings, resident.email, subject, paragraphs, _link(settings, f'/support/{request.id}'), now)


def notify_closed(
    *, session: Session, settings: Settings, request: SupportRequest, resident: User, now: datetime
) -> None:
    """Tell the resident the request is closed, with the resolution."""
    with _Language(resident.language):
        subject = _('Your request No. {id} is closed').format(id=request.id)
        paragraphs = [
            _('Hello!'),
            _('Your request «{subject}» was closed at {when}.').format(
                subject=request.subject, when=fmt.moment(now, settings.tz)
            ),
            _('Resolution: {text}').format(text=request.resolution),
            _('It is kept in the «Message archive» tab: {url}'),
        ]
        _queue(session, settings, resident.email, subject, paragraphs, _link(settings, f'/support/{request.id}'), now)


class _Language:
    """Messages in `language` inside the block, the caller's language again after it."""

    def __init__(self, language: str) -> None:
        self.language, self.previous = language, get_language()

    def __enter__(self) -> None:
        set_language(self.language)

    def __exit__(self, *args: object) -> None:
        set_language(self.previous)


def _link(settings: Settings, path: str) -> str:
    base = settings.base_url.rstrip('/') or f'http://{settings.host}:{settings.port}'
    return base + path


def _queue(
    session: Session, settings: Settings, to: str, subject: str, paragraphs: list[str], url: str, now: datetime
) -> None:
    """One outbox row: plain text and HTML (escaped, the link an anchor), signed with the utility's name."""
    utility = settings.utility_name
    texts = [p.replace('{url}', url) for p in [*paragraphs, _('Kind regards,') + '\n' + utility]]
    anchor = f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
    inner = ''.join(
        '<p>' + html.escape(p).replace('{url}', anchor).replace('\n', '<br>') + '</p>'
        for p in [*paragraphs, _('Kind regards,') + '\n' + utility]
    )
    body_html = (
        f'<!doctype html><html lang="{get_language()}"><body style="font-family:Arial,sans-serif;font-size:15px;'
        f'color:#222"><div style="background:#0b5cad;color:#fff;padding:12px 16px;font-weight:bold">'
        f'{html.escape(utility)}</div><div style="padding:8px 16px">{inner}</div></body></html>'
    )
    session.add(
        EmailOutbox(
            to_addr=to,
            subject=f'{subject} — {utility}',
            body_text='\n\n'.join(texts),
            body_html=body_html,
            created_at=now,
            next_attempt_at=now,
        )
    )
