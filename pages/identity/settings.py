"""Profile settings (SPEC S4, manual 3.4): `/settings` (rows with edit buttons), `/settings/email/confirm`."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.form_style import form_style
from models import Account, User
from pages.identity import settings_forms
from pages.identity.account_dialog import inline_add_account_form
from pages.resident.alerts import alert_settings
from pages.shell.context import PageContext, Site
from services.core import fmt
from services.core.i18n import _
from services.identity import profile
from services.identity.contacts import format_phone
from services.residents import access, my_archive


def register(site: Site) -> None:
    @site.page('/settings')
    async def settings_page(ctx: PageContext, force: str = '') -> None:
        user = ctx.user
        if profile.needs_password_change(user):
            await _forced(ctx)
            return
        accounts = [] if user.is_staff else await ctx.db(lambda session: access.accounts_of(session=session, user=user))
        with await ctx.frame(_('Settings')):
            _profile_card(ctx, user)
            if not user.is_staff:
                _accounts_card(ctx, accounts)
            _language_card(ctx, user)
            if not user.is_staff:
                alerts = ui.column().classes('w-full gap-0')
                _archive_card(ctx)
                with alerts:  # every card exists before the page waits for the database
                    await alert_settings(ctx, user)  # B5: email alerts

    @site.page('/settings/email/confirm', access='public')
    async def confirm_page(ctx: PageContext, token: str = '') -> None:
        """The link of the confirmation email; a button (not the GET itself) confirms, so mail scanners cannot."""
        with await ctx.frame(_('New email')), ui.card().classes('w-full max-w-sm self-center q-pa-md gap-3') as card:
            ui.label(_('Confirm that this address becomes your login.')).classes('text-body1')

            async def confirm() -> None:
                ip, now, utility = ctx.client_ip, ctx.now(), ctx.settings.utility_name
                email = await ctx.db(
                    lambda session: profile.confirm_email(session=session, token=token, ip=ip, now=now, utility=utility)
                )
                card.clear()
                with card:
                    if email is None:
                        ui.label(_('The link is not valid: it has expired or was already used.')).classes(
                            'text-negative text-body1'
                        ).mark('confirm-failed')
                    else:
                        ui.label(_('Done: your login is now {email}.').format(email=email)).classes('text-body1').mark(
                            'confirmed'
                        )
                    ui.link(_('To the main page'), '/')

            ui.button(_('Confirm'), on_click=confirm).props('unelevated').classes('w-full').mark('confirm-email')


async def _forced(ctx: PageContext) -> None:
    """Only the password change, until the generated or recovery password is replaced (ASVS 6.4.1)."""
    with await ctx.frame(_('Choose your password')):
        with ui.card().classes(f'w-full max-w-md self-center q-pa-md gap-2 {form_style()}'):
            ui.label(_('You have logged in with a temporary password. Choose your own password to continue.')).classes(
                'text-body1'
            ).mark('forced-password')
            settings_forms.password_form(ctx, on_done=lambda: ui.navigate.to('/'), forced=True)


def _profile_card(ctx: PageContext, user: User) -> None:
    with ui.card().classes('w-full max-w-2xl q-pa-none'):
        with ui.list().props('separator').classes('w-full'):
            _row(
                _('Full name'),
                user.full_name or '—',
                'name',
                lambda done, cancel: settings_forms.name_form(ctx, user.full_name, done, cancel),
            )
            phone = format_phone(user.phone) if user.phone else '—'
            _row(
                _('Phone'),
                phone,
                'phone',
                lambda done, cancel: settings_forms.phone_form(ctx, user.phone or '', done, cancel),
            )
            email = user.email + (
                '\n' + _('awaiting confirmation: {email}').format(email=user.pending_email)
                if user.pending_email
                else ''
            )
            _row(_('Email'), email, 'email', lambda done, cancel: settings_forms.email_form(ctx, done, cancel))
            _row(
                _('Password'),
                '••••••••',
                'password',
                lambda done, cancel: settings_forms.password_form(ctx, done, cancel),
            )


def _row(label: str, value: str, key: str, form: Callable[[Callable[[], None], Callable[[], None]], None]) -> None:
    """A row of the manual's figure 5: the value and an edit button that opens its form in a dialog."""
    with ui.dialog() as dialog, ui.card().classes(f'w-full {form_style()}').style('max-width: 440px'):
        ui.label(label).classes('text-h6')

        def done() -> None:
            dialog.close()
            ui.navigate.reload()

        def cancel() -> None:
            dialog.close()

        form(done, cancel)
    with ui.item().classes('q-py-sm'):
        with ui.item_section():
            ui.item_label(label).props('caption')
            ui.item_label(value).classes('text-body1').style('white-space: pre-line; overflow-wrap: anywhere')
        with ui.item_section().props('side'):
            button = ui.button(icon='edit', on_click=dialog.open).props('flat round color=primary').mark(f'edit-{key}')
            button.props['aria-label'] = _('Change')
            button.tooltip(_('Change'))


def _accounts_card(ctx: PageContext, accounts: list[Account]) -> None:
    with ui.card().classes(f'w-full max-w-2xl q-pa-md gap-2 {form_style()}'):
        ui.label(_('Personal accounts')).classes('k-card-title')
        for account in accounts:
            ui.label(f'{account.number} — {fmt.address(account.address)}').classes('text-body2').mark('my-account')
        if not accounts:
            ui.label(_('No personal accounts yet.')).classes('text-body2 text-grey-7')
        with ui.expansion(_('Add a personal account'), icon='add').classes('w-full').mark('add-account'):
            inline_add_account_form(ctx, on_added=ui.navigate.reload)


def _language_card(ctx: PageContext, user: User) -> None:
    async def change(e: object) -> None:
        current = await ctx.fresh_user()
        if current is None:
            return
        language = str(getattr(e, 'value', 'ru'))
        await ctx.db(lambda session: profile.change_language(session=session, user=current, language=language))
        ui.navigate.reload()

    with ui.card().classes('w-full max-w-2xl q-pa-md'):
        ui.label(_('Interface language')).classes('k-card-title')
        ui.toggle({'ru': 'Русский', 'en': 'English'}, value=user.language, on_change=change).mark('language')


def _archive_card(ctx: PageContext) -> None:
    """«Скачать мои данные»: a ZIP of everything the portal holds about the resident (SPEC B4)."""

    async def download() -> None:
        user = await ctx.fresh_user()
        if user is None:
            return
        tz, now = ctx.tz, ctx.now()
        button.props('loading')
        try:
            content = await ctx.db(lambda session: my_archive.archive(session=session, user=user, tz=tz, now=now))
        finally:
            button.props(remove='loading')
        ui.download.content(content, f'my_data_{now.astimezone(tz):%Y-%m-%d}.zip', 'application/zip')

    with ui.card().classes('w-full max-w-2xl q-pa-md gap-2'):
        ui.label(_('My data')).classes('k-card-title')
        ui.label(
            _('Everything the portal holds about you as a ZIP: profile, personal accounts, meters, all readings '
              '(Green Button XML) and support requests.')
        ).classes('text-body2')  # fmt: skip
        button = ui.button(_('Download my data'), icon='download', on_click=download).props('outline no-caps')
        button.mark('download-archive')
