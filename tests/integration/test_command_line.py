"""The command line of SPEC §8, run as a person runs it: `python app.py ...` in a subprocess."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, 'app.py', *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(('KABINET_', 'PYTEST_', 'NICEGUI_'))}
    clean.update(KABINET_DATABASE_URL=database_url, KABINET_MODE='test', KABINET_INBOX_DIR=str(tmp_path / 'in'))
    return clean


def test_help_lists_every_command_of_the_spec(env: dict[str, str]) -> None:
    result = run('--help', env=env)
    assert result.returncode == 0
    for command in ('serve', 'demo', 'import', 'export', 'create-admin', 'backup'):
        assert command in result.stdout


def test_commands_other_than_serve_do_not_load_the_web_interface(env: dict[str, str]) -> None:
    probe = (
        'import sys, app; code = app.main(["create-admin", "--email", "x@example.com"]); '
        'print("nicegui" in sys.modules)'
    )
    result = subprocess.run(
        [sys.executable, '-c', probe],
        cwd=ROOT,
        env=env | {'KABINET_ADMIN_PASSWORD': 'pass-word-1'},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == 'False', result.stderr


def test_create_admin_makes_an_admin_who_can_log_in(env: dict[str, str], system) -> None:
    from services.identity import auth

    result = run('create-admin', '--email', 'Chief@Example.com', env=env | {'KABINET_ADMIN_PASSWORD': 'long enough 1'})
    assert result.returncode == 0, result.stderr
    login = auth.login(
        engine=system.engine,
        login_name='chief@example.com',
        password='long enough 1',
        ip='127.0.0.1',
        user_agent='test',
        now=system.now(),
    )
    assert login.user.role == 'admin'


def test_create_admin_refuses_a_second_admin_with_the_same_email(env: dict[str, str]) -> None:
    first = run('create-admin', '--email', 'a@example.com', env=env | {'KABINET_ADMIN_PASSWORD': 'long enough 1'})
    second = run('create-admin', '--email', 'A@example.com', env=env | {'KABINET_ADMIN_PASSWORD': 'long enough 1'})
    assert (first.returncode, second.returncode) == (0, 1)
    assert 'already exists' in second.stderr


def test_create_admin_without_a_password_and_without_a_terminal_explains_what_to_set(env: dict[str, str]) -> None:
    result = run('create-admin', '--email', 'a@example.com', env=env)
    assert result.returncode == 2
    assert 'KABINET_ADMIN_PASSWORD' in result.stderr


def test_serve_refuses_to_start_in_production_without_a_storage_secret(env: dict[str, str]) -> None:
    result = run('serve', env=env | {'KABINET_MODE': 'production'}, timeout=60)
    assert result.returncode == 2
    assert 'KABINET_STORAGE_SECRET' in result.stderr


def test_backup_writes_a_consistent_copy_of_a_sqlite_database(env: dict[str, str], tmp_path: Path) -> None:
    if not env['KABINET_DATABASE_URL'].startswith('sqlite'):
        pytest.skip('the SQLite online backup; PostgreSQL backups use pg_dump')
    assert (
        run(
            'create-admin', '--email', 'a@example.com', env=env | {'KABINET_ADMIN_PASSWORD': 'long enough 1'}
        ).returncode
        == 0
    )
    result = run('backup', str(tmp_path / 'copy.db'), env=env)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / 'copy.db') as copy:
        assert copy.execute('SELECT email FROM user').fetchall() == [('a@example.com',)]
