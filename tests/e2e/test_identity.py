"""A resident's whole identity story in real Chromium with a real SMTP server, on a desktop and a 390 px phone:
register from the demo registry, read the password from the email, log in, change it as made to, log out,
log in by phone, recover the password."""

from __future__ import annotations

import email.message
import sqlite3

from tests.e2e.conftest import MailSink, Server, log_out

NEW_PASSWORD = 'Светильник-2026'
RECOVERED_PASSWORD = 'Выключатель-2027'


def free_account(server: Server) -> tuple[str, str]:
    """A registry account of the demo utility that no resident holds yet (number, address)."""
    with sqlite3.connect(f'file:{server.data / "kabinet.db"}?mode=ro', uri=True) as db:
        row = db.execute(
            'SELECT number, address FROM account WHERE id NOT IN (SELECT account_id FROM resident_account) '
            'ORDER BY id LIMIT 1'
        ).fetchone()
    return str(row[0]), str(row[1])


def text_of(message: email.message.Message) -> str:
    plain = next(part for part in message.walk() if part.get_content_type() == 'text/plain')
    return plain.get_payload(decode=True).decode()  # type: ignore[union-attr]


def password_from(message: email.message.Message) -> str:
    return text_of(message).split('ароль: ')[1].split()[0]


def log_in_as(page, server: Server, login: str, password: str) -> None:
    page.goto(f'{server.url}/login')
    page.get_by_label('Телефон или email').fill(login)
    page.get_by_label('Пароль', exact=True).fill(password)
    page.get_by_role('button', name='Войти').click()
    page.wait_for_url(lambda url: '/login' not in url)


def set_own_password(page, new: str, *, enter: bool = False) -> None:
    """The forced change after a temporary password: only the new one, twice (the fresh login proved the old)."""
    page.get_by_text('Вы вошли с временным паролем').wait_for()
    page.get_by_label('Новый пароль', exact=True).fill(new)
    assert page.get_by_label('Текущий пароль').count() == 0
    page.get_by_label('Новый пароль ещё раз').fill(new)
    if enter:
        page.get_by_label('Новый пароль ещё раз').press('Enter')  # Enter saves as the button does
    else:
        page.get_by_role('button', name='Сохранить').click()
    page.wait_for_url(lambda url: '/settings' not in url)


def register(page, server: Server, number: str, address: str, mail: str, phone: str) -> None:
    page.goto(f'{server.url}/register')
    page.get_by_label('Лицевой счёт').fill(number)
    page.get_by_label('Адрес').fill(address[:-1])  # the suggestions offer the registry's spelling
    page.get_by_text(address, exact=True).click()
    page.get_by_label('ФИО').fill('Кузнецова Мария Ивановна')
    page.get_by_label('Email').fill(mail)
    page.get_by_label('Телефон').fill(phone)
    button = page.get_by_role('button', name='Зарегистрироваться')
    assert button.is_disabled()  # until the agreement is accepted
    page.get_by_role('checkbox').click()
    button.click()
    page.get_by_text('Спасибо! Проверьте почту').wait_for()


def test_a_resident_registers_logs_in_changes_the_password_and_recovers_it(
    page, server: Server, smtp_sink: MailSink
) -> None:
    kind = 'phone' if page.viewport_size['width'] < 600 else 'desktop'
    mail = f'maria.{kind}@example.ru'
    digits = '01' if kind == 'desktop' else '02'
    number, address = free_account(server)

    register(page, server, number, address, mail, f'+7 (912) 100-00-{digits}')
    generated = password_from(smtp_sink.wait_for(mail, 'Регистрация'))

    log_in_as(page, server, mail, generated)
    assert '/settings' in page.url  # made to choose a password of their own first
    set_own_password(page, NEW_PASSWORD)
    assert page.url.rstrip('/') == server.url
    smtp_sink.wait_for(mail, 'Пароль изменён')

    log_out(page)
    log_in_as(page, server, f'8 912 100 00 {digits}', NEW_PASSWORD)  # by phone, spelled differently
    assert page.url.rstrip('/') == server.url
    log_out(page)

    page.goto(f'{server.url}/login')
    page.get_by_text('Забыли пароль?').click()
    page.get_by_label('Email').fill(mail)
    page.get_by_role('button', name='Применить').click()
    page.get_by_text('Если этот адрес зарегистрирован').wait_for()
    recovered = password_from(smtp_sink.wait_for(mail, 'Восстановление пароля'))
    log_in_as(page, server, mail, recovered)
    set_own_password(page, RECOVERED_PASSWORD, enter=True)
    assert page.url.rstrip('/') == server.url


def test_recovery_answers_an_unknown_email_exactly_like_a_known_one(page, server: Server, smtp_sink: MailSink) -> None:
    answers = []
    for address in ('demo@example.com', 'nobody-at-all@example.ru'):
        page.goto(f'{server.url}/recover')
        page.get_by_label('Email').fill(address)
        page.get_by_role('button', name='Применить').click()
        answer = page.get_by_text('Если этот адрес зарегистрирован')
        answer.wait_for()
        answers.append(answer.inner_text())
    assert answers[0] == answers[1]
    smtp_sink.wait_for('demo@example.com', 'Восстановление пароля')
