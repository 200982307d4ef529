"""Settings: KABINET_* variables, and no production start without a real secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.core.settings import Settings, SettingsError


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_a_production_instance_without_a_storage_secret_refuses_to_start() -> None:
    with pytest.raises(SettingsError, match='KABINET_STORAGE_SECRET'):
        make(mode='production').require_secret()


def test_a_short_secret_is_refused_even_in_demo_mode() -> None:
    with pytest.raises(SettingsError, match='too short'):
        make(mode='demo', storage_secret='short').require_secret()


def test_a_configured_secret_is_used_as_it_is() -> None:
    assert make(storage_secret='x' * 32).require_secret() == 'x' * 32


def test_variables_with_the_kabinet_prefix_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('KABINET_PORT', '9001')
    monkeypatch.setenv('KABINET_READING_DAY', '20')
    monkeypatch.setenv('KABINET_TIMEZONE', 'Asia/Yekaterinburg')
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.port, settings.reading_day, settings.tz.key) == (9001, 20, 'Asia/Yekaterinburg')


def test_an_unknown_time_zone_or_reading_day_out_of_range_is_an_error() -> None:
    with pytest.raises(ValidationError):
        make(timezone='Mars/Olympus')
    with pytest.raises(ValidationError):
        make(reading_day=32)


def test_captcha_is_on_by_default_and_only_on_or_off_is_accepted() -> None:
    assert make().captcha_enabled is True
    assert make(captcha='OFF').captcha_enabled is False
    with pytest.raises(ValidationError):
        make(captcha='maybe')


def test_a_chosen_instant_is_refused_in_production_with_the_reason() -> None:
    with pytest.raises(SettingsError, match='KABINET_NOW sets the clock only in test and demo mode'):
        make(mode='production', now='2027-01-03T00:30:00+03:00').start_instant()


def test_a_chosen_instant_without_an_offset_is_the_utilitys_local_time() -> None:
    instant = make(mode='test', now='2027-01-03T00:30:00').start_instant()
    assert instant is not None and instant.isoformat() == '2027-01-03T00:30:00+03:00'  # Moscow, UTC+3


def test_an_instant_that_is_not_iso_8601_is_an_error() -> None:
    with pytest.raises(ValidationError, match='KABINET_NOW'):
        make(mode='test', now='3 January')
