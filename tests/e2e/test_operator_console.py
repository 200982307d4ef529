"""The operator's console in real Chromium, on a desktop and on a phone: find a resident by a phone typed in
another spelling, see their meter as they see it, block them (their open page goes to the login), and find it
all in the audit log."""

from __future__ import annotations

import sqlite3

from tests.e2e.conftest import DEMO_PASSWORD, DESKTOP, PHONE, Server, log_in

# One demo resident per viewport (the server is shared by the session and a block lasts).
RESIDENTS = {1366: ('resident3@example.com', '+79031110003', '8 (903) 111-00-03'),
             390: ('resident4@example.com', '+79031110004', '+7 903 111 00 04')}  # fmt: skip


def give_phone(server: Server, email: str, phone: str) -> int:
    """The demo residents have no phone: give this one a number (straight into the portal's database)."""
    with sqlite3.connect(server.data / 'kabinet.db') as db:
        db.execute('UPDATE user SET phone = ? WHERE email = ?', (phone, email))
        (user_id,) = db.execute('SELECT id FROM user WHERE email = ?', (email,)).fetchone()
    return int(user_id)


def test_an_operator_finds_sees_as_and_blocks_a_resident_whose_open_page_goes_to_the_login(
    page, browser, server: Server
) -> None:
    width = page.viewport_size['width']
    email, phone, typed = RESIDENTS[width]
    user_id = give_phone(server, email, phone)
    resident = browser.new_context(locale='ru-RU', **(PHONE if width < 600 else DESKTOP)).new_page()
    resident.set_default_timeout(15000)
    log_in(resident, server, email)
    resident.goto(server.url + '/subscriber')
    resident.locator('.text-h5', has_text='Абонент').wait_for()  # the page title

    log_in(page, server, 'operator@example.com')
    page.wait_for_url('**/operator')  # staff land on the console
    page.goto(server.url + '/operator/users')
    search = page.get_by_label('Имя, email, телефон, лицевой счёт, адрес или прибор')
    search.fill(typed)
    search.press('Enter')
    page.wait_for_url('**/operator/users?q=*')
    page.get_by_text(email).click()
    page.wait_for_url(f'**/operator/users/{user_id}')
    assert page.evaluate('document.documentElement.scrollWidth') <= width  # no sideways scroll

    page.get_by_role('button', name='Смотреть как абонент').click()
    page.wait_for_url(f'**/operator/users/{user_id}/as')
    page.get_by_role('button', name='Открыть').first.click()
    page.wait_for_url(f'**/operator/users/{user_id}/as/meters/*')
    page.get_by_text('Вы видите то, что видит абонент').wait_for()
    page.get_by_text('Поверка', exact=True).wait_for()
    assert page.get_by_role('button', name='Переименовать').count() == 0  # read only
    assert page.evaluate('document.documentElement.scrollWidth') <= width

    page.goto(f'{server.url}/operator/users/{user_id}')
    page.get_by_role('button', name='Заблокировать').click()
    page.get_by_label('Причина (для журнала аудита)').fill('по заявлению абонента')
    page.locator('.q-dialog').get_by_role('button', name='Заблокировать').click()
    page.get_by_role('button', name='Разблокировать').wait_for()

    resident.wait_for_url('**/login**', timeout=30000)  # the open page re-checks its session and leaves
    resident.get_by_label('Телефон или email').fill(phone)
    resident.get_by_label('Пароль', exact=True).fill(DEMO_PASSWORD)
    resident.get_by_role('button', name='Войти').click()
    resident.get_by_text('Ваша учётная запись заблокирована').wait_for()
    resident.context.close()

    page.goto(f'{server.url}/operator/audit?target=user:{user_id}')
    page.get_by_text('пользователь заблокирован').wait_for()
    page.get_by_text('просмотр глазами абонента').first.wait_for()
    page.get_by_text('по заявлению абонента (sessions ended: 1)').wait_for()
    assert page.evaluate('document.documentElement.scrollWidth') <= width
