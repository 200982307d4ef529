"""Logging in and out (SPEC S2): /login, /auth/complete (sets the session cookie), /logout."""

from __future__ import annotations

import secrets
import time
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import APIRouter, run, ui

from pages.shell import deps
from pages.shell.layout import page
from services.core.i18n import _
from services.identity import auth

router = APIRouter()
TICKET_SECONDS = 30
# One-time tickets carry a fresh session from the websocket (where the login happens) to a plain HTTP
# request that can set the cookie; the raw session token itself never appears in a URL.
_tickets: dict[str, tuple[str, int, bool, float]] = {}


@router.page('/login')
def login_page(request: Request, next: str = '/') -> RedirectResponse | None:
    if deps.user_from_request(request) is not None:
        return RedirectResponse(deps.safe_next(next), status_code=303)
    target = deps.safe_next(next)
    with page(_('Log in to your account'), None), ui.card().classes('w-full max-w-sm self-center q-pa-lg'):
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
                outcome = await run.io_bound(_login, request, login.value, password.value)
            finally:
                button.props(remove='loading')
            if isinstance(outcome, auth.LoginRefused):
                password.value = ''
                _show(error, _refusal_text(outcome))
                return
            if outcome is not None:
                ui.navigate.to(f'/auth/complete?ticket={outcome}&next={quote(target, safe="/")}')

        password.on('keydown.enter', submit)
        button = (
            ui.button(_('Log in'), on_click=submit).props('unelevated size=lg').classes('w-full').mark('login-button')
        )
        with ui.row().classes('w-full justify-between q-mt-sm'):
            if deps.has_route('/recover'):
                ui.link(_('Forgot password?'), '/recover').mark('forgot')
            if deps.has_route('/register'):
                ui.link(_('Register'), '/register').mark('register')
    return None


@router.get('/auth/complete')
def complete(request: Request, ticket: str = '', next: str = '/') -> RedirectResponse:
    """Turn a login ticket into the session cookie (rotated at every login) and go on."""
    found = _tickets.pop(ticket, None)
    if found is None or found[3] < time.monotonic():
        return RedirectResponse('/login', status_code=303)
    token, user_id, must_change, _expires = found
    settings = deps.system().settings
    target = '/settings?force=password' if must_change and deps.has_route('/settings') else deps.safe_next(next)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        deps.SESSION_COOKIE,
        token,
        max_age=int(auth.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite='lax',
        secure=settings.https,
        path='/',
    )
    device = auth.device_signature(settings.require_secret(), user_id)
    response.set_cookie(
        deps.DEVICE_COOKIE,
        device,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite='lax',
        secure=settings.https,
        path='/',
    )
    return response


@router.get('/logout')
def logout(request: Request) -> RedirectResponse:
    """End the session on the server and in the browser."""
    with deps.db() as session:
        auth.logout(
            session=session,
            token=request.cookies.get(deps.SESSION_COOKIE),
            ip=deps.client_ip(request),
            now=deps.system().now(),
        )
    response = RedirectResponse('/login', status_code=303)
    response.delete_cookie(deps.SESSION_COOKIE, path='/')
    return response


def _login(request: Request, login_name: str, password: str) -> str | auth.LoginRefused:
    settings = deps.system().settings
    trusted = auth.trusted_user(settings.require_secret(), request.cookies.get(deps.DEVICE_COOKIE))
    old_token = request.cookies.get(deps.SESSION_COOKIE)
    try:
        with deps.db() as session:
            if old_token:  # rotate: the session the browser had before ends here
                auth.logout(session=session, token=old_token, ip=deps.client_ip(request), now=deps.system().now())
            result = auth.login(
                session=session,
                login_name=login_name,
                password=password,
                ip=deps.client_ip(request),
                user_agent=request.headers.get('user-agent', ''),
                now=deps.system().now(),
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
