"""Logging in and out (SPEC S2): /login, /auth/complete (sets the session cookie), /logout."""

from __future__ import annotations

import secrets
import time
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from pages.shell.context import DEVICE_COOKIE, SESSION_COOKIE, PageContext, Site, safe_next
from services.core.db import session_scope
from services.core.i18n import _
from services.core.system import System
from services.identity import auth

TICKET_SECONDS = 30
# One-time tickets carry a fresh session from the websocket (where the login happens) to a plain HTTP
# request that can set the cookie; the raw session token itself never appears in a URL.
_tickets: dict[str, tuple[str, int, bool, float]] = {}


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
        return _complete(site, ticket, next)

    @site.router.get('/logout')
    def logout(request: Request) -> RedirectResponse:
        """End the session on the server and in the browser."""
        system = site.system
        with session_scope(system.engine) as session:
            auth.logout(
                session=session,
                token=request.cookies.get(SESSION_COOKIE),
                ip=request.client.host if request.client else '',
                now=system.now(),
            )
        response = RedirectResponse('/login', status_code=303)
        response.delete_cookie(SESSION_COOKIE, path='/')
        return response

    site.add_route('/auth/complete')
    site.add_route('/logout')


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
            outcome = await ctx.run(_login, ctx.site.system, ctx.request, login.value, password.value)
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


def _complete(site: Site, ticket: str, next_path: str) -> RedirectResponse:
    found = _tickets.pop(ticket, None)
    if found is None or found[3] < time.monotonic():
        return RedirectResponse('/login', status_code=303)
    token, user_id, must_change, _expires = found
    settings = site.system.settings
    target = '/settings?force=password' if must_change and site.has_route('/settings') else safe_next(next_path)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(auth.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite='lax',
        secure=settings.https,
        path='/',
    )
    device = auth.device_signature(settings.require_secret(), user_id)
    response.set_cookie(
        DEVICE_COOKIE,
        device,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite='lax',
        secure=settings.https,
        path='/',
    )
    return response


def _login(system: System, request: Request, login_name: str, password: str) -> str | auth.LoginRefused:
    settings = system.settings
    trusted = auth.trusted_user(settings.require_secret(), request.cookies.get(DEVICE_COOKIE))
    old_token = request.cookies.get(SESSION_COOKIE)
    ip = request.client.host if request.client else ''
    try:
        with session_scope(system.engine) as session:
            if old_token:  # rotate: the session the browser had before ends here
                auth.logout(session=session, token=old_token, ip=ip, now=system.now())
            result = auth.login(
                session=session,
                login_name=login_name,
                password=password,
                ip=ip,
                user_agent=request.headers.get('user-agent', ''),
                now=system.now(),
                trusted_user_id=trusted,
            )
            ticket = secrets.token_urlsafe(24)
            _forget_stale_tickets()
            _tickets[ticket] = (
                result.token,
                result.user.id or 0,
                result.must_change_password,
                time.monotonic() + TICKET_SECONDS,
            )
            return ticket
    except auth.LoginRefused as refused:
        return refused


def _forget_stale_tickets() -> None:
    now = time.monotonic()
    for key in [k for k, v in _tickets.items() if v[3] < now]:
        _tickets.pop(key, None)


def _refusal_text(refused: auth.LoginRefused) -> str:
    if refused.expired:
        return _('The temporary password has expired. Get a new one with «Forgot password?».')
    if refused.retry_after_seconds:
        minutes = max(1, (refused.retry_after_seconds + 59) // 60)
        return _('Too many attempts. Try again in {minutes} min.').format(minutes=minutes)
    return _('Wrong login or password.')


def _show(label: ui.label, text: str) -> None:
    label.set_text(text)
    label.set_visibility(True)
