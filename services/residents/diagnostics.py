"""The Diagnostics section (SPEC S9, §7): the events of the resident's meters in a local month, as episodes.

A start event and the next end event of the same meter and kind form one episode with a duration; an episode
with no end yet is ongoing. Ownership: only events of meters on the resident's accounts are ever read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from models import MeterEvent, User
from services.core.i18n import get_language
from services.metering import periods, spodes
from services.residents import access
from services.residents.access import MeterView

SEVERITY_ORDER = {'critical': 0, 'warning': 1, 'info': 2}
SEVERITY_COLOURS = {'critical': 'red', 'warning': 'orange', 'info': 'blue-grey'}
# Finds the partner of an episode event outside the rows at hand: for a start, the next event of its kind
# (its end, or a repeated start when the end was never recorded); for an end, its start.
Neighbour = Callable[[MeterEvent], MeterEvent | None]


@dataclass(frozen=True)
class Entry:
    """One line of the list: a single event, or an episode from its start to its end (or still going)."""

    event_id: int
    meter_id: int
    meter_name: str
    account_number: str
    at: datetime  # aware UTC: the start of an episode
    journal: int
    journal_name: str
    severity: str
    text: str
    note: str
    end_at: datetime | None = None
    end_text: str = ''
    ongoing: bool = False  # a start whose end has not arrived

    @property
    def duration_seconds(self) -> int | None:
        return int((self.end_at - self.at).total_seconds()) if self.end_at else None


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def label(self) -> str:
        return f'{self.year:04d}-{self.month:02d}'


def month_of(now: datetime, tz: ZoneInfo) -> Month:
    """The local month that holds `now`."""
    local = now.astimezone(tz)
    return Month(local.year, local.month)


def journals_of(*, session: Session, user: User) -> list[tuple[int, str]]:
    """The journals (event types) that occur on the resident's meters, with their names, for the filter."""
    meter_ids = [m.id for m in access.meters_of(session=session, user=user, include_removed=True)]
    if not meter_ids:
        return []
    found = session.exec(select(MeterEvent.journal).where(col(MeterEvent.meter_id).in_(meter_ids)).distinct()).all()
    return [(j, journal_name(j)) for j in sorted(set(found))]


def events(
    *, session: Session, user: User, month: Month, tz: ZoneInfo, journals: set[int] | None = None
) -> list[Entry]:
    """Entries of the local `month`, newest first: episodes pair start and end events across month borders."""
    views = {m.id: m for m in access.meters_of(session=session, user=user, include_removed=True)}
    if not views:
        return []
    span = periods.month_period(month.year, month.month, tz)
    query = select(MeterEvent).where(
        col(MeterEvent.meter_id).in_(list(views)),
        col(MeterEvent.at) >= datetime.fromtimestamp(span.start, UTC),
        col(MeterEvent.at) < datetime.fromtimestamp(span.end, UTC),
    )
    if journals is not None:
        if not journals:
            return []
        query = query.where(col(MeterEvent.journal).in_(sorted(journals)))
    rows = list(session.exec(query.order_by(col(MeterEvent.at), col(MeterEvent.id))).all())
    entries = pair_episodes(rows, views, lambda e: _neighbour(session, e))
    return sorted(entries, key=lambda e: (e.at, e.event_id), reverse=True)


def others_count(*, session: Session, user: User, month: Month, tz: ZoneInfo, journals: set[int]) -> int:
    """How many events of the local `month` on the resident's meters are of a type outside `journals`."""
    meter_ids = [m.id for m in access.meters_of(session=session, user=user, include_removed=True)]
    if not meter_ids:
        return 0
    span = periods.month_period(month.year, month.month, tz)
    query = (
        select(func.count())
        .select_from(MeterEvent)
        .where(
            col(MeterEvent.meter_id).in_(meter_ids),
            col(MeterEvent.at) >= datetime.fromtimestamp(span.start, UTC),
            col(MeterEvent.at) < datetime.fromtimestamp(span.end, UTC),
            col(MeterEvent.journal).not_in(sorted(journals)),
        )
    )
    return int(session.exec(query).one())


def pair_episodes(
    rows: list[MeterEvent], views: dict[int, MeterView], neighbour: Neighbour | None = None
) -> list[Entry]:
    """Fold start/end pairs of `rows` (sorted by time) into episodes; `neighbour` looks past the rows."""
    entries: list[Entry] = []
    open_starts: dict[tuple[int, int, int], MeterEvent] = {}  # (meter, journal, end code) -> start
    for event in rows:
        end_code = spodes.episode_end_code(event.journal, event.code)
        if end_code is not None:
            earlier = open_starts.pop((event.meter_id, event.journal, end_code), None)
            if earlier is not None:  # started again before it ended: the end was never recorded
                entries.append(_entry(earlier, views))
            open_starts[(event.meter_id, event.journal, end_code)] = event
            continue
        start = open_starts.pop((event.meter_id, event.journal, event.code), None)
        if start is None and neighbour is not None and spodes.is_episode_end(event.journal, event.code):
            found = neighbour(event)  # its start lies before the rows
            start = found if found is not None and found.code != event.code else None
        entries.append(_entry(start, views, end=event) if start is not None else _entry(event, views))
    for start in open_starts.values():
        following = neighbour(start) if neighbour is not None else None
        end = following if following is not None and following.code != start.code else None
        entries.append(_entry(start, views, end=end, ongoing=following is None))
    return entries


def journal_name(journal: int) -> str:
    ru, en = spodes.JOURNALS.get(journal, (f'Журнал {journal}', f'Journal {journal}'))
    return ru if get_language() == 'ru' else en


def event_text(journal: int, code: int) -> str:
    kind = spodes.describe(journal, code)
    return kind.text_ru if get_language() == 'ru' else kind.text_en


def worst(severities: list[str]) -> str:
    """The most severe of the given severities ('' for none)."""
    return min(severities, key=lambda s: SEVERITY_ORDER.get(s, 9), default='')


def _neighbour(session: Session, event: MeterEvent) -> MeterEvent | None:
    """The nearest event of the same episode kind after a start, or before an end, on the same meter."""
    end_code = spodes.episode_end_code(event.journal, event.code)
    start_code = event.code if end_code is not None else spodes.describe(event.journal, event.code).ended_by
    codes = [start_code, end_code if end_code is not None else event.code]
    query = select(MeterEvent).where(
        MeterEvent.meter_id == event.meter_id, MeterEvent.journal == event.journal, col(MeterEvent.code).in_(codes)
    )
    if end_code is not None:
        query = query.where(col(MeterEvent.at) > event.at).order_by(col(MeterEvent.at))
    else:
        query = query.where(col(MeterEvent.at) < event.at).order_by(col(MeterEvent.at).desc())
    return session.exec(query.limit(1)).first()


def _entry(
    event: MeterEvent, views: dict[int, MeterView], *, end: MeterEvent | None = None, ongoing: bool = False
) -> Entry:
    view = views[event.meter_id]
    return Entry(
        event_id=event.id or 0,
        meter_id=event.meter_id,
        meter_name=view.name,
        account_number=view.account_number,
        at=event.at,
        journal=event.journal,
        journal_name=journal_name(event.journal),
        severity=spodes.severity(event.journal, event.code),
        text=event_text(event.journal, event.code),
        note=event.note,
        end_at=end.at if end is not None else None,
        end_text=event_text(end.journal, end.code) if end is not None else '',
        ongoing=ongoing,
    )
