"""Registration and adding accounts against a real database (SPEC S1, S6)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from models import AuditLog, EmailOutbox, ResidentAccount, User
from services.core.system import System
from services.identity import auth, registration
from services.identity.registration import RegistrationForm
from tests.factories import make_account, make_user
from tests.integration.identity_helpers import BASE, NOW, UTILITY, cheap_bcrypt  # noqa: F401

ADDRESS = 'г. Тверь, ул. Советская, д. 5, кв. 12'


def form(**changes: object) -> RegistrationForm:
    values: dict[str, object] = {
        'account': '7700123',
        'address': 'Г. ТВЕРЬ  ул Советская д 5 кв 12',
        'full_name': 'Петрова  Анна Ивановна',
        'email': 'Anna.Petrova@Example.RU',
        'phone': '8 (912) 345-67-89',
        'agreed': True,
    }
    values.update(changes)
    return RegistrationForm(**values)  # type: ignore[arg-type]


def register(session: Session, f: RegistrationForm, ip: str = '10.0.0.1') -> registration.Outcome:
    return registration.register(
        session=session, form=f, ip=ip, now=NOW, captcha_on=False, utility=UTILITY, base_url=BASE
    )


def test_a_resident_registers_with_the_account_and_its_address_and_gets_a_password_by_email(system: System) -> None:
    with system.session() as session:
        make_account(session, number='7700123', address=ADDRESS)
        outcome = register(session, form())
        session.commit()
        assert outcome.done and outcome.email == 'anna.petrova@example.ru'
        user = session.exec(select(User).where(User.email == 'anna.petrova@example.ru')).one()
        assert user.phone == '+79123456789'
        assert user.full_name == 'Петрова Анна Ивановна'  # spaces collapsed
        assert user.must_change_password
        assert user.password_expires_at == NOW + timedelta(hours=72)
        letter = session.exec(select(EmailOutbox)).one()
        assert letter.to_addr == 'anna.petrova@example.ru' and 'Временный пароль:' in letter.body_text
        assert UTILITY in letter.body_text and UTILITY in letter.body_html
        assert session.exec(select(ResidentAccount).where(ResidentAccount.user_id == user.id)).one()
        assert session.exec(select(AuditLog).where(AuditLog.action == 'registered')).one()


def test_the_emailed_password_logs_in_and_must_be_changed(system: System) -> None:
    with system.session() as session:
        make_account(session, number='7700123', address=ADDRESS)
        register(session, form())
        session.commit()
        body = session.exec(select(EmailOutbox)).one().body_text
        password = body.split('Временный пароль: ')[1].split()[0]
        result = auth.login(
            engine=system.engine, login_name='+7 912 345 67 89', password=password, ip='1.1.1.1', user_agent='', now=NOW
        )
        assert result.must_change_password


def test_an_expired_generated_password_is_refused_with_advice_to_recover(system: System) -> None:
    with system.session() as session:
        make_account(session, number='7700123', address=ADDRESS)
        register(session, form())
        session.commit()
        password = session.exec(select(EmailOutbox)).one().body_text.split('Временный пароль: ')[1].split()[0]
        later = NOW + timedelta(hours=72, seconds=1)
        try:
            auth.login(
                engine=system.engine,
                login_name='anna.petrova@example.ru',
                password=password,
                ip='',
                user_agent='',
                now=later,
            )
        except auth.LoginRefused as refused:
            assert refused.expired
        else:
            raise AssertionError('an expired password logged in')


def test_an_unknown_account_and_a_wrong_address_are_told_apart_next_to_their_fields(system: System) -> None:
    with system.session() as session:
        make_account(session, number='7700123', address=ADDRESS)
        assert register(session, form(account='0000000')).errors == {'account': registration.NOT_FOUND}
        assert register(session, form(address='г. Тверь, ул. Советская, д. 5, кв. 13')).errors == {
            'address': registration.WRONG_ADDRESS
        }
        assert session.exec(select(User)).all() == []


def test_bad_email_phone_and_no_consent_are_reported_together(system: System) -> None:
    with system.session() as session:
        outcome = register(session, form(email='anna@', phone='12', agreed=False, account=' '))
        assert set(outcome.errors) == {'email', 'phone', 'agreed', 'account'}


def test_an_already_registered_email_gets_the_same_answer_and_its_owner_a_letter(system: System) -> None:
    with system.session() as session:
        make_account(session, number='7700123', address=ADDRESS)
        make_user(session, email='anna.petrova@example.ru')
        outcome = register(session, form())
        assert outcome.done
        letter = session.exec(select(EmailOutbox)).one()
        assert letter.to_addr == 'anna.petrova@example.ru' and 'уже есть' in letter.body_text
        assert len(session.exec(select(User)).all()) == 1


def test_an_account_claimed_by_someone_else_is_refused_with_a_neutral_message(system: System) -> None:
    with system.session() as session:
        account = make_account(session, number='7700123', address=ADDRESS)
        make_user(session, accounts=(account,))
        assert register(session, form()).errors == {'account': registration.CLAIMED}


def test_guessing_account_numbers_is_stopped_after_twenty_misses_an_hour(system: System) -> None:
    with system.session() as session:
        make_account(session, number='7700123', address=ADDRESS)
        for n in range(registration.FAILED_MATCHES_PER_HOUR):
            register(session, form(account=f'99{n}'))
        # the 21st attempt is refused even with the right number and address
        assert register(session, form()).errors == {'form': registration.TOO_MANY}
        assert register(session, form(), ip='10.0.0.2').done


def test_address_suggestions_need_three_letters_and_show_at_most_twenty_addresses(system: System) -> None:
    with system.session() as session:
        for n in range(25):
            make_account(session, number=f'55{n:03d}', address=f'д. Никулино, ул. Полевая, д. {n + 1}')
        make_account(session, number='66001', address='г. Тверь, ул. Советская, д. 1')
        assert registration.suggest_addresses(session=session, text='ни') == []
        found = registration.suggest_addresses(session=session, text='НИКУ')
        assert len(found) == 20 and all('Никулино' in a for a in found)
        assert found == sorted(found) and not any(a.startswith('55') for a in found)  # addresses only
        assert registration.suggest_addresses(session=session, text='100%_') == []


def test_a_resident_adds_another_account_with_the_same_checks(system: System) -> None:
    with system.session() as session:
        mine = make_account(session)
        other = make_account(session, number='8800001', address='с. Эммаус, ул. Новая, д. 3')
        user = make_user(session, accounts=(mine,))
        assert registration.add_account(
            session=session, user=user, number=mine.number, address=mine.address, ip='', now=NOW
        ).errors == {'account': 'This personal account is already in your list.'}
        wrong = registration.add_account(
            session=session, user=user, number='8800001', address='с. Эммаус', ip='', now=NOW
        )
        assert wrong.errors == {'address': registration.WRONG_ADDRESS}
        ok = registration.add_account(
            session=session, user=user, number='8800001', address='С. ЭММАУС, УЛ. НОВАЯ, Д. 3', ip='', now=NOW
        )
        assert ok.done
        links = session.exec(select(ResidentAccount).where(ResidentAccount.user_id == user.id)).all()
        assert {link.account_id for link in links} == {mine.id, other.id}
