"""«Скачать мои данные» (B4): a year exported as Green Button XML imports into a fresh database with the same
totals per day and the same missing and estimated marks; a stranger's meter is «Не найдено»."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from services.core.clock import ManualClock
from services.core.db import make_engine
from services.core.errors import NotFound
from services.core.settings import Settings
from services.core.system import System
from services.ingest import import_files
from services.metering import periods, rollups
from services.residents import my_data
from tests.conftest import fresh_database
from tests.factories import make_account, make_meter, make_user
from tests.integration.ingest_helpers import MSK, days

FIRST, LAST = date(2025, 4, 1), date(2026, 3, 31)
NOW = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)
SERIAL = '41907733'
GAPS = {date(2025, 6, 10): range(20, 30), date(2025, 9, 1): range(48)}  # half hours with no value
ESTIMATES = {date(2025, 11, 5): range(48), date(2026, 1, 7): range(3, 6)}


def year_of_values(meter_id: int) -> list[dict[str, int]]:
    rows = []
    for day in periods.days(FIRST, LAST):
        midnight = periods.midnight(day, MSK)
        for n in range(48):
            if n in GAPS.get(day, ()):
                continue
            flags = 1 if n in ESTIMATES.get(day, ()) else 0
            rows.append({'m': meter_id, 's': midnight + n * 1800, 'wh': 40 + (n * 37 + day.day * 11) % 460, 'f': flags})
    return rows


def seed(system: System) -> tuple[int, int, int]:
    with Session(system.engine) as session:
        account = make_account(session)
        meter = make_meter(session, account, serial=SERIAL, tariff_zones=2, installed_on=date(2025, 1, 1))
        user = make_user(session, accounts=(account,))
        stranger = make_user(session, accounts=(make_account(session),))
        session.commit()
        ids = (user.id or 0, stranger.id or 0, meter.id or 0)
    life = rollups.MeterLife(ids[2], 2, 30, 25, date(2025, 1, 1), None)
    with system.engine.begin() as conn:
        conn.execute(
            text('INSERT INTO interval_energy (meter_id, energy, start, wh, flags) VALUES (:m, 1, :s, :wh, :f)'),
            year_of_values(ids[2]),
        )
        rollups.rebuild(conn, meter=life, energy=1, first=FIRST, last=LAST, tz=MSK)
    return ids


def export(system: System, user_id: int, meter_id: int) -> bytes:
    from models import User

    with Session(system.engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        data = my_data.extract(
            session=session, user=user, meter_id=meter_id, energy=1, first=FIRST, last=LAST, tz=MSK, now=NOW
        )
        return my_data.to_espi(data, now=NOW)


def marks(system: System) -> list[tuple[str, int, int, int]]:
    return [(r.label, r.total, r.missing, r.estimated) for r in days(system, SERIAL, FIRST, LAST)]


def test_a_year_exported_as_green_button_imports_elsewhere_with_the_same_days_and_marks(
    system: System, settings: Settings, template_db: Path | None, tmp_path: Path
) -> None:
    user_id, _stranger, meter_id = seed(system)
    before = marks(system)
    assert len(before) == 365
    assert {r[0]: r[2:] for r in before}['2025-09-01'] == (48, 0)  # a day of no data
    assert {r[0]: r[2:] for r in before}['2025-11-05'] == (0, 48)  # a day of estimates
    xml = export(system, user_id, meter_id)
    system.engine.dispose()

    (tmp_path / 'fresh').mkdir()
    fresh_url = fresh_database(template_db, tmp_path / 'fresh')
    fresh = System(
        settings=settings.model_copy(update={'database_url': fresh_url}),
        engine=make_engine(fresh_url),
        clock=ManualClock(NOW),
    )
    try:
        with Session(fresh.engine) as session:
            make_meter(session, make_account(session), serial=SERIAL, tariff_zones=2, installed_on=date(2025, 1, 1))
            session.commit()
        reports = import_files(system=fresh, files=[('my_data.xml', xml)], source='cli', now=NOW)
        assert reports[0].error is None, reports[0].message()
        assert marks(fresh) == before
    finally:
        fresh.engine.dispose()


def test_another_residents_meter_cannot_be_downloaded(system: System) -> None:
    _user, stranger_id, meter_id = seed(system)
    with pytest.raises(NotFound):
        export(system, stranger_id, meter_id)


def test_the_csv_download_marks_missing_and_estimated_intervals(system: System) -> None:
    from models import User

    user_id, _stranger, meter_id = seed(system)
    with Session(system.engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        data = my_data.extract(
            session=session, user=user, meter_id=meter_id, energy=1, first=date(2025, 9, 1),
            last=date(2025, 11, 5), tz=MSK, now=NOW,
        )  # fmt: skip
    lines = my_data.to_csv(data).decode('utf-8-sig').splitlines()
    assert lines[0] == 'meter;energy;local_start;utc_start;seconds;wh;quality'
    assert lines[1] == f'{SERIAL};A+;2025-09-01T00:00+03:00;2025-08-31T21:00+00:00;1800;;missing'
    assert lines[-1].endswith(';estimated') and len(lines) == 1 + 66 * 48
    assert timedelta(days=65) == date(2025, 11, 5) - date(2025, 9, 1)
