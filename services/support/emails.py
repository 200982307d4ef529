"""Emails of the support desk, written to the outbox in the reader's language with local times.

To the resident on every reply of the desk and on closing, with a link to the conversation; to the support
address (KABINET_SUPPORT_EMAIL) on every new request, in the portal's language.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import SupportRequest, User
from services.alerts.preferences import SUPPORT_REPLY, wants
from services.core import fmt
from services.core.i18n import _, get_language, in_language
from services.core.settings import Settings
from services.mail.outbox import queue_letter


def announce_new(
    *, session: Session, settings: Settings, request: SupportRequest, resident: User, now: datetime
) -> None:
    """Tell the desk's address about a new request (nothing when KABINET_SUPPORT_EMAIL is empty)."""
    if not settings.support_email:
        return
    with in_language(settings.language):
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
            settings.portal_url(f'/operator/support/{request.id}'),
            now,
        )


def notify_reply(
    *, session: Session, settings: Settings, request: SupportRequest, resident: User, body: str, now: datetime
) -> None:
    """Tell the resident the desk replied (unless they switched that alert off, B5): the reply and the link."""
    if not wants(session=session, user_id=resident.id or 0, kind=SUPPORT_REPLY):
        return
    with in_language(resident.language):
        subject = _('Reply to your request No. {id}').format(id=request.id)
        paragraphs = [
            _('Hello!'),
            _('Support replied to your request «{subject}» at {when}:').format(
                subject=request.subject, when=fmt.moment(now, settings.tz)
            ),
            body,
            _('Open the conversation: {url}'),
        ]
        _queue(
            session, settings, resident.email, subject, paragraphs, settings.portal_url(f'/support/{request.id}'), now
        )


def notify_closed(
    *, session: Session, settings: Settings, request: SupportRequest, resident: User, now: datetime
) -> None:
    """Tell the resident the request is closed, with the resolution."""
    with in_language(resident.language):
        subject = _('Your request No. {id} is closed').format(id=request.id)
        paragraphs = [
            _('Hello!'),
            _('Your request «{subject}» was closed at {when}.').format(
                subject=request.subject, when=fmt.moment(now, settings.tz)
            ),
            _('Resolution: {text}').format(text=request.resolution),
            _('It is kept in the «Message archive» tab: {url}'),
        ]
        _queue(
            session, settings, resident.email, subject, paragraphs, settings.portal_url(f'/support/{request.id}'), now
        )


def _queue(
    session: Session, settings: Settings, to: str, subject: str, paragraphs: list[str], url: str, now: datetime
) -> None:
    """One outbox row: plain text and HTML (escaped, the link an anchor), signed with the utility's name."""
    utility = settings.utility_name
    queue_letter(
        session=session, to=to, subject=subject, paragraphs=[*paragraphs, _('Kind regards,') + '\n' + utility],
        links={'url': url}, utility=utility, language=get_language(), now=now,
    )  # fmt: skip
