"""Security headers on every response; the session's user resolved once per request, off the event loop; the
portal's own origins (for the websocket and for state-changing POSTs).

Anonymous visitors of private pages are sent to /login?next=…; the user found here is kept in the request's
state, so the page's context does not look it up again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse

from pages.shell.context import SESSION_COOKIE, USER_STATE, Site, request_target

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
# Served to anyone and never about a user: no session lookup at all.
ASSET_PREFIXES = (
    '/_nicegui',
    '/static/',
    '/api/',
    '/livez',
    '/healthz',
    '/readyz',
    '/metrics',
    '/favicon',
    '/manifest',
    '/sw.js',
    '/offline.html',
    '/icons/',
)
# Pages anyone may open (the user is still resolved, e.g. to send a logged-in visitor of /login onwards).
PUBLIC_PREFIXES = (
    '/auth/',
    '/login',
    '/register',
    '/recover',
    '/info',
    '/logout',
    '/settings/email/confirm',
    '/staff/invite',  # an invited operator sets a password before they have one
    '/alerts/unsubscribe',  # the signed one-click link of every alert email (B5)
)


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, site: Site) -> None:
        self.app = app
        self.site = site
        https = site.system.settings.https
        self.headers = [*HEADERS, *([(b'strict-transport-security', b'max-age=31536000')] if https else [])]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        path = scope.get('path', '/')
        if not _matches(path, ASSET_PREFIXES):
            request = Request(scope)
            token = request.cookies.get(SESSION_COOKIE)
            user = await self.site.lookup(token) if token else None
            scope.setdefault('state', {})[USER_STATE] = user
            if user is None and not _matches(path, PUBLIC_PREFIXES):
                target = quote(request_target(request), safe='/')
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
    """True for paths an anonymous visitor may open."""
    return _matches(path, ASSET_PREFIXES) or _matches(path, PUBLIC_PREFIXES)


def _matches(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p.rstrip('/') or path.startswith(p) for p in prefixes)


def origin_allowed(origin: str | None, *, host: str, base_url: str) -> bool:
    """True for the portal's own origin: the public address (KABINET_BASE_URL) or the host the request was sent to.

    A page of another site can make a browser send the portal's cookies, but never with the portal's origin.
    """
    parts = urlsplit(origin or '')
    if parts.scheme not in ('http', 'https') or not parts.netloc or parts.path:
        return False
    public = urlsplit(base_url) if base_url else None
    if public is not None and (parts.scheme, parts.netloc.lower()) == (public.scheme, public.netloc.lower()):
        return True
    return bool(host) and parts.netloc.lower() == host.strip().lower()


def socket_origin_check(base_url: str) -> Callable[[str | None, dict[str, Any]], bool]:
    """For socket.io's `cors_allowed_origins`: a websocket or polling request from a foreign page is refused."""

    def check(origin: str | None, environ: dict[str, Any]) -> bool:
        return origin_allowed(origin, host=environ.get('HTTP_HOST', ''), base_url=base_url)

    return check


def same_origin_post(request: Request, *, base_url: str) -> bool:
    """True unless the browser says the POST came from another origin (Origin, else Referer; both are optional)."""
    origin = request.headers.get('origin')
    if origin is None:
        referer = urlsplit(request.headers.get('referer', ''))
        if not referer.netloc:
            return True  # nothing to judge by: the form's token decides
        origin = f'{referer.scheme}://{referer.netloc}'
    return origin_allowed(origin, host=request.headers.get('host', ''), base_url=base_url)
