"""Meter events of a month as episodes, filters, paging bounds, new-event badges (SPEC S5, S9, §7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import Meter, MeterEvent
from services.core.system import System
from services.metering import spodes
from services.residents import badges, diagnostics
from services.residents.diagnostics import Month
from tests.factories import make_account, make_meter, make_user

MSK = ZoneInfo('Europe/Moscow')
MARCH = Month(2026, 3)


def at(day: int, hour: int = 12, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=MSK).astimezone(UTC)


def add(session: Session, meter: Meter, when: datetime, journal: int, code: int, **fields: object) -> MeterEvent:
    event = MeterEvent(
        meter_id=meter.id or 0,
        at=when,
        journal=journal,
        code=code,
        severity=spodes.severity(journal, code),
        imported_at=fields.pop('imported_at', when),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )
    session.add(event)
    session.flush()
    return event


def test_a_power_off_and_the_next_power_on_form_one_episode_with_its_duration(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account)
        add(session, meter, at(5, 10, 0), 2, 1)
        add(session, meter, at(5, 10, 35), 2, 2)
        user = make_user(session, accounts=(account,))
        [entry] = diagnostics.events(session=session, user=user, month=MARCH, tz=MSK)
    assert entry.text == 'Выключение питания счётчика'
    assert entry.end_text == 'Включение питания счётчика'
    assert entry.duration_seconds == 35 * 60
    assert entry.meter_name and entry.account_number == account.number


def test_a_start_without_an_end_is_still_going_and_episodes_pair_across_the_month_border(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account)
        add(session, meter, at(28, 23, 0, month=2), 4, 1)  # magnetic field from February…
        add(session, meter, at(1, 1, 0), 4, 2)  # …ends on 1 March
        add(session, meter, at(31, 20, 0), 2, 1)  # power off on 31 March, back on 1 April
        add(session, meter, at(1, 2, 0, month=4), 2, 2)
        add(session, meter, at(20), 7, 5)  # a clock error with no OK yet
        user = make_user(session, accounts=(account,))
        entries = diagnostics.events(session=session, user=user, month=MARCH, tz=MSK)
    by_text = {e.text: e for e in entries}
    assert by_text['Магнитное поле — начало'].duration_seconds == 2 * 3600  # 23:00 → 01:00
    assert by_text['Выключение питания счётчика'].duration_seconds == 6 * 3600  # 20:00 → 02:00 next day
    assert by_text['Часы реального времени — ошибка'].ongoing
    assert len(entries) == 3


def test_a_repeated_start_leaves_the_first_one_without_an_end_but_not_ongoing(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account)
        add(session, meter, at(3), 2, 1)
        add(session, meter, at(4), 2, 1)
        add(session, meter, at(4, 13), 2, 2)
        user = make_user(session, accounts=(account,))
        entries = diagnostics.events(session=session, user=user, month=MARCH, tz=MSK)
    first, second = sorted(entries, key=lambda e: e.at)
    assert (first.end_at, first.ongoing) == (None, False)
    assert second.duration_seconds == 3600


def test_events_are_coloured_by_severity_and_newest_first(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account)
        add(session, meter, at(2), 4, 3)  # terminal cover seal: critical
        add(session, meter, at(3), 13, 1, note='Поправка 3 с')  # clock correction: warning
        add(session, meter, at(4), 5, 1)  # connection closed: info, no end
        user = make_user(session, accounts=(account,))
        entries = diagnostics.events(session=session, user=user, month=MARCH, tz=MSK)
    assert [e.severity for e in entries] == ['info', 'warning', 'critical']
    assert entries[1].note == 'Поправка 3 с'


def test_the_journal_filter_keeps_only_the_ticked_event_types(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account)
        add(session, meter, at(2), 13, 1)
        add(session, meter, at(3), 2, 1)
        add(session, meter, at(3, 13), 2, 2)
        user = make_user(session, accounts=(account,))
        clocks = diagnostics.events(session=session, user=user, month=MARCH, tz=MSK, journals={13})
        nothing = diagnostics.events(session=session, user=user, month=MARCH, tz=MSK, journals=set())
        journals = diagnostics.journals_of(session=session, user=user)
    assert [e.journal for e in clocks] == [13]
    assert nothing == []
    assert [j for j, _name in journals] == [2, 13]


def test_month_bounds_are_local_midnights(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account)
        add(session, meter, datetime(2026, 2, 28, 21, 0, tzinfo=UTC), 13, 1)  # 1 March 00:00 in Moscow
        add(session, meter, datetime(2026, 3, 31, 21, 0, tzinfo=UTC), 13, 1)  # 1 April 00:00 in Moscow
        user = make_user(session, accounts=(account,))
        march = diagnostics.events(session=session, user=user, month=MARCH, tz=MSK)
        april = diagnostics.events(session=session, user=user, month=MARCH.shifted(1), tz=MSK)
    assert [e.at for e in march] == [datetime(2026, 2, 28, 21, 0, tzinfo=UTC)]
    assert [e.at for e in april] == [datetime(2026, 3, 31, 21, 0, tzinfo=UTC)]


def test_paging_by_month_crosses_years() -> None:
    assert Month(2026, 1).shifted(-1) == Month(2025, 12)
    assert Month(2025, 12).shifted(1) == Month(2026, 1)
    assert Month(2026, 3).shifted(-15) == Month(2024, 12)


def test_another_residents_events_never_show(system: System) -> None:
    with system.session() as session:
        mine, theirs = make_account(session), make_account(session)
        add(session, make_meter(session, theirs), at(5), 4, 1)
        user = make_user(session, accounts=(mine,))
        make_meter(session, mine)
        assert diagnostics.events(session=session, user=user, month=MARCH, tz=MSK) == []
        assert badges.new_events(session=session, user=user).count == 0


def test_the_badge_counts_events_imported_after_the_last_visit_and_opening_clears_it(system: System) -> None:
    registered = datetime(2026, 3, 1, tzinfo=UTC)
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account)
        user = make_user(session, accounts=(account,), created_at=registered)
        add(session, meter, at(1), 5, 1, imported_at=registered - timedelta(days=1))  # before registering
        add(session, meter, at(2), 13, 1, imported_at=registered + timedelta(days=1))
        add(session, meter, at(3), 4, 1, imported_at=registered + timedelta(days=2))
        assert badges.menu_badges(session=session, user=user, now=at(4)) == {'/diagnostics': (2, 'red')}
        badges.mark_events_seen(session=session, user=user, now=registered + timedelta(days=3))
        assert badges.menu_badges(session=session, user=user, now=at(4)) == {}
        # an old event imported late is new again: the badge goes by when the portal learned of it
        add(session, meter, at(1, 5), 13, 1, imported_at=registered + timedelta(days=4))
        news = badges.new_events(session=session, user=user)
        assert badges.menu_badges(session=session, user=user, now=at(4))['/diagnostics'] == (1, 'orange')
    assert (news.count, news.severity) == (1, 'warning')


def test_a_registered_counter_shows_next_to_diagnostics(system: System) -> None:
    with system.session() as session:
        user = make_user(session)
        badges.register('/test-section', lambda **_kw: (3, 'blue'))
        try:
            assert badges.menu_badges(session=session, user=user, now=at(4)) == {'/test-section': (3, 'blue')}
        finally:
            badges._counters.pop('/test-section')
