"""Support conversations of the demo utility: a new request, one in progress started from a meter event with
a note of the desk, one answered, one closed — so the resident's section and the desk both have something to show.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from models import Meter, RequestStatus, SupportMessage, SupportRequest, SupportTopic, User
from services.core import fmt
from services.metering import spodes
from services.support import topics
from services.support.context import Context

MAGNET = (4, 1)  # the demo's tamper event on the house meter (services/demo/events.py)


def conversations(session: Session, demo: User, admin: User, meters: dict[str, Meter], now: datetime) -> None:
    topics.list_topics(session=session)  # the seeded list (a database emptied by hand gets it back)
    topic = {t.title: t.id for t in session.exec(select(SupportTopic)).all()}
    house, bath, flat = meters['house'], meters['bath'], meters['flat']
    event_at = now - timedelta(days=97, hours=5)
    tamper = Context(
        kind='event', meter_id=house.id or 0, account_id=house.account_id,
        meter=fmt.meter_name(house.model, house.serial),
        at=event_at.isoformat(), journal=MAGNET[0], code=MAGNET[1], severity=spodes.severity(*MAGNET),
    )  # fmt: skip
    _talk(
        session,
        SupportRequest(
            user_id=demo.id or 0,
            account_id=house.account_id,
            meter_id=house.id,
            topic_id=topic.get('Meter'),
            subject='Что значит «воздействие магнитом»?',
            status=RequestStatus.in_progress,
            context=tamper.to_json(),
            assigned_to_id=admin.id,
            created_at=now - timedelta(hours=30),
        ),
        [
            (
                demo,
                'resident',
                'Здравствуйте! В диагностике счётчика дома событие «воздействие магнитным полем». '
                'Никаких магнитов у нас нет, счётчик в щитке на улице. Что это значит и чем грозит?',
                30,
            ),
            (admin, 'note', 'Проверить пломбы на выезде; в журнале одно событие за два года, похоже на помеху.', 27),
        ],
        now,
    )
    _talk(
        session,
        SupportRequest(
            user_id=demo.id or 0,
            account_id=flat.account_id,
            topic_id=topic.get('Charges'),
            subject='Начисление за октябрь больше обычного',
            status=RequestStatus.open,
            created_at=now - timedelta(hours=5),
        ),
        [
            (
                demo,
                'resident',
                'Начисление за октябрь почти вдвое больше сентябрьского, хотя дома ничего не менялось. '
                'Проверьте, пожалуйста, показания.',
                5,
            )
        ],
        now,
    )
    _talk(
        session,
        SupportRequest(
            user_id=demo.id or 0,
            account_id=bath.account_id,
            meter_id=bath.id,
            topic_id=topic.get('Disconnection and reconnection'),
            subject='Подключение счётчика бани',
            status=RequestStatus.answered,
            assigned_to_id=admin.id,
            created_at=now - timedelta(days=4),
            seen_at=now - timedelta(days=4),
        ),
        [
            (
                demo,
                'resident',
                'Здравствуйте! Прошу подключить счётчик бани с 1 апреля, на зиму отключали по моей заявке.',
                96,
            ),
            (admin, 'reply', 'Здравствуйте, Сергей Петрович! Заявка принята, подключим 1 апреля дистанционно.', 72),
        ],
        now,
    )
    _talk(
        session,
        SupportRequest(
            user_id=demo.id or 0,
            account_id=flat.account_id,
            meter_id=flat.id,
            topic_id=topic.get('Verification and replacement'),
            subject='Замена счётчика в квартире',
            status=RequestStatus.closed,
            assigned_to_id=admin.id,
            resolution='Счётчик заменён, новый прибор учёта установлен и опломбирован.',
            created_at=now - timedelta(days=320),
            closed_at=now - timedelta(days=300),
            seen_at=now - timedelta(days=299),
        ),
        [
            (demo, 'resident', 'Счётчик в квартире перестал показывать дисплей, прошу заменить.', 320 * 24),
            (admin, 'reply', 'Выезд монтёра назначен на четверг с 9 до 13 часов.', 318 * 24),
        ],
        now,
    )


def _talk(session: Session, request: SupportRequest, messages: list[tuple[User, str, str, int]], now: datetime) -> None:
    """Store the request and its messages; each is (author, 'resident' | 'reply' | 'note', text, hours ago)."""
    request.updated_at = now - timedelta(hours=min(m[3] for m in messages))
    session.add(request)
    session.flush()
    for author, kind, body, hours in messages:
        session.add(
            SupportMessage(
                request_id=request.id or 0,
                author_id=author.id,
                from_staff=kind != 'resident',
                internal=kind == 'note',
                body=body,
                created_at=now - timedelta(hours=hours),
            )
        )
