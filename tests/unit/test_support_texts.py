"""Support's texts that reach the screen through a variable still have their Russian (SPEC §11)."""

from __future__ import annotations

import pytest

from pages.operator.support import AGES
from services.core import i18n
from services.support import attachments, desk, requests, topics
from services.support.attachments import Upload

DOMAIN_MESSAGES = [
    'Choose a topic.', 'Choose one of your accounts.', 'Choose one of your meters.',
    'This meter is on another account.', 'Describe the question in at least 10 characters.',
    'At most 4000 characters.', 'At most 2000 characters.', 'At most 100 characters.',
    'The request is closed: create a new one.', 'The request is closed.', 'Write the resolution.',
    'You have sent many requests: please wait before the next one.', 'Enter the topic.',
    '«{name}» is larger than 5 MB.', '«{name}» is not a JPEG or PNG photo or a PDF document.',
    'Attach at most 3 files.',
]  # fmt: skip


@pytest.mark.parametrize('message', [*DOMAIN_MESSAGES, *topics.DEFAULT_TOPICS, *AGES.values()])
def test_a_message_shown_from_a_variable_has_its_russian(message: str) -> None:
    assert i18n.catalog('ru').get(message), message


def test_the_migration_seeds_the_same_topics_the_service_restores() -> None:
    from importlib import import_module

    migration = import_module('migrations.versions.0005_support_desk')
    assert migration.DEFAULT_TOPICS == topics.DEFAULT_TOPICS


def test_the_subject_is_the_first_words_of_the_text_on_one_line() -> None:
    assert requests.subject_of('Счётчик\nне работает') == 'Счётчик не работает'
    long = requests.subject_of('слово ' * 30)
    assert len(long) == requests.SUBJECT_LENGTH and long.endswith('…')


def test_sniffing_reads_the_first_bytes_not_the_name() -> None:
    assert attachments.sniff(b'\xff\xd8\xff\xdb...') == ('image/jpeg', '.jpg')
    assert attachments.sniff(b'%PDF-1.4') == ('application/pdf', '.pdf')
    assert attachments.sniff(b'<?xml version="1.0"?><svg/>') is None
    with pytest.raises(attachments.AttachmentRefused):
        attachments.check_uploads([Upload('photo.png', b'MZ\x90\x00 an executable')])


def test_an_uploaded_name_loses_its_folders_and_takes_the_extension_of_its_content() -> None:
    assert attachments.display_name('C:\\Users\\Иван\\фото счётчика.jpeg', '.jpg') == 'фото счётчика.jpg'
    assert attachments.display_name('../../.bashrc', '.png') == 'file.png'


def test_the_desk_waits_for_new_and_taken_requests_only() -> None:
    assert set(desk.WAITING) == {'open', 'in_progress'}
