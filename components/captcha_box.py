"""The captcha of a form: the picture, a refresh button and the field for the code (SPEC S1, S3)."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable

from nicegui import background_tasks, ui

from services.core.i18n import _

# (challenge id, PNG bytes) of a fresh challenge; the answer stays on the server.
Challenge = tuple[str, bytes]
NewChallenge = Callable[[], Awaitable[Challenge]]


class CaptchaBox:
    """Shows a challenge; `challenge_id` and `answer` go to the service, `renew()` after every attempt.

    Make one with `await CaptchaBox.create(new_challenge)`. `renew()` blanks the picture and the field at once
    and shows the next challenge as soon as the server has made it (off the event loop).
    """

    @classmethod
    async def create(cls, new_challenge: NewChallenge) -> CaptchaBox:
        box = cls(new_challenge)
        box._show(await new_challenge())
        return box

    def __init__(self, new_challenge: NewChallenge) -> None:
        self._new_challenge = new_challenge
        self._asked = 0
        self.challenge_id = ''
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            self._image = (
                ui.image().classes('rounded-borders').style('width: 180px; height: 64px').mark('captcha-image')
            )
            self._image.props('no-spinner no-transition')
            self._image.props['alt'] = _('Code from the picture')
            refresh = ui.button(icon='refresh', on_click=self.renew).props('flat round').mark('captcha-refresh')
            refresh.props['aria-label'] = _('Another picture')
            refresh.tooltip(_('Another picture'))
        self.input = (
            ui.input(_('Code from the picture') + ' *')
            .props('outlined autocomplete=off autocapitalize=characters spellcheck=false')
            .classes('w-full')
            .mark('captcha')
        )

    @property
    def answer(self) -> str:
        return self.input.value or ''

    def renew(self) -> None:
        """A new picture and an empty field: every challenge is single use."""
        self._asked += 1
        self.challenge_id = ''  # until the next picture arrives, no code is checked against the old one
        self._image.set_source(WAITING)
        self.input.value = ''
        background_tasks.create(self._next(self._asked), name='next captcha', context=self._image)

    async def _next(self, asked: int) -> None:
        challenge = await self._new_challenge()
        if asked == self._asked:  # quick clicks: only the last picture asked for is shown
            self._show(challenge)

    def _show(self, challenge: Challenge) -> None:
        self.challenge_id, png = challenge
        self._image.set_source('data:image/png;base64,' + base64.b64encode(png).decode())
        self.input.value = ''


# A pale box while the next picture is being made (a few tens of milliseconds).
WAITING = (
    'data:image/svg+xml;utf8,<svg xmlns="http://www.w3.org/2000/svg" width="180" height="64">'
    '<rect width="180" height="64" fill="%23eeeeee"/></svg>'
)
