"""Typed settings of one Kabinet instance, read from KABINET_* variables or a .env file (SPEC §10)."""

from __future__ import annotations

import ipaddress
import secrets
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
    log_format: str = 'text'  # 'text' | 'json' (one JSON object a line, for journald and log shippers)
    metrics_token: str = ''  # bearer token of GET /metrics; empty: no metrics endpoint

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

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

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


def local_secret() -> str:
    """A random secret kept in a git-ignored file, made on the first start of a demo instance."""
    if LOCAL_SECRET_FILE.exists():
        return LOCAL_SECRET_FILE.read_text(encoding='utf-8').strip()
    LOCAL_SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    LOCAL_SECRET_FILE.write_text(value, encoding='utf-8')
    LOCAL_SECRET_FILE.chmod(0o600)
    return value
