"""Emails in the recipient's language: every letter has an English version with the same placeholders."""

from __future__ import annotations

import string

from services.mail.outbox import render
from services.mail.templates import TEMPLATES, TEMPLATES_EN


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_letter_has_an_english_version_with_the_same_placeholders() -> None:
    assert TEMPLATES_EN.keys() == TEMPLATES.keys()
    for key, (subject, body) in TEMPLATES.items():
        assert fields(subject + body) == fields(''.join(TEMPLATES_EN[key])), key


def test_an_english_resident_gets_the_password_letter_in_english() -> None:
    context = {'utility': 'Tver Energy', 'when': '01.12.2026 22:41', 'recover_url': 'https://portal.example/recover'}
    subject, text, page = render('password_changed', context, language='en')
    assert subject == 'Password changed — Tver Energy'
    assert 'was changed on 01.12.2026 22:41.' in text and text.endswith('Kind regards,\nTver Energy')
    assert '<html lang="en">' in page
    assert render('password_changed', context)[0] == 'Пароль изменён — Tver Energy'
