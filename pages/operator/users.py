"""Residents for operators (SPEC O6): `/operator/users` (search, pages) and `/operator/users/{id}` (the card).

The search runs on the server (services.operator.users); every action on the card asks for a reason in a
dialog, re-checks the operator and is audited in the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nicegui import ui

from components.meter_card import fields
from models import User
from pages.identity.kit import base_url
from pages.operator import kit
from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.db import DbSession
from services.core.errors import NotFound
from services.core.i18n import _
from services.identity.contacts import format_phone
from services.operator import actions, users
from services.operator.users import UserCard, UserRow

USERS = Section('/operator/users', 'Users', 'group', 81, staff_only=True)


def register(site: Site) -> None:
    @site.page('/operator/users', access='staff', section=USERS)
    async def users_page(ctx: PageContext, q: str = '', page: int = 0) -> None:
        actor = ctx.user
        found = await ctx.db(lambda session: users.search(session=session, actor=actor, query=q, page=page))
        with await ctx.frame(_('Users')):
            _search_form(q)
            if not found.rows:
                ui.label(
                    _('Nobody found. Check the spelling, or search by another key.') if q else _('No residents yet.')
                ).classes('text-grey-7').mark('nobody')
            with ui.column().classes('w-full gap-2'):
                for row in found.rows:
                    _user_row(row, ctx)
            kit.pager('/operator/users', {'q': q}, found.page, found.more)

    @site.page('/operator/users/{user_id}', access='staff')
    async def user_page(ctx: PageContext, user_id: int) -> None:
        actor, now = ctx.user, ctx.now()
        try:
            card = await ctx.db(lambda session: users.user_card(session=session, actor=actor, user_id=user_id, now=now))
        except NotFound:
            await kit.not_found(ctx, '/operator/users', _('Back to the users'))
            return
        title = card.row.name or (_('Deleted user') if card.row.deleted else card.row.email)
        with await ctx.frame(title, active='/operator/users'):
            kit.back_button('/operator/users', _('Back to the users'))
            _contacts(card, ctx)
            _actions(card, ctx)
            _accounts(card, ctx)
            _sessions(card, ctx)
            _audit(card, ctx)


def _search_form(query: str) -> None:
    def go() -> None:
        ui.navigate.to(kit.url('/operator/users', {'q': box.value or ''}))

    with ui.row().classes('w-full items-center no-wrap gap-2'):
        box = (
            ui.input(_('Name, email, phone, account, address or meter'), value=query)
            .props('outlined dense clearable autofocus')
            .classes('grow')
            .on('keydown.enter', go)
            .mark('search')
        )
        ui.button(_('Find'), icon='search', on_click=go).props('unelevated no-caps').mark('find')


def _user_row(row: UserRow, ctx: PageContext) -> None:
    with ui.link(target=f'/operator/users/{row.id}').classes('w-full no-underline text-inherit').mark(f'user-{row.id}'):
        with ui.card().classes('w-full q-py-sm').props('flat bordered'):
            with ui.row().classes('w-full items-center justify-between gap-x-4 gap-y-0'):
                with ui.column().classes('gap-0 min-w-0'):
                    ui.label(row.name or _('Deleted user')).classes('text-weight-medium')
                    contacts = [c for c in (row.email, format_phone(row.phone) if row.phone else '') if c]
                    ui.label(' · '.join(contacts)).classes('text-body2 text-grey-8').style('overflow-wrap: anywhere')
                with ui.row().classes('items-center gap-2'):
                    if row.accounts:
                        ui.label(', '.join(row.accounts)).classes('text-body2')
                    _status_chips(row)


def _status_chips(row: UserRow) -> None:
    if row.deleted:
        ui.badge(_('deleted'), color='grey-7').mark('deleted')
    elif row.blocked:
        ui.badge(_('blocked'), color='negative').mark('blocked')


def _contacts(card: UserCard, ctx: PageContext) -> None:
    row = card.row
    with ui.card().classes('w-full'):
        with ui.row().classes('items-center gap-2'):
            ui.label(_('Contacts and registration')).classes('k-card-title')
            _status_chips(row)
        fields(
            [
                (_('Email'), row.email or '—'),
                (_('Phone'), format_phone(row.phone) if row.phone else '—'),
                (_('Registered'), fmt.moment(row.created_at, ctx.tz)),
                (_('Last login'), fmt.moment(row.last_login_at, ctx.tz) if row.last_login_at else _('never logged in')),
                (_('Active sessions'), str(len(card.sessions))),
            ],
            mark='contacts',
        )


@dataclass(frozen=True)
class _Act:
    label: str
    icon: str
    title: str  # with {name}
    text: str
    done: str
    mark: str
    danger: bool
    work: Callable[[DbSession, User, str], object]  # (session, acting operator, reason)


def _actions(card: UserCard, ctx: PageContext) -> None:
    row = card.row
    if row.deleted:
        return
    uid, name = row.id, row.name or row.email
    with ui.row().classes('w-full gap-2'):
        ui.button(
            _('See as the resident'), icon='visibility', on_click=lambda: ui.navigate.to(f'/operator/users/{uid}/as')
        ).props('unelevated no-caps').mark('see-as')
        for act in _acts(row, ctx):

            async def run(actor: User, reason: str, act: _Act = act) -> str:
                await ctx.db(lambda session: act.work(session, actor, reason))
                return act.done

            ui.button(
                act.label,
                icon=act.icon,
                on_click=lambda act=act, run=run: kit.confirm_with_reason(
                    ctx,
                    title=act.title.format(name=name),
                    text=act.text,
                    button=act.label,
                    run=run,
                    danger=act.danger,
                    mark=act.mark,
                ),
            ).props(f'outline no-caps {"color=negative" if act.danger else ""}').mark(act.mark)


def _acts(row: UserRow, ctx: PageContext) -> list[_Act]:
    uid, ip, settings = row.id, ctx.client_ip, ctx.settings

    def common(session: DbSession, actor: User, reason: str) -> dict[str, object]:
        return {'session': session, 'actor': actor, 'user_id': uid, 'reason': reason, 'ip': ip, 'now': ctx.now()}

    block = _Act(
        _('Block'), 'block', _('Block {name}?'),
        _('All their sessions end now, and they cannot log in until unblocked.'), _('Blocked.'), 'block', True,
        lambda s, a, r: actions.block(**common(s, a, r)),  # type: ignore[arg-type]
    )  # fmt: skip
    unblock = _Act(
        _('Unblock'), 'lock_open', _('Unblock {name}?'), _('They can log in again.'), _('Unblocked.'), 'unblock',
        False, lambda s, a, r: actions.unblock(**common(s, a, r)),  # type: ignore[arg-type]
    )  # fmt: skip
    return [
        unblock if row.blocked else block,
        _Act(
            _('End all sessions'), 'logout', _('End all sessions of {name}?'),
            _('They will have to log in again on every device.'), _('Sessions ended.'), 'end-sessions', False,
            lambda s, a, r: actions.end_sessions(**common(s, a, r)),  # type: ignore[arg-type]
        ),
        _Act(
            _('Send a password reset'), 'key', _('Send {name} a password reset?'),
            _('A single-use password valid for 30 minutes goes to their email.'), _('The letter is on its way.'),
            'reset', False,
            lambda s, a, r: actions.send_password_reset(
                **common(s, a, r), utility=settings.utility_name, base_url=base_url(settings)  # type: ignore[arg-type]
            ),
        ),
        _Act(
            _('Delete at their request'), 'delete', _('Delete {name}?'),
            _('Their name, email and phone are removed, their accounts unlinked, and their support requests '
              'and alert settings deleted; meter data and the audit log stay. This cannot be undone.'),
            _('Deleted.'), 'delete', True,
            lambda s, a, r: actions.delete_resident(
                **common(s, a, r), attachments_dir=Path(settings.attachments_dir)  # type: ignore[arg-type]
            ),
        ),
    ]  # fmt: skip


def _accounts(card: UserCard, ctx: PageContext) -> None:
    uid, ip = card.row.id, ctx.client_ip
    with ui.card().classes('w-full').mark('accounts'):
        ui.label(_('Personal accounts and meters')).classes('k-card-title')
        if not card.accounts:
            ui.label(_('No personal accounts are linked.')).classes('text-grey-7')
        for account in card.accounts:
            with ui.row().classes('w-full items-start justify-between no-wrap gap-2'):
                with ui.column().classes('gap-0 min-w-0'):
                    ui.link(
                        _('Account {number}').format(number=account.number),
                        kit.url('/operator/accounts', {'q': account.number}),
                    )
                    ui.label(account.address).classes('text-body2 text-grey-8')
                    meters = ', '.join(
                        fmt.meter_name(m.model, m.serial) + (f' ({_("removed")})' if m.removed else '')
                        for m in account.meters
                    )
                    ui.label(meters or _('no meters')).classes('text-body2')
                if not card.row.deleted:

                    def unlink(a: int = account.id, n: str = account.number) -> None:
                        async def run(actor: User, reason: str) -> str:
                            await ctx.db(
                                lambda s: actions.unlink_account(
                                    session=s,
                                    actor=actor,
                                    user_id=uid,
                                    account_id=a,
                                    reason=reason,
                                    ip=ip,
                                    now=ctx.now(),
                                )
                            )
                            return _('Unlinked.')

                        kit.confirm_with_reason(
                            ctx, title=_('Unlink account {number}?').format(number=n),
                            text=_('The resident no longer sees it; its meter data stays.'), button=_('Unlink'),
                            run=run, danger=True, mark='unlink',
                        )  # fmt: skip

                    ui.button(_('Unlink'), icon='link_off', on_click=unlink).props(
                        'flat dense no-caps color=negative'
                    ).mark(f'unlink-{account.number}')


def _sessions(card: UserCard, ctx: PageContext) -> None:
    with ui.card().classes('w-full').mark('sessions'):
        ui.label(_('Active sessions')).classes('k-card-title')
        if not card.sessions:
            ui.label(_('No active sessions.')).classes('text-grey-7')
        for item in card.sessions:
            text = _('since {start}, last seen {seen}, from {ip}').format(
                start=fmt.moment(item.created_at, ctx.tz), seen=fmt.moment(item.last_seen_at, ctx.tz), ip=item.ip or '—'
            )
            ui.label(text).classes('text-body2')
            ui.label(item.user_agent).classes('text-caption text-grey-7 ellipsis').style('max-width: 100%')


def _audit(card: UserCard, ctx: PageContext) -> None:
    with ui.card().classes('w-full').mark('recent-audit'):
        with ui.row().classes('w-full items-center justify-between'):
            ui.label(_('Recent audit entries')).classes('k-card-title')
            ui.link(_('All entries'), kit.url('/operator/audit', {'target': f'user:{card.row.id}'}))
        if not card.audit:
            ui.label(_('No entries.')).classes('text-grey-7')
        for entry in card.audit:
            line = f'{fmt.moment(entry.at, ctx.tz)} · {kit.action_label(entry.action)}' + (
                f' · {entry.actor}' if entry.actor else ''
            )
            ui.label(line).classes('text-body2 text-weight-medium')
            if entry.detail:
                ui.label(entry.detail).classes('text-caption text-grey-8').style('overflow-wrap: anywhere')
