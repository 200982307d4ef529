"""/operator/support/topics: the topics residents choose from. Titles typed here are shown as typed; the
seeded ones are shown in the reader's language until renamed. A hidden topic stays on the requests that have it.
"""

from __future__ import annotations

from nicegui import ui

from pages.shell.context import PageContext
from services.core.errors import DomainError
from services.core.i18n import _
from services.support import topics
from services.support.topics import TopicRefused


async def topics_page(ctx: PageContext) -> None:
    found = await ctx.db(lambda s: topics.list_topics(session=s, include_inactive=True))
    with await ctx.frame(_('Request topics'), active='/operator/support'):
        ui.button(_('Queue'), icon='arrow_back', on_click=lambda: ui.navigate.to('/operator/support')).props(
            'flat no-caps dense'
        ).mark('back')
        ui.label(_('Residents choose one of the shown topics when they create a request.')).classes('text-body2')
        for topic in found:
            _row(ctx, topic.id, topic.title, topic.active)
        _row(ctx, None, '', True)


def _row(ctx: PageContext, topic_id: int | None, title: str, active: bool) -> None:
    mark = f'topic-{topic_id}' if topic_id else 'topic-new'
    with ui.row().classes('w-full items-center gap-2').mark(mark):
        name = ui.input(_('New topic') if topic_id is None else _('Topic'), value=title).props('outlined dense')
        name.style('flex: 1 1 16rem; min-width: 14rem').mark(f'{mark}-title')
        shown = ui.checkbox(_('shown'), value=active).mark(f'{mark}-shown')

        async def save() -> None:
            user = await ctx.fresh_user(staff=True)
            if user is None:
                return
            try:
                await ctx.db(lambda s: topics.save_topic(
                    session=s, actor=user, topic_id=topic_id, title=name.value or '', active=bool(shown.value),
                    now=ctx.now()))  # fmt: skip
            except TopicRefused as error:
                name.props(f'error error-message="{_(str(error))}"')
                return
            except DomainError:
                ui.notify(_('Not found'), type='negative')
                return
            ui.navigate.to('/operator/support/topics')

        ui.button(_('Add') if topic_id is None else _('Save'), on_click=save).props('outline no-caps').mark(
            f'{mark}-save'
        )
