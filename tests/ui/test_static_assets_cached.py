"""Fonts and scripts are sent once: NiceGUI's files carry a year-long immutable cache header (their address names
the NiceGUI version, so an upgrade changes it), while the pages themselves are never cached (many residents at
once, issue 16)."""

from __future__ import annotations

import re

from nicegui.testing import User

from services.core.settings import Settings

YEAR = 'max-age=31536000'


async def test_scripts_styles_and_fonts_are_cached_for_a_year_and_pages_never(user: User, app_env: Settings) -> None:
    page = await user.http_client.get('/login')
    assert page.status_code == 200
    assert 'no-store' in page.headers['cache-control']  # a page holds a person's data and a fresh client id
    assets = set(re.findall(r'"(/_nicegui/[^"]+/(?:static|components|libraries)/[^"]+)"', page.text))
    assert any(a.endswith('.js') for a in assets) and any(a.endswith('.css') for a in assets)
    fonts_css = next(a for a in assets if a.endswith('/fonts.css'))
    css = await user.http_client.get(fonts_css)
    fonts = {fonts_css.rsplit('/', 1)[0] + '/' + f for f in re.findall(r'url\(([^)]+\.woff2)\)', css.text)}
    assert fonts, 'fonts.css names no font file'
    for address in sorted(assets | fonts):
        response = await user.http_client.get(address)
        assert response.status_code == 200, address
        cache = response.headers.get('cache-control', '')
        assert YEAR in cache and 'immutable' in cache, (address, cache)
