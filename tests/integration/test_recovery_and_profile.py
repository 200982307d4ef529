"""Password recovery and profile changes against a real database (SPEC S3, S4)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from models import AuditLog, EmailOutbox, User, UserSession
from services.core.system import System
from services.identity import auth, profile, recovery
from tests.factories import PASSWORD, make_user
from tests.integration.identity_helpers import BASE, NOW, UTILITY, cheap_bcrypt  # noqa: F401


def recover(session: Session, email: str, ip: str = '10.0.0.1') -> recovery.RecoveryOutcome:
    return recovery.request_recovery(
        session=session, email=email, ip=ip, now=NOW, utility=UTILITY, base_url=BASE, captcha_on=False
    )


def login(session: Session, password: str, when: datetime = NOW, name: str = 'olga@example.com') -> auth.LoginResult:
    """A login as the page makes it: the service commits on its own, so the test's writes are committed first."""
    session.commit()
    try:
        engine = session.get_bind()
        return auth.login(engine=engine, login_name=name, password=password, ip='10.0.0.9', user_agent='', now=when)  # type: ignore[arg-type]
    finally:
        session.expire_all()


def emailed_password(session: Session) -> str:
    letters = session.exec(select(EmailOutbox).order_by(EmailOutbox.id.desc())).all()  # type: ignore[union-attr]
    return letters[0].body_text.split('пароль: ')[1].split()[0]


def test_an_unknown_email_and_a_known_one_get_the_same_answer(system: System) -> None:
    with system.session() as session:
        make_user(session, email='olga@example.com')
        known, unknown = recover(session, 'olga@example.com'), recover(session, 'nobody@example.com')
        assert known.errors == unknown.errors == {}
        assert [row.to_addr for row in session.exec(select(EmailOutbox))] == ['olga@example.com']


def test_the_recovery_password_works_once_and_the_old_one_until_then(system: System) -> None:
    with system.session() as session:
        make_user(session, email='olga@example.com')
        recover(session, 'olga@example.com')
        first = emailed_password(session)
        assert login(session, PASSWORD).token  # a stranger's request locks nobody out...
        with pytest.raises(auth.LoginRefused):
            login(session, first)  # ...and the owner's login with the old password cancels it
        recover(session, 'olga@example.com')
        new = emailed_password(session)
        result = login(session, new, NOW + timedelta(minutes=29))
        assert result.must_change_password
        with pytest.raises(auth.LoginRefused):
            login(session, PASSWORD, NOW + timedelta(minutes=30))  # the old password is gone once the new is used


def test_a_second_login_with_the_recovery_password_is_refused_as_a_wrong_password(system: System) -> None:
    with system.session() as session:
        user = make_user(session, email='olga@example.com')
        recover(session, 'olga@example.com')
        emailed = emailed_password(session)
        assert login(session, emailed, NOW + timedelta(minutes=1)).must_change_password
        with pytest.raises(auth.LoginRefused) as second:
            login(session, emailed, NOW + timedelta(minutes=2))
        assert (str(second.value), second.value.retry_after_seconds) == ('Wrong login or password.', 0)
        # it still proves the current password in the form that replaces it, once
        assert change(session, user, emailed, 'Лампочка-2026').done
        assert login(session, 'Лампочка-2026', NOW + timedelta(minutes=3)).must_change_password is False


def test_two_logins_with_one_recovery_password_at_the_same_moment_open_one_session(system: System) -> None:
    with system.session() as session:
        make_user(session, email='olga@example.com')
        recover(session, 'olga@example.com')
        emailed = emailed_password(session)
        session.commit()

    def one() -> bool:
        try:
            auth.login(engine=system.engine, login_name='olga@example.com', password=emailed, ip='10.0.0.9',
                       user_agent='', now=NOW + timedelta(minutes=1))  # fmt: skip
        except auth.LoginRefused:
            return False
        return True

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(lambda _n: one(), range(4))) == [False, False, False, True]


def test_a_recovery_password_expires_after_thirty_minutes(system: System) -> None:
    with system.session() as session:
        make_user(session, email='olga@example.com')
        recover(session, 'olga@example.com')
        with pytest.raises(auth.LoginRefused):
            login(session, emailed_password(session), NOW + timedelta(minutes=30))


def test_recovery_requests_are_throttled_per_client_and_emails_per_user(system: System) -> None:
    with system.session() as session:
        make_user(session, email='olga@example.com')
        answers = [recover(session, 'olga@example.com').errors for _ in range(11)]
        assert answers[:10] == [{}] * 10 and 'form' in answers[10]  # 10 requests an hour per client
        assert len(session.exec(select(EmailOutbox)).all()) == recovery.EMAILS_PER_USER_PER_HOUR  # 3 letters


def change(session: Session, user: User, current: str, new: str, repeat: str | None = None) -> profile.Outcome:
    return profile.change_password(
        session=session, user=user, current=current, new=new, repeat=new if repeat is None else repeat,
        keep_token='keep', ip='', now=NOW, utility=UTILITY, base_url=BASE, tz=ZoneInfo('Europe/Moscow'),
    )  # fmt: skip


def test_a_password_change_needs_the_current_one_and_a_sound_new_one(system: System) -> None:
    with system.session() as session:
        user = make_user(session, email='olga@example.com')
        assert change(session, user, 'wrong', 'Лампочка-2026').errors == {'current': profile.WRONG_PASSWORD}
        assert 'new' in change(session, user, PASSWORD, 'short').errors
        assert 'new' in change(session, user, PASSWORD, 'qwerty123').errors
        assert 'new' in change(session, user, PASSWORD, 'olga@example.com').errors
        assert 'new' in change(session, user, PASSWORD, 'ж' * 37).errors  # 74 bytes > 72
        assert change(session, user, PASSWORD, 'Лампочка-2026', 'Лампочка-2027').errors == {
            'repeat': 'The passwords do not match.'
        }


def test_a_password_change_ends_other_sessions_clears_the_temporary_state_and_notifies(system: System) -> None:
    with system.session() as session:
        user = make_user(session, email='olga@example.com', must_change_password=True, password_expires_at=NOW)
        for token in ('keep', 'other-1', 'other-2'):
            session.add(
                UserSession(token_hash=auth.token_hash(token), user_id=user.id or 0, expires_at=NOW + timedelta(days=1))
            )
        assert change(session, user, PASSWORD, 'Лампочка-2026').done
        session.commit()
        fresh = session.get(User, user.id)
        assert fresh is not None and not fresh.must_change_password and fresh.password_expires_at is None
        assert [s.token_hash for s in session.exec(select(UserSession))] == [auth.token_hash('keep')]
        assert session.exec(select(EmailOutbox)).one().subject.startswith('Пароль изменён')
        assert session.exec(select(AuditLog).where(AuditLog.action == 'password_changed')).one()
        assert login(session, 'Лампочка-2026', NOW + timedelta(minutes=1)).must_change_password is False


def test_a_new_email_takes_effect_only_through_the_emailed_link(system: System) -> None:
    with system.session() as session:
        user = make_user(session, email='olga@example.com')
        request = dict(session=session, user=user, ip='', now=NOW, utility=UTILITY, base_url=BASE)
        assert profile.request_email_change(password='wrong', new_email='o@new.example', **request).errors == {
            'password': profile.WRONG_PASSWORD
        }
        assert profile.request_email_change(password=PASSWORD, new_email='O@New.Example', **request).done
        assert session.get(User, user.id).email == 'olga@example.com'  # type: ignore[union-attr]
        letter = session.exec(select(EmailOutbox).where(EmailOutbox.to_addr == 'o@new.example')).one()
        token = letter.body_text.split('token=')[1].split()[0]
        assert profile.confirm_email(session=session, token=token, ip='', now=NOW, utility=UTILITY) == 'o@new.example'
        assert profile.confirm_email(session=session, token=token, ip='', now=NOW, utility=UTILITY) is None  # used
        assert session.get(User, user.id).email == 'o@new.example'  # type: ignore[union-attr]
        assert session.exec(select(EmailOutbox).where(EmailOutbox.to_addr == 'olga@example.com')).one()


def test_an_email_of_another_user_gets_the_same_answer_and_changes_nothing(system: System) -> None:
    with system.session() as session:
        user = make_user(session, email='olga@example.com')
        make_user(session, email='taken@example.com')
        outcome = profile.request_email_change(
            session=session,
            user=user,
            password=PASSWORD,
            new_email='taken@example.com',
            ip='',
            now=NOW,
            utility=UTILITY,
            base_url=BASE,
        )
        assert outcome.done
        assert session.exec(select(EmailOutbox)).one().subject.startswith('Адрес уже используется')


def test_phone_and_name_changes(system: System) -> None:
    with system.session() as session:
        user = make_user(session, email='olga@example.com')
        make_user(session, phone='+79161234567')
        assert profile.change_phone(session=session, user=user, phone='8 916 123-45-67', ip='', now=NOW).errors
        assert profile.change_phone(session=session, user=user, phone='+7 (912) 000 11 22', ip='', now=NOW).done
        assert profile.change_name(session=session, user=user, name='  Ольга   Смирнова ').done
        fresh = session.get(User, user.id)
        assert fresh is not None and (fresh.phone, fresh.full_name) == ('+79120001122', 'Ольга Смирнова')
