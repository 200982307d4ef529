"""The inbox and a writer that is not done (SPEC §6, O2): nothing half-imported, nothing moved to done/ unread.

The writer here is a real one: it writes half the lines of a day, stops at a line boundary and goes on later,
as an FTP upload or a slow exporter does. The pause is longer than the quiet time, so only the file's state
tells that the writer is not done.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from services.core.system import System
from services.ingest.inbox import scan_inbox
from tests.integration.ingest_helpers import count, csv, days, half_hours, load, registry

DAY = date(2026, 3, 10)
ROW = '7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;M-1;2;30;2026-01-01;690000000000001'
WHOLE = csv(*half_hours('M-1', DAY, ['0,1'] * 48))
HALF = WHOLE[: WHOLE.index(b'\n', len(WHOLE) // 2) + 1]  # up to a line boundary: a valid file of its own


def age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


@pytest.fixture
def inbox(system: System) -> Path:
    load(system, ('r.csv', registry(ROW)))
    folder = Path(system.settings.inbox_dir)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def writer(inbox: Path) -> Iterator[IO[bytes]]:
    """A writer that wrote the first half of the day and paused a minute; it still has the file open."""
    with (inbox / 'day.csv').open('wb') as handle:
        handle.write(HALF)
        handle.flush()
        age(inbox / 'day.csv', 60)
        yield handle


def test_a_paused_writer_gets_nothing_imported_and_its_whole_file_imports_once_it_is_done(
    system: System, inbox: Path, writer: IO[bytes]
) -> None:
    assert scan_inbox(system=system, now=system.now()) == []
    assert count(system, 'interval_energy') == 0 and count(system, 'import_log') == 1
    assert not (inbox / 'done').exists() and (inbox / 'day.csv').exists()
    writer.write(WHOLE[len(HALF) :])
    writer.close()
    age(inbox / 'day.csv', 60)
    (report,) = scan_inbox(system=system, now=system.now())
    assert (report.status, report.rows) == ('imported', 48)
    assert (inbox / 'done' / 'day.csv').read_bytes() == WHOLE
    assert days(system, 'M-1', DAY, DAY)[0].total == 4800


@pytest.fixture
def resumes_while_imported(inbox: Path) -> Iterator[list[str]]:
    """A writer that resumes (opens, appends the rest, closes) while the import of its first half runs."""
    resumed: list[str] = []

    def append_rest(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not resumed and 'INSERT INTO import_log' in statement:
            resumed.append(statement)
            with (inbox / 'day.csv').open('ab') as handle:
                handle.write(WHOLE[len(HALF) :])

    (inbox / 'day.csv').write_bytes(HALF)
    age(inbox / 'day.csv', 60)
    event.listen(Engine, 'before_cursor_execute', append_rest)
    yield resumed
    event.remove(Engine, 'before_cursor_execute', append_rest)


def test_a_file_that_changes_while_it_is_imported_is_rolled_back_left_in_place_and_retried(
    system: System, inbox: Path, resumes_while_imported: list[str]
) -> None:
    assert scan_inbox(system=system, now=system.now()) == []
    assert resumes_while_imported, 'the writer never resumed'
    assert count(system, 'interval_energy') == 0 and count(system, 'energy_rollup') == 0
    assert count(system, 'import_log') == 1  # the registry's only: a put-back file is not logged
    assert (inbox / 'day.csv').read_bytes() == WHOLE and not (inbox / 'done').exists()
    age(inbox / 'day.csv', 60)
    (report,) = scan_inbox(system=system, now=system.now())
    assert (report.status, report.rows) == ('imported', 48)
    assert days(system, 'M-1', DAY, DAY)[0].total == 4800


def test_a_half_written_file_is_not_rejected_either_while_its_writer_goes_on(system: System, inbox: Path) -> None:
    cut = WHOLE[: len(HALF) + 20]  # stopped in the middle of a line: not a valid file yet
    with (inbox / 'day.csv').open('wb') as handle:
        handle.write(cut)
        handle.flush()
        age(inbox / 'day.csv', 60)
        assert scan_inbox(system=system, now=system.now()) == []
        handle.write(WHOLE[len(cut) :])
    age(inbox / 'day.csv', 60)
    assert [r.status for r in scan_inbox(system=system, now=system.now())] == ['imported']
    assert not (inbox / 'rejected').exists()


def test_a_file_is_picked_up_only_after_the_configured_quiet_time(system: System, inbox: Path) -> None:
    (inbox / 'day.csv').write_bytes(WHOLE)
    age(inbox / 'day.csv', 20)
    system.settings.inbox_quiet_seconds = 30  # KABINET_INBOX_QUIET_SECONDS=30
    assert scan_inbox(system=system, now=system.now()) == []
    system.settings.inbox_quiet_seconds = 10
    assert [r.status for r in scan_inbox(system=system, now=system.now())] == ['imported']
