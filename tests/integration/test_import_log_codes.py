"""The import log keeps each message in the English of SPEC §6 and as codes, shown in the reader's language."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select, update

from models import ImportLog
from services.core.messages import Reason
from services.core.system import System
from services.ingest import health
from services.ingest.formats import Notice
from tests.integration.ingest_helpers import csv, half_hours, load, registry

REGISTRY = registry('7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;M-1;2;30;2026-01-01;')
DAY = date(2026, 3, 10)


def logged(system: System) -> list[ImportLog]:
    with system.session() as session:
        return list(session.exec(select(ImportLog).order_by(ImportLog.id)).all())


def test_a_rejection_is_stored_as_english_text_and_as_its_code(system: System) -> None:
    load(system, ('bad.csv', csv('M-1;1.0.1.29.0.255;yesterday;;1;Wh;')))
    (row,) = logged(system)
    assert row.message == "bad.csv: line 2: start 'yesterday' is not an ISO 8601 timestamp"
    start = Reason('column', name='start')
    assert row.message_code is not None
    assert Notice.from_json(row.message_code) == Notice(
        'bad.csv', Reason('not_iso_timestamp', what=start, value='yesterday'), line=2
    )
    (entry,) = health.recent_imports(engine=system.engine)
    assert entry.message_in('en') == row.message
    assert entry.message_in('ru') == "bad.csv: строка 2: значение start 'yesterday' не является меткой времени ISO 8601"


def test_the_log_keeps_the_first_fifty_warnings_and_counts_the_rest_in_both_forms(system: System) -> None:
    load(system, ('registry.csv', REGISTRY))
    lines = half_hours('M-1', DAY, ['0,1'] * 48)
    load(system, ('twice.csv', csv(*lines, *lines, *lines[:12])))  # 60 values given again
    row = logged(system)[-1]
    assert row.status == 'imported' and row.message_code is None
    text_lines = row.warnings.splitlines()
    assert len(text_lines) == 51 and text_lines[-1] == '… and 10 more'
    first = 'twice.csv: line 50: A+ at 2026-03-09 21:00 UTC again; this later value replaces the earlier one'
    assert text_lines[0] == first
    assert row.warning_codes is not None and row.warning_codes['omitted'] == 10
    notices = [Notice.from_json(data) for data in row.warning_codes['notices']]
    assert [str(notice) for notice in notices] == text_lines[:50]


def test_a_row_written_before_codes_is_shown_as_its_english_text_in_any_language(system: System) -> None:
    old = "old.csv: line 4: start 'soon' is not an ISO 8601 timestamp"
    at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    with system.session() as session:
        session.add(ImportLog(file_name='old.csv', source='cli', status='rejected', message=old, started_at=at))
        session.commit()
    (entry,) = health.recent_imports(engine=system.engine)
    assert (entry.rejection, entry.message_in('ru'), entry.message_in('en')) == (None, old, old)


def test_a_stored_code_this_version_does_not_know_falls_back_to_the_english_text(system: System) -> None:
    load(system, ('bad.csv', b'nothing useful'))
    later = {'file': 'bad.csv', 'line': 1, 'reason': {'code': 'from_a_later_version', 'params': {}}}
    with system.engine.begin() as conn:
        conn.execute(update(ImportLog).values(message_code=later))
    (entry,) = health.recent_imports(engine=system.engine)
    assert entry.rejection is None
    assert entry.message_in('ru').startswith('bad.csv: line 1: unrecognised content')
