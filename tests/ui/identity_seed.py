"""Seeding and reading the test database of the identity UI tests (the app runs against the same file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from sqlmodel import Session, col, select

from models import EmailOutbox
from services.core.db import make_engine
from services.core.settings import Settings
from services.identity import captcha, passwords

T = TypeVar('T')
ADDRESS = 'г. Тверь, ул. Советская, д. 5, кв. 12'


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app runs in this process: cost 4 keeps each hash at a millisecond."""
    monkeypatch.setattr(passwords, 'BCRYPT_ROUNDS', 4)


def with_db(settings: Settings, work: Callable[[Session], T]) -> T:
    engine = make_engine(settings.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            result = work(session)
            session.commit()
            return result
    finally:
        engine.dispose()


def letters(settings: Settings) -> list[EmailOutbox]:
    return with_db(settings, lambda s: list(s.exec(select(EmailOutbox).order_by(col(EmailOutbox.id))).all()))


def password_in(letter: EmailOutbox) -> str:
    return letter.body_text.split('ароль: ')[1].split()[0]


@pytest.fixture
def drawn_captchas(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the captcha library draws, newest last: what a person reads off the picture.

    The database keeps only keyed hashes of the answers, so the picture is the only place the answer is.
    """
    texts: list[str] = []
    original = captcha._images.generate

    def generate(chars: str, format: str = 'png') -> object:
        texts.append(chars)
        return original(chars, format)

    monkeypatch.setattr(captcha._images, 'generate', generate)
    return texts
