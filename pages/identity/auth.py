"""Logging in and out (SPEC S2): /login, /auth/complete (sets the session cookie), /logout (GET asks, POST ends).

The login happens over the websocket, which cannot set cookies: it leaves a one-time ticket that the browser
takes to /auth/complete. The ticket is bound to the browser that typed the password (NiceGUI's signed browser
id), so a ticket URL opened in another browser logs nobody in (login CSRF). Logout is a POST with a token
bound to the session and a same-origin check, so no link or foreign page can log anyone out.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from nicegui import ui

from components.logout_form import logout_form
from pages.shell.context import DEVICE_COOKIE, SESSION_COOKIE, PageContext, Site, off_loop, safe_next
from pages.shell.security import same_origin_post
from services.core.db import session_scope
from services.core.i18n import _
from services.core.system import System
from services.identity import auth

TICKET_SECONDS = 30


@dataclass(frozen=True, slots=True)
class _Ticket:
    token: str  # the raw session token, carried from the websocket to the cookie; never in a URL
    user_id: int
    must_change: bool
    browser: str  # NiceGUI's browser id of the browser that logged in
    expires: float  # time.monotonic()


_tickets: dict[str, _Ticket] = {}


def register(site: Site) -> None:
    @site.page('/login', access='public')
    async def login_page(ctx: PageContext, next: str = '/') -> RedirectResponse | None:
        if ctx.viewer is not None:
            return RedirectResponse(safe_next(next), status_code=303)
        target = safe_next(next)
        with await ctx.frame(_('Log in to your account')), ui.card().classes('w-full max-w-sm self-center q-pa-lg'):
            _login_form(ctx, target)
        return None

    @site.router.get('/auth/complete')
    def complete(request: Request, ticket: str = '', next: str = '/') -> RedirectResponse:
        """Turn a login ticket into the session cookie (rotated at every login) and go on."""
        return _complete(site, request, ticket, next)

    @site.page('/logout', access='public')
    async def logout_page(ctx: PageContext) -> RedirectResponse | None:
        """A link to /logout only asks: logging out takes the form's POST."""
        if ctx.viewer is None:
            return RedirectResponse('/login', status_code=303)
        token = auth.logout_token(ctx.settings.require_secret(), ctx.session_token)
        with await ctx.frame(_('Log out')), ui.card().classes('w-full max-w-sm self-center q-pa-lg gap-4'):
            ui.label(_('Log out of your account on this device?')).classes('text-body1').mark('logout-question')
            logout_form(token, prominent=True)
            ui.link(_('Back to the main page'), '/').classes('text-body2 self-center')
        return None

    @site.router.post('/logout')
    async def logout(request: Request) -> Response:
        """End the session on the server and in the browser, for a same-origin form with the session's token."""
        return await _logout(site, request)

    site.add_route('/auth/complete')


def _login_form(ctx: PageContext, target: str) -> None:
    login = (
        ui.input(_('Phone or email'), validation={_('Enter your phone or email'): bool})
        .props('outlined autocomplete=username autofocus')
        .classes('w-full')
        .mark('login')
    )
    password = (
        ui.input(_('Password'), password=True, password_toggle_button=True)
        .props('outlined autocomplete=current-password')
        .classes('w-full')
        .mark('password')
    )
    error = ui.label().classes('text-negative text-body2').mark('login-error')
    error.set_visibility(False)

    async def submit() -> None:
        error.set_visibility(False)
        if not login.validate() or not password.value:
            if not password.value:
                _show(error, _('Enter your password'))
            return
        button.props('loading')
        try:
            outcome = await ctx.run(_login, ctx.system, ctx.request, ctx.client_ip, login.value, password.value)
        finally:
            button.props(remove='loading')
        if isinstance(outcome, auth.LoginRefused):
            password.value = ''
            _show(error, _refusal_text(outcome))
            return
        ui.navigate.to(f'/auth/complete?ticket={outcome}&next={quote(target, safe="/")}')

    password.on('keydown.enter', submit)
    button = ui.button(_('Log in'), on_click=submit).props('unelevated size=lg').classes('w-full').mark('login-button')
    with ui.row().classes('w-full justify-between q-mt-sm'):
        if ctx.has_route('/recover'):
            ui.link(_('Forgot password?'), '/recover').mark('forgot')
        if ctx.has_route('/register'):
            ui.link(_('Register'), '/register').mark('register')


def _login(system: System, request: Request, ip: str, login_name: str, password: str) -> str | auth.LoginRefused:
    """A ticket for /auth/complete, or the refusal; failures and refusals are recorded by the service itself."""
    settings = system.settings
    try:
        result = auth.login(
            engine=system.engine,
            login_name=login_name,
            password=password,
            ip=ip,
            user_agent=request.headers.get('user-agent', ''),
            now=system.now(),
            device=auth.trusted_device(settings.require_secret(), request.cookies.get(DEVICE_COOKIE)),
            replaces_token=request.cookies.get(SESSION_COOKIE),  # rotated: the old session ends here
        )
    except auth.LoginRefused as refused:
        return refused
    ticket = secrets.token_urlsafe(24)
    _forget_stale_tickets()
    _tickets[ticket] = _Ticket(
        token=result.token,
        user_id=result.user.id or 0,
        must_change=result.must_change_password,
        browser=_browser_id(request),
        expires=time.monotonic() + TICKET_SECONDS,
    )
    return ticket


def _complete(site: Site, request: Request, ticket: str, next_path: str) -> RedirectResponse:
    found = _tickets.pop(ticket, None)  # single use, also when another browser tries it
    if found is None or found.expires < time.monotonic() or not found.browser or found.browser != _browser_id(request):
        return RedirectResponse('/login', status_code=303)
    settings = site.system.settings
    target = '/settings?force=password' if found.must_change and site.has_route('/settings') else safe_next(next_path)
    response = RedirectResponse(target, status_code=303)
    device = auth.device_signature(settings.require_secret(), found.user_id)
    for name, value, max_age in (
        (SESSION_COOKIE, found.token, int(auth.SESSION_LIFETIME.total_seconds())),
        (DEVICE_COOKIE, device, 365 * 24 * 3600),
    ):
        secure = settings.https
        response.set_cookie(name, value, max_age=max_age, httponly=True, samesite='lax', secure=secure, path='/')
    return response


async def _logout(site: Site, request: Request) -> Response:
    settings, system = site.system.settings, site.system
    token = request.cookies.get(SESSION_COOKIE)
    form = await request.form(max_files=0, max_fields=4)
    given = str(form.get('csrf') or '')
    if not same_origin_post(request, base_url=settings.base_url) or not auth.logout_token_valid(
        settings.require_secret(), token, given
    ):
        # A forgery, or a tab left open from an older session: nothing ends; the question page offers a fresh form.
        return RedirectResponse('/logout', status_code=303)
    ip = request.client.host if request.client else ''

    def work() -> None:
        with session_scope(system.engine) as session:
            auth.logout(session=session, token=token, ip=ip, now=system.now())

    await off_loop(work)
    response = RedirectResponse('/login', status_code=303)
    response.delete_cookie(SESSION_COOKIE, path='/')
    return response


def _browser_id(request: Request) -> str:
    """NiceGUI's browser id from its signed session cookie ('' when the request has none)."""
    session = request.scope.get('session') or {}
    return str(session.get('id') or '')


def _forget_stale_tickets() -> None:
    now = time.monotonic()
    for key in [k for k, v in _tickets.items() if v.expires < now]:
        _tickets.pop(key, None)


def _refusal_text(refused: auth.LoginRefused) -> str:
    if refused.blocked:
        return _('Your account is blocked. Contact the utility to find out why.')
    if refused.expired:
        return _('The temporary password has expired. Get a new one with «Forgot password?».')
    if refused.retry_after_seconds:
        minutes = max(1, (refused.retry_after_seconds + 59) // 60)
        return _('Too many attempts. Try again in {minutes} min.').format(minutes=minutes)
    return _('Wrong login or password.')


def _show(label: ui.label, text: str) -> None:
    label.set_text(text)
    label.set_visibility(True)
