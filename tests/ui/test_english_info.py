"""Information pages in English: the operator's English version when written, else the Russian, marked as such."""

from __future__ import annotations

from nicegui.testing import User

from models import InfoKind, InfoPage
from services.core.settings import Settings
from tests.factories import make_account, make_user
from tests.ui.helpers import login
from tests.ui.identity_seed import cheap_bcrypt, with_db  # noqa: F401


def seed(settings: Settings) -> None:
    def add(session: object) -> None:
        make_user(session, accounts=(make_account(session),), email='anna@example.com', language='en')  # type: ignore[arg-type]
        session.add(  # type: ignore[attr-defined]
            InfoPage(
                kind=InfoKind.help, slug='help', title='Помощь', body_md='Как пользоваться кабинетом',
                title_en='Help', body_md_en='How to use the portal',
            )
        )  # fmt: skip
        session.add(InfoPage(kind=InfoKind.news, slug='news-1', title='Новый тариф', body_md='С 1 июля тариф растёт'))  # type: ignore[attr-defined]
        session.commit()  # type: ignore[attr-defined]

    with_db(settings, add)


async def test_an_english_reader_sees_the_english_version_and_the_russian_one_marked(
    user: User, app_env: Settings
) -> None:
    seed(app_env)
    await login(user, 'anna@example.com')
    await user.open('/info/help')
    await user.should_see('How to use the portal')
    await user.should_not_see('Как пользоваться кабинетом')
    await user.should_see('С 1 июля тариф растёт')  # no English version of the news: the Russian one…
    await user.should_see('Not translated yet: shown in Russian.')  # …marked as such


async def test_a_russian_reader_sees_the_russian_text_without_a_mark(user: User, app_env: Settings) -> None:
    seed(app_env)
    with_db(app_env, lambda s: make_user(s, accounts=(make_account(s),), email='olga@example.com'))
    await login(user, 'olga@example.com')
    await user.open('/info/help')
    await user.should_see('Как пользоваться кабинетом')
    await user.should_not_see(marker='info-in-russian')
