"""The captcha of a form: the picture, a refresh button and the field for the code (SPEC S1, S3)."""

from __future__ import annotations

import base64
from collections.abc import Callable

from nicegui import ui

from services.core.i18n import _

# (challenge id, PNG bytes) of a fresh challenge; the answer stays on the server.
NewChallenge = Callable[[], tuple[str, bytes]]


class CaptchaBox:
    """Shows a challenge; `challenge_id` and `answer` go to the service, `renew()` after every attempt."""

    def __init__(self, new_challenge: NewChallenge) -> None:
        self._new_challenge = new_challenge
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
        self.renew()

    @property
    def answer(self) -> str:
        return self.input.value or ''

    def renew(self) -> None:
        """A new picture and an empty field: every challenge is single use."""
        self.challenge_id, png = self._new_challenge()
        self._image.set_source('data:image/png;base64,' + base64.b64encode(png).decode())
        self.input.value = ''
