"""Topics of requests: the desk edits the list; the defaults are English message ids shown translated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import SupportTopic, User
from services.core.errors import DomainError, NotFound
from services.core.i18n import _
from services.identity import audit
from services.identity.roles import require_staff

# The same list as migration 0005 seeds (the manual's: readings, charges, meter, verification and replacement,
# disconnection and reconnection, personal account, other).
DEFAULT_TOPICS = (
    'Meter readings',
    'Charges',
    'Meter',
    'Verification and replacement',
    'Disconnection and reconnection',
    'Online account',
    'Other',
)
MAX_TITLE = 100


class TopicRefused(DomainError):
    """An empty or too long title; str(e) is a message id."""


@dataclass(frozen=True)
class TopicView:
    id: int
    title: str  # in the current language
    stored: str  # as stored (what the editor shows)
    active: bool


def topic_title(stored: str) -> str:
    """A seeded topic in the current language; one the desk typed as it was typed."""
    return _(stored) if stored else ''


def list_topics(*, session: Session, include_inactive: bool = False) -> list[TopicView]:
    """The topics in the desk's order; the defaults are put back when the list is empty."""
    if not session.exec(select(func.count()).select_from(SupportTopic)).one():
        session.add_all(SupportTopic(title=t, position=n) for n, t in enumerate(DEFAULT_TOPICS))
        session.flush()
    query = select(SupportTopic).order_by(col(SupportTopic.position), col(SupportTopic.id))
    if not include_inactive:
        query = query.where(col(SupportTopic.active).is_(True))
    return [TopicView(t.id or 0, topic_title(t.title), t.title, t.active) for t in session.exec(query).all()]


def save_topic(
    *, session: Session, actor: User | None, topic_id: int | None, title: str, active: bool, now: datetime
) -> TopicView:
    """Add a topic (topic_id None) or rename, hide or show one; staff only. A hidden topic stays on old requests."""
    staff = require_staff(actor)
    title = ' '.join(title.split())
    if not title:
        raise TopicRefused('Enter the topic.')
    if len(title) > MAX_TITLE:
        raise TopicRefused('At most 100 characters.')
    if topic_id is None:
        last = session.exec(select(func.max(SupportTopic.position))).one()
        topic = SupportTopic(title=title, position=(last or 0) + 1, active=active)
    else:
        found = session.get(SupportTopic, topic_id)
        if found is None:
            raise NotFound('Not found')
        topic = found
        topic.title, topic.active = title, active
    session.add(topic)
    session.flush()
    audit.record(session=session, action='support_topic', now=now, user_id=staff.id, detail=f'{topic.id}: {title}')
    return TopicView(topic.id or 0, topic_title(topic.title), topic.title, topic.active)
