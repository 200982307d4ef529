"""The alert job's work (B5): find the causes each resident wants to hear of and alert each cause once.

Critical meter events come in episodes: events of one meter no more than EPISODE_GAP apart are one episode,
keyed by its first event, so an episode is alerted once however many events it holds and however often the job
runs; several new episodes at once go out as one digest. Verification alerts fire at 60, 30 and 7 days before
the due date and once overdue, each step once per due date. Every alerted cause is a row of alert_sent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from models import AlertSent, Meter, MeterEvent, ResidentAccount, User
from services.alerts import usage
from services.alerts.emails import queue_alert
from services.alerts.preferences import CRITICAL_EVENTS, VERIFICATION, wants
from services.core import fmt
from services.core.i18n import _, in_language, ngettext
from services.core.settings import Settings
from services.residents.diagnostics import event_text
from services.residents.subscriber import verification

EPISODE_GAP = timedelta(hours=6)
LOOK_BACK = timedelta(days=7)  # critical events older than this are not alerted any more
STEPS = (7, 30, 60)  # days before the due date, most urgent first


@dataclass(frozen=True)
class Episode:
    meter: Meter
    first: datetime
    events: list[MeterEvent]

    @property
    def key(self) -> str:
        return f'episode:{self.meter.id}:{int(self.first.timestamp())}'


@dataclass
class AlertCounts:
    emails: int = 0
    causes: int = 0


def run_alerts(*, session: Session, settings: Settings, now: datetime) -> AlertCounts:
    """Queue every alert due at `now` for every resident; returns how many emails and causes."""
    counts = AlertCounts()
    for user, meters in _residents(session):
        record = _recorder(session, user, now, counts)
        with in_language(user.language):
            _critical(session, settings, user, meters, now, counts)
            _verification(session, settings, user, meters, now, counts)
            usage.high_usage(session, settings, user, now, record)
            usage.monthly_summary(session, settings, user, meters, now, record)
    session.commit()
    return counts


def episodes(events: list[MeterEvent], meter: Meter) -> list[Episode]:
    """The meter's events (in time order) cut where EPISODE_GAP passes without one."""
    found: list[Episode] = []
    for event in events:
        if found and event.at - found[-1].events[-1].at <= EPISODE_GAP:
            found[-1].events.append(event)
        else:
            found.append(Episode(meter, event.at, [event]))
    return found


def _critical(
    session: Session, settings: Settings, user: User, meters: list[Meter], now: datetime, counts: AlertCounts
) -> None:
    new: list[Episode] = []
    for meter in meters:
        if not wants(session=session, user_id=user.id or 0, kind=CRITICAL_EVENTS, meter_id=meter.id or 0):
            continue
        events = session.exec(
            select(MeterEvent)
            .where(MeterEvent.meter_id == meter.id, MeterEvent.severity == 'critical')
            .where(col(MeterEvent.at) >= now - LOOK_BACK, col(MeterEvent.at) <= now)
            .order_by(col(MeterEvent.at))
        ).all()
        new += [e for e in episodes(list(events), meter) if not _sent(session, user, e.key)]
    if not new:
        return
    lines = [_episode_line(e, settings) for e in new]
    if len(new) == 1:
        subject = _('Meter {serial}: {event}').format(serial=new[0].meter.serial, event=_event(new[0].events[0]))
        meter_id = new[0].meter.id or 0
    else:
        count = len(new)
        subject = ngettext('{n} critical meter event', '{n} critical meter events', count).format(n=count)
        meter_id = 0
    paragraphs = [_('Hello!'), _('Your meters reported what needs attention:'), '\n'.join(lines)]
    queue_alert(session=session, settings=settings, user=user, kind=CRITICAL_EVENTS, meter_id=meter_id,
                subject=subject, paragraphs=paragraphs, link='/diagnostics', now=now)  # fmt: skip
    for episode in new:
        _record(session, user, episode.key, now)
    counts.emails += 1
    counts.causes += len(new)


def _verification(
    session: Session, settings: Settings, user: User, meters: list[Meter], now: datetime, counts: AlertCounts
) -> None:
    today = now.astimezone(settings.tz).date()
    for meter in meters:
        if meter.removed_on is not None:
            continue
        check = verification(meter.verified_on, meter.verification_interval_years, today)
        if check.next_due is None or check.days_left is None or check.days_left > max(STEPS):
            continue
        step = 'overdue' if check.days_left < 0 else str(min(s for s in STEPS if check.days_left <= s))
        key = f'verification:{meter.id}:{check.next_due.isoformat()}:{step}'
        if _sent(session, user, key) or not wants(
            session=session, user_id=user.id or 0, kind=VERIFICATION, meter_id=meter.id or 0
        ):
            continue
        subject, text = _verification_text(meter.serial, check.next_due, check.days_left)
        queue_alert(session=session, settings=settings, user=user, kind=VERIFICATION, meter_id=meter.id or 0,
                    subject=subject, paragraphs=[_('Hello!'), text], link=f'/subscriber/meters/{meter.id}',
                    now=now)  # fmt: skip
        _record(session, user, key, now)
        counts.emails += 1
        counts.causes += 1


def _residents(session: Session) -> list[tuple[User, list[Meter]]]:
    rows = session.exec(
        select(User, Meter)
        .join(ResidentAccount, col(ResidentAccount.user_id) == col(User.id))
        .join(Meter, col(Meter.account_id) == col(ResidentAccount.account_id))
        .where(col(User.deleted_at).is_(None), col(User.blocked).is_(False))
        .order_by(col(User.id), col(Meter.id))
    ).all()
    grouped: dict[int, tuple[User, list[Meter]]] = {}
    meters: dict[int, list[Meter]] = defaultdict(list)
    for user, meter in rows:
        grouped.setdefault(user.id or 0, (user, meters[user.id or 0]))
        meters[user.id or 0].append(meter)
    return list(grouped.values())


def _recorder(session: Session, user: User, now: datetime, counts: AlertCounts) -> usage.Recorder:
    def add(key: str) -> None:
        _record(session, user, key, now)
        counts.emails += 1
        counts.causes += 1

    return usage.Recorder(seen=lambda key: _sent(session, user, key), add=add)


def _sent(session: Session, user: User, key: str) -> bool:
    return session.get(AlertSent, (user.id or 0, key)) is not None


def _record(session: Session, user: User, key: str, now: datetime) -> None:
    session.add(AlertSent(user_id=user.id or 0, key=key, sent_at=now))
    session.flush()


def _event(event: MeterEvent) -> str:
    return event_text(event.journal, event.code)


def _episode_line(episode: Episode, settings: Settings) -> str:
    first = episode.events[0]
    more = len(episode.events) - 1
    line = _('Meter {serial}, {when}: {event}').format(
        serial=episode.meter.serial, when=fmt.moment(first.at, settings.tz), event=_event(first)
    )
    if more:
        line += ' ' + ngettext('(and {n} more event)', '(and {n} more events)', more).format(n=more)
    return line


def _verification_text(serial: str, due: date, days_left: int) -> tuple[str, str]:
    if days_left < 0:
        return (
            _('Meter {serial}: verification is overdue').format(serial=serial),
            _(
                'The verification of meter {serial} was due on {due}. Until it is verified, its readings may not '
                'be used for billing.'
            ).format(serial=serial, due=fmt.day(due)),
        )
    text = ngettext(
        'The verification of meter {serial} is due in {n} day, on {due}.',
        'The verification of meter {serial} is due in {n} days, on {due}.',
        days_left,
    )
    return (
        _('Meter {serial}: verification due on {due}').format(serial=serial, due=fmt.day(due)),
        text.format(serial=serial, n=days_left, due=fmt.day(due)),
    )
