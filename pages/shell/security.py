"""Security headers on every response, and anonymous visitors of private pages sent to /login."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse

from pages.shell import deps

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# NiceGUI renders with Vue's runtime template compiler and inline bootstrapping, which need 'unsafe-eval' and
# 'unsafe-inline' for scripts; everything else is locked to this origin.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
HEADERS = [
    (b'x-content-type-options', b'nosniff'),
    (b'referrer-policy', b'same-origin'),
    (b'x-frame-options', b'DENY'),
    (b'content-security-policy', CSP.encode()),
    (b'permissions-policy', b'camera=(), microphone=(), geolocation=(), payment=()'),
    (b'cross-origin-opener-policy', b'same-origin'),
]
PUBLIC_PREFIXES = (
    '/_nicegui',
    '/static/',
    '/api/',
    '/auth/',
    '/healthz',
    '/favicon',
    '/login',
    '/register',
    '/recover',
    '/info',
    '/logout',
    '/settings/email/confirm',
    '/manifest',
)


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = [*HEADERS, *([(b'strict-transport-security', b'max-age=31536000')] if https else [])]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        if not is_public(scope.get('path', '/')):
            request = Request(scope)
            if deps.user_from_request(request) is None:
                target = quote(deps.login_redirect_target(request), safe='/')
                response = RedirectResponse(f'/login?next={target}', status_code=303)
                await self._with_headers(response)(scope, receive, send)
                return
        await self._with_headers(self.app)(scope, receive, send)

    def _with_headers(self, app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            async def send_with_headers(message: Message) -> None:
                if message['type'] == 'http.response.start':
                    names = {name.lower() for name, _ in message.get('headers', [])}
                    message.setdefault('headers', [])
                    message['headers'] = [*message['headers'], *(h for h in self.headers if h[0] not in names)]
                await send(message)

            await app(scope, receive, send_with_headers)

        return wrapped


def is_public(path: str) -> bool:
    return any(path == p.rstrip('/') or path.startswith(p) for p in PUBLIC_PREFIXES)
