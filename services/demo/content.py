"""Information pages and support conversations of the demo utility."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from models import InfoKind, InfoPage, Meter, RequestStatus, SupportMessage, SupportRequest, User

HELP = """## Как пользоваться личным кабинетом

**Главная** — плитки с самым важным: счета и счётчики, потребление за текущий расчётный период, новые события
счётчиков. Нажмите на плитку, чтобы открыть раздел.

**Абонент** — ваши лицевые счета и приборы учёта: модель, дата поверки, история замен, текущая нагрузка.
Счётчик можно переименовать, например «Дача» или «Квартира».

**Показания** — график потребления по дням, месяцам и годам, по календарным или расчётным периодам.
Нажмите на столбец, чтобы увидеть его подробнее; кнопка «Назад» вернёт к предыдущему виду.

**Диагностика** — события счётчика: отключения питания, провалы напряжения, воздействия на прибор.
Красным отмечены важные события, оранжевым — предупреждения.

**Настройка** — в меню под вашим именем: смена пароля, адреса электронной почты и телефона, добавление
лицевого счёта.

Если пароль забыт, нажмите «Забыли пароль?» на странице входа: новый пароль придёт на вашу почту.
"""

AGREEMENT = """## Пользовательское соглашение

1. Личный кабинет предоставляется абонентам {utility} для просмотра сведений о лицевых счетах,
   приборах учёта и потреблении электрической энергии.
2. Регистрируясь, абонент подтверждает, что является владельцем или законным пользователем помещения,
   указанного в лицевом счёте, и соглашается на обработку персональных данных (ФИО, адрес, телефон,
   адрес электронной почты) в целях исполнения договора энергоснабжения (152-ФЗ «О персональных данных»).
3. Абонент обязуется не передавать пароль третьим лицам. Все действия, совершённые под учётной записью
   абонента, считаются совершёнными абонентом.
4. Данные о потреблении носят справочный характер. Расчёты за электроэнергию выполняются по показаниям
   расчётных приборов учёта в порядке, установленном законодательством.
5. Соглашение может быть изменено; действующая редакция всегда опубликована в разделе «Информация».
"""

NEWS = [
    (
        'tariffs-2026',
        'Новые тарифы с 1 июля 2026 года',
        'С 1 июля 2026 года действуют новые тарифы на электроэнергию для населения. Стоимость в разделе '
        '«Показания» пересчитывается по тарифу, действовавшему в момент потребления.',
        150,
    ),
    (
        'verification-reminder',
        'Проверьте срок поверки счётчика',
        'В карточке прибора учёта указана дата следующей поверки. Если срок истёк, начисления производятся по '
        'среднему потреблению, а затем по нормативу. Закажите поверку заранее по телефону, указанному в квитанции.',
        20,
    ),
]


def store(*, session: Session, users: dict[str, User], meters: dict[str, Meter], now: datetime) -> None:
    admin = users['admin']
    session.add(
        InfoPage(
            kind=InfoKind.help,
            slug='help',
            title='Справка',
            body_md=HELP,
            updated_by=admin.id,
            published_at=now - timedelta(days=400),
        )
    )
    session.add(
        InfoPage(
            kind=InfoKind.agreement,
            slug='agreement',
            title='Пользовательское соглашение',
            body_md=AGREEMENT.format(utility='энергоснабжающей организации'),
            updated_by=admin.id,
            published_at=now - timedelta(days=400),
        )
    )
    for slug, title, body, age in NEWS:
        session.add(
            InfoPage(
                kind=InfoKind.news,
                slug=slug,
                title=title,
                body_md=body,
                updated_by=admin.id,
                published_at=now - timedelta(days=age),
            )
        )
    _conversations(session, users['demo'], admin, meters, now)


def _conversations(session: Session, demo: User, admin: User, meters: dict[str, Meter], now: datetime) -> None:
    answered = SupportRequest(
        user_id=demo.id or 0,
        account_id=meters['bath'].account_id,
        meter_id=meters['bath'].id,
        subject='Подключение счётчика бани',
        status=RequestStatus.answered,
        created_at=now - timedelta(days=4),
        updated_at=now - timedelta(days=3),
    )
    closed = SupportRequest(
        user_id=demo.id or 0,
        account_id=meters['flat'].account_id,
        meter_id=meters['flat'].id,
        subject='Замена счётчика в квартире',
        status=RequestStatus.closed,
        created_at=now - timedelta(days=320),
        updated_at=now - timedelta(days=300),
        closed_at=now - timedelta(days=300),
    )
    session.add_all([answered, closed])
    session.flush()
    session.add_all(
        [
            SupportMessage(
                request_id=answered.id or 0,
                author_id=demo.id,
                body='Здравствуйте! Прошу подключить счётчик бани с 1 апреля, на зиму отключали по моей заявке.',
                created_at=answered.created_at,
            ),
            SupportMessage(
                request_id=answered.id or 0,
                author_id=admin.id,
                from_staff=True,
                body='Здравствуйте, Сергей Петрович! Заявка принята, подключим 1 апреля дистанционно.',
                created_at=now - timedelta(days=3),
            ),
            SupportMessage(
                request_id=closed.id or 0,
                author_id=demo.id,
                body='Счётчик в квартире перестал показывать дисплей, прошу заменить.',
                created_at=closed.created_at,
            ),
            SupportMessage(
                request_id=closed.id or 0,
                author_id=admin.id,
                from_staff=True,
                body='Счётчик заменён, новый прибор учёта 41907733 установлен.',
                created_at=closed.closed_at or now,
            ),
        ]
    )
