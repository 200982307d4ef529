"""The edit dialogs of /settings: each re-checks the user and calls one service of services/identity/profile.py."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from nicegui import run, ui

from pages.identity import kit
from pages.shell import deps
from services.core.i18n import _
from services.identity import profile
from services.identity.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

Done = Callable[[], None]


def password_form(request: Request, on_done: Done) -> None:
    """Current password, the new one twice, «Save»; other sessions end when it succeeds."""
    current = _secret(_('Current password'), 'current-password', 'current-password')
    new = _secret(_('New password'), 'new-password', 'new-password')
    new.props['hint'] = _('From {min} to {max} characters; not a common password and not your email.').format(
        min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH
    )
    repeat = _secret(_('New password again'), 'new-password', 'repeat-password')

    async def save() -> None:
        user = deps.current_user()
        if user is None:
            ui.navigate.to('/login')
            return
        settings = deps.system().settings

        def work() -> profile.Outcome:
            with deps.db() as session:
                return profile.change_password(
                    session=session,
                    user=user,
                    current=current.value or '',
                    new=new.value or '',
                    repeat=repeat.value or '',
                    keep_token=request.cookies.get(deps.SESSION_COOKIE),
                    ip=deps.client_ip(request),
                    now=deps.system().now(),
                    utility=settings.utility_name,
                    base_url=kit.base_url(),
                )

        outcome = await _busy(button, work)
        if outcome is None:
            return
        _errors({'current': current, 'new': new, 'repeat': repeat}, outcome.errors)
        if outcome.done:
            ui.notify(_('The password is changed. Other sessions are ended.'), type='positive')
            on_done()

    button = ui.button(_('Save'), on_click=save).props('unelevated').mark('save-password')


def email_form(request: Request, on_done: Done) -> None:
    """New address and the current password; the change takes effect when the emailed link is opened."""
    email = (
        ui.input(_('New email'))
        .props('outlined type=email autocomplete=email inputmode=email')
        .classes('w-full')
        .mark('new-email')
    )
    password = _secret(_('Current password'), 'current-password', 'email-password')

    async def save() -> None:
        user = deps.current_user()
        if user is None:
            ui.navigate.to('/login')
            return
        settings = deps.system().settings

        def work() -> profile.Outcome:
            with deps.db() as session:
                return profile.request_email_change(
                    session=session,
                    user=user,
                    password=password.value or '',
                    new_email=email.value or '',
                    ip=deps.client_ip(request),
                    now=deps.system().now(),
                    utility=settings.utility_name,
                    base_url=kit.base_url(),
                )

        outcome = await _busy(button, work)
        if outcome is None:
            return
        _errors({'email': email, 'password': password}, outcome.errors)
        if outcome.done:
            ui.notify(
                _('We have sent a link to {email}. The address changes when you open it.').format(email=email.value),
                type='positive',
                multi_line=True,
            )
            on_done()

    button = ui.button(_('Send the link'), on_click=save).props('unelevated').mark('save-email')


def phone_form(request: Request, value: str, on_done: Done) -> None:
    phone = ui.input(_('Phone'), value=value).props('outlined type=tel autocomplete=tel').classes('w-full')
    phone.mark('new-phone')

    async def save() -> None:
        user = deps.current_user()
        if user is None:
            ui.navigate.to('/login')
            return
        with deps.db() as session:
            outcome = profile.change_phone(
                session=session, user=user, phone=phone.value or '', ip=deps.client_ip(request), now=deps.system().now()
            )
        _errors({'phone': phone}, outcome.errors)
        if outcome.done:
            ui.notify(_('Saved.'), type='positive')
            on_done()

    ui.button(_('Save'), on_click=save).props('unelevated').mark('save-phone')


def name_form(value: str, on_done: Done) -> None:
    name = ui.input(_('Full name'), value=value).props('outlined autocomplete=name').classes('w-full')
    name.mark('new-name')

    def save() -> None:
        user = deps.current_user()
        if user is None:
            ui.navigate.to('/login')
            return
        with deps.db() as session:
            outcome = profile.change_name(session=session, user=user, name=name.value or '')
        _errors({'name': name}, outcome.errors)
        if outcome.done:
            ui.notify(_('Saved.'), type='positive')
            on_done()

    ui.button(_('Save'), on_click=save).props('unelevated').mark('save-name')


def _secret(label: str, autocomplete: str, marker: str) -> ui.input:
    field = ui.input(label, password=True, password_toggle_button=True).props('outlined').classes('w-full')
    field.props['autocomplete'] = autocomplete
    return field.mark(marker)


async def _busy(button: ui.button, work: Callable[[], profile.Outcome]) -> profile.Outcome | None:
    button.props('loading')
    try:
        return await run.io_bound(work)  # bcrypt takes a quarter of a second: off the event loop
    finally:
        button.props(remove='loading')


def _errors(fields: dict[str, ui.input], errors: dict[str, str]) -> None:
    for key, element in fields.items():
        element.error = _(errors[key]) if key in errors else None
