"""The «Создать обращение» dialog (SPEC S10, B8): topic, account and meter, text with its limits, attachments.

The dialog is built once per page and never rebuilt, so whatever was typed stays there on any error; the page
passes `on_send`, which answers the errors per field (or none when the request is stored).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from nicegui import events, ui

from components.form_style import form_style
from components.support_views import context_block
from services.core.i18n import _
from services.support.attachments import MAX_BYTES, MAX_FILES, Upload, sniff
from services.support.requests import MAX_TEXT, MIN_TEXT

ACCEPT = '.jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf'
# The uploader only picks files: the chosen ones are listed as chips below it (with their own «remove»).
UPLOAD_CSS = """
.k-upload { width: 100%; max-height: none; }
.k-upload .q-uploader__list, .k-upload .q-uploader__subtitle { display: none; }
"""


def uploader_class() -> str:
    ui.add_css(UPLOAD_CSS)
    return 'k-upload'


@dataclass(frozen=True)
class FormOptions:
    topics: dict[int, str]
    accounts: dict[int, str]  # id -> «690555001, ул. Лесная, 5»
    meters: list[tuple[int, str, int]]  # (id, name, account id)
    context_title: str = ''
    context_lines: list[tuple[str, str]] = field(default_factory=list)
    meter_id: int | None = None  # preselected by the context


@dataclass
class Draft:
    topic_id: int | None = None
    account_id: int | None = None
    meter_id: int | None = None
    text: str = ''
    uploads: list[Upload] = field(default_factory=list)


Send = Callable[[Draft], Awaitable[dict[str, str]]]


class CreateDialog:
    def __init__(self, options: FormOptions, on_send: Send) -> None:
        self.options, self.on_send, self.draft = options, on_send, Draft()
        meter_account = {m[0]: m[2] for m in options.meters}
        self.draft.meter_id = options.meter_id if options.meter_id in meter_account else None
        self.draft.account_id = meter_account.get(options.meter_id or 0) or next(iter(options.accounts), None)
        with (
            ui.dialog() as self.dialog,
            ui.card().classes(f'w-full q-pa-md gap-2 {form_style()}').style('max-width: 40rem'),
        ):
            self.dialog.mark('create-dialog')
            ui.label(_('New request')).classes('text-h6')
            if options.context_lines:
                context_block(options.context_lines, options.context_title)
            self._fields()
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(_('Cancel'), on_click=self.dialog.close).props('flat no-caps').mark('create-cancel')
                self.send = ui.button(_('Send'), icon='send', on_click=self._send).props('unelevated no-caps')
                self.send.mark('create-send')

    def open(self) -> None:
        self.dialog.open()

    def _fields(self) -> None:
        options, draft = self.options, self.draft
        self.topic = ui.select(
            options.topics, label=_('Topic'), on_change=lambda e: setattr(draft, 'topic_id', e.value)
        )
        self.topic.props('outlined dense').classes('w-full').mark('create-topic')
        self.errors: dict[str, ui.label] = {'topic': self._error('topic')}
        self.account = ui.select(
            options.accounts, label=_('Personal account'), value=draft.account_id, on_change=self._account_changed
        )
        self.account.props('outlined dense').classes('w-full').mark('create-account')
        self.errors['account'] = self._error('account')
        self.meter = ui.select(
            self._meters(draft.account_id), label=_('Meter'), value=draft.meter_id,
            on_change=lambda e: setattr(draft, 'meter_id', e.value or None),
        ).props('outlined dense').classes('w-full').mark('create-meter')  # fmt: skip
        self.errors['meter'] = self._error('meter')
        hint = _('From {min} to {max} characters').format(min=MIN_TEXT, max=MAX_TEXT)
        self.text = ui.textarea(_('Your question'), on_change=lambda e: setattr(draft, 'text', e.value or ''))
        self.text.props(f'outlined autogrow counter maxlength={MAX_TEXT} hint="{hint}"').classes('w-full')
        self.text.mark('create-text')
        self.errors['text'] = self._error('text')
        ui.label(_('Photos of the meter or a receipt: JPEG, PNG or PDF, up to 3 files of up to 5 MB.')).classes(
            'text-caption text-grey-7'
        )
        self.uploader = (
            ui.upload(
                on_upload=self._uploaded,
                multiple=True,
                auto_upload=True,
                max_file_size=MAX_BYTES,
                label=_('Attach files'),
            )
            .props(f'accept="{ACCEPT}" flat bordered')
            .classes(uploader_class())
            .mark('create-files')
        )
        self.files = ui.row().classes('gap-1').mark('create-file-list')
        self.errors['files'] = self._error('files')

    def _error(self, name: str) -> ui.label:
        label = ui.label('').classes('text-negative text-caption').mark(f'error-{name}')
        label.set_visibility(False)
        return label

    def _meters(self, account_id: int | None) -> dict[int | None, str]:
        found: dict[int | None, str] = {None: _('— not about a meter —')}
        found.update({m[0]: m[1] for m in self.options.meters if account_id is None or m[2] == account_id})
        return found

    def _account_changed(self, event: events.ValueChangeEventArguments) -> None:
        self.draft.account_id = event.value
        keep = self.draft.meter_id if self.draft.meter_id in self._meters(event.value) else None
        self.draft.meter_id = keep
        self.meter.set_options(self._meters(event.value), value=keep)

    async def _uploaded(self, event: events.UploadEventArguments) -> None:
        name = event.file.name
        if event.file.size() > MAX_BYTES:  # the browser checks too, but a client can lie
            self._show({'files': _('«{name}» is larger than 5 MB.').format(name=name)})
        elif len(self.draft.uploads) >= MAX_FILES:
            self._show({'files': _('Attach at most 3 files.')})
        else:
            data = await event.file.read()
            if sniff(data) is None:
                self._show({'files': _('«{name}» is not a JPEG or PNG photo or a PDF document.').format(name=name)})
            else:
                self.draft.uploads.append(Upload(name=name, data=data))
                self._show({})
        self.uploader.reset()
        self._list_files()

    def _list_files(self) -> None:
        self.files.clear()
        with self.files:
            for n, upload in enumerate(self.draft.uploads):
                ui.chip(upload.name, icon='attach_file', removable=True, on_value_change=lambda _e, n=n: self._drop(n))

    def _drop(self, index: int) -> None:
        del self.draft.uploads[index]
        self._list_files()

    def _show(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.set_text(errors.get(name, ''))
            label.set_visibility(name in errors)

    async def _send(self) -> None:
        self.send.disable()
        try:
            errors = await self.on_send(self.draft)
        finally:
            self.send.enable()
        self._show(errors)
        if not errors:
            self.dialog.close()
