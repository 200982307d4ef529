"""Password recovery (SPEC S3, manual 3.3): `/recover`."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components.captcha_box import CaptchaBox
from components.form_style import form_style
from pages.identity import kit
from pages.shell.context import PageContext, Site
from services.core.i18n import _
from services.identity import recovery


def register(site: Site) -> None:
    @site.page('/recover', access='public')
    async def recover_page(ctx: PageContext) -> RedirectResponse | None:
        if ctx.viewer is not None:
            return RedirectResponse('/settings', status_code=303)
        with (
            await ctx.frame(_('Password recovery')),
            ui.card().classes(f'w-full max-w-sm self-center q-pa-md gap-2 {form_style()}') as card,
        ):
            await _form(ctx, card)
        return None


async def _form(ctx: PageContext, card: ui.card) -> None:
    settings = ctx.settings
    ui.label(_('Enter the email you gave at registration: we will send a new password to it.')).classes('text-body2')
    email = (
        ui.input(_('Email') + ' *')
        .props('outlined type=email autocomplete=email inputmode=email autofocus')
        .classes('w-full')
        .mark('email')
    )
    box = await CaptchaBox.create(kit.captcha_source(ctx)) if settings.captcha_enabled else None
    form_error = ui.label().classes('text-negative text-body2').mark('form-error')
    form_error.set_visibility(False)

    async def submit() -> None:
        address, ip, now, secret = email.value or '', ctx.client_ip, ctx.now(), settings.require_secret()
        challenge, answer = (box.challenge_id, box.answer) if box else ('', '')
        button.props('loading')
        try:
            outcome = await ctx.db(
                lambda session: recovery.request_recovery(
                    session=session, email=address, ip=ip, now=now, utility=settings.utility_name,
                    base_url=kit.base_url(settings), captcha_on=settings.captcha_enabled,
                    captcha_id=challenge, captcha_answer=answer, captcha_secret=secret,
                )
            )  # fmt: skip
        finally:
            button.props(remove='loading')
        email.error = _(outcome.errors['email']) if 'email' in outcome.errors else None
        form_error.set_text(_(outcome.errors['form']) if 'form' in outcome.errors else '')
        form_error.set_visibility('form' in outcome.errors)
        if box is not None:
            box.renew()  # every code is single use, right or wrong; a new value clears the old error
            box.input.error = _(outcome.errors['captcha']) if 'captcha' in outcome.errors else None
        if outcome.done:
            _sent(card)

    button = ui.button(_('Apply'), on_click=submit).props('unelevated size=lg').classes('w-full').mark('apply')
    ui.link(_('Back to login'), '/login').classes('text-body2 self-center').mark('to-login')


def _sent(card: ui.card) -> None:
    """The same answer whether or not the address is registered (SPEC S3, ASVS 6.3.8)."""
    card.clear()
    with card:
        ui.icon('mark_email_read', size='48px', color='positive').classes('self-center')
        ui.label(
            _(
                'If this address is registered, a letter with a new password is on its way. The password is valid '
                'for 30 minutes and for one login; your current password keeps working until you use the new one.'
            )
        ).classes('text-body1').mark('recovery-sent')
        ui.button(_('Log in'), on_click=lambda: ui.navigate.to('/login')).props('unelevated').classes('w-full')
