"""Installable on a phone: the manifest, icons, service worker and offline page are served with their types."""

from __future__ import annotations

import io
import json

from nicegui.testing import User
from PIL import Image


async def test_the_manifest_names_the_portal_its_icons_colour_and_start_page(user: User) -> None:
    response = await user.http_client.get('/manifest.webmanifest')
    assert response.status_code == 200
    assert response.headers['content-type'].startswith('application/manifest+json')
    manifest = json.loads(response.text)
    assert manifest['start_url'] == '/' and manifest['display'] == 'standalone'
    assert manifest['name'] == 'АО «Тестэнерго»' and manifest['theme_color'] == '#0b5cad'
    assert {icon['sizes'] for icon in manifest['icons']} == {'192x192', '512x512'}


async def test_the_icons_are_pngs_of_their_sizes(user: User) -> None:
    for size in (192, 512):
        response = await user.http_client.get(f'/icons/icon-{size}.png')
        assert response.status_code == 200 and response.headers['content-type'] == 'image/png'
        assert Image.open(io.BytesIO(response.content)).size == (size, size)
    assert (await user.http_client.get('/icons/icon-64.png')).status_code == 404


async def test_the_service_worker_keeps_only_the_offline_page_and_icons(user: User) -> None:
    response = await user.http_client.get('/sw.js')
    assert response.status_code == 200 and response.headers['content-type'].startswith('text/javascript')
    assert response.headers['service-worker-allowed'] == '/'
    script = response.text
    assert "const KEPT = [OFFLINE, '/icons/icon-192.png', '/icons/icon-512.png'];" in script
    assert 'cache.put' not in script  # no response of the portal is ever stored
    offline = await user.http_client.get('/offline.html')
    assert offline.status_code == 200 and offline.headers['content-type'].startswith('text/html')
    assert 'Нет соединения с интернетом' in offline.text


async def test_every_page_links_the_manifest_and_registers_the_worker(user: User) -> None:
    response = await user.http_client.get('/login')
    assert '<link rel="manifest" href="/manifest.webmanifest">' in response.text
    assert "navigator.serviceWorker.register('/sw.js'" in response.text
