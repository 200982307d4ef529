"""Notices for the resident's address (B12): the operator publishes, residents of the targeted addresses see them.

A target is the beginning of registry addresses, cut at a comma: a settlement («пос. Сахарово»), a street
(«пос. Сахарово, ул. Садовая») or a house («пос. Сахарово, ул. Садовая, д. 7»; not «д. 70»). Publishing
emails every resident of those addresses who keeps the notices alert on (B5), once per notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, bindparam
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models import Account, AlertSent, Notice, ResidentAccount, User
from models.registry import address_search_key
from services.alerts.emails import queue_alert
from services.alerts.preferences import NOTICES, wants
from services.core import fmt
from services.core.db import prepared
from services.core.errors import DomainError
from services.core.i18n import _, in_language
from services.core.settings import Settings
from services.identity.roles import require_staff
from services.residents import access


class NoticeRefused(DomainError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Draft:
    title: str
    body: str
    targets: str  # one address beginning a line
    first: date | None  # local days, inclusive
    last: date | None


@dataclass(frozen=True)
class Published:
    notice_id: int
    accounts: int  # registry accounts the notice reaches
    emails: int


def publish(*, session: Session, actor: User | None, draft: Draft, settings: Settings, now: datetime) -> Published:
    """Store the notice and email the residents of its addresses; NoticeRefused names the field at fault."""
    staff = require_staff(actor)
    targets = _targets(draft.targets)
    title = draft.title.strip()
    if not title:
        raise NoticeRefused('Give the notice a title.', 'title')
    if not targets:
        raise NoticeRefused('Name at least one settlement, street or house.', 'targets')
    if draft.first is None or draft.last is None or draft.last < draft.first:
        raise NoticeRefused('Give the first and the last day, the last not before the first.', 'dates')
    tz = settings.tz
    notice = Notice(title=title[:200], body=draft.body.strip()[:4000], targets='\n'.join(targets),
                    valid_from=_midnight(draft.first, tz), valid_until=_midnight(draft.last + timedelta(days=1), tz),
                    author_id=staff.id, published_at=now)  # fmt: skip
    session.add(notice)
    session.flush()
    accounts = [a for a in session.exec(select(Account)).all() if matches(a.address, targets)]
    emails = _email(session, settings, notice, [a.id or 0 for a in accounts], now)
    session.commit()
    return Published(notice.id or 0, len(accounts), emails)


def matches(address: str, targets: list[str]) -> bool:
    """True when the address begins with a target, cut at a comma (case, spaces and «ё» do not matter)."""
    key = address_search_key(address)
    return any(key == t or key.startswith(t + ',') for t in map(address_search_key, targets))


def notices_for(*, session: Session, user: User, now: datetime) -> list[Notice]:
    """The notices in force at `now` for any of the resident's addresses, the newest first."""
    addresses = [a.address for a in access.accounts_of(session=session, user=user)]  # read once per transaction
    active = session.exec(_in_force(), params={'now': now}).all()
    return [n for n in active if any(matches(a, n.targets.split('\n')) for a in addresses)]


@prepared
def _in_force() -> SelectOfScalar[Notice]:
    now: BindParameter[datetime] = bindparam('now')
    return (
        select(Notice)
        .where(col(Notice.valid_from) <= now, col(Notice.valid_until) > now)
        .order_by(col(Notice.published_at).desc())
    )


def days_of(notice: Notice, tz: ZoneInfo) -> tuple[date, date]:
    """The first and the last local day of the notice."""
    return notice.valid_from.astimezone(tz).date(), (notice.valid_until.astimezone(tz) - timedelta(days=1)).date()


def all_notices(*, session: Session, actor: User | None) -> list[Notice]:
    require_staff(actor)
    return list(session.exec(select(Notice).order_by(col(Notice.published_at).desc()).limit(100)).all())


def _email(session: Session, settings: Settings, notice: Notice, account_ids: list[int], now: datetime) -> int:
    if not account_ids:
        return 0
    users = session.exec(
        select(User)
        .join(ResidentAccount, col(ResidentAccount.user_id) == col(User.id))
        .where(col(ResidentAccount.account_id).in_(account_ids), col(User.deleted_at).is_(None))
        .distinct()
    ).all()
    sent = 0
    for user in users:
        key = f'notice:{notice.id}'
        already = session.get(AlertSent, (user.id or 0, key)) is not None
        if user.blocked or already or not wants(session=session, user_id=user.id or 0, kind=NOTICES):
            continue
        with in_language(user.language):
            first, last = days_of(notice, settings.tz)
            period = _('Valid from {first} to {last}.').format(first=fmt.day(first), last=fmt.day(last))
            queue_alert(session=session, settings=settings, user=user, kind=NOTICES, meter_id=0,
                        subject=notice.title, paragraphs=[_('Hello!'), notice.body, period], link='/info',
                        now=now)  # fmt: skip
        session.add(AlertSent(user_id=user.id or 0, key=key, sent_at=now))
        sent += 1
    return sent


def _targets(text: str) -> list[str]:
    return [typed for line in text.splitlines() if (typed := ' '.join(line.split()).strip(' ,'))]


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(ZoneInfo('UTC'))
