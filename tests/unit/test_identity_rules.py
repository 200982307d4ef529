"""Pure rules of the identity features: passwords, addresses, contacts, Markdown, email templates."""

from __future__ import annotations

import pytest

from services.content import info
from services.identity.contacts import normalise_login, normalise_phone
from services.identity.passwords import PasswordRejected, check_new_password
from services.identity.registration import same_address
from services.mail import outbox


@pytest.mark.parametrize(
    ('password', 'reason'),
    [
        ('Short1', 'at least 8'),
        ('x' * 65, 'too long'),
        ('я' * 37, 'too long'),  # 37 characters but 74 bytes: more than bcrypt reads
        ('QWERTY123', 'too common'),
        ('aaaaaaaaaaaa', 'too common'),  # fewer than three different characters
        ('olga.smirnova@example.com', 'email'),
        ('Olga.Smirnova', 'email'),
    ],
)
def test_weak_or_unusable_passwords_are_rejected_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(PasswordRejected, match=reason):
        check_new_password(password, email='olga.smirnova@example.com')


def test_sixty_four_characters_and_a_cyrillic_passphrase_are_accepted() -> None:
    check_new_password('a1b2' * 16, email='olga@example.com')  # 64 characters, 64 bytes
    check_new_password('зелёная лампа 7', email='olga@example.com')  # 15 characters, 27 bytes


@pytest.mark.parametrize(
    'typed',
    ['г. Тверь, ул. Советская, д. 5, кв. 12', 'Г ТВЕРЬ УЛ СОВЕТСКАЯ Д 5 КВ 12', ' г.Тверь,ул.Советская,д.5,кв.12 '],
)
def test_an_address_matches_in_any_case_spacing_and_punctuation(typed: str) -> None:
    assert same_address(typed, 'г. Тверь, ул. Советская, д. 5, кв. 12')


def test_yo_and_ye_are_the_same_letter_but_another_flat_is_another_address() -> None:
    assert same_address('пос. Сахарово, пер. Березовый, д. 3', 'пос. Сахарово, пер. Берёзовый, д. 3')
    assert not same_address('г. Тверь, ул. Советская, д. 5, кв. 1', 'г. Тверь, ул. Советская, д. 5, кв. 12')
    assert not same_address('', '')


@pytest.mark.parametrize('typed', ['8 912 345-67-89', '+7 (912) 345 67 89', '89123456789', '7 912 3456789'])
def test_phones_in_any_spelling_become_one_number(typed: str) -> None:
    assert normalise_phone(typed) == '+79123456789'
    assert normalise_login(typed) == ('phone', '+79123456789')


def test_markdown_keeps_formatting_and_drops_scripts_handlers_and_javascript_links() -> None:
    rendered = info.render('## Тарифы\n\n**Новые** [цены](https://example.ru)\n\n<img src=x onerror=alert(1)>')
    assert '<h2>Тарифы</h2>' in rendered and '<strong>Новые</strong>' in rendered
    assert '<a href="https://example.ru" rel="noopener noreferrer nofollow">цены</a>' in rendered
    assert '<img' not in rendered
    assert 'href' not in info.clean('<a href="javascript:alert(1)">x</a>')


def test_email_values_are_escaped_in_html_and_links_become_anchors() -> None:
    subject, text, html = outbox.render(
        'recovery', {'password': '<b>&', 'login_url': 'https://portal/login', 'utility': 'АО «Свет»'}
    )
    assert subject == 'Восстановление пароля — АО «Свет»'
    assert 'Новый пароль: <b>&' in text and 'С уважением,\nАО «Свет»' in text
    assert '&lt;b&gt;&amp;' in html and '<b>&' not in html
    assert '<a href="https://portal/login">https://portal/login</a>' in html


def test_page_addresses_are_transliterated() -> None:
    assert info.slugify('Плановое отключение 15 марта!') == 'planovoe-otkliuchenie-15-marta'
