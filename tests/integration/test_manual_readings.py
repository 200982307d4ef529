"""Manual readings (B7): the window, the checks against the previous reading and usual use, the operator's export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from components import readings_grid
from models import Account, Meter, RegisterReading, User
from services.core.errors import NotAllowed, NotYourMeter
from services.core.i18n import set_language
from services.core.system import System
from services.metering import export_tables, readings_table
from services.readings import export, manual
from services.readings.manual import ReadingsRefused, WindowClosed
from tests.factories import make_account, make_meter, make_user
from tests.integration.ingest_helpers import load, registry

MSK = ZoneInfo('Europe/Moscow')
DAYS = (15, 25)
INSIDE = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)  # 18 March, 12:00 in Moscow
BEFORE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
AFTER = datetime(2026, 3, 25, 21, 30, tzinfo=UTC)  # 26 March, 00:30 in Moscow: the window has just closed
ROOT = Path(__file__).resolve().parents[2]


def _setup(session: Session, *, mode: str = 'manual', zones: int = 2) -> tuple[User, Meter]:
    account = make_account(session, number='690777001', address='пос. Лесной, ул. Луговая, д. 3')
    meter = make_meter(session, account, serial='M-77', tariff_zones=zones, reading_mode=mode)
    user = make_user(session, accounts=(account,), email='lesnoy@example.com')
    for day, wh in ((date(2026, 2, 1), 10_000_000), (date(2026, 3, 1), 10_280_000)):  # 280 kWh in 28 days
        at = int(datetime(day.year, day.month, day.day, tzinfo=MSK).timestamp())
        session.add(RegisterReading(meter_id=meter.id or 0, energy=1, zone=1, at=at, wh=wh))
    session.commit()
    return user, meter


def _state(session: Session, user: User, meter: Meter, now: datetime) -> manual.ManualState:
    return manual.manual_state(session=session, user=user, meter_id=meter.id or 0, tz=MSK, days=DAYS, now=now)


def _submit(session: Session, user: User, meter: Meter, now: datetime, **values: str) -> list[manual.Submitted]:
    typed = {int(zone[1:]): value for zone, value in values.items()}
    return manual.submit(session=session, user=user, meter_id=meter.id or 0, values=typed, tz=MSK, days=DAYS, now=now)


def test_inside_the_window_a_manual_meter_offers_each_zone_with_its_previous_reading(system: System) -> None:
    with system.session() as session:
        user, meter = _setup(session)
        state = _state(session, user, meter, INSIDE)
    assert state.manual and state.window is not None and state.window.closes == date(2026, 3, 25)
    t1, t2 = state.zones
    assert t1.previous == manual.Previous(10_280_000, date(2026, 3, 1))
    # usual use 10 kWh a day, ×3 = 30 kWh a day, 17 days since 1 March: 10 280 + 510 kWh
    assert t1.ceiling_wh == 10_790_000
    assert t2.previous is None and t2.ceiling_wh is None


def test_a_value_below_the_previous_reading_is_refused_with_the_previous_value(system: System) -> None:
    with system.session() as session:
        user, meter = _setup(session)
        with pytest.raises(ReadingsRefused) as refused:
            _submit(session, user, meter, INSIDE, t1='10 279,9', t2='5')
    (refusal,) = refused.value.refusals
    assert (refusal.zone, refusal.reason) == (1, 'below_previous')
    assert refusal.previous == manual.Previous(10_280_000, date(2026, 3, 1))


def test_an_implausible_jump_is_refused_and_the_ceiling_itself_accepted(system: System) -> None:
    with system.session() as session:
        user, meter = _setup(session)
        with pytest.raises(ReadingsRefused) as refused:
            _submit(session, user, meter, INSIDE, t1='10790.001', t2='5')
        assert [r.reason for r in refused.value.refusals] == ['implausible']
        _submit(session, user, meter, INSIDE, t1='10790', t2='5')


def test_empty_or_garbled_values_are_refused_per_zone(system: System) -> None:
    with system.session() as session:
        user, meter = _setup(session)
        with pytest.raises(ReadingsRefused) as refused:
            _submit(session, user, meter, INSIDE, t1='', t2='12,34567')
    assert [(r.zone, r.reason) for r in refused.value.refusals] == [(1, 'empty'), (2, 'too_many_decimals')]


def test_a_submission_is_kept_shown_and_may_be_corrected_until_the_window_closes(system: System) -> None:
    with system.session() as session:
        user, meter = _setup(session)
        _submit(session, user, meter, INSIDE, t1='10400', t2='5,5')
        _submit(session, user, meter, INSIDE.replace(day=20), t1='10410.5', t2='6')
        state = _state(session, user, meter, INSIDE.replace(day=21))
        assert [z.submitted_wh for z in state.zones] == [10_410_500, 6_000]
        assert [(h.month, h.zone, h.wh) for h in state.history] == [(date(2026, 3, 1), 1, 10_410_500),
                                                                  (date(2026, 3, 1), 2, 6_000)]  # fmt: skip
        with pytest.raises(WindowClosed):
            _submit(session, user, meter, AFTER, t1='10500', t2='7')
        closed = _state(session, user, meter, AFTER)
    assert closed.window is None and closed.upcoming.opens == date(2026, 4, 15)
    assert closed.history[0].wh == 10_410_500  # the window's last value stays


def test_next_months_check_starts_from_the_submitted_reading(system: System) -> None:
    with system.session() as session:
        user, meter = _setup(session)
        _submit(session, user, meter, INSIDE, t1='10400', t2='50')
        april = _state(session, user, meter, datetime(2026, 4, 16, 9, 0, tzinfo=UTC))
    assert april.zones[1].previous == manual.Previous(50_000, date(2026, 3, 18))


def test_outside_the_window_there_is_no_form_and_the_next_dates_are_given(system: System) -> None:
    with system.session() as session:
        user, meter = _setup(session)
        state = _state(session, user, meter, BEFORE)
        with pytest.raises(WindowClosed):
            _submit(session, user, meter, BEFORE, t1='10400', t2='1')
    assert state.window is None and state.zones == []
    assert (state.upcoming.opens, state.upcoming.closes) == (date(2026, 3, 15), date(2026, 3, 25))


def test_a_remotely_read_meter_takes_no_manual_readings(system: System) -> None:
    with system.session() as session:
        user, meter = _setup(session, mode='remote')
        state = _state(session, user, meter, INSIDE)
        with pytest.raises(WindowClosed):
            _submit(session, user, meter, INSIDE, t1='10400', t2='1')
    assert not state.manual and state.zones == []


def test_another_residents_meter_is_not_found(system: System) -> None:
    with system.session() as session:
        _user, meter = _setup(session)
        stranger = make_user(session, accounts=(make_account(session),))
        with pytest.raises(NotYourMeter):
            _state(session, stranger, meter, INSIDE)
        with pytest.raises(NotYourMeter):
            _submit(session, stranger, meter, INSIDE, t1='10400', t2='1')


def test_the_export_lists_the_months_readings_in_the_documented_columns(system: System) -> None:
    with system.session() as session:
        user, meter = _setup(session)
        _submit(session, user, meter, INSIDE, t1='10400.25', t2='5')
        rows = export.month_rows(session=session, month=date(2026, 3, 1), tz=MSK)
        assert export.month_rows(session=session, month=date(2026, 2, 1), tz=MSK) == []
        with pytest.raises(NotAllowed):
            export.staff_month_rows(session=session, actor=user, month=date(2026, 3, 1), tz=MSK)
    text = export.to_csv(rows)
    where = '690777001;пос. Лесной, ул. Луговая, д. 3;M-77;2026-03'
    assert text.splitlines() == [
        'account_number;address;meter_serial;month;zone;reading_kwh;submitted_at;submitted_by',
        f'{where};T1;10400.25;2026-03-18T12:00:00+03:00;lesnoy@example.com',
        f'{where};T2;5;2026-03-18T12:00:00+03:00;lesnoy@example.com',
    ]
    assert json.loads(export.to_json(rows))[0]['reading_kwh'] == '10400.25'


def test_export_readings_on_the_command_line_prints_csv_and_json(system: System, database_url: str) -> None:
    with system.session() as session:
        user, meter = _setup(session)
        _submit(session, user, meter, INSIDE, t1='10400', t2='5')
    env = {k: v for k, v in os.environ.items() if not k.startswith(('KABINET_', 'PYTEST_', 'NICEGUI_'))}
    env.update(KABINET_DATABASE_URL=database_url, KABINET_MODE='test')
    command = [sys.executable, 'app.py', 'export-readings', '--month', '2026-03']
    as_csv = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    assert as_csv.stdout.splitlines()[1].startswith('690777001;')
    as_json = subprocess.run([*command, '--format', 'json'], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120, check=True)  # fmt: skip
    assert [row['zone'] for row in json.loads(as_json.stdout)] == ['T1', 'T2']
    bad = subprocess.run([*command[:-1], '2026-13'], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                         check=False)  # fmt: skip
    assert bad.returncode == 2 and 'YYYY-MM' in bad.stderr


def test_the_registry_sets_the_reading_mode_and_a_file_without_the_column_keeps_it(system: System) -> None:
    header = 'account_number;address;meter_serial;reading_mode'
    load(system, ('r1.csv', registry('A-1;ул. Мира, 1;RM-1;manual', 'A-1;ул. Мира, 1;RM-2;', header=header)))
    load(system, ('r2.csv', registry('A-1;ул. Мира, 1;RM-1', header='account_number;address;meter_serial')))
    reports = load(system, ('r3.csv', registry('A-1;ул. Мира, 1;RM-1;sometimes', header=header)))
    with system.session() as session:
        modes = {m.serial: m.reading_mode for m in session.exec(select(Meter)).all()}
        assert len(session.exec(select(Account)).all()) == 1
    assert modes == {'RM-1': 'manual', 'RM-2': 'remote'}
    assert not reports[0].ok and 'reading_mode' in reports[0].message()


def test_a_submitted_reading_shows_in_the_readings_table_and_its_export_marked_as_the_residents(
    system: System,
) -> None:
    with system.session() as session:
        user, meter = _setup(session)
        _submit(session, user, meter, INSIDE, t1='10 300,5', t2='4 000')
        session.commit()
        table = readings_table.month_table(
            session=session, user=user, meter_id=meter.id or 0, energy=1, month=date(2026, 3, 1), tz=MSK,
            default_reading_day=25, now=INSIDE,
        )  # fmt: skip
    set_language('ru')
    by_day = {row.day: row for row in table.rows}
    assert by_day[date(2026, 3, 18)].submitted == {1: 10_300_500, 2: 4_000_000}
    assert not by_day[date(2026, 3, 17)].submitted
    note = readings_grid.note(by_day[date(2026, 3, 18)], 2)
    assert 'передано абонентом: День 10\xa0300,500 / Ночь 4\xa0000,000' in note
    sheet = export_tables.table_sheet(table)
    # the 18th row of March; the meter sent no load profile, so the day is also «неполные данные»
    assert sheet.marks[17].endswith('передано абонентом: День 10300.500 / Ночь 4000.000')
    assert sheet.marked[17]
