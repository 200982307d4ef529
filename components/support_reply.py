"""The box under a conversation: a text with its limits and, for residents, attachments; kept on any error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import events, ui

from components.form_style import form_style
from components.support_form import ACCEPT, uploader_class
from services.core.i18n import _
from services.support.attachments import MAX_BYTES, MAX_FILES, Upload, sniff
from services.support.requests import MAX_TEXT, MIN_TEXT

# (text, files, internal) -> the error to show next to the text, or '' when the message is stored
SendMessage = Callable[[str, list[Upload], bool], Awaitable[str]]


class MessageBox:
    def __init__(self, on_send: SendMessage, *, label: str, files: bool, notes: bool = False) -> None:
        self.on_send = on_send
        self.uploads: list[Upload] = []
        with ui.column().classes(f'w-full gap-1 {form_style()}').mark('message-box'):
            hint = _('From {min} to {max} characters').format(min=MIN_TEXT, max=MAX_TEXT)
            self.text = ui.textarea(label).props(f'outlined autogrow counter maxlength={MAX_TEXT} hint="{hint}"')
            self.text.classes('w-full').mark('message-text')
            self.error = ui.label('').classes('text-negative text-caption').mark('message-error')
            self.error.set_visibility(False)
            self.files = ui.row().classes('gap-1')
            if files:
                self.uploader = ui.upload(
                    on_upload=self._uploaded, multiple=True, auto_upload=True, max_file_size=MAX_BYTES,
                    label=_('Attach files'),
                )  # fmt: skip
                self.uploader.props(f'accept="{ACCEPT}" flat bordered dense').classes(uploader_class())
                self.uploader.mark('message-files')
            with ui.row().classes('w-full justify-end gap-2'):
                if notes:
                    ui.button(_('Internal note'), icon='lock', on_click=lambda: self._send(True)).props(
                        'outline no-caps'
                    ).mark('send-note')
                self.button = ui.button(_('Send'), icon='send', on_click=lambda: self._send(False))
                self.button.props('unelevated no-caps').mark('send-message')

    def show_error(self, text: str) -> None:
        self.error.set_text(text)
        self.error.set_visibility(bool(text))

    async def _send(self, internal: bool) -> None:
        self.button.disable()
        try:
            error = await self.on_send(self.text.value or '', list(self.uploads), internal)
        finally:
            self.button.enable()
        self.show_error(error)
        if not error:
            self.text.set_value('')
            self.uploads.clear()
            self._list_files()

    async def _uploaded(self, event: events.UploadEventArguments) -> None:
        name = event.file.name
        if event.file.size() > MAX_BYTES:
            self.show_error(_('«{name}» is larger than 5 MB.').format(name=name))
        elif len(self.uploads) >= MAX_FILES:
            self.show_error(_('Attach at most 3 files.'))
        else:
            data = await event.file.read()
            if sniff(data) is None:
                self.show_error(_('«{name}» is not a JPEG or PNG photo or a PDF document.').format(name=name))
            else:
                self.uploads.append(Upload(name=name, data=data))
                self.show_error('')
        self.uploader.reset()
        self._list_files()

    def _list_files(self) -> None:
        self.files.clear()
        with self.files:
            for n, upload in enumerate(self.uploads):
                ui.chip(upload.name, icon='attach_file', removable=True, on_value_change=lambda _e, n=n: self._drop(n))

    def _drop(self, index: int) -> None:
        del self.uploads[index]
        self._list_files()
