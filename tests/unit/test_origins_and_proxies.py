"""The portal's own origins (websocket, logout form) and the trusted-proxy setting."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pages.shell.security import origin_allowed
from services.core.settings import Settings


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_no_proxy_is_trusted_by_default_and_addresses_and_networks_are_accepted() -> None:
    assert make().trusted_proxies == ''
    assert make(trusted_proxies=' 10.0.0.5, 172.16.0.0/12 ,::1').trusted_proxies == '10.0.0.5,172.16.0.0/12,::1'


@pytest.mark.parametrize('value', ['*', 'nginx', '10.0.0.300', '10.0.0.0/33'])
def test_anything_but_addresses_and_networks_is_refused_as_a_trusted_proxy(value: str) -> None:
    with pytest.raises(ValidationError, match='TRUSTED_PROXIES'):
        make(trusted_proxies=value)


@pytest.mark.parametrize(
    ('origin', 'host', 'allowed'),
    [
        ('https://kabinet.example', 'internal:8080', True),  # KABINET_BASE_URL
        ('http://127.0.0.1:8080', '127.0.0.1:8080', True),  # the host the request was sent to
        ('https://portal.example', 'PORTAL.example', True),
        ('http://kabinet.example', 'internal:8080', False),  # another scheme is another origin
        ('https://kabinet.example.evil.example', 'internal:8080', False),
        ('http://127.0.0.1:9999', '127.0.0.1:8080', False),  # another port of the same host
        ('null', '127.0.0.1:8080', False),  # sandboxed frames and file:// pages
        ('', '127.0.0.1:8080', False),
        (None, '127.0.0.1:8080', False),
        ('https://kabinet.example/path', 'internal', False),
    ],
)
def test_only_the_portals_own_origins_are_allowed(origin: str | None, host: str, allowed: bool) -> None:
    assert origin_allowed(origin, host=host, base_url='https://kabinet.example/') is allowed
