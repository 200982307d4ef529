"""Accounts, meter cards, verification, replacements, load state and renaming (SPEC S6, S13, B6)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from models import InstantValue, MeterEvent, RegisterReading
from services.core.errors import AccountNotFound, DomainError, NotYourMeter
from services.core.system import System
from services.residents import subscriber
from tests.factories import make_account, make_meter, make_user

TODAY = date(2026, 3, 10)
NOW = int(datetime(2026, 3, 10, 9, 0, tzinfo=UTC).timestamp())


def test_verification_is_ok_far_from_the_due_date() -> None:
    check = subscriber.verification(date(2020, 6, 1), 16, TODAY)
    assert check.next_due == date(2036, 6, 1)  # 2020 + 16 years
    assert check.state == 'ok'


def test_verification_is_due_soon_within_sixty_days() -> None:
    check = subscriber.verification(date(2016, 5, 9), 10, TODAY)
    assert check.next_due == date(2026, 5, 9)
    assert check.days_left == 60  # 21 days left of March + 30 of April + 9 of May
    assert check.state == 'due_soon'


def test_verification_sixty_one_days_ahead_is_still_ok() -> None:
    assert subscriber.verification(date(2016, 5, 10), 10, TODAY).state == 'ok'  # 61 days left


def test_verification_after_the_due_date_is_overdue_with_negative_days() -> None:
    check = subscriber.verification(date(2016, 3, 1), 10, TODAY)
    assert check.state == 'overdue'
    assert check.days_left == -9  # due 1 March, today 10 March


def test_a_meter_without_verification_data_has_an_unknown_state() -> None:
    assert subscriber.verification(None, 16, TODAY).state == 'unknown'
    assert subscriber.verification(date(2020, 1, 1), None, TODAY).state == 'unknown'


def test_a_leap_day_verification_falls_due_on_the_28th_of_february() -> None:
    assert subscriber.add_years(date(2024, 2, 29), 10) == date(2034, 2, 28)


def test_accounts_list_only_the_residents_own_accounts_with_their_meters(system: System) -> None:
    with system.session() as session:
        mine, theirs = make_account(session), make_account(session)
        meter = make_meter(session, mine)
        make_meter(session, theirs)
        user = make_user(session, accounts=(mine,))
        accounts = subscriber.account_list(session=session, user=user)
    assert [a.number for a in accounts] == [mine.number]
    assert [m.serial for m in accounts[0].meters] == [meter.serial]


def test_a_forged_account_or_meter_id_is_not_found(system: System) -> None:
    with system.session() as session:
        mine, theirs = make_account(session), make_account(session)
        foreign = make_meter(session, theirs)
        user = make_user(session, accounts=(mine,))
        with pytest.raises(AccountNotFound):
            subscriber.account_card(session=session, user=user, account_id=theirs.id or 0)
        with pytest.raises(AccountNotFound):
            subscriber.account_card(session=session, user=user, account_id=999_999)
        with pytest.raises(NotYourMeter):
            subscriber.meter_card(session=session, user=user, meter_id=foreign.id or 0, today=TODAY)
        with pytest.raises(NotYourMeter):
            subscriber.rename_meter(session=session, user=user, meter_id=foreign.id or 0, name='Чужой')


def test_renaming_strips_the_name_shows_it_and_an_empty_name_clears_it(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account, model='Милур 107', serial='SN-R1')
        user = make_user(session, accounts=(account,))
        assert subscriber.rename_meter(session=session, user=user, meter_id=meter.id or 0, name='  Дача  ') == 'Дача'
        card = subscriber.meter_card(session=session, user=user, meter_id=meter.id or 0, today=TODAY)
        assert card.view.name == 'Дача'
        assert subscriber.rename_meter(session=session, user=user, meter_id=meter.id or 0, name=' ') == (
            'Милур 107 №\xa0SN-R1'
        )


def test_a_name_longer_than_sixty_characters_is_refused(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account)
        user = make_user(session, accounts=(account,))
        subscriber.rename_meter(session=session, user=user, meter_id=meter.id or 0, name='я' * 60)
        with pytest.raises(DomainError):
            subscriber.rename_meter(session=session, user=user, meter_id=meter.id or 0, name='я' * 61)


def test_names_are_per_resident(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account, model='Милур 107', serial='SN-R2')
        first = make_user(session, accounts=(account,))
        second = make_user(session, accounts=(account,))
        subscriber.rename_meter(session=session, user=first, meter_id=meter.id or 0, name='Квартира')
        other = subscriber.meter_card(session=session, user=second, meter_id=meter.id or 0, today=TODAY)
    assert other.view.name == 'Милур 107 №\xa0SN-R2'


def test_replacement_history_pairs_the_old_meters_last_and_the_new_meters_first_reading(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        old = make_meter(session, account, serial='OLD1', removed_on=date(2026, 2, 1))
        new = make_meter(session, account, serial='NEW1', installed_on=date(2026, 2, 1))
        old.replaced_by_id = new.id
        session.add(old)
        feb1 = int(datetime(2026, 1, 31, 21, 0, tzinfo=UTC).timestamp())  # local 00:00 of 1 February
        for meter_id, at, wh in ((old.id, feb1 - 86400, 1_000_000), (old.id, feb1, 1_004_500), (new.id, feb1, 12)):
            session.add(RegisterReading(meter_id=meter_id or 0, energy=1, zone=0, at=at, wh=wh))
        session.add(RegisterReading(meter_id=new.id or 0, energy=1, zone=0, at=feb1 + 86400, wh=9_000))
        user = make_user(session, accounts=(account,))
        session.flush()
        seen_from_new = subscriber.meter_card(session=session, user=user, meter_id=new.id or 0, today=TODAY)
        seen_from_old = subscriber.meter_card(session=session, user=user, meter_id=old.id or 0, today=TODAY)
    [change] = seen_from_new.replacements
    assert (change.on, change.old_serial, change.new_serial) == (date(2026, 2, 1), 'OLD1', 'NEW1')
    assert (change.old_last_wh, change.new_first_wh) == (1_004_500, 12)  # the newest of the old, oldest of the new
    assert seen_from_old.replacements == seen_from_new.replacements


def test_replacement_without_registers_says_so_with_none(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        old = make_meter(session, account, removed_on=date(2026, 2, 1))
        new = make_meter(session, account, installed_on=date(2026, 2, 1))
        old.replaced_by_id = new.id
        session.add(old)
        user = make_user(session, accounts=(account,))
        [change] = subscriber.meter_card(session=session, user=user, meter_id=new.id or 0, today=TODAY).replacements
    assert change.old_last_wh is None and change.new_first_wh is None


def test_load_state_has_the_latest_values_per_phase_the_relay_its_reason_and_24_hours_of_power(
    system: System,
) -> None:
    with system.session() as session:
        account = make_account(session)
        meter = make_meter(session, account, phases=3)
        mid = meter.id or 0
        for hours_ago in range(30):  # one power value an hour for 30 hours
            session.add(InstantValue(meter_id=mid, quantity='P', at=NOW - hours_ago * 3600, value=1000.0 + hours_ago))
        for n, volts in ((1, 229.5), (2, 231.0), (3, 228.4)):
            session.add(InstantValue(meter_id=mid, quantity=f'U{n}', at=NOW - 3600, value=volts - 5))
            session.add(InstantValue(meter_id=mid, quantity=f'U{n}', at=NOW, value=volts))
            session.add(InstantValue(meter_id=mid, quantity=f'I{n}', at=NOW, value=n * 1.5))
        session.add(InstantValue(meter_id=mid, quantity='relay', at=NOW - 600, value=0.0))
        session.add(
            MeterEvent(
                meter_id=mid,
                at=datetime(2026, 3, 9, tzinfo=UTC),
                journal=2,
                code=3,
                severity='info',
                note='Отключение по заявке абонента',
            )
        )
        user = make_user(session, accounts=(account,))
        load = subscriber.meter_card(session=session, user=user, meter_id=mid, today=TODAY).load
    assert load.power_w == 1000.0
    assert load.voltages == [229.5, 231.0, 228.4]
    assert load.currents == [1.5, 3.0, 4.5]
    assert load.measured_at == datetime.fromtimestamp(NOW, UTC)
    assert (load.relay, load.relay_at) == (0, datetime.fromtimestamp(NOW - 600, UTC))
    assert load.relay_reason == 'Отключение по заявке абонента'
    assert len(load.power_series) == 24  # hours_ago 0..23 lie in (now − 24 h, now]
    assert load.power_series[-1] == (NOW, 1000.0)


def test_a_connected_relay_has_no_reason_and_a_silent_meter_has_no_load(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        quiet = make_meter(session, account)
        live = make_meter(session, account)
        session.add(InstantValue(meter_id=live.id or 0, quantity='relay', at=NOW, value=1.0))
        user = make_user(session, accounts=(account,))
        silent = subscriber.meter_card(session=session, user=user, meter_id=quiet.id or 0, today=TODAY).load
        on = subscriber.meter_card(session=session, user=user, meter_id=live.id or 0, today=TODAY).load
    assert silent.measured_at is None and silent.relay is None and silent.power_series == []
    assert on.relay == 1 and on.relay_reason == ''


def test_the_nearest_verification_is_the_earliest_due_installed_meter(system: System) -> None:
    with system.session() as session:
        account = make_account(session)
        make_meter(session, account, serial='LATE', verified_on=date(2020, 1, 1), verification_interval_years=16)
        make_meter(session, account, serial='SOON', verified_on=date(2016, 4, 1), verification_interval_years=10)
        user = make_user(session, accounts=(account,))
        found = subscriber.nearest_verification(session=session, user=user, today=TODAY)
    assert found is not None
    assert (found[0].serial, found[1].state) == ('SOON', 'due_soon')
