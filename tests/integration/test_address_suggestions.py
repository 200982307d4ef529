"""Registration suggestions match an address whatever the case, spacing or «ё» of what the resident types."""

from __future__ import annotations

from sqlmodel import Session

from services.core.system import System
from services.identity.registration import suggest_addresses
from tests.factories import make_account


def test_typing_e_finds_an_address_written_with_yo(system: System) -> None:
    with Session(system.engine) as session:
        make_account(session, address='пос. Сахарово, пер. Берёзовый, д. 4')
        session.commit()
        assert suggest_addresses(session=session, text='берез') == ['пос. Сахарово, пер. Берёзовый, д. 4']
        assert suggest_addresses(session=session, text='БЕРЁЗ') == ['пос. Сахарово, пер. Берёзовый, д. 4']


def test_extra_spaces_in_the_typed_text_do_not_matter(system: System) -> None:
    with Session(system.engine) as session:
        make_account(session, address='г. Тверь, ул. Советская, д. 12')
        session.commit()
        assert suggest_addresses(session=session, text='  г.   Тверь ') == ['г. Тверь, ул. Советская, д. 12']
