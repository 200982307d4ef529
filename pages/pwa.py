"""Installable on a phone (SPEC B9): the web app manifest, its icons, a service worker and the offline page.

The service worker caches only the offline page and the icons, never a response of the portal: when a page
load fails for want of a network it answers with the offline page, and everything else goes to the network
untouched (private data never lands in a cache). The icons are drawn with Pillow when first asked for.
"""

from __future__ import annotations

import io
import json
from functools import cache

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from nicegui import ui
from PIL import Image, ImageDraw

from pages.shell.context import Site

THEME_COLOUR = '#0b5cad'  # the header's blue
ICON_SIZES = (192, 512)
NO_STORE = {'Cache-Control': 'no-cache'}
SERVICE_WORKER = """'use strict';
const CACHE = 'kabinet-offline-v1';
const OFFLINE = '/offline.html';
const KEPT = [OFFLINE, '/icons/icon-192.png', '/icons/icon-512.png'];
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(KEPT)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});
self.addEventListener('fetch', (event) => {
  // only page loads, and only when the network fails; nothing the portal answers is ever stored
  if (event.request.mode !== 'navigate') return;
  event.respondWith(fetch(event.request).catch(() => caches.match(OFFLINE)));
});
"""
REGISTER_JS = """<script>
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => navigator.serviceWorker.register('/sw.js', {scope: '/'}).catch(() => {}));
}
</script>"""
OFFLINE_HTML = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#0b5cad">
<title>Нет соединения — No connection</title>
<style>
  body { font-family: Roboto, system-ui, sans-serif; margin: 0; background: #fff; color: #1d1d1d; }
  header { background: #0b5cad; color: #fff; padding: 14px 16px; font-size: 1.1rem; font-weight: 500; }
  main { max-width: 560px; margin: 0 auto; padding: 24px 16px; }
  h1 { font-size: 1.5rem; font-weight: 400; }
  button { background: #0b5cad; color: #fff; border: 0; border-radius: 4px; padding: 10px 20px; font-size: 1rem; }
  .en { color: #5f6368; margin-top: 32px; }
  @media (prefers-color-scheme: dark) { body { background: #121212; color: #eee; } .en { color: #b8bec6; } }
</style></head>
<body><header>⚡ Личный кабинет</header>
<main id="offline">
  <h1>Нет соединения с интернетом</h1>
  <p>Личный кабинет откроется, когда связь вернётся. Ваши данные на этом устройстве не хранятся.</p>
  <p><button onclick="location.reload()">Повторить</button></p>
  <p class="en" lang="en">No internet connection. The portal opens again when the network is back;
  your data is not stored on this device.</p>
</main></body></html>
"""


def register(site: Site, app: FastAPI) -> None:
    """The routes of the manifest, icons, service worker and offline page, and the head lines of every page."""
    name = site.system.settings.utility_name

    @app.get('/manifest.webmanifest')
    def manifest() -> Response:
        return Response(json.dumps(manifest_of(name), ensure_ascii=False), media_type='application/manifest+json')

    @app.get('/sw.js')
    def service_worker() -> Response:
        headers = {**NO_STORE, 'Service-Worker-Allowed': '/'}
        return Response(SERVICE_WORKER, media_type='text/javascript', headers=headers)

    @app.get('/offline.html')
    def offline() -> HTMLResponse:
        return HTMLResponse(OFFLINE_HTML, headers=NO_STORE)

    @app.get('/icons/icon-{size}.png')
    def icon(size: int) -> Response:
        if size not in ICON_SIZES:
            return Response(status_code=404)
        return Response(icon_png(size), media_type='image/png', headers={'Cache-Control': 'max-age=86400'})

    for path in ('/manifest.webmanifest', '/sw.js', '/offline.html'):
        site.add_route(path)
    ui.add_head_html(
        f'<link rel="manifest" href="/manifest.webmanifest">\n<meta name="theme-color" content="{THEME_COLOUR}">\n'
        f'<link rel="apple-touch-icon" href="/icons/icon-192.png">\n{REGISTER_JS}',
        shared=True,
    )  # constant text only: the utility's name goes into the manifest as JSON, never into the head


def manifest_of(name: str) -> dict[str, object]:
    return {
        'name': name,
        'short_name': 'Личный кабинет',
        'lang': 'ru',
        'start_url': '/',
        'scope': '/',
        'display': 'standalone',
        'background_color': '#ffffff',
        'theme_color': THEME_COLOUR,
        'icons': [
            {'src': f'/icons/icon-{size}.png', 'sizes': f'{size}x{size}', 'type': 'image/png', 'purpose': 'any'}
            for size in ICON_SIZES
        ],
    }


@cache
def icon_png(size: int) -> bytes:
    """A white lightning bolt on the header's blue, as the header shows it."""
    image = Image.new('RGB', (size, size), THEME_COLOUR)
    draw = ImageDraw.Draw(image)
    s = size / 24  # the bolt of Material's «bolt» icon, on a 24-unit grid
    bolt = [(11, 21), (12, 14), (8.5, 14), (13, 3), (12, 10), (15.5, 10)]
    draw.polygon([(x * s, y * s) for x, y in bolt], fill='white')
    out = io.BytesIO()
    image.save(out, format='PNG')
    return out.getvalue()
