"""Every message the interface shows has its Russian text (SPEC §11: Russian by default)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from services.core import i18n

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {'_': None, 'gettext': None, 'ngettext': (1, 2)}


def extracted() -> set[str]:
    found: set[str] = set()
    for folder in ('pages', 'components', 'services', 'jobs', 'cli'):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[('**.py', 'python')], keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_of_the_interface_has_a_russian_translation() -> None:
    missing = sorted(m for m in extracted() if m not in i18n.catalog('ru') and m not in i18n.plural_catalog('ru'))
    assert missing == [], f'add these to a locales/ru/*.po file: {missing}'


def test_the_english_catalog_exists_and_english_is_the_default_of_every_id() -> None:
    assert (ROOT / 'locales' / 'en').is_dir()
    i18n.set_language('en')
    try:
        assert i18n.gettext('Log in') == 'Log in'
    finally:
        i18n.set_language('ru')


def test_russian_plurals_take_three_forms() -> None:
    assert [i18n.plural_index('ru', n) for n in (1, 2, 5, 11, 21, 22, 25, 112)] == [0, 1, 2, 2, 0, 1, 2, 2]
