"""Manual reading submission (B7) in real Chromium, on a desktop and on a phone.

The demo's bath-house meter (56001274) is switched to manual reading by a registry file; the suite's instant
(18 March) lies inside the default window 15–25. A second portal on a copy of the same database is configured
with the window 20–25, so that the same day lies before it.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, Server, free_port, log_in, portal_env, serving

BATH, HOUSE = '56001274', '23450981'
REGISTRY = (
    'account_number;address;meter_serial;reading_mode\n690555002;пос. Сахарово, ул. Садовая, д. 7;56001274;manual\n'
)

T1_FIELD = re.compile(r'\(T1\), кВт·ч')  # «Потребление (T1), кВт·ч»: the zone's name and the meter's register


@pytest.fixture(scope='module')
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database whose bath-house meter is read by the resident."""
    data = tmp_path_factory.mktemp('manual')
    env = portal_env(data, free_port())
    subprocess.run([sys.executable, 'app.py', 'demo', '--accounts', '40'], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    (data / 'registry.csv').write_text(REGISTRY, encoding='utf-8')
    subprocess.run([sys.executable, 'app.py', 'import', str(data / 'registry.csv')], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    return data / 'kabinet.db'


@pytest.fixture(scope='module')
def inside(prepared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _serve(prepared, tmp_path_factory.mktemp('inside'), {})


@pytest.fixture(scope='module')
def before(prepared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _serve(prepared, tmp_path_factory.mktemp('before'), {'KABINET_READING_WINDOW': '20-25'})


def test_inside_the_window_a_value_is_accepted_and_shown_marked_and_a_lower_one_refused(page, inside: Server) -> None:
    log_in(page, inside)
    page.goto(f'{inside.url}/subscriber/meters/{_meter_id(inside, BATH)}')
    page.get_by_text('Показания за март 2026 принимаются до 25.03.2026').wait_for()
    field = page.get_by_label(T1_FIELD)
    field.fill('100')
    page.get_by_role('button', name='Передать').click()
    page.get_by_text('Меньше предыдущего показания').wait_for()
    field.fill('9130,5')
    page.get_by_role('button', name='Передать').click()
    page.get_by_text('Показания приняты').first.wait_for()
    page.get_by_text('Переданные показания').wait_for()
    page.get_by_text('передано абонентом').first.wait_for()
    page.get_by_text('T1: 9 130,5 кВт·ч').first.wait_for()
    assert page.evaluate('document.documentElement.scrollWidth') <= page.viewport_size['width']


def test_a_remote_meter_has_no_form_and_says_why(page, inside: Server) -> None:
    log_in(page, inside)
    page.goto(f'{inside.url}/subscriber/meters/{_meter_id(inside, HOUSE)}')
    page.get_by_text('Этот счётчик передаёт показания сам').wait_for()
    assert page.get_by_label(T1_FIELD).count() == 0


def test_outside_the_window_the_form_is_gone_and_the_next_dates_are_shown(page, before: Server) -> None:
    log_in(page, before)
    page.goto(f'{before.url}/subscriber/meters/{_meter_id(before, BATH)}')
    page.get_by_text('Следующий приём: 20.03.2026 – 25.03.2026').wait_for()
    assert page.get_by_label(T1_FIELD).count() == 0
    assert page.get_by_role('button', name='Передать').count() == 0


def _serve(database: Path, data: Path, extra: dict[str, str]) -> Iterator[Server]:
    shutil.copy(database, data / 'kabinet.db')
    with serving(portal_env(data, free_port(), **extra), data) as running:
        yield running


def _meter_id(server: Server, serial: str) -> int:
    with sqlite3.connect(f'file:{server.data / "kabinet.db"}?mode=ro', uri=True) as db:
        return int(db.execute('SELECT id FROM meter WHERE serial = ?', (serial,)).fetchone()[0])
