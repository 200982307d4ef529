"""UI tests on NiceGUI's simulated browser: app.py runs against this test's own database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from nicegui import core
from nicegui.testing.user import User
from nicegui.testing.user_simulation import user_simulation

from services.core.settings import Settings

# Pages load their data off the event loop, so a page opened by a click may take a moment on a busy machine:
# wait up to about three seconds for what should (or should no longer) be seen, instead of NiceGUI's 0.3 s.
User.should_see.__kwdefaults__['retries'] = 30
User.should_not_see.__kwdefaults__['retries'] = 30


@pytest.fixture
def app_env(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Settings]:
    """The KABINET_* environment that app.py reads when the fixture starts it."""
    for key, value in settings.model_dump().items():
        monkeypatch.setenv(f'KABINET_{key.upper()}', str(value))
    yield settings


@pytest.fixture
async def user(
    app_env: Settings, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest
) -> AsyncIterator[User]:
    """NiceGUI's `user` fixture, started after the environment above is in place."""
    main_file = Path(request.config.rootpath) / 'app.py'
    # FastAPI's include_router wraps the app's lifespan once per router and NiceGUI keeps the app between tests:
    # without restoring it the wrappers pile up until a long run hits RecursionError.
    lifespan = core.app.router.lifespan_context
    try:
        async with user_simulation(main_file=main_file) as simulated:
            yield simulated
    finally:
        core.app.router.lifespan_context = lifespan
    errors = [r for r in caplog.get_records('call') if r.levelname == 'ERROR']
    if errors:
        pytest.fail(f'There were unexpected ERROR logs: {[r.getMessage() for r in errors]}', pytrace=False)
