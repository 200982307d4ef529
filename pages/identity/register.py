"""Registration (SPEC S1, manual 3.1): `/register`."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components.address_field import AddressField
from components.captcha_box import CaptchaBox
from components.form_style import form_style
from pages.identity import kit
from pages.shell.context import PageContext, Site
from services.core.i18n import _
from services.identity import registration


def register(site: Site) -> None:
    @site.page('/register', access='public')
    async def register_page(ctx: PageContext) -> RedirectResponse | None:
        if ctx.viewer is not None:
            return RedirectResponse('/', status_code=303)
        with (
            await ctx.frame(_('Registration')),
            ui.card().classes(f'w-full max-w-md self-center q-pa-md gap-1 {form_style()}') as card,
        ):
            await _form(ctx, card)
        return None


async def _form(ctx: PageContext, card: ui.card) -> None:
    settings = ctx.settings
    account = _field(_('Personal account') + ' *', 'account').props('inputmode=numeric')
    address = AddressField(kit.address_source(ctx), label=_('Address') + ' *')
    name = _field(_('Full name'), 'name').props('autocomplete=name')
    email = _field(_('Email') + ' *', 'email').props('type=email autocomplete=email inputmode=email')
    phone = _field(_('Phone') + ' *', 'phone').props('type=tel autocomplete=tel inputmode=tel')
    phone.props['hint'] = _('For example, +7 912 345-67-89')
    with ui.row().classes('items-center no-wrap gap-0 q-mt-sm'):
        agreed = ui.checkbox().mark('agree')
        agreed.props['aria-label'] = _('I accept the terms of the User agreement')
        with ui.label().classes('text-body2'):
            words = ui.label(_('I accept the terms of')).classes('inline q-mr-xs cursor-pointer').mark('agree-words')
            words.on('click', lambda: agreed.set_value(not agreed.value))  # the words tick the box, as a label does
            ui.link(_('the User agreement'), '/info/agreement', new_tab=True).classes('inline')
    agree_error = ui.label().classes('text-negative text-caption').mark('agree-error')
    agree_error.set_visibility(False)
    box = await CaptchaBox.create(kit.captcha_source(ctx)) if settings.captcha_enabled else None
    form_error = ui.label().classes('text-negative text-body2').mark('form-error')
    form_error.set_visibility(False)
    fields = {'account': account, 'address': address.input, 'email': email, 'phone': phone}

    async def submit() -> None:
        form = registration.RegistrationForm(
            account=account.value or '',
            address=address.value,
            full_name=name.value or '',
            email=email.value or '',
            phone=phone.value or '',
            agreed=bool(agreed.value),
            captcha_id=box.challenge_id if box else '',
            captcha_answer=box.answer if box else '',
        )
        ip, now, secret = ctx.client_ip, ctx.now(), settings.require_secret()
        button.props('loading')
        try:
            outcome = await ctx.db(
                lambda session: registration.register(
                    session=session, form=form, ip=ip, now=now, captcha_on=settings.captcha_enabled,
                    utility=settings.utility_name, base_url=kit.base_url(settings), captcha_secret=secret,
                )
            )  # fmt: skip
        finally:
            button.props(remove='loading')
        for key, element in fields.items():
            element.error = _(outcome.errors[key]) if key in outcome.errors else None
        _show(agree_error, outcome.errors.get('agreed'))
        _show(form_error, outcome.errors.get('form'))
        if box is not None:
            box.renew()  # every code is single use, right or wrong; a new value clears the old error
            box.input.error = _(outcome.errors['captcha']) if 'captcha' in outcome.errors else None
        if outcome.done:
            _done(card, outcome.email)

    button = (
        ui.button(_('Sign up'), on_click=submit)
        .props('unelevated size=lg')
        .classes('w-full q-mt-sm')
        .mark('register-button')
        .bind_enabled_from(agreed, 'value')
    )
    with ui.row().classes('w-full justify-center q-mt-sm'):
        ui.label(_('Already registered?')).classes('text-body2')
        ui.link(_('Log in'), '/login').classes('text-body2').mark('to-login')


def _field(label: str, marker: str) -> ui.input:
    return ui.input(label).props('outlined').classes('w-full').mark(marker)


def _show(label: ui.label, message: str | None) -> None:
    label.set_text(_(message) if message else '')
    label.set_visibility(bool(message))


def _done(card: ui.card, email: str) -> None:
    card.clear()
    with card:
        ui.icon('mark_email_read', size='48px', color='positive').classes('self-center')
        ui.label(_('Thank you! Check your email')).classes('text-h6 text-center self-center').mark('registered')
        ui.label(
            _(
                'We have sent a letter to {email}. It has your password: it is valid for 72 hours, '
                'and at the first login you will choose your own.'
            ).format(email=email)
        ).classes('text-body1')
        ui.label(_('No letter within 10 minutes? Check the spam folder or contact the utility.')).classes(
            'text-body2 text-grey-7'
        )
        ui.button(_('Log in'), on_click=lambda: ui.navigate.to('/login')).props('unelevated').classes('w-full').mark(
            'registered-login'
        )
