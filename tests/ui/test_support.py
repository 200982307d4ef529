"""The Support section and the desk in the simulated app (SPEC S10, O4, B8)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from sqlmodel import select

from models import SupportAttachment, SupportRequest
from services.core.db import make_engine
from services.core.settings import Settings
from services.core.system import System
from services.support import desk, requests
from services.support.attachments import Upload
from tests.integration.support_helpers import NOW, PNG, Desk, create, make_desk
from tests.ui.helpers import login, part_text


@pytest.fixture
def instant() -> datetime:
    """The portal's clock starts two hours after the desk's instant: its replies and closings are in the past."""
    return NOW + timedelta(hours=2)


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The app stores attachments where the seeding helper does: this test's own folder."""
    return settings.model_copy(update={'attachments_dir': str(tmp_path / 'attachments')})


@pytest.fixture
def d(app_env: Settings, tmp_path: Path) -> Iterator[Desk]:
    engine = make_engine(app_env.database_url)
    made = make_desk(System(settings=app_env, engine=engine), tmp_path, language='ru')
    yield made
    engine.dispose()


def in_page(text: str, html: str) -> bool:
    return text in html or json.dumps(text)[1:-1] in html


def value_of(user: User, marker: str) -> object:
    return next(iter(user.find(marker=marker).elements)).value  # type: ignore[attr-defined]


async def test_a_resident_creates_a_request_with_a_photo_keeping_the_text_through_an_error(user: User, d: Desk) -> None:
    await login(user, 'ivan@example.com')
    await user.open('/support')
    await user.should_see('Текущие')
    await user.should_see('Архив сообщений')
    user.find(marker='create-request').click()
    await user.should_see('Новое обращение')
    user.find(marker='create-text').type('Помогите')
    user.find(marker='create-send').click()
    await user.should_see('Опишите вопрос хотя бы в 10 знаках.')
    assert value_of(user, 'create-text') == 'Помогите'  # what was typed stays
    user.find(marker='create-text').type(', счётчик мигает красным.')
    user.find(marker='create-send').click()
    await user.should_see('Выберите тему.')
    assert value_of(user, 'create-text') == 'Помогите, счётчик мигает красным.'
    next(iter(user.find(marker='create-topic').elements)).set_value(d.topic_id)  # type: ignore[attr-defined]
    upload = next(iter(user.find(marker='create-files').elements))
    await upload.handle_uploads([SmallFileUpload('счётчик.png', 'image/png', PNG)])  # type: ignore[attr-defined]
    await user.should_see('счётчик.png')
    user.find(marker='create-send').click()
    await user.should_see('Помогите, счётчик мигает красным.')
    await user.should_see('новое')
    with d.system.session() as session:
        stored = session.exec(select(SupportAttachment)).one()
    await user.should_see(marker=f'attachment-{stored.id}')
    assert stored.content_type == 'image/png'


async def test_a_file_that_is_not_a_photo_is_refused_in_the_dialog(user: User, d: Desk) -> None:
    await login(user, 'ivan@example.com')
    await user.open('/support')
    user.find(marker='create-request').click()
    upload = next(iter(user.find(marker='create-files').elements))
    await upload.handle_uploads([SmallFileUpload('photo.jpg', 'image/jpeg', b'<svg onload=alert(1)>')])  # type: ignore[attr-defined]
    await user.should_see('Файл «photo.jpg» — не фото JPEG или PNG и не документ PDF.')


async def test_asking_from_a_meter_event_opens_the_dialog_with_the_event_attached(user: User, d: Desk) -> None:
    await login(user, 'ivan@example.com')
    await user.open(f'/support?event={d.event_id}')
    await user.should_see('О событии «Магнитное поле — начало»')
    await user.should_see('15.04.2026 05:00')
    await user.open(f'/support?event={d.olga_event_id}')  # another resident's event: nothing of it
    await user.should_see('Не найдено')
    await user.should_not_see('О событии')


async def test_forged_request_and_attachment_ids_answer_not_found(user: User, d: Desk) -> None:
    theirs = create(d, d.olga, account_id=d.olga_account_id, text='Секретный вопрос Ольги про счётчик',
                    uploads=(Upload('olga.png', PNG),))  # fmt: skip
    with d.system.session() as session:
        attachment_id = session.exec(select(SupportAttachment.id)).one()
    await login(user, 'ivan@example.com')
    for path in (f'/support/{theirs}', '/support/98765'):
        response = await user.http_client.get(path)
        assert response.status_code == 404, path
        assert in_page('Не найдено', response.text) and not in_page('Секретный вопрос', response.text)
    for forged in (attachment_id, 98765):
        response = await user.http_client.get(f'/support/attachments/{forged}')
        assert response.status_code == 404 and PNG not in response.content


async def test_the_resident_downloads_their_own_attachment(user: User, d: Desk) -> None:
    create(d, uploads=(Upload('meter.png', PNG),))
    with d.system.session() as session:
        attachment_id = session.exec(select(SupportAttachment.id)).one()
    await login(user, 'ivan@example.com')
    response = await user.http_client.get(f'/support/attachments/{attachment_id}')
    assert response.status_code == 200 and response.content == PNG
    assert response.headers['content-type'] == 'image/png'


async def test_residents_get_nothing_from_the_desk_routes(user: User, d: Desk) -> None:
    request_id = create(d)
    await login(user, 'ivan@example.com')
    for path in ('/operator/support', f'/operator/support/{request_id}', '/operator/support/topics'):
        response = await user.http_client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers['location'] == '/', path


async def test_the_desk_replies_with_a_note_beside_it_and_sees_the_resident_s_context(user: User, d: Desk) -> None:
    request_id = create(d, meter_id=d.meter_id, account_id=None)
    await login(user, 'desk-op@example.com')
    await user.open('/operator/support')
    await user.should_see(marker=f'queue-{request_id}')
    await user.should_see('Иванов Иван')
    user.find(marker=f'queue-{request_id}').click()
    await user.should_see('690100001 — ')
    user.find(marker='message-text').type('Проверим на месте, это не опасно.')
    user.find(marker='send-message').click()
    await user.should_see('ответ получен')
    await user.should_see('Проверим на месте, это не опасно.')
    with d.system.session() as session:
        assert session.get(SupportRequest, request_id).status == 'answered'  # type: ignore[union-attr]


async def test_the_resident_sees_the_badge_and_the_reply_and_the_closed_request_in_the_archive(
    user: User, d: Desk
) -> None:
    request_id = create(d)
    with d.system.session() as session:
        desk.reply(session=session, actor=d.operator, request_id=request_id, text='Счётчик исправен, это помеха.',
                   internal=False, settings=d.settings, now=NOW + timedelta(hours=1))  # fmt: skip
        desk.reply(session=session, actor=d.operator, request_id=request_id, text='Заметка для своих',
                   internal=True, settings=d.settings, now=NOW)  # fmt: skip
        session.commit()
    await login(user, 'ivan@example.com')
    await user.open('/')
    await user.should_see('1 новый ответ')
    await user.should_see(marker='main-menu', content='data-mark="badge-/support"')  # counted once connected
    assert part_text(user, 'main-menu', 'badge-/support') == '1'
    await user.open(f'/support/{request_id}')
    await user.should_see('Счётчик исправен, это помеха.')
    await user.should_see('Оператор Анна')
    await user.should_not_see('Заметка для своих')
    with d.system.session() as session:
        desk.close(session=session, actor=d.operator, request_id=request_id, resolution='Помеха, счётчик исправен.',
                   settings=d.settings, now=NOW)  # fmt: skip
        session.commit()
    await user.open('/support?tab=archive')
    await user.should_see(marker=f'request-{request_id}')
    await user.should_see(marker='main-menu')
    await user.should_not_see(marker='main-menu', content='data-mark="badge-/support"')
    with d.system.session() as session:
        assert requests.resident_requests(session=session, user=d.ivan, archive=False) == []


async def test_the_desk_adds_a_topic_residents_then_choose(user: User, d: Desk) -> None:
    await login(user, 'desk-op@example.com')
    await user.open('/operator/support/topics')
    await user.should_see('Поверка и замена')
    user.find(marker='topic-new-title').type('Субсидии')
    user.find(marker='topic-new-save').click()
    await user.should_see(marker='topic-8')


async def test_taking_a_request_and_a_note_of_the_desk_never_reach_the_resident(user: User, d: Desk) -> None:
    request_id = create(d)
    await login(user, 'desk-op@example.com')
    await user.open(f'/operator/support/{request_id}')
    user.find(marker='take').click()
    await user.should_see('в работе')
    user.find(marker='message-text').type('Позвонить абоненту после обеда.')
    user.find(marker='send-note').click()
    await user.should_see(marker='internal-note')
    with d.system.session() as session:
        talk = requests.open_conversation(session=session, user=d.ivan, request_id=request_id, now=NOW)
        assert requests.badge_counter(session=session, user=d.ivan, now=NOW) == (0, 'red')
    assert talk.request.status == 'in_progress' and talk.assigned_to == 'Оператор Анна'
    assert [m.body for m in talk.messages] == ['Счётчик показывает ошибку E-07, что делать?']
