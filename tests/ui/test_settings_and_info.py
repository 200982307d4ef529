"""Settings, the forced password change, adding accounts and the Information section in the simulated browser."""

from __future__ import annotations

from datetime import timedelta

from nicegui.testing import User
from sqlmodel import select

from models import AuditLog, InfoPage, Role
from models import User as UserRow
from services.core import fmt
from services.core.settings import Settings
from tests.clock import now_of
from tests.factories import PASSWORD, make_account, make_user
from tests.ui.helpers import login
from tests.ui.identity_seed import ADDRESS, cheap_bcrypt, letters, with_db  # noqa: F401

NEW = 'Лампочка-2026'


def seed(settings: Settings, **fields: object) -> None:
    values: dict[str, object] = {'email': 'olga@example.com', 'phone': '+79123456789', 'full_name': 'Ольга Смирнова'}
    values.update(fields)
    with_db(settings, lambda s: make_user(s, accounts=(make_account(s),), **values))


def stored(settings: Settings) -> UserRow:
    return with_db(settings, lambda s: s.exec(select(UserRow).where(UserRow.full_name == 'Ольга Смирнова')).one())


async def change_password(user: User, current: str | None, new: str, repeat: str) -> None:
    if current is not None:
        user.find(marker='current-password').type(current)
    user.find(marker='new-password').type(new)
    user.find(marker='repeat-password').type(repeat)
    user.find(marker='save-password').click()


async def test_settings_show_the_manuals_rows_with_edit_buttons(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'olga@example.com')
    await user.open('/settings')
    for text in ('ФИО', 'Ольга Смирнова', 'Телефон', '+7 912 345-67-89', 'Email', 'olga@example.com', 'Пароль'):
        await user.should_see(text)
    await user.should_see(marker='edit-password')


async def test_a_first_login_forces_the_password_change_before_any_other_page(user: User, app_env: Settings) -> None:
    seed(app_env, must_change_password=True, password_expires_at=now_of(app_env) + timedelta(hours=70))
    await login(user, 'olga@example.com')
    await user.should_see('Вы вошли с временным паролем', retries=50)
    await user.open('/')
    await user.should_see(marker='forced-password', retries=50)  # the main page sends the browser back
    await change_password(user, None, NEW, NEW)  # the temporary password just typed is not asked again
    await user.should_see('Пароль изменён', retries=50)
    fresh = stored(app_env)
    assert not fresh.must_change_password and fresh.password_expires_at is None
    assert [letter.subject.split(' — ')[0] for letter in letters(app_env)] == ['Пароль изменён']


async def test_password_errors_are_shown_next_to_their_fields(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'olga@example.com')
    await user.open('/settings')
    user.find(marker='edit-password').click()
    await change_password(user, 'wrong', NEW, NEW)
    await user.should_see('Текущий пароль указан неверно.', retries=50)
    user.find(marker='current-password').clear().type(PASSWORD)
    user.find(marker='new-password').clear().type('qwerty123')
    user.find(marker='save-password').click()
    await user.should_see('Это слишком распространённый пароль', retries=50)
    user.find(marker='new-password').clear().type(NEW)
    user.find(marker='repeat-password').clear().type(NEW + '!')
    user.find(marker='save-password').click()
    await user.should_see('Пароли не совпадают.', retries=50)


async def test_a_new_email_is_confirmed_by_the_emailed_link(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'olga@example.com')
    await user.open('/settings')
    user.find(marker='new-email').type('olga@new.example')
    user.find(marker='email-password').type('wrong')
    user.find(marker='save-email').click()
    await user.should_see('Текущий пароль указан неверно.', retries=50)
    user.find(marker='email-password').clear().type(PASSWORD)
    user.find(marker='save-email').click()
    await user.should_see('Мы отправили ссылку на olga@new.example', retries=50)
    assert stored(app_env).email == 'olga@example.com'  # not before the link is opened
    link = next(x for x in letters(app_env) if x.to_addr == 'olga@new.example').body_text.split('/settings/email')[1]
    await user.open('/settings/email' + link.split()[0])
    user.find(marker='confirm-email').click()
    await user.should_see('теперь ваш логин — olga@new.example')
    assert stored(app_env).email == 'olga@new.example'
    await user.open('/settings/email/confirm?token=forged')
    user.find(marker='confirm-email').click()
    await user.should_see('Ссылка недействительна')


async def test_phone_and_name_are_changed_and_a_taken_phone_is_refused(user: User, app_env: Settings) -> None:
    seed(app_env)
    with_db(app_env, lambda s: make_user(s, phone='+79160000000'))
    await login(user, 'olga@example.com')
    await user.open('/settings')
    user.find(marker='new-phone').clear().type('8 916 000-00-00')
    user.find(marker='save-phone').click()
    await user.should_see('Этот номер указан в другой учётной записи', retries=20)
    user.find(marker='new-phone').clear().type('+7 (912) 111 22 33')
    user.find(marker='save-phone').click()
    await user.should_see('Сохранено.', retries=20)
    user.find(marker='new-name').clear().type('Ольга Смирнова')
    user.find(marker='save-name').click()
    assert stored(app_env).phone == '+79121112233'


async def test_a_resident_adds_an_account_on_the_settings_page(user: User, app_env: Settings) -> None:
    seed(app_env)
    with_db(app_env, lambda s: make_account(s, number='8800001', address=ADDRESS))
    await login(user, 'olga@example.com')
    await user.open('/settings')
    user.find(marker='add-account-number').type('8800001')
    user.find(marker='add-account-address').type('г. Тверь, ул. Советская, д. 5, кв. 13')
    user.find(marker='add-account-submit').click()
    await user.should_see('Адрес не совпадает', retries=20)
    user.find(marker='add-account-number').clear().type('404')
    user.find(marker='add-account-submit').click()
    await user.should_see('Лицевого счёта с таким номером нет', retries=20)
    user.find(marker='add-account-number').clear().type('8800001')
    user.find(marker='add-account-address').clear().type('Г. ТВЕРЬ, УЛ. СОВЕТСКАЯ, Д. 5, КВ. 12')
    user.find(marker='add-account-submit').click()
    await user.should_see('Лицевой счёт добавлен.', retries=20)
    await user.should_see(f'8800001 — {fmt.address(ADDRESS)}', retries=20)  # «кв.» and «12» never apart


async def test_the_information_section_is_public_and_renders_markdown_safely(user: User, app_env: Settings) -> None:
    body = '## Правила\n\n**Важно**: читайте.\n\n<script>alert(1)</script>\n\n[ссылка](javascript:alert(1))'
    with_db(app_env, lambda s: s.add(InfoPage(kind='agreement', slug='agreement', title='Соглашение', body_md=body)))
    await user.open('/info/agreement')
    html = user.find(marker='info-agreement').elements.pop().default_slot.children[0].content
    assert '<strong>Важно</strong>' in html and '<script' not in html and 'href="javascript' not in html
    user.find(marker='tab-news').click()
    await user.should_see('Новостей пока нет.')


async def test_an_operator_writes_news_with_a_preview_and_the_edit_is_audited(user: User, app_env: Settings) -> None:
    with_db(app_env, lambda s: make_user(s, email='op@example.com', role=Role.operator))
    await login(user, 'op@example.com')
    await user.open('/operator/info')
    user.find(marker='new-page').click()
    user.find(marker='page-title-input').type('Плановое отключение')
    user.find(marker='page-body').type('Отключение **15 марта** с 10:00 до 14:00.')
    await user.should_see('15 марта')
    user.find(marker='save-page').click()
    await user.should_see('Сохранено.')
    await user.open('/info/news')
    await user.should_see('Плановое отключение')
    actions = with_db(app_env, lambda s: [a.action for a in s.exec(select(AuditLog))])
    assert 'info_created' in actions


async def test_a_resident_cannot_open_the_operators_editor(user: User, app_env: Settings) -> None:
    seed(app_env)
    await login(user, 'olga@example.com')
    await user.open('/operator/info')
    await user.should_not_see('Новая страница')
