"""Operators and admins (SPEC O9): `/operator/staff` for admins, and `/staff/invite` where an invitee sets a password.

The services refuse operators and keep the last active admin; every change asks for a reason and is audited.
"""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from models import Role, User
from pages.identity.kit import base_url
from pages.operator import kit
from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.errors import DomainError, NotAllowed
from services.core.i18n import _
from services.operator import staff
from services.operator.staff import StaffRow

STAFF = Section('/operator/staff', 'Staff', 'badge', 97, staff_only=True, admin_only=True)


def register(site: Site) -> None:
    @site.page('/operator/staff', access='staff', section=STAFF)
    async def staff_page(ctx: PageContext) -> None:
        actor = ctx.user
        try:
            rows = await ctx.db(lambda session: staff.list_staff(session=session, actor=actor))
        except NotAllowed:
            await kit.only_admins(ctx)
            return
        with await ctx.frame(_('Staff')):
            _invite_form(ctx)
            with ui.column().classes('w-full gap-2').mark('staff-list'):
                for row in rows:
                    _staff_row(row, ctx)

    @site.page('/staff/invite', access='public')
    async def invite_page(ctx: PageContext, token: str = '') -> RedirectResponse | None:
        if ctx.viewer is not None:
            return RedirectResponse('/', status_code=303)
        now = ctx.now()
        valid = await ctx.db(lambda session: staff.invite_valid(session=session, token=token, now=now))
        with await ctx.frame(_('Set your password')):
            if not valid:
                ui.label(_('This link is no longer valid. Ask an administrator for a new invitation.')).mark(
                    'invite-invalid'
                )
                return None
            _password_form(ctx, token)
        return None


def _invite_form(ctx: PageContext) -> None:
    with ui.card().classes('w-full').mark('invite'):
        ui.label(_('Invite a staff member')).classes('k-card-title')
        with ui.row().classes('w-full items-start gap-2'):
            email = (
                ui.input(_('Email'))
                .props('outlined dense')
                .classes('grow')
                .style('min-width: 14rem')
                .mark('invite-email')
            )
            name = (
                ui.input(_('Full name'))
                .props('outlined dense')
                .classes('grow')
                .style('min-width: 12rem')
                .mark('invite-name')
            )
            role = (
                ui.select({Role.operator: _('operator'), Role.admin: _('administrator')}, value=Role.operator)
                .props('outlined dense')
                .style('min-width: 10rem')
                .mark('invite-role')
            )
        error = ui.label().classes('text-negative text-body2')

        async def send() -> None:
            actor = await ctx.fresh_user(staff=True)
            if actor is None:
                return
            values = (email.value or '', name.value or '', str(role.value))
            ip, now, settings = ctx.client_ip, ctx.now(), ctx.settings
            try:
                await ctx.db(
                    lambda s: staff.invite(
                        session=s, actor=actor, email=values[0], name=values[1], role=values[2], ip=ip, now=now,
                        utility=settings.utility_name, base_url=base_url(settings),
                    )
                )  # fmt: skip
            except (DomainError, NotAllowed) as refused:
                error.set_text(_(str(refused)))
                return
            ui.notify(_('The invitation is on its way.'), type='positive')
            ui.navigate.reload()

        ui.button(_('Send the invitation'), icon='send', on_click=send).props('unelevated no-caps').mark('invite-send')


def _staff_row(row: StaffRow, ctx: PageContext) -> None:
    with ui.card().classes('w-full q-py-sm').props('flat bordered').mark(f'staff-{row.email}'):
        with ui.row().classes('w-full items-center justify-between gap-x-4 gap-y-1'):
            with ui.column().classes('gap-0 min-w-0'):
                ui.label(row.name or row.email).classes('text-weight-medium')
                ui.label(row.email).classes('text-body2 text-grey-8').style('overflow-wrap: anywhere')
                seen = fmt.moment(row.last_login_at, ctx.tz) if row.last_login_at else _('never logged in')
                ui.label(_('last login: {when}').format(when=seen)).classes('text-caption text-grey-7')
            with ui.row().classes('items-center gap-2'):
                ui.badge(_('administrator') if row.role == Role.admin else _('operator'), color='primary')
                if row.invited:
                    ui.badge(_('invited'), color='grey-7')
                if not row.active:
                    ui.badge(_('deactivated'), color='negative')
                _row_buttons(row, ctx)


def _row_buttons(row: StaffRow, ctx: PageContext) -> None:
    other = Role.operator if row.role == Role.admin else Role.admin
    ip = ctx.client_ip

    async def change_role(actor: User, reason: str) -> str:
        await ctx.db(
            lambda s: staff.change_role(
                session=s, actor=actor, staff_id=row.id, role=other, reason=reason, ip=ip, now=ctx.now()
            )
        )
        return _('The role is changed.')

    async def toggle(actor: User, reason: str) -> str:
        await ctx.db(
            lambda s: staff.set_active(
                session=s, actor=actor, staff_id=row.id, active=not row.active, reason=reason, ip=ip, now=ctx.now()
            )
        )
        return _('Done.')

    role_text = _('Make administrator') if other == Role.admin else _('Make operator')
    ui.button(
        role_text,
        on_click=lambda: kit.confirm_with_reason(
            ctx, title=f'{role_text}: {row.email}?', text=_('The change takes effect at once.'), button=role_text,
            run=change_role, mark='role',
        ),
    ).props('flat dense no-caps').mark(f'role-{row.email}')  # fmt: skip
    active_text = _('Deactivate') if row.active else _('Reactivate')
    ui.button(
        active_text,
        on_click=lambda: kit.confirm_with_reason(
            ctx, title=f'{active_text}: {row.email}?',
            text=_('Their sessions end and they cannot log in.') if row.active else _('They can log in again.'),
            button=active_text, run=toggle, danger=row.active, mark='active',
        ),
    ).props(f'flat dense no-caps {"color=negative" if row.active else ""}').mark(f'active-{row.email}')  # fmt: skip


def _password_form(ctx: PageContext, token: str) -> None:
    with ui.card().classes('w-full max-w-md'):
        first = (
            ui.input(_('New password'), password=True, password_toggle_button=True)
            .props('outlined')
            .classes('w-full')
            .mark('invite-password')
        )
        again = (
            ui.input(_('Repeat the password'), password=True)
            .props('outlined')
            .classes('w-full')
            .mark('invite-password-again')
        )
        error = ui.label().classes('text-negative text-body2')

        async def save() -> None:
            if (first.value or '') != (again.value or ''):
                error.set_text(_('The passwords do not match.'))
                return
            password, ip, now = first.value or '', ctx.client_ip, ctx.now()
            try:
                await ctx.db(lambda s: staff.accept_invite(session=s, token=token, password=password, ip=ip, now=now))
            except (DomainError, ValueError) as refused:
                error.set_text(_(str(refused)))
                return
            ui.notify(_('The password is set. Log in with your email.'), type='positive')
            ui.navigate.to('/login')

        ui.button(_('Set the password'), on_click=save).props('unelevated no-caps').mark('invite-save')
