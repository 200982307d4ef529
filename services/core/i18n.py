"""Translations: English message ids in the code, catalogs in locales/<lang>/*.po (Russian by default).

Every .po file of a language is merged, so each part of the product keeps its own catalog. The language of
the current request or task lives in a context variable, set from the user's choice or the instance default.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parents[2] / 'locales'
LANGUAGES = ('ru', 'en')
DEFAULT_LANGUAGE = 'ru'

_CONTEXT = '\x04'  # between a message's context and its id, as in compiled gettext catalogs
_language: ContextVar[str] = ContextVar('language', default=DEFAULT_LANGUAGE)


def set_language(language: str) -> None:
    """Use `language` for the messages of the current context (falls back to Russian when unknown)."""
    _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def get_language() -> str:
    return _language.get()


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Messages in `language` inside the block (an email to a resident), the caller's language again after it."""
    previous = get_language()
    set_language(language)
    try:
        yield
    finally:
        set_language(previous)


def gettext(message: str) -> str:
    """The message in the current language; the English id itself when no translation exists."""
    return catalog(_language.get()).get(message) or message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form for n in the current language (Russian has three: 1 счёт, 2 счёта, 5 счетов)."""
    forms = plural_catalog(_language.get()).get(singular)
    if not forms:
        return singular if n == 1 else plural
    return forms[min(plural_index(_language.get(), n), len(forms) - 1)]


def plural_index(language: str, n: int) -> int:
    if language != 'ru':
        return 0 if n == 1 else 1
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def pgettext(context: str, message: str, *, language: str | None = None) -> str:
    """The message of `context` (a po file's msgctxt) in `language` (default: the current one), else `message`."""
    return catalog(language or _language.get()).get(f'{context}{_CONTEXT}{message}') or message


_ = gettext


@cache
def catalog(language: str) -> dict[str, str]:
    """Singular messages of every .po file of `language`, merged; one with a context is keyed 'context\\x04id'."""
    messages: dict[str, str] = {}
    for message in _messages(language):
        if isinstance(message.id, str) and isinstance(message.string, str) and message.string:
            key = f'{message.context}{_CONTEXT}{message.id}' if message.context else message.id
            messages[key] = message.string
    return messages


@cache
def plural_catalog(language: str) -> dict[str, tuple[str, ...]]:
    forms: dict[str, tuple[str, ...]] = {}
    for message in _messages(language):
        if isinstance(message.id, tuple) and message.string and all(message.string):
            forms[message.id[0]] = tuple(message.string)
    return forms


def _messages(language: str) -> list[Message]:
    found: list[Message] = []
    for path in sorted((LOCALES_DIR / language).glob('*.po')):
        with path.open('rb') as file:
            found.extend(m for m in read_po(file, locale=language) if m.id and not m.fuzzy)
    return found
