"""What the operator's console pages share: the confirmation dialog with a reason, paging, «not found»."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from nicegui import ui

from models import User
from pages.shell.context import PageContext
from services.core.errors import DomainError, NotAllowed, NotFound
from services.core.i18n import _

# Runs the action for the acting user (re-checked) and the reason; returns a message to show on success.
Action = Callable[[User, str], Awaitable[str]]


def confirm_with_reason(
    ctx: PageContext, *, title: str, text: str, button: str, run: Action, danger: bool = False, mark: str = ''
) -> None:
    """A dialog that asks for the reason (required; it goes into the audit log) before `run` acts."""
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-md'):
        ui.label(title).classes('k-card-title')
        ui.label(text).classes('text-body2')
        reason = (
            ui.textarea(_('Reason (for the audit log)'))
            .props('outlined autogrow maxlength=300 counter')
            .classes('w-full')
            .mark('reason')
        )
        error = ui.label().classes('text-negative text-body2')
        error.set_visibility(False)

        async def confirm() -> None:
            user = await ctx.fresh_user(staff=True)
            if user is None:
                return
            typed = reason.value or ''
            if not typed.strip():
                _show(error, _('Give the reason for this action.'))
                return
            try:
                done = await run(user, typed)
            except NotFound:
                _show(error, _('Not found'))
                return
            except (NotAllowed, DomainError, ValueError) as refused:
                _show(error, _(str(refused)))
                return
            dialog.close()
            ui.notify(done, type='positive')
            ui.navigate.reload()

        with ui.row().classes('w-full justify-end'):
            ui.button(_('Cancel'), on_click=dialog.close).props('flat no-caps')
            ui.button(button, on_click=confirm).props(
                f'unelevated no-caps color={"negative" if danger else "primary"}'
            ).mark(f'confirm-{mark}' if mark else 'confirm')
    dialog.open()


def pager(path: str, params: dict[str, str], page: int, more: bool) -> None:
    """‹ Back · page n · Next ›, as links that keep the filters (a page can be bookmarked and reloaded)."""
    if page == 0 and not more:
        return
    with ui.row().classes('w-full items-center justify-center gap-2').mark('pager'):
        if page > 0:
            ui.link(_('‹ Back'), _url(path, params, page - 1)).mark('page-back')
        ui.label(_('page {n}').format(n=page + 1)).classes('text-grey-7')
        if more:
            ui.link(_('Next ›'), _url(path, params, page + 1)).mark('page-next')


def url(path: str, params: dict[str, str], page: int = 0) -> str:
    return _url(path, params, page)


def _url(path: str, params: dict[str, str], page: int) -> str:
    query = {k: v for k, v in params.items() if v}
    if page:
        query['page'] = str(page)
    return f'{path}?{urlencode(query)}' if query else path


async def not_found(ctx: PageContext, back: str, back_text: str) -> None:
    ctx.mark_not_found()
    with await ctx.frame(_('Not found'), active=back):
        ui.label(_('There is no such page, or it belongs to someone else.')).classes('text-body1').mark('not-found')
        back_button(back, back_text)


async def only_admins(ctx: PageContext) -> None:
    with await ctx.frame(_('Staff')):
        ui.label(_('Only an administrator may do this.')).classes('text-body1').mark('admins-only')


def back_button(target: str, text: str) -> None:
    ui.button(text, icon='arrow_back', on_click=lambda: ui.navigate.to(target)).props('flat no-caps dense').mark('back')


def _show(label: ui.label, text: str) -> None:
    label.set_text(text)
    label.set_visibility(True)


def action_label(action: str) -> str:
    """The audit action in the reader's language (an action this version does not know stays as its code)."""
    labels = {
        'login': _('login'),
        'login_failed': _('failed login'),
        'login_throttled': _('login throttled'),
        'login_blocked': _('login of a blocked user'),
        'login_expired_password': _('login with an expired password'),
        'logout': _('logout'),
        'registered': _('registration'),
        'registration_duplicate': _('repeated registration'),
        'recovery_requested': _('password recovery'),
        'recovery_unknown': _('recovery for an unknown address'),
        'recovery_throttled': _('recovery throttled'),
        'password_changed': _('password changed'),
        'reauth_failed': _('wrong current password'),
        'email_change_requested': _('email change requested'),
        'email_changed': _('email changed'),
        'phone_changed': _('phone changed'),
        'account_added': _('account added'),
        'info_saved': _('information page saved'),
        'info_deleted': _('information page deleted'),
        'tariff_rate_set': _('tariff rate set'),
        'user_blocked': _('user blocked'),
        'user_unblocked': _('user unblocked'),
        'user_sessions_ended': _('sessions ended'),
        'user_password_reset_sent': _('password reset sent'),
        'user_account_unlinked': _('account unlinked'),
        'user_deleted': _('user deleted'),
        'viewed_as_resident': _('viewed as the resident'),
        'staff_created': _('staff member created'),
        'staff_invited': _('staff member invited'),
        'staff_invite_accepted': _('invitation accepted'),
        'staff_role_changed': _('role changed'),
        'staff_deactivated': _('staff member deactivated'),
        'staff_reactivated': _('staff member reactivated'),
    }
    return labels.get(action, action)
