"""Shared set-up of the identity tests: cheap bcrypt and a registry account to register with."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.identity import passwords

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
UTILITY = 'АО «Тестэнерго»'
BASE = 'http://portal.example'


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cost 4 instead of 12: the tests check behaviour, not bcrypt's strength."""
    monkeypatch.setattr(passwords, 'BCRYPT_ROUNDS', 4)
