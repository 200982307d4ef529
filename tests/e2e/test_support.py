"""Support end to end in real Chromium with a real SMTP server, on a desktop and a 390 px phone (SPEC S10, O4, B8):
a resident asks about a meter event with a photo; the desk sees the event and replies; the resident gets the email,
sees the new reply and reads it; the desk closes the request; it is in «Архив сообщений»."""

from __future__ import annotations

import email.message
import re

from tests.e2e.conftest import DESKTOP, PHONE, MailSink, Server, log_in

JPEG = b'\xff\xd8\xff\xe0\x00\x10JFIF\x00' + b'\x00' * 200


def text_of(message: email.message.Message) -> str:
    plain = next(part for part in message.walk() if part.get_content_type() == 'text/plain')
    return plain.get_payload(decode=True).decode()  # type: ignore[union-attr]


def ask_from_an_event(page, server: Server, question: str) -> int:
    page.goto(server.url + '/diagnostics')
    page.get_by_role('link', name='Задать вопрос').first.click()
    page.wait_for_url('**/support?event=*')
    page.get_by_text('О событии «').wait_for()
    page.get_by_label('Тема', exact=True).click()  # not «Тема оформления», the header's theme button
    page.get_by_role('option', name='Прибор учёта').click()
    page.get_by_label('Ваш вопрос').fill(question)
    page.locator('.q-uploader input[type=file]').set_input_files(
        {'name': 'счётчик.jpg', 'mimeType': 'image/jpeg', 'buffer': JPEG}
    )
    page.locator('.q-chip').filter(has_text='счётчик.jpg').wait_for()
    page.get_by_role('button', name='Отправить').click()
    page.wait_for_url(re.compile(r'.*/support/\d+$'))
    page.locator('.k-msg-body').filter(has_text=question).wait_for()
    return int(page.url.rsplit('/', 1)[1])


def test_a_question_about_an_event_is_answered_mailed_read_and_archived(
    page, browser, server: Server, smtp_sink: MailSink
) -> None:
    phone = page.viewport_size['width'] < 600
    question = f'Что означает это событие и опасно ли оно? Спрашиваю с {"телефона" if phone else "компьютера"}.'
    log_in(page, server)
    request_id = ask_from_an_event(page, server, question)
    assert page.evaluate('document.documentElement.scrollWidth') <= page.viewport_size['width']

    desk_context = browser.new_context(locale='ru-RU', **(PHONE if phone else DESKTOP))
    desk = desk_context.new_page()
    desk.set_default_timeout(15000)
    log_in(desk, server, login='operator@example.com')
    desk.goto(server.url + '/operator/support')
    desk.get_by_text(question[:60]).first.click()
    desk.wait_for_url(f'**/operator/support/{request_id}')
    desk.get_by_text('О событии «').wait_for()
    desk.get_by_text('счётчик.jpg').wait_for()
    reply = 'Это событие записывается при сильном магнитном поле рядом со счётчиком; опасности нет.'
    desk.get_by_label('Ответ абоненту').fill(reply)
    desk.get_by_role('button', name='Отправить').click()
    desk.get_by_text('ответ получен').first.wait_for()

    mail = smtp_sink.wait_for('demo@example.com', f'Ответ на ваше обращение № {request_id}')
    assert reply in text_of(mail) and f'/support/{request_id}' in text_of(mail)

    page.goto(server.url + '/')
    page.get_by_text(re.compile(r'\d+ новы[йх] ответ')).first.wait_for()  # the Support tile
    page.goto(server.url + '/support')
    card = page.locator('.k-req').filter(has_text=question[:60])
    card.get_by_text('1 новый ответ').wait_for()
    card.click()
    page.locator('.k-msg-body').filter(has_text=reply).wait_for()
    page.get_by_text('Оператор Энергосбыта').first.wait_for()

    desk.get_by_label('Решение').fill('Разъяснено: помеха, счётчик исправен.')
    desk.get_by_role('button', name='Закрыть').click()
    desk.get_by_text('Разъяснено: помеха, счётчик исправен.').wait_for()
    desk_context.close()
    closed = smtp_sink.wait_for('demo@example.com', f'Ваше обращение № {request_id} закрыто')
    assert 'Архив сообщений' in text_of(closed)

    page.goto(server.url + '/support')
    page.get_by_role('tab', name='Архив сообщений').click()
    page.locator('.k-req').filter(has_text=question[:60]).wait_for()
    assert page.evaluate('document.documentElement.scrollWidth') <= page.viewport_size['width']
