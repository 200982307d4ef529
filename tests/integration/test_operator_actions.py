"""Operator actions check the acting user inside the service: uploads, information pages (rates: test_tariff_rules)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from models import AuditLog, ImportLog, InfoKind, InfoPage, Role, User
from services.content import info
from services.core.errors import NotAllowed
from services.core.system import System
from services.ingest import import_files
from tests.factories import make_user
from tests.integration.ingest_helpers import count, csv, half_hours, registry

NOW = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)
REGISTRY = registry('7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;M-1;2;30;2026-01-01;')
DRAFT = info.PageDraft(kind=InfoKind.news, title='Плановое отключение', slug='', body_md='15 марта с 10 до 12.')


def user(system: System, role: str, **fields: object) -> User:
    with system.session() as session:
        made = make_user(session, role=role, **fields)
        session.commit()
        return made


def upload(system: System, who: User | None) -> list[ImportLog]:
    day = csv(*half_hours('M-1', date(2026, 3, 10), ['0,1'] * 2))
    files = [('registry.csv', REGISTRY), ('day.csv', day)]
    import_files(system=system, files=files, source='upload', user=who, now=NOW)
    with system.session() as session:
        return list(session.exec(select(ImportLog)).all())


def test_an_operator_s_upload_is_imported_and_logged_with_the_operator(system: System) -> None:
    operator = user(system, Role.operator)
    logged = upload(system, operator)
    assert [(e.file_name, e.status, e.source, e.user_id) for e in logged] == [
        ('registry.csv', 'imported', 'upload', operator.id),
        ('day.csv', 'imported', 'upload', operator.id),
    ]


@pytest.mark.parametrize('who', ['nobody', 'resident', 'blocked admin'])
def test_an_upload_by_anyone_but_active_staff_is_refused_before_anything_is_read_or_logged(
    system: System, who: str
) -> None:
    acting = {
        'nobody': None,
        'resident': user(system, Role.resident),
        'blocked admin': user(system, Role.admin, blocked=True),
    }[who]
    with pytest.raises(NotAllowed):
        upload(system, acting)
    assert (count(system, 'import_log'), count(system, 'meter'), count(system, 'interval_energy')) == (0, 0, 0)


@pytest.mark.parametrize('source', ['cli', 'inbox', 'api'])
def test_the_command_line_the_inbox_and_the_api_have_no_user(system: System, source: str) -> None:
    operator = user(system, Role.operator)
    with pytest.raises(ValueError, match='has no user'):
        import_files(system=system, files=[('registry.csv', REGISTRY)], source=source, user=operator, now=NOW)
    (report,) = import_files(system=system, files=[('registry.csv', REGISTRY)], source=source, now=NOW)
    assert report.ok


def test_an_operator_saves_and_deletes_a_page_and_both_are_in_the_audit_log(system: System) -> None:
    operator = user(system, Role.operator)
    with system.session() as session:
        page = info.save(session=session, editor=operator, page_id=None, draft=DRAFT, now=NOW)
        session.commit()
        info.delete(session=session, editor=operator, page_id=page.id or 0, now=NOW)
        session.commit()
        actions = [(a.action, a.user_id) for a in session.exec(select(AuditLog).order_by(AuditLog.id)).all()]
    assert actions == [('info_created', operator.id), ('info_deleted', operator.id)]
    assert count(system, 'info_page') == 0


@pytest.mark.parametrize('who', ['resident', 'blocked operator'])
def test_only_active_staff_may_save_or_delete_an_information_page(system: System, who: str) -> None:
    operator = user(system, Role.operator)
    acting = user(system, Role.resident) if who == 'resident' else user(system, Role.operator, blocked=True)
    with system.session() as session:
        page = info.save(session=session, editor=operator, page_id=None, draft=DRAFT, now=NOW)
        session.commit()
        with pytest.raises(NotAllowed):
            info.save(session=session, editor=acting, page_id=page.id, draft=DRAFT, now=NOW)
        with pytest.raises(NotAllowed):
            info.delete(session=session, editor=acting, page_id=page.id or 0, now=NOW)
        session.rollback()
        assert [p.title for p in session.exec(select(InfoPage)).all()] == ['Плановое отключение']
        assert [a.user_id for a in session.exec(select(AuditLog)).all()] == [operator.id]
