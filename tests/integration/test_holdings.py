"""What a resident owns is read in one statement and kept until the transaction writes (services/residents/access)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import delete

from models import MeterName, ResidentAccount
from services.core.errors import NotYourMeter
from services.core.system import System
from services.residents import access, badges, subscriber
from tests.factories import make_account, make_meter, make_user
from tests.statements import statements_sent
from tests.ui.test_home_and_diagnostics import add_event

NOW = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)


def test_accounts_meters_and_names_are_read_once_per_transaction(system: System) -> None:
    with system.session() as session:
        accounts = [make_account(session) for _ in range(3)]
        meters = [make_meter(session, a) for a in accounts for _ in range(2)]
        user = make_user(session, accounts=tuple(accounts))
        session.commit()
        with statements_sent(by='tests') as sent:
            assert [a.id for a in access.accounts_of(session=session, user=user)] == [a.id for a in accounts]
            assert [m.id for m in access.meters_of(session=session, user=user)] == [m.id for m in meters]
            access.get_meter(session=session, user=user, meter_id=meters[-1].id or 0)
            access.get_account(session=session, user=user, account_id=accounts[0].id or 0)
            subscriber.nearest_verification(session=session, user=user, today=NOW.date())
    assert len(sent) == 1, sent


def test_an_account_linked_in_the_same_transaction_is_listed_at_once(system: System) -> None:
    with system.session() as session:
        first, second = make_account(session), make_account(session)
        user = make_user(session, accounts=(first,))
        assert len(access.accounts_of(session=session, user=user)) == 1
        session.add(ResidentAccount(user_id=user.id or 0, account_id=second.id or 0))  # not flushed yet
        assert [a.id for a in access.accounts_of(session=session, user=user)] == [first.id, second.id]


def test_a_name_deleted_by_a_bulk_statement_is_no_longer_shown(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account, model='Милур 107', serial='SN-H1')
        user = make_user(session, accounts=(account,))
        assert subscriber.rename_meter(session=session, user=user, meter_id=meter.id or 0, name='Дача') == 'Дача'
        assert access.meters_of(session=session, user=user)[0].name == 'Дача'
        session.execute(delete(MeterName).where(MeterName.user_id == user.id))
        assert access.meters_of(session=session, user=user)[0].name == 'Милур 107 №\xa0SN-H1'


def test_an_account_unlinked_by_another_transaction_is_gone_after_commit(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account)
        user = make_user(session, accounts=(account,))
        session.commit()
        assert access.get_meter(session=session, user=user, meter_id=meter.id or 0).id == meter.id
        with system.session() as other:
            other.execute(delete(ResidentAccount).where(ResidentAccount.user_id == user.id))
            other.commit()
        session.commit()
        with pytest.raises(NotYourMeter):
            access.get_meter(session=session, user=user, meter_id=meter.id or 0)


def test_new_events_of_removed_meters_count_but_not_those_of_other_residents(system: System) -> None:
    with system.session() as session:
        mine, theirs = make_account(session), make_account(session)
        removed = make_meter(session, mine, removed_on=NOW.date())
        other = make_meter(session, theirs)
        user = make_user(session, accounts=(mine,), created_at=NOW)
        make_user(session, accounts=(theirs,))
        add_event(session, removed, NOW, 13, 1, imported_at=NOW.replace(hour=10))  # warning
        add_event(session, other, NOW, 1, 1, imported_at=NOW.replace(hour=10))
        add_event(session, removed, NOW, 5, 1, imported_at=NOW.replace(hour=8))  # before the resident registered
        news = badges.new_events(session=session, user=user)
        assert (news.count, news.severity) == (1, 'warning')
        assert news.latest is not None and news.latest.meter_id == removed.id
        assert badges.menu_badges(session=session, user=user, now=NOW)['/diagnostics'] == (1, 'orange')
