"""What the machines that run the portal ask it: liveness, health, readiness, metrics, JSON logs (O10)."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from services.core.db import schema_is_current
from services.core.metrics import Registry
from services.core.system import System
from tests.integration.portal_processes import Portal, portal_env, start_portal, wait_until

TOKEN = 'metrics-token-0123456789'


@pytest.fixture
def portal(system: System, tmp_path: Path) -> Iterator[Portal]:
    env = portal_env(
        system.settings.database_url, tmp_path, KABINET_METRICS_TOKEN=TOKEN, KABINET_LOG_FORMAT='json',
        KABINET_INBOX_INTERVAL='1',
    )  # fmt: skip
    running = start_portal(env, tmp_path, 'portal')
    yield running
    running.stop()


def get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={'Authorization': f'Bearer {token}'} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_portal_answers_liveness_health_readiness_and_counts_for_prometheus(portal: Portal) -> None:
    assert get(f'{portal.url}/livez')[0] == 200
    assert get(f'{portal.url}/healthz')[0] == 200
    assert get(f'{portal.url}/readyz') == (200, '{"status":"ok"}')
    assert get(f'{portal.url}/metrics')[0] == 401
    assert get(f'{portal.url}/metrics', token='wrong')[0] == 401
    inbox = Path(portal_inbox(portal))
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / 'bad.csv').write_bytes(b'nothing;we;know\n')
    past = time.time() - 60
    os.utime(inbox / 'bad.csv', (past, past))
    wait_until(lambda: 'kabinet_imports_total{outcome="rejected",source="inbox"} 1' in metrics(portal), 20, 'import')
    body = metrics(portal)
    assert 'kabinet_jobs_leader 1' in body  # the only process on the database leads
    assert 'kabinet_outbox_backlog 0' in body
    assert 'kabinet_connected_clients 0' in body
    assert 'kabinet_job_runs_total{job="inbox",outcome="ok"}' in body
    assert '# TYPE kabinet_job_duration_seconds_sum counter' in body


def test_json_logs_are_one_object_a_line(portal: Portal) -> None:
    lines = [line for line in portal.log().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]
    assert {'time', 'level', 'logger', 'message'} <= set(entries[0])
    assert any(e['logger'] == 'kabinet' and e['message'].startswith('Kabinet on http://') for e in entries)


def test_readiness_fails_while_the_schema_is_older_than_the_version(system: System) -> None:
    assert schema_is_current(system.engine) is True
    with system.engine.begin() as conn:
        head = conn.execute(text('SELECT version_num FROM alembic_version')).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    try:
        assert schema_is_current(system.engine) is False
    finally:  # the PostgreSQL test database is shared by the tests that follow
        with system.engine.begin() as conn:
            conn.execute(text('UPDATE alembic_version SET version_num = :v'), {'v': head})


def test_metrics_render_in_prometheus_text_format_with_escaped_labels() -> None:
    registry = Registry()
    registry.add('kabinet_imports_total', source='api', outcome='imported')
    registry.add('kabinet_imports_total', source='api', outcome='imported')
    registry.add('kabinet_job_duration_seconds_sum', 0.25, job='a"b')
    assert registry.render({'kabinet_outbox_backlog': 3}).splitlines() == [
        '# HELP kabinet_imports_total Files imported, by source and outcome (imported, rejected).',
        '# TYPE kabinet_imports_total counter',
        'kabinet_imports_total{outcome="imported",source="api"} 2',
        '# HELP kabinet_job_duration_seconds_sum Seconds spent in background job runs, by job.',
        '# TYPE kabinet_job_duration_seconds_sum counter',
        'kabinet_job_duration_seconds_sum{job="a\\"b"} 0.25',
        '# HELP kabinet_outbox_backlog Emails waiting to be sent.',
        '# TYPE kabinet_outbox_backlog gauge',
        'kabinet_outbox_backlog 3',
    ]


def metrics(portal: Portal) -> str:
    status, body = get(f'{portal.url}/metrics', token=TOKEN)
    assert status == 200
    return body


def portal_inbox(portal: Portal) -> str:
    return str(portal.log_path.parent / 'inbox')
