"""Portal processes (`app.py serve`) started by a test, each on a free port with its own log file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tests.clock import TEST_NOW
from tests.e2e.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Portal:
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes] = field(repr=False)

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    def log(self) -> str:
        self.log_file.flush()
        return self.log_path.read_text(encoding='utf-8', errors='replace')

    def kill(self) -> None:
        """Die at once, as a crashed process does: no shutdown handler runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log_file.close()


def portal_env(database_url: str, folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(('KABINET_', 'PYTEST_', 'NICEGUI_'))}
    env.update(
        KABINET_DATABASE_URL=database_url,
        KABINET_MODE='test',
        KABINET_NOW=TEST_NOW.isoformat(),  # the suite's instant, whatever the date of the run
        KABINET_HOST='127.0.0.1',
        KABINET_STORAGE_SECRET='portal-test-secret-0123456789',
        KABINET_CAPTCHA='off',
        KABINET_INBOX_DIR=str(folder / 'inbox'),
    )
    env.update(extra)
    return env


def start_portal(env: dict[str, str], folder: Path, name: str) -> Portal:
    """`app.py serve` with `env` on a free port; returns once /healthz answers 200."""
    port = free_port()
    log_path = folder / f'{name}.log'
    log_file = log_path.open('wb')
    process = subprocess.Popen(
        [sys.executable, 'app.py', 'serve'],
        cwd=ROOT,
        env={**env, 'KABINET_PORT': str(port)},
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    portal = Portal(port=port, process=process, log_path=log_path, log_file=log_file)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'{name} exited at start:\n{portal.log()[-3000:]}')
        try:
            with urllib.request.urlopen(f'{portal.url}/healthz', timeout=2) as response:
                if response.status == 200:
                    return portal
        except OSError:
            time.sleep(0.3)
    portal.stop()
    raise RuntimeError(f'{name} did not answer /healthz within 120 s')


def wait_until(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.3)
    raise AssertionError(f'{what} did not happen within {timeout} s')
