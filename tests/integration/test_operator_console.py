"""The operator's console services on a real database (SQLite, and PostgreSQL when configured): search, block,
deletion, staff rules and the audit trail of every action."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from models import (
    AlertPreference,
    AuditLog,
    EmailOutbox,
    IntervalEnergy,
    ResidentAccount,
    Role,
    SupportAttachment,
    SupportMessage,
    SupportRequest,
    User,
    UserSession,
)
from services.core.db import session_scope
from services.core.errors import NotAllowed, NotFound
from services.core.system import System
from services.identity import auth
from services.operator import actions, auditlog, staff, users, view_as
from services.operator.actions import ReasonMissing
from services.operator.auditlog import AuditFilter
from services.residents import subscriber
from services.support import requests, topics
from services.support.attachments import Upload
from services.support.requests import NewRequest
from tests.factories import PASSWORD, make_account, make_meter, make_user
from tests.integration.identity_helpers import BASE, NOW, UTILITY

TZ = ZoneInfo('Europe/Moscow')
IP = '10.0.0.7'


def seed(system: System) -> dict[str, int]:
    with session_scope(system.engine) as session:
        account = make_account(session, number='690777001', address='с. Ёлкино, ул. Лесная, д. 3')
        meter = make_meter(session, account, serial='M-ELK-1')
        resident = make_user(
            session, accounts=(account,), email='olga@example.com', phone='+79123456789', full_name='Ёлкина Ольга'
        )
        other = make_user(session, email='petr@example.com', full_name='Петров Пётр')
        operator = make_user(session, email='op@example.com', role=Role.operator)
        admin = make_user(session, email='admin@example.com', role=Role.admin)
        session.add(IntervalEnergy(meter_id=meter.id or 0, energy=1, start=int(NOW.timestamp()) - 1800, wh=120))
        ids = {
            'resident': resident.id or 0, 'other': other.id or 0, 'operator': operator.id or 0,
            'admin': admin.id or 0, 'account': account.id or 0, 'meter': meter.id or 0,
        }  # fmt: skip
    return ids


def actor(system: System, user_id: int) -> User:
    with Session(system.engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        session.expunge(user)
        return user


def found(system: System, query: str, who: User) -> list[str]:
    with session_scope(system.engine) as session:
        return [r.email for r in users.search(session=session, actor=who, query=query).rows]


@pytest.mark.parametrize(
    'query',
    ['8 (912) 345-67-89', '+7 912 3456789', '89123456789', 'OLGA@example.com', 'елкина', 'ольга ёлкина', '690777',
     'ёлкино, ул. лесная', 'M-ELK'],
)  # fmt: skip
def test_an_operator_finds_a_resident_by_any_of_their_keys_in_any_spelling(system: System, query: str) -> None:
    ids = seed(system)
    assert found(system, query, actor(system, ids['operator'])) == ['olga@example.com']


def test_the_search_pages_and_a_resident_may_not_search(system: System) -> None:
    ids = seed(system)
    operator = actor(system, ids['operator'])
    with session_scope(system.engine) as session:
        first = users.search(session=session, actor=operator, query='', per_page=1)
        second = users.search(session=session, actor=operator, query='', page=1, per_page=1)
        with pytest.raises(NotAllowed):
            users.search(session=session, actor=actor(system, ids['resident']), query='')
    assert first.more and not second.more  # two residents, one a page
    assert {first.rows[0].email, second.rows[0].email} == {'olga@example.com', 'petr@example.com'}
    assert found(system, 'op@example.com', operator) == []  # staff are not in the residents' list


def login(system: System, password: str = PASSWORD) -> auth.LoginResult:
    return auth.login(
        engine=system.engine, login_name='olga@example.com', password=password, ip='1.2.3.4', user_agent='t', now=NOW
    )


def test_blocking_ends_the_sessions_and_the_login_says_blocked_only_after_the_right_password(system: System) -> None:
    ids = seed(system)
    token = login(system).token
    operator = actor(system, ids['operator'])
    with session_scope(system.engine) as session:
        with pytest.raises(ReasonMissing):
            actions.block(session=session, actor=operator, user_id=ids['resident'], reason='  ', ip=IP, now=NOW)
    with session_scope(system.engine) as session:
        actions.block(session=session, actor=operator, user_id=ids['resident'], reason='по заявлению', ip=IP, now=NOW)
    with session_scope(system.engine) as session:
        assert auth.resolve_session(session=session, token=token, now=NOW) is None
        assert session.exec(select(UserSession).where(UserSession.user_id == ids['resident'])).all() == []
    with pytest.raises(auth.LoginRefused) as wrong:
        login(system, 'wrong password 1')
    assert not wrong.value.blocked  # a stranger learns nothing
    with pytest.raises(auth.LoginRefused) as right:
        login(system)
    assert right.value.blocked
    with session_scope(system.engine) as session:
        actions.unblock(session=session, actor=operator, user_id=ids['resident'], reason='разобрались', ip=IP, now=NOW)
    assert login(system).user.id == ids['resident']


def test_ending_sessions_and_sending_a_reset_are_audited_and_the_reset_letter_is_queued(system: System) -> None:
    ids = seed(system)
    login(system)
    operator = actor(system, ids['operator'])
    with session_scope(system.engine) as session:
        ended = actions.end_sessions(
            session=session, actor=operator, user_id=ids['resident'], reason='r1', ip=IP, now=NOW
        )
        actions.send_password_reset(
            session=session, actor=operator, user_id=ids['resident'], reason='r2', ip=IP, now=NOW, utility=UTILITY,
            base_url=BASE,
        )  # fmt: skip
    assert ended == 1
    with Session(system.engine) as session:
        letters = session.exec(select(EmailOutbox).where(EmailOutbox.to_addr == 'olga@example.com')).all()
    assert [m.subject.split(' — ')[0] for m in letters] == ['Восстановление пароля']


def test_deleting_a_resident_removes_personal_data_and_keeps_meter_data_and_the_audit_trail(
    system: System, tmp_path: Path
) -> None:
    ids = seed(system)
    login(system)
    operator = actor(system, ids['operator'])
    folder = tmp_path / 'attachments'
    settings = system.settings.model_copy(update={'attachments_dir': str(folder)})
    with session_scope(system.engine) as session:  # what the resident wrote and chose, and a letter not yet sent
        resident = session.get(User, ids['resident'])
        assert resident is not None
        topic = topics.list_topics(session=session)[0].id
        asked = NewRequest(topic_id=topic, account_id=ids['account'], meter_id=None, text='Прошу проверить счётчик',
                           uploads=(Upload('фото.png', b'\x89PNG\r\n\x1a\n' + b'0' * 64),))  # fmt: skip
        requests.create_request(session=session, user=resident, new=asked, settings=settings, now=NOW)
        session.add(AlertPreference(user_id=ids['resident'], kind='events', enabled=False))
        session.add(EmailOutbox(to_addr='olga@example.com', subject='Ответ', body_text='…'))
        session.add(EmailOutbox(to_addr='olga@example.com', subject='Ранее', body_text='…', sent_at=NOW))
    assert len(list(folder.iterdir())) == 1
    with session_scope(system.engine) as session:
        actions.delete_resident(
            session=session, actor=operator, user_id=ids['resident'], reason='заявление', ip=IP, now=NOW,
            attachments_dir=folder,
        )  # fmt: skip
    with Session(system.engine) as session:
        user = session.get(User, ids['resident'])
        assert user is not None
        assert (user.email, user.phone, user.full_name, user.blocked) == (
            f'deleted-{ids["resident"]}@deleted.invalid', None, '', True,
        )  # fmt: skip
        assert session.exec(select(ResidentAccount).where(ResidentAccount.user_id == user.id)).all() == []
        assert len(session.exec(select(IntervalEnergy).where(IntervalEnergy.meter_id == ids['meter'])).all()) == 1
        trail = session.exec(select(AuditLog.action).where(AuditLog.user_id == ids['resident'])).all()
        for model in (SupportRequest, SupportMessage, SupportAttachment, AlertPreference):
            assert session.exec(select(model)).all() == [], model
        letters = session.exec(select(EmailOutbox.subject).where(EmailOutbox.to_addr == 'olga@example.com')).all()
    assert letters == ['Ранее']  # the unsent one is not sent to a deleted resident; the history of sent ones stays
    assert list(folder.iterdir()) == []  # the photo is gone from the disk
    assert 'login' in trail  # the resident's own history stays, under the anonymised row
    assert found(system, '89123456789', operator) == [] and found(system, 'Ёлкина', operator) == []
    with pytest.raises(auth.LoginRefused):
        login(system)


def test_a_deletion_that_is_not_saved_keeps_the_resident_s_files(system: System, tmp_path: Path) -> None:
    ids = seed(system)
    operator = actor(system, ids['operator'])
    folder = tmp_path / 'attachments'
    settings = system.settings.model_copy(update={'attachments_dir': str(folder)})
    with session_scope(system.engine) as session:
        resident = session.get(User, ids['resident'])
        assert resident is not None
        asked = NewRequest(topic_id=topics.list_topics(session=session)[0].id, account_id=ids['account'],
                           meter_id=None, text='Прошу проверить счётчик',
                           uploads=(Upload('скан.pdf', b'%PDF-1.7\n' + b'0' * 64),))  # fmt: skip
        requests.create_request(session=session, user=resident, new=asked, settings=settings, now=NOW)
    with pytest.raises(RuntimeError), session_scope(system.engine) as session:
        actions.delete_resident(
            session=session, actor=operator, user_id=ids['resident'], reason='заявление', ip=IP, now=NOW,
            attachments_dir=folder,
        )  # fmt: skip
        raise RuntimeError('the database goes away before the commit')
    assert len(list(folder.iterdir())) == 1
    with Session(system.engine) as session:
        assert len(session.exec(select(SupportAttachment)).all()) == 1


def test_unlinking_an_account_takes_it_away_from_the_resident_only(system: System) -> None:
    ids = seed(system)
    operator = actor(system, ids['operator'])
    with session_scope(system.engine) as session:
        number = actions.unlink_account(
            session=session, actor=operator, user_id=ids['resident'], account_id=ids['account'], reason='ошибка',
            ip=IP, now=NOW,
        )  # fmt: skip
        assert number == '690777001'
        assert subscriber.account_list(session=session, user=actor(system, ids['resident'])) == []
        with pytest.raises(NotFound):
            actions.unlink_account(
                session=session, actor=operator, user_id=ids['resident'], account_id=ids['account'], reason='x',
                ip=IP, now=NOW,
            )  # fmt: skip


def test_the_last_admin_can_be_neither_demoted_nor_deactivated_and_operators_cannot_manage_staff(
    system: System,
) -> None:
    ids = seed(system)
    admin, operator = actor(system, ids['admin']), actor(system, ids['operator'])
    with session_scope(system.engine) as session:
        with pytest.raises(staff.LastAdmin):
            staff.change_role(
                session=session, actor=admin, staff_id=ids['admin'], role='operator', reason='r', ip=IP, now=NOW
            )
        with pytest.raises(staff.LastAdmin):
            staff.set_active(
                session=session, actor=admin, staff_id=ids['admin'], active=False, reason='r', ip=IP, now=NOW
            )
        with pytest.raises(NotAllowed):
            staff.list_staff(session=session, actor=operator)
    with session_scope(system.engine) as session:
        staff.change_role(
            session=session, actor=admin, staff_id=ids['operator'], role='admin', reason='r', ip=IP, now=NOW
        )
    with session_scope(system.engine) as session:  # two admins now: one may step down
        staff.change_role(
            session=session, actor=admin, staff_id=ids['admin'], role='operator', reason='r', ip=IP, now=NOW
        )
    with Session(system.engine) as session:
        roles = {u.email: u.role for u in session.exec(select(User).where(col(User.role) != Role.resident)).all()}
    assert roles == {'op@example.com': 'admin', 'admin@example.com': 'operator'}


def test_an_invited_operator_sets_a_password_through_the_emailed_link_once(system: System) -> None:
    ids = seed(system)
    with session_scope(system.engine) as session:
        staff.invite(
            session=session, actor=actor(system, ids['admin']), email='New.Op@Example.com', name='Новый',
            role='operator', ip=IP, now=NOW, utility=UTILITY, base_url=BASE,
        )  # fmt: skip
    with Session(system.engine) as session:
        letter = session.exec(select(EmailOutbox).where(EmailOutbox.to_addr == 'new.op@example.com')).one()
    token = letter.body_text.split('token=')[1].split()[0]
    with session_scope(system.engine) as session:
        assert (
            staff.accept_invite(session=session, token=token, password='long enough 42', ip=IP, now=NOW)
            == 'new.op@example.com'
        )
    with session_scope(system.engine) as session, pytest.raises(staff.DomainError):
        staff.accept_invite(session=session, token=token, password='another one 42', ip=IP, now=NOW)
    result = auth.login(
        engine=system.engine, login_name='new.op@example.com', password='long enough 42', ip=IP, user_agent='t', now=NOW
    )
    assert result.user.role == Role.operator


def test_every_operator_action_is_in_the_audit_log_and_operators_do_not_see_staff_management(
    system: System, tmp_path: Path
) -> None:
    ids = seed(system)
    operator, admin = actor(system, ids['operator']), actor(system, ids['admin'])
    with session_scope(system.engine) as session:
        view_as.subject(session=session, actor=operator, user_id=ids['resident'], what='accounts', ip=IP, now=NOW)
        actions.block(session=session, actor=operator, user_id=ids['resident'], reason='=cmd|x', ip=IP, now=NOW)
        actions.unblock(session=session, actor=operator, user_id=ids['resident'], reason='ok', ip=IP, now=NOW)
        actions.end_sessions(session=session, actor=operator, user_id=ids['resident'], reason='s', ip=IP, now=NOW)
        staff.set_active(
            session=session, actor=admin, staff_id=ids['operator'], active=True, reason='no-op', ip=IP, now=NOW
        )
        staff.change_role(
            session=session, actor=admin, staff_id=ids['operator'], role='admin', reason='r', ip=IP, now=NOW
        )
    target = AuditFilter(target='olga@example.com', since=date(2026, 3, 10), until=date(2026, 3, 10), ip='10.0.')
    with session_scope(system.engine) as session:
        seen = auditlog.entries(session=session, actor=operator, where=target, tz=TZ).rows
        mine = auditlog.entries(session=session, actor=operator, where=AuditFilter(who='op@'), tz=TZ).rows
        as_admin = auditlog.entries(session=session, actor=admin, where=AuditFilter(), tz=TZ).rows
        later = auditlog.entries(session=session, actor=admin, where=AuditFilter(since=date(2026, 3, 11)), tz=TZ).rows
        csv = auditlog.export_csv(session=session, actor=admin, where=target, tz=TZ).decode('utf-8-sig')
    assert [r.action for r in seen] == ['user_sessions_ended', 'user_unblocked', 'user_blocked', 'viewed_as_resident']
    assert all(r.actor == 'op@example.com' and r.ip == IP for r in seen)
    assert 'staff_role_changed' not in {r.action for r in mine}  # an operator never sees staff management
    assert 'staff_role_changed' in {r.action for r in as_admin}
    assert later == []
    assert "'=cmd|x" in csv  # a reason that looks like a formula stays text
    uid = ids['resident']
    with session_scope(system.engine) as session:
        actions.send_password_reset(
            session=session, actor=operator, user_id=uid, reason='r', ip=IP, now=NOW, utility=UTILITY, base_url=BASE
        )
        actions.unlink_account(
            session=session, actor=operator, user_id=uid, account_id=ids['account'], reason='u', ip=IP, now=NOW
        )
        actions.delete_resident(
            session=session, actor=operator, user_id=uid, reason='d', ip=IP, now=NOW, attachments_dir=tmp_path
        )
    with session_scope(system.engine) as session:
        every = auditlog.entries(session=session, actor=operator, where=AuditFilter(target=f'user:{uid}'), tz=TZ).rows
    assert [r.action for r in every][:3] == ['user_deleted', 'user_account_unlinked', 'user_password_reset_sent']
    assert len(every) == 7 and {r.actor for r in every} == {'op@example.com'}


def test_see_as_the_resident_shows_their_accounts_and_audits_the_view(system: System) -> None:
    ids = seed(system)
    with session_scope(system.engine) as session:
        subject = view_as.subject(
            session=session, actor=actor(system, ids['operator']), user_id=ids['resident'], what='meter', ip=IP, now=NOW
        )
        accounts = subscriber.account_list(session=session, user=subject)
        with pytest.raises(NotAllowed):
            view_as.subject(
                session=session, actor=actor(system, ids['other']), user_id=ids['resident'], what='x', ip=IP, now=NOW
            )
        with pytest.raises(NotFound):
            view_as.subject(
                session=session, actor=actor(system, ids['operator']), user_id=ids['admin'], what='x', ip=IP, now=NOW
            )
    assert [a.number for a in accounts] == ['690777001']


def test_a_users_card_shows_live_sessions_accounts_and_recent_audit(system: System) -> None:
    ids = seed(system)
    login(system)
    with session_scope(system.engine) as session:
        card = users.user_card(
            session=session, actor=actor(system, ids['operator']), user_id=ids['resident'], now=NOW + timedelta(hours=1)
        )
    assert len(card.sessions) == 1 and card.sessions[0].ip == '1.2.3.4'
    assert [(a.number, [m.serial for m in a.meters]) for a in card.accounts] == [('690777001', ['M-ELK-1'])]
    assert card.audit[0].action == 'login'
    assert card.row.last_login_at == NOW.astimezone(UTC)


def test_an_open_page_checking_its_session_does_not_keep_an_idle_session_alive(system: System) -> None:
    seed(system)
    token = login(system).token
    later = NOW + timedelta(minutes=30)
    with session_scope(system.engine) as session:
        assert auth.resolve_session(session=session, token=token, now=later, touch=False) is not None
    with Session(system.engine) as session:
        (row,) = session.exec(select(UserSession)).all()
    assert row.last_seen_at == NOW  # only a request of the person moves the idle clock
