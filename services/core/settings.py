"""Typed settings of one Kabinet instance, read from KABINET_* variables or a .env file (SPEC §10)."""

from __future__ import annotations

import ipaddress
import secrets
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / 'data'
LOCAL_SECRET_FILE = DATA_DIR / '.storage_secret'


class SettingsError(RuntimeError):
    """The configuration cannot run an instance; the message says what to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix='KABINET_', env_file='.env', extra='ignore')

    database_url: str = Field(default=f'sqlite:///{DATA_DIR / "kabinet.db"}')
    host: str = '127.0.0.1'
    port: int = 8080
    storage_secret: str = ''
    timezone: str = 'Europe/Moscow'
    reading_day: int = Field(default=25, ge=1, le=31)
    smtp_host: str = 'localhost'
    smtp_port: int = 25
    smtp_user: str = ''
    smtp_password: str = ''
    smtp_starttls: bool = False
    mail_from: str = 'kabinet@localhost'
    inbox_dir: str = str(DATA_DIR / 'inbox')
    inbox_quiet_seconds: float = Field(default=5, ge=0)  # an inbox file untouched this long is complete
    import_earliest: date = date(1990, 1, 1)  # meter data before this day (UTC) rejects its file
    import_ahead_days: int = Field(default=2, ge=0)  # ... and so does meter data later than now + this many days
    inbox_interval: int = Field(default=30, ge=1)  # seconds between two looks into the inbox
    api_token: str = ''
    captcha: str = 'on'
    utility_name: str = 'АО «Энергосбыт»'
    language: str = 'ru'
    demo_password: str = ''
    base_url: str = ''
    upload_max_mb: int = Field(default=50, ge=1)
    https: bool = False
    trusted_proxies: str = ''  # addresses or networks, comma-separated, whose X-Forwarded-For is believed
    mode: str = 'production'  # 'production' | 'demo' | 'test'
    now: str = ''  # test and demo mode only: the clock starts at this instant (ISO 8601; local time without offset)
    support_email: str = ''  # where new support requests are announced (SPEC §10); empty: nobody
    support_target_hours: int = Field(default=24, ge=1)  # the desk's answer target: older open requests stand out
    attachments_dir: str = str(DATA_DIR / 'attachments')  # support attachments, never under a public folder
    log_format: str = 'text'  # 'text' | 'json' (one JSON object a line, for journald and log shippers)
    metrics_token: str = ''  # bearer token of GET /metrics; empty: no metrics endpoint
    reading_window: str = '15-25'  # local days of the month when residents submit manual readings (B7)

    @field_validator('timezone')
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, ModuleNotFoundError) as error:
            raise ValueError(f'unknown time zone {value!r}, e.g. Europe/Moscow') from error
        return value

    @field_validator('captcha')
    @classmethod
    def _on_off(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in {'on', 'off'}:
            raise ValueError("KABINET_CAPTCHA must be 'on' or 'off'")
        return value

    @field_validator('log_format')
    @classmethod
    def _log_format(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in {'text', 'json'}:
            raise ValueError("KABINET_LOG_FORMAT must be 'text' or 'json'")
        return value

    @field_validator('trusted_proxies')
    @classmethod
    def _networks(cls, value: str) -> str:
        items = [item.strip() for item in value.split(',') if item.strip()]
        for item in items:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError as error:
                raise ValueError(
                    f'KABINET_TRUSTED_PROXIES: {item!r} is not an address or network, e.g. 10.0.0.5'
                ) from error
        return ','.join(items)

    @field_validator('reading_window')
    @classmethod
    def _day_range(cls, value: str) -> str:
        first, _, last = value.strip().partition('-')
        if not (first.strip().isdigit() and last.strip().isdigit() and 1 <= int(first) <= int(last) <= 31):
            raise ValueError(f'KABINET_READING_WINDOW: {value!r} is not a range of days of the month, e.g. 15-25')
        return f'{int(first)}-{int(last)}'

    @field_validator('now')
    @classmethod
    def _instant(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                datetime.fromisoformat(value)
            except ValueError as error:
                raise ValueError(
                    f'KABINET_NOW: {value!r} is not an ISO 8601 instant, e.g. 2027-01-03T00:30:00+03:00'
                ) from error
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def reading_days(self) -> tuple[int, int]:
        """The first and last local day of the month of the manual-reading window (KABINET_READING_WINDOW)."""
        first, last = self.reading_window.split('-')
        return int(first), int(last)

    def portal_url(self, path: str = '') -> str:
        """The portal's public address (+ path) for links in emails: KABINET_BASE_URL, else where it listens.

        Never the request's Host header, which an attacker could point at their own site (link poisoning).
        """
        return (self.base_url.rstrip('/') or f'http://{self.host}:{self.port}') + path

    @property
    def captcha_enabled(self) -> bool:
        return self.captcha == 'on'

    @property
    def relaxed(self) -> bool:
        """Demo and test instances may run without a configured secret."""
        return self.mode in {'demo', 'test'}

    def require_secret(self) -> str:
        """The storage secret, or SettingsError when a production instance has none."""
        if len(self.storage_secret) >= 16:
            return self.storage_secret
        if self.storage_secret:
            raise SettingsError('KABINET_STORAGE_SECRET is too short: use at least 16 random characters')
        if self.relaxed:
            return local_secret()
        raise SettingsError(
            'KABINET_STORAGE_SECRET is not set: a production instance needs a random secret '
            '(e.g. `python -c "import secrets; print(secrets.token_urlsafe(32))"`)'
        )

    def start_instant(self) -> datetime | None:
        """The instant the clock starts at (KABINET_NOW), None for the wall clock; refused in production."""
        if not self.now:
            return None
        if not self.relaxed:
            raise SettingsError(
                'KABINET_NOW sets the clock only in test and demo mode (KABINET_MODE=test or demo): '
                'a production instance always runs on the real time'
            )
        instant = datetime.fromisoformat(self.now)
        return instant if instant.tzinfo is not None else instant.replace(tzinfo=self.tz)


def local_secret() -> str:
    """A random secret kept in a git-ignored file, made on the first start of a demo instance."""
    if LOCAL_SECRET_FILE.exists():
        return LOCAL_SECRET_FILE.read_text(encoding='utf-8').strip()
    LOCAL_SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    LOCAL_SECRET_FILE.write_text(value, encoding='utf-8')
    LOCAL_SECRET_FILE.chmod(0o600)
    return value
