"""The edit dialogs of /settings: each re-checks the user and calls one service of services/identity/profile.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from components.form_style import dialog_actions
from pages.identity import kit
from pages.shell.context import PageContext
from services.core.i18n import _
from services.identity import profile
from services.identity.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

Done = Callable[[], None]


def password_form(ctx: PageContext, on_done: Done, cancel: Done | None = None, *, forced: bool = False) -> None:
    """Current password, the new one twice, «Save»; other sessions end when it succeeds.

    The forced change after a temporary password does not ask for it again: the session that has just logged in
    with it proves it (the service accepts that only while the change is due). Enter in any field saves.
    """
    current = None if forced else _secret(_('Current password'), 'current-password', 'current-password')
    new = _secret(_('New password'), 'new-password', 'new-password')
    new.props['hint'] = _('From {min} to {max} characters; not a common password and not your email.').format(
        min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH
    )
    repeat = _secret(_('New password again'), 'new-password', 'repeat-password')

    async def save() -> None:
        user = await ctx.fresh_user()
        if user is None:
            return
        settings, ip, now, keep = ctx.settings, ctx.client_ip, ctx.now(), ctx.session_token
        typed = (None if current is None else current.value or '', new.value or '', repeat.value or '')
        outcome = await _busy(
            button,
            ctx.db(
                lambda session: profile.change_password(
                    session=session, user=user, current=typed[0], new=typed[1], repeat=typed[2], keep_token=keep,
                    ip=ip, now=now, utility=settings.utility_name, base_url=kit.base_url(settings), tz=settings.tz,
                )
            ),
        )  # fmt: skip
        fields = {'new': new, 'repeat': repeat} | ({'current': current} if current is not None else {})
        _errors(fields, outcome.errors)
        if outcome.done:
            ui.notify(_('The password is changed. Other sessions are ended.'), type='positive')
            on_done()

    for field in [*([current] if current is not None else []), new, repeat]:
        field.on('keydown.enter', save)
    with dialog_actions(cancel):
        button = ui.button(_('Save'), on_click=save).props('unelevated no-caps').mark('save-password')


def email_form(ctx: PageContext, on_done: Done, cancel: Done | None = None) -> None:
    """New address and the current password; the change takes effect when the emailed link is opened."""
    email = (
        ui.input(_('New email'))
        .props('outlined type=email autocomplete=email inputmode=email')
        .classes('w-full')
        .mark('new-email')
    )
    password = _secret(_('Current password'), 'current-password', 'email-password')

    async def save() -> None:
        user = await ctx.fresh_user()
        if user is None:
            return
        settings, ip, now = ctx.settings, ctx.client_ip, ctx.now()
        typed_email, typed_password = email.value or '', password.value or ''
        outcome = await _busy(
            button,
            ctx.db(
                lambda session: profile.request_email_change(
                    session=session, user=user, password=typed_password, new_email=typed_email, ip=ip, now=now,
                    utility=settings.utility_name, base_url=kit.base_url(settings),
                )
            ),
        )  # fmt: skip
        _errors({'email': email, 'password': password}, outcome.errors)
        if outcome.done:
            ui.notify(
                _('We have sent a link to {email}. The address changes when you open it.').format(email=email.value),
                type='positive',
                multi_line=True,
            )
            on_done()

    with dialog_actions(cancel):
        button = ui.button(_('Send the link'), on_click=save).props('unelevated no-caps').mark('save-email')


def phone_form(ctx: PageContext, value: str, on_done: Done, cancel: Done | None = None) -> None:
    phone = ui.input(_('Phone'), value=value).props('outlined type=tel autocomplete=tel').classes('w-full')
    phone.mark('new-phone')

    async def save() -> None:
        user = await ctx.fresh_user()
        if user is None:
            return
        typed, ip, now = phone.value or '', ctx.client_ip, ctx.now()
        outcome = await ctx.db(
            lambda session: profile.change_phone(session=session, user=user, phone=typed, ip=ip, now=now)
        )
        _errors({'phone': phone}, outcome.errors)
        if outcome.done:
            ui.notify(_('Saved.'), type='positive')
            on_done()

    with dialog_actions(cancel):
        ui.button(_('Save'), on_click=save).props('unelevated no-caps').mark('save-phone')


def name_form(ctx: PageContext, value: str, on_done: Done, cancel: Done | None = None) -> None:
    name = ui.input(_('Full name'), value=value).props('outlined autocomplete=name').classes('w-full')
    name.mark('new-name')

    async def save() -> None:
        user = await ctx.fresh_user()
        if user is None:
            return
        typed = name.value or ''
        outcome = await ctx.db(lambda session: profile.change_name(session=session, user=user, name=typed))
        _errors({'name': name}, outcome.errors)
        if outcome.done:
            ui.notify(_('Saved.'), type='positive')
            on_done()

    with dialog_actions(cancel):
        ui.button(_('Save'), on_click=save).props('unelevated no-caps').mark('save-name')


def _secret(label: str, autocomplete: str, marker: str) -> ui.input:
    field = ui.input(label, password=True, password_toggle_button=True).props('outlined').classes('w-full')
    field.props['autocomplete'] = autocomplete
    return field.mark(marker)


async def _busy(button: ui.button, work: Awaitable[profile.Outcome]) -> profile.Outcome:
    """Show the button busy while `work` runs (bcrypt takes a quarter of a second)."""
    button.props('loading')
    try:
        return await work
    finally:
        button.props(remove='loading')


def _errors(fields: dict[str, ui.input], errors: dict[str, str]) -> None:
    for key, element in fields.items():
        element.error = _(errors[key]) if key in errors else None
