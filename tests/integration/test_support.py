"""Support on the services (SPEC S10, O4, B8): ownership and staff checks, the rate limit, attachments sniffed from
their content, internal notes, badges and the emails in the outbox."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from models import RequestStatus
from services.core.errors import NotAllowed, NotFound, Throttled
from services.core.system import System
from services.support import attachments, context, desk, requests
from services.support.attachments import Upload
from services.support.desk import Filters
from services.support.requests import NewRequest, RequestRefused
from tests.integration.support_helpers import JPEG, NOW, PDF, PNG, TEXT, Desk, create, make_desk, outbox


@pytest.fixture
def d(system: System, tmp_path: Path) -> Desk:
    return make_desk(system, tmp_path)


def test_a_new_request_is_stored_with_its_first_message_and_announced_to_the_support_address(d: Desk) -> None:
    request_id = create(d)
    with d.system.session() as session:
        rows = requests.resident_requests(session=session, user=d.ivan, archive=False)
    assert [(r.id, r.status, r.account_number) for r in rows] == [(request_id, 'open', '690100001')]
    mail = outbox(d)
    assert [m.to_addr for m in mail] == ['desk@example.com']
    assert f'https://lk.example.ru/operator/support/{request_id}' in mail[0].body_text
    assert '15.04.2026 12:00' in mail[0].body_text  # 09:00 UTC is noon in Moscow


def test_without_a_support_address_nothing_is_announced(system: System, tmp_path: Path) -> None:
    quiet = make_desk(system, tmp_path, support_email='')
    create(quiet)
    assert outbox(quiet) == []


def test_another_resident_s_account_or_meter_is_refused_next_to_its_field(d: Desk) -> None:
    with pytest.raises(RequestRefused) as account:
        create(d, account_id=d.olga_account_id)
    with pytest.raises(RequestRefused) as meter:
        create(d, account_id=None, meter_id=d.olga_meter_id)
    assert (account.value.field, meter.value.field) == ('account', 'meter')


def test_a_short_text_and_a_missing_topic_are_refused(d: Desk) -> None:
    with pytest.raises(RequestRefused) as short:
        create(d, text='  помогите ')
    with pytest.raises(RequestRefused) as topic:
        create(d, topic_id=None)
    assert (short.value.field, topic.value.field) == ('text', 'topic')


def test_a_resident_may_open_five_requests_an_hour_and_the_sixth_waits(d: Desk) -> None:
    for n in range(5):
        create(d, now=NOW + timedelta(minutes=n))
    with pytest.raises(Throttled) as refused:
        create(d, now=NOW + timedelta(minutes=10))
    assert refused.value.retry_after_seconds == 50 * 60 + 1  # the first one leaves the hour at 10:00 UTC
    create(d, now=NOW + timedelta(minutes=61))  # an hour after the first, one more goes through


def test_attachments_are_typed_by_their_content_and_stored_under_a_random_name(d: Desk, tmp_path: Path) -> None:
    files = (Upload('../../etc/счётчик.png', PNG), Upload('scan', PDF), Upload('photo.JPG', JPEG))
    request_id = create(d, uploads=files)
    with d.system.session() as session:
        talk = requests.open_conversation(session=session, user=d.ivan, request_id=request_id, now=NOW)
    stored = talk.messages[0].attachments
    assert [(a.file_name, a.content_type) for a in stored] == [
        ('счётчик.png', 'image/png'), ('scan.pdf', 'application/pdf'), ('photo.jpg', 'image/jpeg'),
    ]  # fmt: skip
    on_disk = sorted(p.name for p in (tmp_path / 'attachments').iterdir())
    assert len(on_disk) == 3 and not any('счётчик' in name or 'photo' in name for name in on_disk)


@pytest.mark.parametrize(
    ('files', 'message'),
    [
        ((Upload('meter.jpg', b'GIF89a' + b'0' * 10),), 'is not a JPEG or PNG photo or a PDF document'),
        ((Upload('script.pdf', b'<html><script>'),), 'is not a JPEG or PNG photo or a PDF document'),
        ((Upload('big.png', PNG + b'0' * attachments.MAX_BYTES),), 'is larger than 5 MB'),
        (tuple(Upload(f'{n}.png', PNG) for n in range(4)), 'Attach at most 3 files'),
    ],
)
def test_files_that_are_not_photos_or_pdfs_too_big_or_too_many_are_refused_and_nothing_is_stored(
    d: Desk, tmp_path: Path, files: tuple[Upload, ...], message: str
) -> None:
    with pytest.raises(RequestRefused) as refused:
        create(d, uploads=files)
    assert refused.value.field == 'files' and message in str(refused.value)
    assert not (tmp_path / 'attachments').exists()
    with d.system.session() as session:
        assert requests.resident_requests(session=session, user=d.ivan, archive=False) == []


def test_files_written_for_a_request_whose_transaction_fails_are_removed_again(d: Desk, tmp_path: Path) -> None:
    new = NewRequest(topic_id=d.topic_id, account_id=d.account_id, meter_id=None, text=TEXT,
                     uploads=(Upload('a.png', PNG), Upload('b.pdf', PDF)))  # fmt: skip
    folder = tmp_path / 'attachments'
    with d.system.session() as session:  # the database refuses the save after the files were written
        requests.create_request(session=session, user=d.ivan, new=new, settings=d.settings, now=NOW)
        assert len(list(folder.iterdir())) == 2
        session.rollback()
    assert list(folder.iterdir()) == []
    with pytest.raises(RuntimeError), d.system.session() as session:  # an exception: the session closes unsaved
        requests.create_request(session=session, user=d.ivan, new=new, settings=d.settings, now=NOW)
        raise RuntimeError('the commit never comes')
    assert list(folder.iterdir()) == []
    with d.system.session() as session:  # the same session goes on and saves: its files stay
        requests.create_request(session=session, user=d.ivan, new=new, settings=d.settings, now=NOW)
        session.commit()
    assert len(list(folder.iterdir())) == 2


def test_an_attachment_is_served_to_its_resident_and_to_staff_and_to_nobody_else(d: Desk, tmp_path: Path) -> None:
    request_id = create(d, uploads=(Upload('meter.png', PNG),))
    folder = tmp_path / 'attachments'
    with d.system.session() as session:
        talk = requests.open_conversation(session=session, user=d.ivan, request_id=request_id, now=NOW)
        attachment_id = talk.messages[0].attachments[0].id
        for who in (d.ivan, d.operator):
            path, view = attachments.open_attachment(
                session=session, user=who, attachment_id=attachment_id, directory=folder
            )
            assert path.read_bytes() == PNG and view.content_type == 'image/png'
        for forged in (attachment_id, attachment_id + 1):
            with pytest.raises(NotFound):
                attachments.open_attachment(session=session, user=d.olga, attachment_id=forged, directory=folder)


def test_another_resident_gets_not_found_for_a_request_and_a_message_to_it(d: Desk) -> None:
    request_id = create(d)
    with d.system.session() as session:
        with pytest.raises(NotFound):
            requests.open_conversation(session=session, user=d.olga, request_id=request_id, now=NOW)
        with pytest.raises(NotFound):
            requests.add_message(session=session, user=d.olga, request_id=request_id, text='Это мой вопрос тоже',
                                 uploads=[], settings=d.settings, now=NOW)  # fmt: skip
        with pytest.raises(NotFound):
            requests.open_conversation(session=session, user=d.olga, request_id=request_id + 100, now=NOW)


def test_residents_get_nothing_from_the_desk(d: Desk) -> None:
    request_id = create(d)
    with d.system.session() as session:
        with pytest.raises(NotAllowed):
            desk.queue(session=session, actor=d.ivan, filters=Filters(), now=NOW)
        with pytest.raises(NotAllowed):
            desk.desk_view(session=session, actor=d.ivan, request_id=request_id)
        with pytest.raises(NotAllowed):
            desk.reply(session=session, actor=d.ivan, request_id=request_id, text='Ответ самому себе', internal=False,
                       settings=d.settings, now=NOW)  # fmt: skip
        with pytest.raises(NotAllowed):
            desk.close(
                session=session, actor=d.olga, request_id=request_id, resolution='x', settings=d.settings, now=NOW
            )


def test_a_reply_reaches_the_resident_by_email_in_their_language_and_raises_the_badge_until_opened(d: Desk) -> None:
    request_id = create(d)
    later = NOW + timedelta(hours=2)
    with d.system.session() as session:
        desk.reply(session=session, actor=d.operator, request_id=request_id, text='Проверим пломбы, ждите звонка.',
                   internal=True, settings=d.settings, now=later)  # fmt: skip
        desk.reply(session=session, actor=d.operator, request_id=request_id, text='Это помеха, счётчик исправен.',
                   internal=False, settings=d.settings, now=later)  # fmt: skip
        session.commit()
        assert requests.badge_counter(session=session, user=d.ivan, now=later) == (1, 'red')  # the note is not counted
        talk = requests.open_conversation(session=session, user=d.ivan, request_id=request_id, now=later)
        session.commit()
        assert requests.badge_counter(session=session, user=d.ivan, now=later) == (0, 'red')
    assert talk.request.status == RequestStatus.answered and talk.assigned_to == 'Оператор Анна'
    assert [m.body for m in talk.messages] == [
        'Счётчик показывает ошибку E-07, что делать?', 'Это помеха, счётчик исправен.',
    ]  # fmt: skip
    reply = outbox(d)[-1]
    assert reply.to_addr == 'ivan@example.com' and reply.subject.startswith(f'Reply to your request No. {request_id}')
    assert 'at 15/04/2026 14:00' in reply.body_text  # 11:00 UTC, Moscow time, in English date form as Ivan chose
    assert f'https://lk.example.ru/support/{request_id}' in reply.body_text
    assert 'Проверим пломбы' not in reply.body_text


def test_the_resident_answering_a_reply_puts_the_request_back_to_the_desk(d: Desk) -> None:
    request_id = create(d)
    with d.system.session() as session:
        desk.reply(session=session, actor=d.operator, request_id=request_id, text='Пришлите фото дисплея.',
                   internal=False, settings=d.settings, now=NOW)  # fmt: skip
        requests.add_message(session=session, user=d.ivan, request_id=request_id, text='Вот фото дисплея.',
                             uploads=[Upload('d.jpg', JPEG)], settings=d.settings, now=NOW)  # fmt: skip
        session.commit()
        talk = requests.open_conversation(session=session, user=d.ivan, request_id=request_id, now=NOW)
    assert talk.request.status == RequestStatus.in_progress
    assert talk.messages[-1].attachments[0].content_type == 'image/jpeg'


def test_closing_needs_a_resolution_mails_the_resident_and_moves_the_request_to_the_archive(d: Desk) -> None:
    request_id = create(d)
    with d.system.session() as session:
        with pytest.raises(RequestRefused):
            desk.close(session=session, actor=d.operator, request_id=request_id, resolution='  ', settings=d.settings,
                       now=NOW)  # fmt: skip
        desk.close(session=session, actor=d.operator, request_id=request_id, resolution='Счётчик исправен.',
                   settings=d.settings, now=NOW)  # fmt: skip
        session.commit()
        current = requests.resident_requests(session=session, user=d.ivan, archive=False)
        archive = requests.resident_requests(session=session, user=d.ivan, archive=True)
        with pytest.raises(RequestRefused):
            requests.add_message(session=session, user=d.ivan, request_id=request_id, text='А ещё вопрос есть',
                                 uploads=[], settings=d.settings, now=NOW)  # fmt: skip
    assert current == [] and [r.status for r in archive] == ['closed']
    closed = outbox(d)[-1]
    assert 'is closed' in closed.subject and 'Resolution: Счётчик исправен.' in closed.body_text


def test_the_queue_is_oldest_first_and_finds_by_account_number_name_and_text_and_by_assignee(d: Desk) -> None:
    first = create(d, now=NOW)
    second = create(d, d.olga, now=NOW + timedelta(minutes=5), account_id=d.olga_account_id, text='Где мой счёт?!!')
    with d.system.session() as session:
        desk.assign(session=session, actor=d.operator, request_id=second, assignee_id=d.operator.id, now=NOW)
        session.commit()

        def ids(**filters: object) -> list[int]:
            rows = desk.queue(session=session, actor=d.operator, filters=Filters(**filters), now=NOW)  # type: ignore[arg-type]
            return [r.request.id for r in rows]

        assert ids() == [first, second]
        assert ids(search='690100002') == [second]
        assert ids(search='иванов') == [first]
        assert ids(search='e-07') == [first]
        assert ids(mine=True) == [second]
        assert ids(status='in_progress') == [second]


def test_an_event_context_is_the_resident_s_own_and_reads_in_local_time(d: Desk) -> None:
    with d.system.session() as session:
        found = context.resolve(session=session, user=d.ivan, event_id=d.event_id, tz=d.settings.tz, now=NOW,
                                default_reading_day=25)  # fmt: skip
        with pytest.raises(NotFound):
            context.resolve(session=session, user=d.ivan, event_id=d.olga_event_id, tz=d.settings.tz, now=NOW,
                            default_reading_day=25)  # fmt: skip
    assert found is not None and found.meter_id == d.meter_id
    assert ('Время события', '15.04.2026 05:00') in context.describe(found, d.settings.tz)  # 02:00 UTC + 3 h
    assert context.from_json(found.to_json()) == found
