"""Form fields whose error and hint texts may wrap on a phone without covering the next field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from services.core.i18n import _

# Quasar positions the bottom line absolutely, one line high; long Russian messages wrap onto the next field.
FORM_CSS = """
.k-form .q-field--with-bottom { padding-bottom: 0; }
.k-form .q-field__bottom { position: static; transform: none; padding-top: 4px; min-height: 20px; }
"""


def form_style() -> str:
    """Add the CSS once per page and return the class to put on the form's container."""
    ui.add_css(FORM_CSS)
    return 'k-form'


def dialog_actions(cancel: Callable[[], Any] | None = None) -> ui.row:
    """The one order of a dialog's buttons: «Отмена» on the left, the main action on the right (put it inside).

    Without `cancel` (a form on a page of its own) the row holds only the main action, still on the right.
    """
    row = ui.row().classes('w-full justify-end items-center gap-2 k-dialog-actions')
    if cancel is not None:
        with row:
            ui.button(_('Cancel'), on_click=cancel).props('flat no-caps').mark('dialog-cancel')
    return row
