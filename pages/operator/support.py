"""The support desk (SPEC O4): /operator/support — the queue of requests, oldest first, with filters and search,
the age of each highlighted past the desk's target (KABINET_SUPPORT_TARGET_HOURS); /operator/support/{id} — one
request; /operator/support/topics — the topics residents choose from.
"""

from __future__ import annotations

from datetime import datetime

from nicegui import ui

from components import support_views
from pages.operator.support_request import request_page
from pages.operator.support_topics import topics_page
from pages.shell.context import PageContext, Section, Site
from services.core import fmt
from services.core.i18n import _
from services.residents import badges
from services.support import desk, topics
from services.support.desk import Filters, QueueRow

SUPPORT_DESK = Section('/operator/support', 'Support desk', 'support_agent', 91, staff_only=True)
AGES = {0: 'any age', 24: 'older than a day', 72: 'older than 3 days', 168: 'older than a week'}


def register(site: Site) -> None:
    badges.register('/operator/support', desk.badge_counter)

    @site.page('/operator/support', access='staff', section=SUPPORT_DESK)
    async def queue_page(ctx: PageContext) -> None:
        found = await ctx.db(lambda s: topics.list_topics(session=s, include_inactive=True))
        with await ctx.frame(_('Support desk')):
            _Queue(ctx, {t.id: t.title for t in found})

    @site.page('/operator/support/topics', access='staff')
    async def topics_editor(ctx: PageContext) -> None:
        await topics_page(ctx)

    @site.page('/operator/support/{request_id}', access='staff')
    async def one_request(ctx: PageContext, request_id: int) -> None:
        await request_page(ctx, request_id)


class _Queue:
    def __init__(self, ctx: PageContext, topic_names: dict[int, str]) -> None:
        self.ctx = ctx
        statuses = {
            'active': _('all open'), 'open': _('new'), 'in_progress': _('in progress'),
            'answered': _('answer received'), 'closed': _('closed'), 'all': _('all'),
        }  # fmt: skip
        with ui.element('div').classes('w-full k-controls'):
            with ui.row().classes('w-full items-center gap-2'):
                self.status = ui.select(statuses, value='active', label=_('Status'), on_change=self.show)
                self.status.props('outlined dense options-dense').style('min-width: 11rem').mark('filter-status')
                self.topic = ui.select(
                    {0: _('all topics'), **topic_names}, value=0, label=_('Topic'), on_change=self.show
                )
                self.topic.props('outlined dense options-dense').style('min-width: 12rem').mark('filter-topic')
                self.age = ui.select({k: _(v) for k, v in AGES.items()}, value=0, label=_('Age'), on_change=self.show)
                self.age.props('outlined dense options-dense').style('min-width: 10rem').mark('filter-age')
                self.mine = ui.checkbox(_('Assigned to me'), on_change=self.show).mark('filter-mine')
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                self.search = ui.input(_('Account number, name or text')).props('outlined dense clearable')
                self.search.classes('col').mark('filter-search').on('keydown.enter', self.show)
                ui.button(_('Find'), icon='search', on_click=self.show).props('unelevated no-caps').mark('find')
                ui.button(icon='tune', on_click=lambda: ui.navigate.to('/operator/support/topics')).props(
                    'flat round aria-label="topics"'
                ).tooltip(_('Topics')).mark('edit-topics')
        self.box = ui.column().classes('w-full gap-2')
        ui.timer(0, self.show, once=True)

    async def show(self) -> None:
        user = await self.ctx.fresh_user(staff=True)
        if user is None:
            return
        filters = Filters(
            status=str(self.status.value), topic_id=int(self.topic.value) or None,
            older_than_hours=int(self.age.value) or None, mine=bool(self.mine.value), search=self.search.value or '',
        )  # fmt: skip
        now = self.ctx.now()
        rows = await self.ctx.db(lambda s: desk.queue(session=s, actor=user, filters=filters, now=now))
        self.box.clear()
        with self.box:
            _rows(rows, self.ctx, now)


def _rows(rows: list[QueueRow], ctx: PageContext, now: datetime) -> None:
    target = ctx.settings.support_target_hours
    ui.label(_('{n} shown, oldest first. Target time to answer: {hours} h.').format(n=len(rows), hours=target)).classes(
        'text-body2 text-grey-7'
    ).mark('queue-count')
    if not rows:
        ui.label(_('No requests match.')).classes('text-grey-7').mark('queue-empty')
        return
    for item in rows:
        row = item.request
        late = item.waiting_since is not None and (now - item.waiting_since).total_seconds() > target * 3600
        card = ui.card().classes('k-req w-full q-px-md q-py-sm gap-1').props('flat bordered')
        if late:
            card.style('border-left: 5px solid #c62828')
        card.on('click', lambda r=row.id: ui.navigate.to(f'/operator/support/{r}')).mark(f'queue-{row.id}')
        with card:
            with ui.row().classes('w-full items-center gap-2'):
                ui.label(_('No. {id}').format(id=row.id)).classes('text-grey-7 text-body2')
                support_views.status_chip(row.status)
                if item.waiting_since is not None:
                    waited = fmt.duration(int((now - item.waiting_since).total_seconds()))
                    label = ui.label(_('waits {time}').format(time=waited)).classes('text-body2')
                    label.classes('text-negative text-weight-bold' if late else 'text-grey-8')
                    label.mark('late' if late else 'waiting')
            ui.label(row.subject).classes('text-weight-medium').style('overflow-wrap: anywhere')
            with ui.row().classes('w-full gap-x-4 gap-y-0 text-body2 text-grey-7'):
                ui.label(item.resident)
                if row.account_number:
                    ui.label(_('Account {number}').format(number=row.account_number))
                if row.topic:
                    ui.label(row.topic)
                ui.label(fmt.moment(row.created_at, ctx.tz))
                if item.assigned_to:
                    ui.label(_('Assigned: {name}').format(name=item.assigned_to))
